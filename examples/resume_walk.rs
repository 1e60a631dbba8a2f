//! Partner API: walk every customer, and when the walk fails for good (retries exhausted,
//! the network gone), resume after the last customer received instead of starting over.
//!
//! ```sh
//! PARTNERSTACK_API_KEY=… cargo run --example resume_walk
//! ```
//!
//! A walk delivers each item once, in order; when it ends with an error, everything received
//! so far is good, and `starting_after(last_key)` continues exactly where it stopped.

use std::time::Duration;

use partnerstack::partner::Client;
use partnerstack::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let mut last_key: Option<String> = None;
    let mut received = 0_u64;
    let mut failures = 0_u32;
    loop {
        let mut request = client.customers().list().limit(250);
        if let Some(key) = &last_key {
            request = request.starting_after(key.as_str());
        }
        let walk = request.items();
        futures::pin_mut!(walk);
        let result = async {
            while let Some(customer) = walk.try_next().await? {
                received += 1;
                last_key = Some(customer.key.clone());
            }
            Ok::<(), partnerstack::Error>(())
        }
        .await;
        match result {
            Ok(()) => break,
            Err(err) if err.is_retryable() && failures < 5 => {
                failures += 1;
                eprintln!("walk stopped after {received} customers ({err}); resuming");
                tokio::time::sleep(Duration::from_secs(5 * u64::from(failures))).await;
            }
            Err(err) => return Err(err.into()),
        }
    }
    println!("{received} customers");
    Ok(())
}

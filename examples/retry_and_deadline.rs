//! Partner API: a retry policy of your own, a deadline on one call and on a whole walk, and a
//! hook that logs every attempt.
//!
//! ```sh
//! PARTNERSTACK_API_KEY=… cargo run --example retry_and_deadline
//! ```

use std::time::Duration;

use partnerstack::RetryPolicy;
use partnerstack::partner::Client;
use partnerstack::prelude::*;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Up to 6 attempts, waiting 500 ms to 10 s between them (full jitter, `Retry-After`
    // honoured), and never more than 2 minutes for one call, retries included.
    let policy = RetryPolicy::default()
        .max_attempts(6)
        .base_delay(Duration::from_millis(500))
        .max_delay(Duration::from_secs(10))
        .deadline(Duration::from_secs(120));
    let client = Client::builder()
        .read_env()? // PARTNERSTACK_API_KEY, PARTNERSTACK_BASE_URL
        .retry_policy(policy)
        .timeout(Duration::from_secs(15)) // each attempt
        .on_response(|r| {
            eprintln!(
                "{} attempt {}: {:?} in {:?}",
                r.request.operation, r.request.attempts, r.status, r.elapsed
            )
        })
        .build()?;

    // One call that must finish within 20 s, whatever the policy allows.
    let page = client
        .payouts()
        .list()
        .deadline(Duration::from_secs(20))
        .send()
        .await;
    match page {
        Ok(page) => println!("{} payouts on the first page", page.items.len()),
        Err(err) if err.is_timeout() => println!("no answer within 20 s: {err}"),
        Err(err) => return Err(err.into()),
    }

    // A deadline on a list bounds the whole walk.
    let rewards: Vec<_> = client
        .rewards()
        .list()
        .deadline(Duration::from_secs(300))
        .items()
        .try_collect()
        .await?;
    println!("{} rewards", rewards.len());
    Ok(())
}

//! A first run with no key and no network: starts the fake PartnerStack in-process
//! (`partnerstack-fake`) and walks it with the client.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! Against the real API, drop the fake and build the clients with your keys
//! (`partner::Client::from_env()`, `vendor::Client::from_env()`, or
//! `vendor::Client::new(PublicKey::from(pk), SecretKey::from(sk))`).

use partnerstack::prelude::*;
use partnerstack::vendor::models::{CustomerCreate, CustomerUpdate};
use partnerstack_fake::{Config, Server};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let server = Server::start(Config::default().items(30)).await?;
    println!("fake PartnerStack on {}", server.url());

    // The Partner API: Bearer API key.
    let partner = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .build()?;
    let page = partner.rewards().list().limit(5).send().await?;
    println!(
        "first page: {} rewards, {:?} in all, more: {}",
        page.items.len(),
        page.total,
        page.has_more
    );
    for reward in &page.items {
        println!("  {} created {}", reward.key, reward.created_at.as_millis());
    }
    let since = page.items.last().map_or(0, |r| r.created_at.as_millis());
    let recent: Vec<_> = partner
        .rewards()
        .list()
        .min_created(Timestamp::from_millis(since))
        .items()
        .try_collect()
        .await?;
    println!("{} rewards created since the fifth newest", recent.len());

    // The Vendor API: HTTP Basic with the key pair.
    let vendor = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()?;
    let partners: Vec<_> = vendor.partnerships().list().items().try_collect().await?;
    println!(
        "{} partnerships, among them the test partner gstest",
        partners.len()
    );
    let customer = vendor
        .customers()
        .create(
            CustomerCreate::builder()
                .email("jane@example.com")
                .partner_key("gstest")
                .build()
                .customer_key("acme-user-1"),
        )
        .send()
        .await?;
    println!("created customer {}", customer.key);
    // One world: the Partner API's key acts as the test partner, so the customer the vendor
    // just created for it is in the partner's list, the same object.
    let theirs: Vec<_> = partner.customers().list().items().try_collect().await?;
    let same = theirs.iter().find(|c| c.key == customer.key);
    println!(
        "the partner sees it: {}",
        same.is_some_and(|c| c.created_at == customer.created_at)
    );
    let renamed = vendor
        .customers()
        .update("acme-user-1", CustomerUpdate::new().name("Jane Doe"))
        .send()
        .await?;
    println!("renamed to {:?}", renamed.name);
    vendor.customers().delete("acme-user-1").send().await?;
    match vendor.customers().get("acme-user-1").send().await {
        Err(e) => println!("after delete: {e}"),
        Ok(_) => println!("still there?"),
    }
    Ok(())
}

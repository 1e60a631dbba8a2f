//! The client against the fake PartnerStack (`partnerstack-fake`), generated from the same
//! spec: every list of every API decodes the fake's seeded data (nulls where nullable, fields
//! left out where optional), and a few calls that need only a well-behaved server.

use futures::TryStreamExt;
use partnerstack_fake::{Config, Server};

async fn server() -> Server {
    // Enough objects that every nullable and optional field is null or absent somewhere.
    Server::start(Config::default().items(40).seed(42))
        .await
        .unwrap()
}

/// Walks a list to its end, counting items.
async fn walk<T: serde::de::DeserializeOwned + Send + 'static>(
    items: partnerstack::Items<T>,
) -> usize {
    items.try_collect::<Vec<_>>().await.unwrap().len()
}

/// `(resource, items walked)` for each named resource's `list()`.
macro_rules! walk_lists {
    ($client:expr; $($resource:ident),+ $(,)?) => {
        [$((stringify!($resource), walk($client.$resource().list().items()).await)),+]
    };
}

/// Every list walked to its end holds the fake's 40 objects.
fn assert_all_forty(walked: &[(&str, usize)]) {
    let wrong: Vec<_> = walked.iter().filter(|(_, n)| *n != 40).collect();
    assert!(wrong.is_empty(), "lists without 40 items: {wrong:?}");
}

#[tokio::test]
async fn every_partner_list_decodes_the_fakes_data() {
    let server = server().await;
    let c = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .build()
        .unwrap();
    // The partner sees its own: its partnership, some of the vendor's 40 actions, customers,
    // rewards and transactions, and every marketplace program and payout.
    let walked = walk_lists!(c; actions, customers, marketplace_programs, partnerships,
        payouts, rewards, transactions);
    for (list, n) in walked {
        let want = match list {
            "partnerships" => 1..=1,
            "marketplace_programs" | "payouts" => 40..=40,
            _ => 1..=39,
        };
        assert!(want.contains(&n), "{list}: {n} items");
    }
    let program = c
        .marketplace_programs()
        .list()
        .send()
        .await
        .unwrap()
        .items
        .remove(0);
    let same = c
        .marketplace_programs()
        .get(&program.key)
        .send()
        .await
        .unwrap();
    assert_eq!(same, program);
}

#[tokio::test]
async fn every_vendor_list_decodes_the_fakes_data() {
    let server = server().await;
    let c = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()
        .unwrap();
    assert_all_forty(
        &walk_lists!(c; partnerships, customers, transactions, rewards, actions,
        deals, leads, groups, form_templates, applications, webhooks, tiers, tier_collections,
        products, product_books),
    );
    // Canned answers decode too: a list of form templates, a deal's files.
    assert_eq!(c.deals().form_templates().send().await.unwrap().len(), 3);
    let deal = c.deals().list().send().await.unwrap().items.remove(0);
    c.deals().files(&deal.key).send().await.unwrap();
}

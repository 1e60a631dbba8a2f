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

#[tokio::test]
async fn every_partner_list_decodes_the_fakes_data() {
    let server = server().await;
    let c = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let n = |len: usize| assert_eq!(len, 40);
    n(c.actions()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.customers()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.marketplace_programs()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.partnerships()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.payouts()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.rewards()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.transactions()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
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
    let n = |len: usize| assert_eq!(len, 40);
    n(c.partnerships()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.customers()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.transactions()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.rewards()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.actions()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.deals()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.leads()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.groups()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.form_templates()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.applications()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.webhooks()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.tiers()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.tier_collections()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.products()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    n(c.product_books()
        .list()
        .items()
        .try_collect::<Vec<_>>()
        .await
        .unwrap()
        .len());
    // Canned answers decode too: a list of form templates, a deal's files.
    assert_eq!(c.deals().form_templates().send().await.unwrap().len(), 3);
    let deal = c.deals().list().send().await.unwrap().items.remove(0);
    c.deals().files(&deal.key).send().await.unwrap();
}

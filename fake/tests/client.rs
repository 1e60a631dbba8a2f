//! The generated client against the fake: lists, walks, filters, CRUD, auth, faults.

use std::collections::HashSet;
use std::time::Duration;

use futures::TryStreamExt;
use partnerstack::{Error, RetryPolicy, Timestamp};
use partnerstack_fake::{Config, Fault, Faults, Server};

use crate::support::{partner, start, vendor};

#[tokio::test]
async fn a_walk_delivers_every_reward_once_newest_first() {
    let server = start(60).await;
    let client = partner(&server);
    let page = client.rewards().list().send().await.unwrap();
    assert_eq!(page.items.len(), 10, "the default limit");
    assert!(page.has_more);
    // The partner sees its own rewards: some of the 60 the vendor sees.
    let total = page.total.unwrap() as usize;
    assert!(total > 10 && total < 60, "{total}");

    let all: Vec<_> = client
        .rewards()
        .list()
        .limit(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), total);
    let keys: HashSet<_> = all.iter().map(|r| r.key.clone()).collect();
    assert_eq!(keys.len(), total, "no reward twice");
    for r in &all {
        assert!(
            r.key.starts_with("rwrd_") && r.key.len() == 5 + 14,
            "{}",
            r.key
        );
    }
    let times: Vec<i64> = all.iter().map(|r| r.created_at.as_millis()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");
}

#[tokio::test]
async fn ending_before_gives_the_items_just_before_the_key() {
    let server = start(40).await;
    let client = partner(&server);
    let all: Vec<_> = client
        .customers()
        .list()
        .limit(250)
        .send()
        .await
        .unwrap()
        .items;
    let pivot = &all[9].key;
    let page = client
        .customers()
        .list()
        .ending_before(pivot.as_str())
        .limit(4)
        .send()
        .await
        .unwrap();
    let got: Vec<_> = page.items.iter().map(|c| c.key.clone()).collect();
    let want: Vec<_> = all[5..9].iter().map(|c| c.key.clone()).collect();
    assert_eq!(got, want);
    assert!(page.has_more);

    let backward: Vec<_> = client
        .customers()
        .list()
        .ending_before(pivot.as_str())
        .limit(4)
        .items()
        .try_collect()
        .await
        .unwrap();
    let mut keys: Vec<_> = backward.iter().map(|c| c.key.clone()).collect();
    keys.sort();
    let mut want: Vec<_> = all[..9].iter().map(|c| c.key.clone()).collect();
    want.sort();
    assert_eq!(keys, want, "the backward walk reaches the newest item");

    let after = client
        .customers()
        .list()
        .starting_after(all[all.len() - 2].key.as_str())
        .send()
        .await
        .unwrap();
    assert_eq!(after.items.len(), 1);
    assert!(!after.has_more);
}

#[tokio::test]
async fn created_filters_apply_to_the_items() {
    let server = start(20).await;
    let client = partner(&server);
    let all = client
        .actions()
        .list()
        .limit(250)
        .send()
        .await
        .unwrap()
        .items;
    let cut = all[7].created_at.as_millis();
    let newer = client
        .actions()
        .list()
        .min_created(Timestamp::from_millis(cut))
        .limit(250)
        .send()
        .await
        .unwrap();
    assert_eq!(newer.items.len(), 8);
    assert_eq!(newer.total, Some(8));
    assert!(newer.items.iter().all(|a| a.created_at.as_millis() >= cut));
}

#[tokio::test]
async fn vendor_customers_are_created_read_updated_and_deleted() {
    use partnerstack::vendor::models::{CustomerCreate, CustomerUpdate};
    let server = start(3).await;
    let client = vendor(&server);
    let created = client
        .customers()
        .create(
            CustomerCreate::builder()
                .email("jane@example.com")
                .partner_key("gstest")
                .build()
                .customer_key("acme-user-1")
                .name("Jane")
                .provider_key("cus_stripe_1"),
        )
        .send()
        .await
        .unwrap();
    assert!(created.key.starts_with("cus_"));
    assert_eq!(created.email.as_deref(), Some("jane@example.com"));
    assert_eq!(created.partner_key.as_deref(), Some("gstest"));

    let read = client.customers().get("acme-user-1").send().await.unwrap();
    assert_eq!(read.key, created.key);
    let first = client.customers().list().send().await.unwrap();
    assert_eq!(first.items[0].key, created.key, "the newest first");
    assert_eq!(first.total, Some(4));

    let updated = client
        .customers()
        .update(
            "acme-user-1",
            CustomerUpdate::new().clear_provider_key().name("Jane Doe"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(updated.provider_key, None, "null clears");
    assert_eq!(updated.name.as_deref(), Some("Jane Doe"));
    assert_eq!(
        updated.email.as_deref(),
        Some("jane@example.com"),
        "unsent fields stay"
    );
    // A list shows the change, though the page before it was written from the old object.
    let again = client.customers().list().send().await.unwrap();
    assert_eq!(again.items[0].key, created.key);
    assert_eq!(again.items[0].name.as_deref(), Some("Jane Doe"));
    assert_eq!(again.items[0].provider_key, None);

    client
        .customers()
        .delete(created.key.as_str())
        .send()
        .await
        .unwrap();
    match client.customers().get("acme-user-1").send().await {
        Err(Error::Api {
            status, message, ..
        }) => {
            assert_eq!(status.as_u16(), 404);
            assert!(message.contains("acme-user-1"), "{message}");
        }
        other => panic!("expected a 404, got {other:?}"),
    }
}

#[tokio::test]
async fn every_instance_has_the_test_partner() {
    let server = start(5).await;
    let client = vendor(&server);
    let all: Vec<_> = client
        .partnerships()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    assert!(all.iter().any(|p| p.partner_key == "gstest"));
    assert!(all.iter().all(|p| p.key.starts_with("part_")));
}

#[tokio::test]
async fn each_key_opens_its_own_api_only() {
    let server = start(2).await;
    let wrong_partner = partnerstack::partner::Client::builder()
        .api_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let err = wrong_partner.rewards().list().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    let wrong_vendor = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.partner_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let err = wrong_vendor.rewards().list().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));

    // Same path, two APIs: the credential decides which shape answers, of one world: the
    // partner's rewards are some of the vendor's.
    let partner_rewards = partner(&server).rewards().list().send().await.unwrap();
    let vendor_rewards = vendor(&server).rewards().list().send().await.unwrap();
    assert_eq!(vendor_rewards.items.len(), 2);
    assert!(partner_rewards.items.len() <= 2);
    // The newest object of each kind is the signed-in partner's: the loop below checks one.
    assert!(!partner_rewards.items.is_empty());
    for r in &partner_rewards.items {
        assert!(
            vendor_rewards.items.iter().any(|v| v.key == r.key),
            "{}",
            r.key
        );
    }
}

#[tokio::test]
async fn the_conversion_call_answers_an_empty_200() {
    use partnerstack::conversion::{Client, models::Conversion};
    let server = start(1).await;
    let client = Client::builder()
        .tracking_token(server.tracking_token())
        .base_url(server.url())
        .build()
        .unwrap();
    client
        .conversions()
        .create(
            Conversion::builder()
                .xid("xid-123")
                .customer_key("acme-user-9")
                .build()
                .email("a@example.com"),
        )
        .send()
        .await
        .unwrap();
    let partner_key_instead = Client::builder()
        .tracking_token(server.partner_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let err = partner_key_instead
        .conversions()
        .create(Conversion::builder().xid("x").customer_key("y").build())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let a = Server::start(Config::default().items(4).seed(9))
        .await
        .unwrap();
    let b = Server::start(Config::default().items(4).seed(9))
        .await
        .unwrap();
    let c = Server::start(Config::default().items(4).seed(10))
        .await
        .unwrap();
    let page = |s| async move { partner(s).payouts().list().send().await.unwrap().items };
    let (pa, pb, pc) = (page(&a).await, page(&b).await, page(&c).await);
    assert_eq!(pa, pb);
    assert_ne!(pa, pc);
}

#[tokio::test]
async fn a_walk_survives_injected_faults() {
    let faults = Faults {
        every: 2,
        kinds: vec![
            Fault::RateLimited,
            Fault::Unavailable,
            Fault::Dropped,
            Fault::ServerError,
        ],
        retry_after_secs: 0,
        ..Faults::default()
    };
    let server = Server::start(Config::default().items(30).faults(faults))
        .await
        .unwrap();
    // The same seed without faults: the same rewards.
    let calm = start(30).await;
    let want = partner(&calm).rewards().list().send().await.unwrap().total;
    let client = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(4)
                .base_delay(Duration::from_millis(1))
                .max_delay(Duration::from_millis(5)),
        )
        .build()
        .unwrap();
    let all: Vec<_> = client
        .rewards()
        .list()
        .limit(5)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(Some(all.len() as i64), want);

    let once = partner(&server);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(
            once.rewards()
                .list()
                .send()
                .await
                .err()
                .map(|e| e.status().map(|s| s.as_u16())),
        );
    }
    assert!(
        statuses.contains(&None),
        "every other request succeeds: {statuses:?}"
    );
}

#[tokio::test]
async fn a_dropped_server_stops_listening() {
    let server = start(1).await;
    let addr = server.addr();
    drop(server);
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert!(tokio::net::TcpStream::connect(addr).await.is_err());
}

#[tokio::test]
async fn order_by_sorts_by_the_field_it_names() {
    use partnerstack::partner::models::RewardOrder;
    let server = start(15).await;
    let client = partner(&server);
    let oldest_first: Vec<_> = client
        .rewards()
        .list()
        .order_by(RewardOrder::CreatedAtAsc)
        .items()
        .try_collect()
        .await
        .unwrap();
    let times: Vec<i64> = oldest_first
        .iter()
        .map(|r| r.created_at.as_millis())
        .collect();
    let total = client.rewards().list().send().await.unwrap().total;
    assert_eq!(Some(times.len() as i64), total);
    assert!(times.len() > 1);
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
}

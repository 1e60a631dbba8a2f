//! Webhooks and postbacks from the fake PartnerStack, received end to end by the example
//! receiver (`examples/receive_events.rs`): each delivery parses as the variant of its event,
//! per object in order; a failing receiver is retried, a hanging one dropped.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use partnerstack::vendor::models::{
    CustomerCreate, CustomerUpdate, PartnershipCreate, PartnershipUpdate, TransactionCreate,
    TransactionCreateCustomer, WebhookCreate,
};
use partnerstack_fake::{Config, DeliveryPolicy, Outcome, Server};
use partnerstack_test_server::{Reply, Server as TestServer, in_turn};

#[allow(dead_code, reason = "the example's own `main` and printing handlers")]
#[path = "../../examples/receive_events.rs"]
mod receive_events;

const SECRET: &str = "0123456789abcdef0123456789abcdef";

/// What the receiver got: (api, name as received, the variant's Debug name).
type Seen = Arc<Mutex<Vec<(String, String, String)>>>;

fn variant(debug: String) -> String {
    debug.split('(').next().unwrap_or_default().to_string()
}

/// The example receiver on a free port; its base URL and what it saw.
async fn receiver() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let (p, w) = (seen.clone(), seen.clone());
    let handlers = receive_events::Handlers {
        postback: Arc::new(move |e| {
            p.lock().unwrap().push((
                "partner".into(),
                e.name().to_string(),
                variant(format!("{e:?}")),
            ))
        }),
        webhook: Arc::new(move |e| {
            w.lock().unwrap().push((
                "vendor".into(),
                e.name().to_string(),
                variant(format!("{e:?}")),
            ))
        }),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, receive_events::app(SECRET.into(), handlers))
            .await
            .unwrap()
    });
    (format!("http://{addr}/partnerstack"), seen)
}

/// `customer.created` → `CustomerCreated`.
fn camel(name: &str) -> String {
    name.split(['.', '_'])
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn quick() -> DeliveryPolicy {
    DeliveryPolicy {
        attempts: 3,
        timeout: Duration::from_millis(500),
        first_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(40),
    }
}

#[tokio::test]
async fn every_change_made_through_the_fake_is_delivered_in_order_and_parses() {
    let (base, seen) = receiver().await;
    let server = Server::start(
        Config::default()
            .items(3)
            .postback_url(format!("{base}/partner/{SECRET}"))
            .delivery(quick()),
    )
    .await
    .unwrap();
    let client = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()
        .unwrap();
    let kinds = [
        "customer.created",
        "customer_updated",
        "customer.deleted",
        "partnership.created",
        "partnership.updated",
        "partnership.deleted",
    ];
    client
        .webhooks()
        .create(
            WebhookCreate::builder()
                .target(format!("{base}/vendor/{SECRET}"))
                .events(kinds)
                .build(),
        )
        .send()
        .await
        .unwrap();

    let partnership = client
        .partnerships()
        .create(PartnershipCreate::new("ada@example.com").partner_key("ada"))
        .send()
        .await
        .unwrap();
    client
        .partnerships()
        .update(
            partnership.key.as_str(),
            PartnershipUpdate::new().partner_key("ada-lovelace"),
        )
        .send()
        .await
        .unwrap();
    // The signed-in partner's customer (the test partner's): its changes are its postbacks.
    let customer = client
        .customers()
        .create(
            CustomerCreate::builder()
                .email("grace@example.com")
                .partner_key(partnerstack_fake::TEST_PARTNER_KEY)
                .build()
                .customer_key("acme-7"),
        )
        .send()
        .await
        .unwrap();
    client
        .customers()
        .update("acme-7", CustomerUpdate::new().name("Grace"))
        .send()
        .await
        .unwrap();
    client
        .transactions()
        .create(
            TransactionCreate::builder()
                .amount(4_900)
                .currency("USD")
                .customer(TransactionCreateCustomer::CustomerKey(customer.key.clone()))
                .build(),
        )
        .send()
        .await
        .unwrap();
    client
        .customers()
        .delete(customer.key.as_str())
        .send()
        .await
        .unwrap();
    client
        .partnerships()
        .archive(partnership.key.as_str())
        .send()
        .await
        .unwrap();

    assert!(server.settled(Duration::from_secs(10)).await);
    let deliveries = server.deliveries();
    for d in &deliveries {
        assert_eq!(d.outcome, Outcome::Delivered(200), "{d:?}");
        assert_eq!(d.attempts, [Some(200)]);
    }
    let got = seen.lock().unwrap().clone();
    let webhooks: Vec<_> = got.iter().filter(|(a, ..)| a == "vendor").collect();
    let postbacks: Vec<_> = got.iter().filter(|(a, ..)| a == "partner").collect();
    let names = |seen: &[&(String, String, String)]| -> Vec<String> {
        seen.iter().map(|(_, n, _)| n.clone()).collect()
    };
    assert_eq!(
        names(&webhooks),
        [
            "partnership.created",
            "partnership.updated",
            "customer.created",
            "customer.updated",
            "customer.deleted",
            "partnership.deleted",
        ],
        "one per change, in order"
    );
    assert_eq!(
        names(&postbacks),
        [
            "customer.created",
            "customer.updated",
            "transaction.created"
        ]
    );
    for (_, name, variant) in &got {
        assert_eq!(*variant, camel(name), "{name} parsed as {variant}");
    }
    // The webhook carries the customer as it was stored, flat, with `event` among its fields.
    let created = deliveries
        .iter()
        .find(|d| d.api == "vendor" && d.event == "customer.created")
        .unwrap();
    assert_eq!(created.body["key"], customer.key.as_str());
    assert_eq!(created.body["customer_key"], "acme-7");
    assert_eq!(created.body["event"], "customer.created");
    let postback = deliveries
        .iter()
        .find(|d| d.api == "partner" && d.event == "customer.updated")
        .unwrap();
    assert_eq!(postback.body["data"]["key"], customer.key.as_str());
    assert_eq!(postback.body["test"], false);
}

#[tokio::test]
async fn a_failing_receiver_is_retried_and_a_hanging_one_dropped() {
    // Answers 500 twice, then 200.
    let flaky = TestServer::start(in_turn(vec![
        Reply::status(500),
        Reply::status(500),
        Reply::status(200),
    ]))
    .await;
    // Never answers.
    let hanging = TestServer::start(|_| Reply::status(200).after(Duration::MAX)).await;
    let urls = [flaky, hanging].map(|s| format!("{}/hook", s.url));
    let server = Server::start(Config::default().items(1).delivery(quick()))
        .await
        .unwrap();
    let client = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()
        .unwrap();
    for url in &urls {
        client
            .webhooks()
            .create(
                WebhookCreate::builder()
                    .target(url.as_str())
                    .events(["customer.created"])
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    client
        .customers()
        .create(
            CustomerCreate::builder()
                .email("a@example.com")
                .partner_key("gstest")
                .build(),
        )
        .send()
        .await
        .unwrap();
    // Three attempts of at most 500 ms, 10 and 20 ms apart, all settled.
    assert!(server.settled(Duration::from_secs(10)).await);
    let d = server.deliveries();
    let flaky = d.iter().find(|d| d.url == urls[0]).unwrap();
    assert_eq!(flaky.attempts, [Some(500), Some(500), Some(200)]);
    assert_eq!(flaky.outcome, Outcome::Delivered(200));
    let hung = d.iter().find(|d| d.url == urls[1]).unwrap();
    assert_eq!(hung.attempts, [None, None, None]);
    assert_eq!(hung.outcome, Outcome::Dropped);
}

#[tokio::test]
async fn a_webhook_must_target_this_machine() {
    let server = Server::start(Config::default().items(1)).await.unwrap();
    let client = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .build()
        .unwrap();
    for target in [
        "https://example.com/hook",
        "http://10.0.0.1/hook",
        "not a url",
    ] {
        let err = client
            .webhooks()
            .create(
                WebhookCreate::builder()
                    .target(target)
                    .events(["customer.created"])
                    .build(),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{target}");
        assert!(err.to_string().contains("target"), "{err}");
    }
}

#[tokio::test]
async fn every_event_kind_triggered_parses_as_its_variant() {
    let (base, seen) = receiver().await;
    let mut expected = Vec::new();
    for (api, kinds) in [
        (
            "vendor",
            &[
                "agreement.accepted",
                "partnership.created",
                "partnership.updated",
                "partnership.tags_updated",
                "partnership.deleted",
                "partnership.group_updated",
                "customer.created",
                "customer.updated",
                "customer.deleted",
                "application.created",
                "application.approved",
                "application.declined",
            ][..],
        ),
        (
            "partner",
            &[
                "customer.created",
                "customer.updated",
                "transaction.created",
                "reward.created",
                "action.created",
                "action.updated",
                "test",
            ][..],
        ),
    ] {
        for kind in kinds {
            let url = format!("{base}/{api}/{SECRET}");
            let t = partnerstack_fake::trigger(kind, Some(api), &url, 3)
                .await
                .unwrap();
            assert_eq!(t.status, 200, "{api} {kind}: {}", t.body);
            expected.push((api.to_string(), kind.to_string(), camel(kind)));
        }
    }
    // The handlers run before the answer, so every delivery is seen by now.
    assert_eq!(*seen.lock().unwrap(), expected);
}

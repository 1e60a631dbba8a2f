//! Identity and time: the server owns keys and times, unique fields stay unique, and
//! `created_at <= updated_at <= now` in every object, also under 32 concurrent writers.

use std::collections::HashSet;

use futures::TryStreamExt;
use partnerstack::vendor::models::{CustomerCreate, CustomerUpdate};

use crate::support::{basic, bearer, raw, start, vendor};

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[tokio::test]
async fn an_update_cannot_change_a_key_or_a_time() {
    let server = start(4).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let list = raw(&server, "GET", "/api/v2/customers", Some(&auth), None).await;
    let items = list.json["data"]["items"].as_array().unwrap().clone();
    let (a, b) = (&items[0], &items[1]);
    let path = format!("/api/v2/customers/{}", a["key"].as_str().unwrap());
    for body in [
        format!(r#"{{"key": {}}}"#, b["key"]),
        r#"{"created_at": 1}"#.to_string(),
        r#"{"updated_at": 1}"#.to_string(),
        r#"{"partnership_key": "part_xxxxxxxxxxxxxx"}"#.to_string(),
    ] {
        let r = raw(&server, "PATCH", &path, Some(&auth), Some(&body)).await;
        assert_eq!(r.status, 400, "{body}: {}", r.json);
        let message = r.json["message"].as_str().unwrap();
        let field = body.split('"').nth(1).unwrap();
        assert!(message.contains(&format!("'{field}'")), "{message}");
    }
    let again = raw(&server, "GET", "/api/v2/customers", Some(&auth), None).await;
    assert_eq!(
        again.json["data"]["items"], list.json["data"]["items"],
        "nothing changed"
    );
}

#[tokio::test]
async fn a_create_cannot_set_what_the_server_owns_unless_its_body_declares_it() {
    let server = start(2).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&auth),
        Some(r#"{"customer_key": null, "email": "a@example.com", "partner_key": "gstest", "key": "cus_mine"}"#),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json["message"].as_str().unwrap().contains("'key'"));
    // A transaction's key is the vendor's own, and it may be backdated, not dated ahead.
    let customer = raw(&server, "GET", "/api/v2/customers", Some(&auth), None)
        .await
        .json["data"]["items"][0]["key"]
        .clone();
    let body = |extra: &str| {
        format!(r#"{{"customer_key": {customer}, "amount": 1200, "currency": "EUR"{extra}}}"#)
    };
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&auth),
        Some(&body(
            r#", "key": "inv-2024-001", "created_at": 1700000000000"#,
        )),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let t = &r.json["data"];
    assert_eq!(t["key"], "inv-2024-001");
    assert_eq!(t["created_at"], 1_700_000_000_000_i64);
    assert!(t["updated_at"].as_i64().unwrap() >= 1_700_000_000_000);
    assert!(t["updated_at"].as_i64().unwrap() <= now_ms());
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&auth),
        Some(&body(r#", "key": "inv-2024-001""#)),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json["message"].as_str().unwrap().contains("'key'"));
    let future = now_ms() + 86_400_000;
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&auth),
        Some(&body(&format!(r#", "created_at": {future}"#))),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(r.json["message"].as_str().unwrap().contains("'created_at'"));
}

#[tokio::test]
async fn unique_fields_are_refused_when_repeated() {
    let server = start(3).await;
    let client = vendor(&server);
    let create = |key: &str| {
        CustomerCreate::builder()
            .email("jane@example.com")
            .partner_key("gstest")
            .build()
            .customer_key(key)
    };
    client
        .customers()
        .create(create("acme-1"))
        .send()
        .await
        .unwrap();
    let err = client
        .customers()
        .create(create("acme-1"))
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(err.to_string().contains("customer_key"), "{err}");
    client
        .customers()
        .create(create("acme-2"))
        .send()
        .await
        .unwrap();
    let err = client
        .customers()
        .update("acme-2", CustomerUpdate::new().customer_key("acme-1"))
        .send()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("customer_key"), "{err}");
    // A partnership's partner key and email are unique in the program.
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let r = raw(
        &server,
        "POST",
        "/api/v2/partnerships",
        Some(&auth),
        Some(r#"{"email": "other@example.com", "partner_key": "gstest"}"#),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json["message"]
            .as_str()
            .unwrap()
            .contains("'partner_key'")
    );
    let r = raw(
        &server,
        "POST",
        "/api/v2/partnerships",
        Some(&auth),
        Some(r#"{"email": "new@example.com"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let made = r.json["data"]["partner_key"].as_str().unwrap().to_string();
    assert!(!made.is_empty(), "a partner key is made when left out");
    let r = raw(
        &server,
        "POST",
        "/api/v2/partnerships",
        Some(&auth),
        Some(r#"{"email": "new@example.com"}"#),
    )
    .await;
    assert!(r.json["message"].as_str().unwrap().contains("'email'"));
}

/// `created_at <= updated_at <= now` in every object of every list of both APIs.
async fn times_hold(server: &partnerstack_fake::Server) {
    let now = now_ms();
    let checks = [
        (
            bearer(server.partner_key()),
            vec![
                "actions",
                "customers",
                "partnerships",
                "payouts",
                "rewards",
                "transactions",
            ],
        ),
        (
            basic(server.vendor_public_key(), server.vendor_secret_key()),
            vec![
                "partnerships",
                "customers",
                "transactions",
                "rewards",
                "actions",
                "deals",
                "leads",
                "groups",
                "applications",
                "webhooks",
                "tiers",
                "products",
            ],
        ),
    ];
    for (auth, lists) in checks {
        for list in lists {
            let r = raw(
                server,
                "GET",
                &format!("/api/v2/{list}?limit=250"),
                Some(&auth),
                None,
            )
            .await;
            for item in r.json["data"]["items"].as_array().unwrap() {
                let (Some(c), Some(u)) = (item["created_at"].as_i64(), item["updated_at"].as_i64())
                else {
                    continue;
                };
                assert!(c <= u && u <= now, "{list}: {item}");
            }
        }
    }
}

#[tokio::test]
async fn seeded_and_changed_objects_keep_their_times_in_order() {
    let server = start(40).await;
    times_hold(&server).await;
    let client = vendor(&server);
    let all: Vec<_> = client
        .customers()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    for c in all.iter().take(5) {
        client
            .customers()
            .update(c.key.as_str(), CustomerUpdate::new().name("Renamed"))
            .send()
            .await
            .unwrap();
    }
    times_hold(&server).await;
}

/// 32 tasks create and update customers at once: every create with a new key succeeds, exactly
/// one of the tasks racing for one key does, no update is lost, and walks afterwards are whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn thirty_two_concurrent_writers() {
    let server = start(10).await;
    let client = vendor(&server);
    let tasks = (0..32).map(|t| {
        let client = client.clone();
        tokio::spawn(async move {
            let mut mine = Vec::new();
            for i in 0..5 {
                let key = format!("task-{t}-{i}");
                let c = client
                    .customers()
                    .create(
                        CustomerCreate::builder()
                            .email(format!("{key}@example.com"))
                            .partner_key("gstest")
                            .build()
                            .customer_key(key.as_str()),
                    )
                    .send()
                    .await
                    .unwrap();
                // Every task renames its own customers, each five times.
                for n in 0..5 {
                    client
                        .customers()
                        .update(
                            key.as_str(),
                            CustomerUpdate::new().name(format!("{key} v{n}")),
                        )
                        .send()
                        .await
                        .unwrap();
                }
                mine.push(c.key);
            }
            // All race for the same key: one wins.
            let raced = client
                .customers()
                .create(
                    CustomerCreate::builder()
                        .email("race@example.com")
                        .partner_key("gstest")
                        .build()
                        .customer_key("contested"),
                )
                .send()
                .await
                .is_ok();
            (mine, raced)
        })
    });
    let results = futures::future::join_all(tasks).await;
    let mut created = Vec::new();
    let mut winners = 0;
    for r in results {
        let (mine, raced) = r.unwrap();
        created.extend(mine);
        winners += usize::from(raced);
    }
    assert_eq!(winners, 1, "exactly one create of the contested key");
    assert_eq!(created.len(), 32 * 5);
    let walked: Vec<_> = client
        .customers()
        .list()
        .limit(7)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        walked.len(),
        10 + 32 * 5 + 1,
        "seeded, created, and the one contested"
    );
    let keys: HashSet<_> = walked.iter().map(|c| c.key.clone()).collect();
    assert_eq!(keys.len(), walked.len(), "no key twice");
    let customer_keys: HashSet<_> = walked
        .iter()
        .filter_map(|c| c.customer_key.clone())
        .collect();
    let with_key = walked.iter().filter(|c| c.customer_key.is_some()).count();
    assert_eq!(customer_keys.len(), with_key, "no customer key twice");
    for c in &walked {
        if let Some(k) = c.customer_key.as_deref().filter(|k| k.starts_with("task-")) {
            assert_eq!(
                c.name.as_deref(),
                Some(format!("{k} v4").as_str()),
                "the last update"
            );
        }
    }
    times_hold(&server).await;
}

//! Latency, rate limits and faults, server-wide and per operation, and the record of what the
//! server received.

use std::time::{Duration, Instant};

use partnerstack_fake::{Config, Fault, Faults, Inject, Server};

use crate::support::{bearer, raw, start};

#[tokio::test]
async fn beyond_the_rate_a_429_with_retry_after_then_admitted_again() {
    let faults = Faults {
        rate_limit: 4,
        ..Faults::default()
    };
    let server = Server::start(Config::default().items(3).faults(faults))
        .await
        .unwrap();
    let auth = bearer(server.partner_key());
    let began = Instant::now();
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..6 {
        let r = raw(&server, "GET", "/api/v2/rewards", Some(&auth), None).await;
        if r.status == 429 {
            retry_after = r.headers.get("retry-after").cloned();
            assert_eq!(r.json["status"], 429);
            assert!(r.json["message"].as_str().unwrap().contains("Too many"));
        }
        statuses.push(r.status);
    }
    // Six requests within one second: four admitted, then 429s. (On a machine so loaded that
    // they took a second, the window moved on: nothing to conclude.)
    if began.elapsed() < Duration::from_millis(900) {
        assert_eq!(statuses, [200, 200, 200, 200, 429, 429]);
        assert_eq!(retry_after.unwrap(), "1");
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = raw(&server, "GET", "/api/v2/rewards", Some(&auth), None).await;
    assert_eq!(r.status, 200, "admitted again after Retry-After");
}

#[tokio::test]
async fn concurrent_requests_beyond_the_rate_are_refused_exactly() {
    let faults = Faults {
        rate_limit: 5,
        ..Faults::default()
    };
    let server = Server::start(Config::default().items(3).faults(faults))
        .await
        .unwrap();
    let auth = bearer(server.partner_key());
    let began = Instant::now();
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (server, auth) = (&server, auth.clone());
            async move { raw(server, "GET", "/api/v2/customers", Some(&auth), None).await }
        })
        .collect();
    let answers = futures::future::join_all(tasks).await;
    if began.elapsed() < Duration::from_millis(900) {
        let ok = answers.iter().filter(|r| r.status == 200).count();
        let limited = answers.iter().filter(|r| r.status == 429).count();
        assert_eq!((ok, limited), (5, 7));
    }
    assert!(answers.iter().all(|r| [200, 429].contains(&r.status)));
}

#[tokio::test]
async fn a_client_that_honours_retry_after_walks_a_rate_limited_list() {
    let faults = Faults {
        rate_limit: 3,
        ..Faults::default()
    };
    let server = Server::start(Config::default().items(12).faults(faults))
        .await
        .unwrap();
    let client = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .retry_policy(partnerstack::RetryPolicy::default().max_attempts(10))
        .build()
        .unwrap();
    let all: Vec<_> = futures::TryStreamExt::try_collect(client.payouts().list().limit(2).items())
        .await
        .unwrap();
    assert_eq!(all.len(), 12);
    let limited = server.requests().iter().filter(|r| r.status == 429).count();
    assert!(limited > 0, "six pages at three a second meet the limit");
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let faults = Faults {
        latency: Duration::from_millis(150),
        ..Faults::default()
    };
    let server = Server::start(Config::default().items(1).faults(faults))
        .await
        .unwrap();
    let began = Instant::now();
    let r = raw(&server, "GET", "/api/v2/rewards", None, None).await;
    assert_eq!(r.status, 401, "even errors wait");
    assert!(began.elapsed() >= Duration::from_millis(150));
}

#[tokio::test]
async fn injections_touch_only_the_operations_they_name_and_end() {
    let server = start(2).await;
    let partner = bearer(server.partner_key());
    server.inject(
        Inject::route("partner.customers.list")
            .fault(Fault::Unavailable)
            .times(2),
    );
    server.inject(Inject::route("payouts.list").latency(Duration::from_millis(120)));
    let get = |path: &'static str| {
        let (server, partner) = (&server, partner.clone());
        async move { raw(server, "GET", path, Some(&partner), None).await.status }
    };
    assert_eq!(get("/api/v2/rewards").await, 200, "another operation");
    assert_eq!(get("/api/v2/customers").await, 503);
    assert_eq!(get("/api/v2/customers").await, 503);
    assert_eq!(get("/api/v2/customers").await, 200, "only twice");
    let began = Instant::now();
    assert_eq!(get("/api/v2/payouts").await, 200);
    assert!(began.elapsed() >= Duration::from_millis(120));
    server.clear_injections();
    server.inject(Inject::all().fault(Fault::RateLimited));
    let r = raw(&server, "GET", "/api/v2/rewards", Some(&partner), None).await;
    assert_eq!(r.status, 429);
    assert_eq!(r.headers["retry-after"], "1");
    server.clear_injections();
    assert_eq!(get("/api/v2/rewards").await, 200);
    // A vendor operation of the same name is another route.
    server.inject(Inject::route("vendor.rewards.list").fault(Fault::ServerError));
    assert_eq!(get("/api/v2/rewards").await, 200);
}

#[tokio::test]
async fn what_the_server_received_without_credentials() {
    let server = start(2).await;
    let auth = crate::support::basic(server.vendor_public_key(), server.vendor_secret_key());
    let body = r#"{"customer_key": "k-1", "email": "a@example.com", "partner_key": "gstest"}"#;
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&auth),
        Some(body),
    )
    .await;
    assert_eq!(r.status, 200);
    raw(&server, "GET", "/api/v2/nothing?x=1", Some(&auth), None).await;
    let got = server.requests();
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].method, "POST");
    assert_eq!(got[0].api.as_deref(), Some("vendor"));
    assert_eq!(got[0].operation.as_deref(), Some("customers.create"));
    assert_eq!(got[0].status, 200);
    assert_eq!(got[0].json().unwrap()["email"], "a@example.com");
    assert_eq!((got[1].status, got[1].query.as_deref()), (404, Some("x=1")));
    let text = format!("{got:?}");
    assert!(!text.contains(server.vendor_secret_key()));
    server.clear_requests();
    assert!(server.requests().is_empty());
}

//! What every kind of error says, pinned: the `Display` a log or a user sees, one line each,
//! for real failures against a server on 127.0.0.1 (and the delivery errors of
//! `Event::from_slice`). A change of wording shows as a snapshot diff to review.

use std::fmt::Write as _;
use std::time::Duration;

use partnerstack::prelude::*;
use partnerstack::{Error, RetryPolicy, TransportErrorKind};
use serde_json::json;

use crate::support::{KEY, Reply, Server, envelope, payload};

/// A Partner API client for `url` that does not retry, so every text names one attempt.
fn client(url: &str) -> partnerstack::partner::Client {
    partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(url)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_millis(300))
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap()
}

async fn first_error(url: &str) -> Error {
    client(url).rewards().list().send().await.unwrap_err()
}

#[tokio::test]
async fn every_error_kind_reads_right() {
    let mut text = String::new();
    let mut line = |kind: &str, err: &dyn std::fmt::Display| {
        writeln!(text, "{kind}: {err}").unwrap();
    };

    let server = Server::start(|_| {
        Reply::json(404, json!({"message": "Resource not found", "status": 404}))
    })
    .await;
    line("api", &first_error(&server.url).await);

    let server = Server::start(|_| {
        Reply::raw(
            502,
            "text/html",
            "<html><body><h1>502 Bad Gateway</h1></body></html>",
        )
    })
    .await;
    line("api, a proxy's page", &first_error(&server.url).await);

    let server = Server::start(|_| {
        Reply::raw(302, "text/plain", "")
            .header("location", "https://elsewhere.example/login?next=%2Fx")
    })
    .await;
    line("redirect", &first_error(&server.url).await);

    let mut page = payload("partner/rewards.json");
    page["data"]["items"][0]["amount"] = json!("jane@example.com");
    let server = Server::start(move |_| Reply::json(200, page.clone())).await;
    line(
        "decode, a value of the wrong type",
        &first_error(&server.url).await,
    );

    let server = Server::start(|_| {
        Reply::raw(
            200,
            "application/json",
            r#"{"data": {"items": [{"key": "rwrd_1", "#,
        )
    })
    .await;
    line(
        "decode, the answer cut short",
        &first_error(&server.url).await,
    );

    let big = "x".repeat(100 * 1024);
    let server =
        Server::start(move |_| Reply::json(200, envelope(json!({"items": [], "pad": big})))).await;
    line("response too large", &first_error(&server.url).await);

    let server =
        Server::start(|_| Reply::json(200, envelope(json!({}))).after(Duration::from_secs(2)))
            .await;
    line("transport, timed out", &first_error(&server.url).await);
    let err = client(&server.url)
        .rewards()
        .list()
        // Nothing can be sent within it: no attempt starts.
        .deadline(Duration::ZERO)
        .send()
        .await
        .unwrap_err();
    line("deadline exceeded", &err);

    let closed = partnerstack_test_server::refused_url();
    line("transport, refused", &first_error(&closed).await);

    // Every other transport kind, as the end of a transport error's line reads.
    for kind in [
        TransportErrorKind::Dns,
        TransportErrorKind::ConnectionRefused,
        TransportErrorKind::ConnectTimedOut,
        TransportErrorKind::Connect,
        TransportErrorKind::Tls,
        TransportErrorKind::TimedOut,
        TransportErrorKind::ConnectionReset,
        TransportErrorKind::ConnectionClosed,
        TransportErrorKind::BodyCutShort,
        TransportErrorKind::Protocol,
        TransportErrorKind::Other,
    ] {
        line(&format!("transport kind {kind:?}"), &kind);
    }

    let mut repeating = payload("partner/rewards.json");
    repeating["data"]["has_more"] = json!(true);
    let server = Server::start(move |_| Reply::json(200, repeating.clone())).await;
    let walk: Vec<_> = client(&server.url).rewards().list().pages().collect().await;
    line(
        "pagination loop",
        walk.last().unwrap().as_ref().unwrap_err(),
    );
    let walk: Vec<_> = client(&server.url)
        .rewards()
        .list()
        .pages()
        .max_pages(1)
        .collect()
        .await;
    line("page limit", walk.last().unwrap().as_ref().unwrap_err());

    let err = client(&server.url)
        .rewards()
        .list()
        .limit(0)
        .send()
        .await
        .unwrap_err();
    line("invalid argument", &err);

    for body in [
        &b"<html>502</html>"[..],
        br#"{"event": "reward.created", "#,
        b"[1,2,3]",
        br#"{"data": {}}"#,
        br#"{"event": 7}"#,
    ] {
        let err = partnerstack::partner::events::Event::from_slice(body).unwrap_err();
        line("delivery", &err);
    }
    let err = partnerstack::vendor::events::Event::from_slice(br#"{"event": ["x"]}"#).unwrap_err();
    line("delivery", &err);
    let malformed = partnerstack::partner::events::Event::from_slice(
        br#"{"event": "reward.created", "data": {"amount": {"cents": 5}, "key": 7}}"#,
    )
    .unwrap();
    let partnerstack::partner::events::Event::Malformed(m) = &malformed else {
        panic!("{malformed:?}")
    };
    line("delivery, inside Event::Malformed", m.error());

    assert!(!text.contains("jane@"), "{text}");
    assert!(!text.contains(KEY), "{text}");
    insta::assert_snapshot!(text);
}

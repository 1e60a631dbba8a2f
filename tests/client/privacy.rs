//! Errors name the operation, method, path template and kind of failure, and nothing the
//! caller passed as a value: no query value, no path parameter. The URL is there only for code
//! that asks (`Error::url`). Text from the server is cleaned before it is printed.

use std::time::Duration;

use partnerstack::{Error, RetryPolicy, TransportErrorKind};
use serde_json::json;

use crate::support::{KEY, Reply, Server};
use partnerstack_test_server::{FakeFault, Fault, faulty_list, refused_url};

const EMAIL: &str = "jane.doe@example.com";
const CUSTOMER: &str = "cus_PRIVATE_7731";

/// Everything an error prints: `Display`, `Debug` (both forms), and every source's.
fn printed(err: &Error) -> String {
    let mut out = format!("{err}\n{err:?}\n{err:#?}\n");
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push_str(&format!("{s}\n{s:?}\n"));
        source = s.source();
    }
    out
}

fn assert_private(err: &Error) {
    let text = printed(err);
    for value in [
        "jane",
        "example.com",
        "%40",
        "PRIVATE",
        "keywords=",
        "customer_key=",
        KEY,
    ] {
        assert!(!text.contains(value), "`{value}` printed in:\n{text}");
    }
}

fn partner(url: &str) -> partnerstack::partner::Client {
    partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(url)
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

fn vendor(url: &str) -> partnerstack::vendor::Client {
    partnerstack::vendor::Client::builder()
        .public_key("pk")
        .secret_key("sk")
        .base_url(url)
        .allow_insecure_http(true)
        .timeout(Duration::from_millis(500))
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

async fn list_with_private_query(url: &str) -> Error {
    partner(url)
        .rewards()
        .list()
        .keywords(EMAIL)
        .customer_key(CUSTOMER)
        .send()
        .await
        .unwrap_err()
}

#[tokio::test]
async fn transport_errors_name_the_kind_of_failure_and_no_value() {
    let refused = refused_url();
    let dropped = Server::start(|_| Reply::fault(FakeFault::Dropped)).await;
    let truncated = Server::start(faulty_list(Vec::new(), 1.0, &[Fault::Truncated], 1)).await;
    let slow = Server::start(|_| Reply::json(200, json!({})).after(Duration::from_secs(5))).await;
    for (url, kind, says) in [
        (
            refused.as_str(),
            TransportErrorKind::ConnectionRefused,
            "connection refused",
        ),
        (
            dropped.url.as_str(),
            TransportErrorKind::ConnectionClosed,
            "connection closed",
        ),
        (
            truncated.url.as_str(),
            TransportErrorKind::BodyCutShort,
            "cut short",
        ),
        (slow.url.as_str(), TransportErrorKind::TimedOut, "timed out"),
    ] {
        let err = list_with_private_query(url).await;
        assert_eq!(err.transport_kind(), Some(kind), "{err:?}");
        let text = err.to_string();
        assert!(
            text.starts_with("rewards.list (GET /api/v2/rewards)"),
            "{text}"
        );
        assert!(text.contains(says), "{text}");
        assert_private(&err);
        // Code that asks for the URL gets all of it.
        let full = err.url().expect("the URL is kept").as_str();
        assert!(full.contains("keywords=jane.doe%40example.com"), "{full}");
        assert!(full.contains(CUSTOMER), "{full}");
    }
}

#[tokio::test]
async fn a_path_parameter_is_never_printed() {
    let err = vendor(&refused_url())
        .customers()
        .get(EMAIL)
        .send()
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("/api/v2/customers/{customer_key}"),
        "{err}"
    );
    assert_private(&err);
    assert!(
        err.url()
            .unwrap()
            .path()
            .ends_with("jane.doe%40example.com")
    );
}

#[tokio::test]
async fn dns_and_tls_failures_are_told_apart_and_not_retried_when_hopeless() {
    // A resolver that knows no name, so no DNS server is asked (tests stay on this machine).
    let http = partnerstack::reqwest_builder()
        .unwrap()
        .dns_resolver(std::sync::Arc::new(crate::support::NoNames))
        .build()
        .unwrap();
    let err = partnerstack::vendor::Client::builder()
        .public_key("pk")
        .secret_key("sk")
        .base_url("http://partnerstack-test.invalid")
        .allow_insecure_http(true)
        .http_client(http)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
        .customers()
        .get(EMAIL)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportErrorKind::Dns),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_private(&err);

    // TLS to a server that speaks plain HTTP: the handshake fails; retrying cannot help.
    let server = Server::start(|_| Reply::json(200, json!({}))).await;
    let https = server.url.replace("http://", "https://");
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&https)
        .retry_policy(crate::support::quick_retries())
        .build()
        .unwrap();
    let err = client
        .rewards()
        .list()
        .keywords(EMAIL)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(TransportErrorKind::Tls),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(err.request().unwrap().attempts, 1);
    assert_private(&err);
}

#[tokio::test]
async fn server_messages_cannot_forge_log_lines() {
    let server = Server::start(|seen| match seen.path.as_str() {
        "/api/v2/rewards" => Reply::json(
            400,
            json!({"message": "bad\r\n2026-11-30T04:00:00Z INFO payout sent\u{1b}[2K\u{202e}", "status": 400}),
        ),
        _ => Reply::raw(502, "text/html", "<h1>\r\nFAKE\u{7}</h1>")
            .header("x-request-id", "req\t42"),
    })
    .await;
    let client = partner(&server.url);
    let err = client.rewards().list().send().await.unwrap_err();
    let Error::Api { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "bad 2026-11-30T04:00:00Z INFO payout sent [2K");
    let err = client.payouts().list().send().await.unwrap_err();
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.chars().any(|c| c.is_control()), "{text:?}");
    }
    assert!(err.to_string().contains("request id req 42"), "{err}");
}

#[tokio::test]
async fn request_builders_do_not_show_the_values_they_hold() {
    let client = partner("http://127.0.0.1:1");
    let list = client
        .rewards()
        .list()
        .keywords(EMAIL)
        .customer_key(CUSTOMER)
        .starting_after("rwrd_PRIVATE_cursor");
    let get = vendor("http://127.0.0.1:1").customers().get(EMAIL);
    for text in [
        format!("{list:?}"),
        format!("{list:#?}"),
        format!("{get:?}"),
    ] {
        for value in ["jane", "example.com", "%40", "PRIVATE"] {
            assert!(!text.contains(value), "`{value}` printed in:\n{text}");
        }
    }
    let text = format!("{list:?}");
    assert!(
        text.contains("keywords") && text.contains("rewards.list"),
        "{text}"
    );
}

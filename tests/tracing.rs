//! With the `tracing` feature, each attempt is a span with operation, method, path template,
//! attempt, status and duration, and each retry an event; no secret is ever recorded.
//!
//! Its own test binary: `tracing` caches per call site whether anyone listens, process-wide, so
//! other tests running first on other threads would hide this test's thread-scoped subscriber.

#[path = "client/support.rs"]
#[allow(
    dead_code,
    reason = "shared with the client tests, which use all of it"
)]
mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use tracing_subscriber::filter::LevelFilter;

use support::{Reply, Server, quick_retries};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_and_events_name_the_request_and_never_a_secret() {
    let secret = "sk_live_TRACING_SECRET_31337";
    let out = Captured::default();
    let writer = out.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(LevelFilter::DEBUG)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let count = std::sync::atomic::AtomicU32::new(0);
    let server = Server::start(move |_| {
        if count.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0 {
            Reply::json(503, json!({"message": "busy", "status": 503}))
        } else {
            Reply::json(200, json!({"message": "Customer deleted", "status": 200}))
        }
    })
    .await;
    let client = partnerstack::vendor::Client::builder()
        .public_key("pk_live_TRACING_PUBLIC_4242")
        .secret_key(secret)
        .base_url(&server.url)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    client
        .customers()
        .delete("acme-user-81723")
        .send()
        .await
        .unwrap();

    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    for part in [
        "partnerstack.request",
        "operation=\"customers.delete\"",
        "method=DELETE",
        "path=\"/api/v2/customers/{customer_key}\"",
        "attempt=1",
        "attempt=2",
        "status=503",
        "status=200",
        "duration_ms=",
        "retrying PartnerStack request",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
    for leak in [
        secret,
        "pk_live_TRACING_PUBLIC_4242",
        "acme-user-81723",
        "Basic ",
    ] {
        assert!(!text.contains(leak), "`{leak}` was recorded:\n{text}");
    }

    // A transport failure that is retried: the warning says what happened, and records no
    // query value or path parameter (the error used to print the whole URL).
    out.0.lock().unwrap().clear();
    let closed = partnerstack_test_server::refused_url();
    let client = partnerstack::partner::Client::builder()
        .api_key("partner_TRACING_KEY_777")
        .base_url(closed)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    client
        .rewards()
        .list()
        .keywords("jane.doe@example.com")
        .customer_key("cus_PRIVATE_5150")
        .send()
        .await
        .unwrap_err();
    let text = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
    for part in [
        "retrying PartnerStack request",
        "connection refused",
        "attempt=3",
    ] {
        assert!(text.contains(part), "`{part}` missing from:\n{text}");
    }
    for leak in [
        "jane",
        "example.com",
        "%40",
        "PRIVATE",
        "keywords",
        "TRACING_KEY",
    ] {
        assert!(!text.contains(leak), "`{leak}` was recorded:\n{text}");
    }
}

//! The environment's proxy (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) carries only https to a
//! host that is not loopback, through a CONNECT tunnel that shows the proxy a host name and
//! nothing else. Plain http and loopback hosts go direct, so a key never crosses a proxy in
//! clear text.
//!
//! Environment variables are process-wide (and setting them is `unsafe`), so the test runs
//! its client half in a child process of this test binary, with the proxy variables set there.

use crate::support::{KEY, Reply, Server};

/// Set in the child process: where the proxy listens.
const CHILD: &str = "PARTNERSTACK_TEST_PROXY_CHILD";

#[test]
fn the_environment_proxy_never_sees_plain_http_or_loopback_traffic() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    // A "proxy" that records what reaches it and refuses it.
    let proxy = Server::in_thread(|_| Reply::status(502));
    let exe = std::env::current_exe().unwrap();
    let mut child = std::process::Command::new(exe);
    child
        .args([
            "proxy::client_half",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, &proxy.url)
        .env_remove("NO_PROXY")
        .env_remove("no_proxy");
    for var in [
        "HTTP_PROXY",
        "http_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "ALL_PROXY",
        "all_proxy",
    ] {
        child.env(var, &proxy.url);
    }
    let out = child.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "the client half failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = proxy.requests();
    // The https request to a remote host went through a tunnel; nothing else reached the proxy.
    assert_eq!(seen.len(), 1, "{seen:#?}");
    assert_eq!(
        (seen[0].method.as_str(), seen[0].target.as_str()),
        ("CONNECT", "api.partnerstack-proxy-test.invalid:443"),
        "{seen:#?}"
    );
    let head = seen[0]
        .headers
        .iter()
        .map(|(name, value)| format!("{name}: {}", String::from_utf8_lossy(value.as_bytes())));
    for line in head.chain([seen[0].target.clone()]) {
        assert!(!line.contains(KEY), "{seen:#?}");
    }
}

/// Runs only in the child process, with the proxy variables set.
#[tokio::test]
async fn client_half() {
    if std::env::var_os(CHILD).is_none() {
        return;
    }
    // Loopback over plain http: straight to the server.
    let server = Server::start(|_| {
        Reply::json(
            200,
            crate::support::envelope(serde_json::json!({"has_more": false, "items": []})),
        )
    })
    .await;
    crate::support::partner(&server)
        .rewards()
        .list()
        .send()
        .await
        .unwrap();
    assert_eq!(server.requests().len(), 1);

    let builder = || {
        partnerstack::partner::Client::builder()
            .api_key(KEY)
            .retry_policy(partnerstack::RetryPolicy::never())
    };
    for (url, kind) in [
        // Plain http to a host that is not loopback (opted in): direct too. 0.0.0.0 is not a
        // loopback address, yet connecting to it stays on this machine (nothing listens on
        // port 9), so the test sends nothing off it and asks no DNS server anything.
        (
            "http://0.0.0.0:9",
            Some(partnerstack::TransportErrorKind::ConnectionRefused),
        ),
        // https to a remote host: through the proxy's tunnel (which this proxy refuses).
        ("https://api.partnerstack-proxy-test.invalid", None),
        // https to loopback: direct (nothing listens there).
        ("https://127.0.0.1:9", None),
    ] {
        let err = builder()
            .base_url(url)
            .allow_insecure_http(url.starts_with("http:"))
            .build()
            .unwrap()
            .rewards()
            .list()
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(err, partnerstack::Error::Transport { .. }),
            "{url}: {err:?}"
        );
        if kind.is_some() {
            assert_eq!(err.transport_kind(), kind, "{url}: {err:?}");
        }
    }
}

//! The test the library's docs show (`src/lib.rs`), run as it is written there: the docs
//! hold this file's text between the markers, which `the_docs_show_this_test` checks.

// example:start
use std::time::Duration;

use partnerstack::RetryPolicy;
use partnerstack_fake::{Config, Fault, Inject, Server};

#[tokio::test]
async fn a_walk_survives_a_slow_flaky_rate_limited_list() {
    // Port 0, a seed of its own, and credentials of its own.
    let mut config = Config::default().items(30).seed(7);
    config.vendor_secret_key = "sk_test_secret".into();
    let server = Server::start(config).await.unwrap();

    // For this test only: the rewards list is slow, fails twice, and takes 20 requests a second.
    server.inject(
        Inject::route("vendor.rewards.list")
            .latency(Duration::from_millis(20))
            .rate_limit(20),
    );
    server.inject(
        Inject::route("rewards.list")
            .fault(Fault::ServerError)
            .times(2),
    );

    let client = partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key("sk_test_secret")
        .base_url(server.url())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let rewards = client.rewards().list().limit(5).items();
    let rewards: Vec<_> = futures::TryStreamExt::try_collect(rewards).await.unwrap();
    assert_eq!(rewards.len(), 30);

    // What the fake received: every request, its operation and its answer.
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert_eq!(statuses[..2], [500, 500]);
    assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 6);
    // The server stops when dropped.
}
// example:end

#[test]
fn the_docs_show_this_test() {
    let this = include_str!("example.rs");
    let start = this.find("// example:start\n").unwrap() + "// example:start\n".len();
    let end = this.find("// example:end").unwrap();
    let example = &this[start..end];
    let docs: String = include_str!("../src/lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        docs.contains(example.trim_end()),
        "src/lib.rs must show tests/example.rs between its markers, as written"
    );
}

//! Walking a long list through faults, and the client's overhead per page:
//! `cargo bench --bench faults`.
//!
//! 1. A fault-free walk of 10,000 customers (pages of 50) with the client, against a
//!    hand-written reqwest loop over the same local server: the client's overhead per page.
//! 2. The same walk with 20% of requests faulted (every transient kind, seeds 1-5): items
//!    delivered, duplicates, losses, retries, and wall time against the fault-free walk.
//!
//! Medians of five runs; every figure of a run comes from the same process.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use partnerstack::partner::{Client, models::Customer};
use partnerstack_test_server::{Server, TRANSIENT, customers, faulty_list};

const ITEMS: usize = 10_000;
const PAGE: usize = 50;
const RUNS: u64 = 5;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn client(url: &str) -> Client {
    Client::builder()
        .api_key("bench-key")
        .base_url(url)
        .timeout(Duration::from_millis(500))
        .retry_policy(
            partnerstack::RetryPolicy::default()
                .max_attempts(10)
                .base_delay(Duration::from_millis(5))
                .max_delay(Duration::from_millis(50)),
        )
        .build()
        .expect("client")
}

async fn walk(url: &str) -> (Vec<Customer>, Duration) {
    let start = Instant::now();
    let items: Vec<Customer> = client(url)
        .customers()
        .list()
        .limit(PAGE as u32)
        .items()
        .try_collect()
        .await
        .expect("the walk finishes");
    (items, start.elapsed())
}

/// The baseline: the least code that walks the same list with reqwest and serde.
async fn raw_walk(url: &str) -> (usize, Duration) {
    #[derive(serde::Deserialize)]
    struct Envelope {
        data: Data,
    }
    #[derive(serde::Deserialize)]
    struct Data {
        items: Vec<Customer>,
        has_more: bool,
    }
    // `reqwest::Client::new()` would panic: the crate's `rustls-ring` TLS builds
    // reqwest without a process-wide crypto provider.
    let http = partnerstack::reqwest_builder().unwrap().build().unwrap();
    let start = Instant::now();
    let mut count = 0;
    let mut after: Option<String> = None;
    loop {
        let cursor = after
            .as_ref()
            .map(|k| format!("&starting_after={k}"))
            .unwrap_or_default();
        let request = http.get(format!("{url}/api/v2/customers?limit={PAGE}{cursor}"));
        let response = request.bearer_auth("bench-key").send().await.expect("send");
        let bytes = response.bytes().await.expect("body");
        let page: Envelope = serde_json::from_slice(&bytes).expect("decode");
        count += page.data.items.len();
        after = page.data.items.last().map(|c| c.key.clone());
        if !page.data.has_more {
            return (count, start.elapsed());
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let clean = Server::start(faulty_list(customers(ITEMS), 0.0, &[], 1)).await;
    let pages = ITEMS / PAGE;
    let mut ours = Vec::new();
    let mut raw = Vec::new();
    for _ in 0..RUNS {
        let (items, t) = walk(&clean.url).await;
        assert_eq!(items.len(), ITEMS);
        ours.push(t);
        let (count, t) = raw_walk(&clean.url).await;
        assert_eq!(count, ITEMS);
        raw.push(t);
    }
    let (ours, raw) = (median(ours), median(raw));
    println!("fault-free walk, {ITEMS} items in {pages} pages, median of {RUNS}:");
    println!(
        "  partnerstack client: {ours:.1?} ({:.2?} per page)",
        ours / pages as u32
    );
    println!(
        "  raw reqwest loop:    {raw:.1?} ({:.2?} per page)",
        raw / pages as u32
    );
    println!(
        "  client overhead:     {:.2?} per page ({:.2}x the raw loop)",
        ours.saturating_sub(raw) / pages as u32,
        ours.as_secs_f64() / raw.as_secs_f64()
    );

    let mut times = Vec::new();
    println!("walk with 20% of requests faulted (seeds 1-{RUNS}):");
    for seed in 1..=RUNS {
        let server = Server::start(faulty_list(customers(ITEMS), 0.2, TRANSIENT, seed)).await;
        let (items, t) = walk(&server.url).await;
        let keys: HashSet<&str> = items.iter().map(|c| c.key.as_str()).collect();
        let expected: HashSet<String> = (0..ITEMS).map(|i| format!("cus_{i:05}")).collect();
        let lost = expected
            .iter()
            .filter(|k| !keys.contains(k.as_str()))
            .count();
        let stats = server.stats();
        let faulted: usize = stats.faults.values().sum();
        println!(
            "  seed {seed}: delivered {}, duplicates {}, losses {lost}, requests {}, faulted {faulted} ({:.0}%), retries {}, {t:.1?}",
            items.len(),
            items.len() - keys.len(),
            stats.requests,
            100.0 * faulted as f64 / stats.requests as f64,
            stats.requests - pages,
        );
        println!("          faults: {:?}", stats.faults);
        times.push(t);
    }
    let faulted = median(times);
    println!(
        "  median wall time {faulted:.1?} against {ours:.1?} fault-free ({:.1}x)",
        faulted.as_secs_f64() / ours.as_secs_f64()
    );
}

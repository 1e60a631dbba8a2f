//! Exporting a whole list: about 100,000 rewards (the signed-in partner's share of 200,000 the fake
//! seeds) spread over a year in `partnerstack-fake`, 30 ms of latency per answer. `cargo bench --bench export` (a few minutes; `EXPORT_RUNS=n` for more
//! runs, `EXPORT_REWARDS=n` for another size).
//!
//! - **hand loop**: reqwest + serde into a plain struct, one page of 250 after another, as a
//!   user would write it (and as the tools users export with today do);
//! - **items**: `client.rewards().list().limit(250).items()` (prefetch on);
//! - **partitioned**: `client.rewards().list().items_partitioned(8)`.
//!
//! The variants take turns, run after run; each figure is a median over the runs, each ratio
//! the median of the ratios within a run, with its lowest and highest. Every walk is checked:
//! the keys it delivered, against the list's, none lost and none repeated. Then, once each:
//! the partitioned walk under the fake's rate limit (below what 8 windows would send), with
//! and without the client's `max_requests_per_second`, and with 10% of answers faulted.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use partnerstack::RetryPolicy;
use partnerstack_fake::{Config, Fault, Faults, Inject, Server};
use serde::Deserialize;

const LATENCY: Duration = Duration::from_millis(30);

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

#[derive(Deserialize)]
struct Envelope {
    data: HandPage,
}

#[derive(Deserialize)]
struct HandPage {
    items: Vec<HandReward>,
    has_more: bool,
}

/// The fields a hand-written export would keep.
#[derive(Deserialize)]
#[allow(dead_code)]
struct HandReward {
    key: String,
    created_at: i64,
    amount: Option<i64>,
    currency: Option<String>,
    description: Option<String>,
    reward_status: Option<String>,
}

async fn hand_loop(url: &str, key: &str) -> Vec<String> {
    let http = reqwest::Client::new();
    let mut keys = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let cursor = after
            .as_ref()
            .map(|a| format!("&starting_after={a}"))
            .unwrap_or_default();
        let response = http
            .get(format!("{url}/api/v2/rewards?limit=250{cursor}"))
            .bearer_auth(key)
            .send()
            .await
            .unwrap();
        let bytes = response.bytes().await.unwrap();
        let page: Envelope = serde_json::from_slice(&bytes).unwrap();
        let more = page.data.has_more;
        after = page.data.items.last().map(|r| r.key.clone());
        keys.extend(page.data.items.into_iter().map(|r| r.key));
        if !more || after.is_none() {
            return keys;
        }
    }
}

fn client(server: &Server, per_second: Option<u32>) -> partnerstack::partner::Client {
    let mut b = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(50)));
    if let Some(n) = per_second {
        b = b.max_requests_per_second(n);
    }
    b.build().unwrap()
}

/// Lost and repeated keys against the list's.
fn check(all: &HashSet<String>, got: &[String]) -> (usize, usize) {
    let unique: HashSet<&String> = got.iter().collect();
    let lost = all.iter().filter(|k| !unique.contains(k)).count();
    (lost, got.len() - unique.len())
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn main() {
    let runs: usize = std::env::var("EXPORT_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let rewards: usize = std::env::var("EXPORT_REWARDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    // The Partner API shows the signed-in partner's share of the vendor's rewards (about
    // half): twice as many are seeded, and the figures count what the partner sees.
    let seeded_rewards = 2 * rewards;
    runtime.block_on(async {
        let seeded = Instant::now();
        let faults = Faults { latency: LATENCY, ..Faults::default() };
        let config = Config::default().items(5).list_items("partner", "/api/v2/rewards", seeded_rewards).faults(faults);
        let server = Server::start(config).await.unwrap();
        eprintln!("seeded {} rewards in {:.1} s; {} KiB peak RSS", seeded_rewards, seeded.elapsed().as_secs_f64(), vm_hwm_kib());
        // For profiling: `EXPORT_ONLY=hand` or `=partitioned` runs that walk once, nothing else.
        match std::env::var("EXPORT_ONLY").as_deref() {
            Ok("hand") => {
                let t = Instant::now();
                let got = hand_loop(&server.url(), server.partner_key()).await;
                eprintln!("hand loop: {} items in {:.2} s", got.len(), t.elapsed().as_secs_f64());
                return;
            }
            Ok("partitioned") => {
                let t = Instant::now();
                let got: Vec<String> = client(&server, None).rewards().list().items_partitioned(8).map_ok(|r| r.key).try_collect().await.unwrap();
                eprintln!("partitioned(8): {} items in {:.2} s, {} requests", got.len(), t.elapsed().as_secs_f64(), server.requests().len());
                return;
            }
            Ok(other) => {
                eprintln!("EXPORT_ONLY is `hand` or `partitioned`, not `{other}`");
                return;
            }
            Err(_) => {}
        }
        let c = client(&server, None);
        // The reference: a sequential walk, every key once.
        let all: Vec<String> = c.rewards().list().limit(250).items().map_ok(|r| r.key).try_collect().await.unwrap();
        let all: HashSet<String> = all.into_iter().collect();
        let rewards = all.len();
        eprintln!("the partner sees {rewards} of them");

        let (mut hand, mut items, mut part) = (Vec::new(), Vec::new(), Vec::new());
        let (mut vs_hand, mut vs_items) = (Vec::new(), Vec::new());
        for run in 0..runs {
            let t = Instant::now();
            let got = hand_loop(&server.url(), server.partner_key()).await;
            let h = t.elapsed().as_secs_f64();
            assert_eq!(check(&all, &got), (0, 0), "hand loop");
            let t = Instant::now();
            let got: Vec<String> = c.rewards().list().limit(250).items().map_ok(|r| r.key).try_collect().await.unwrap();
            let i = t.elapsed().as_secs_f64();
            assert_eq!(check(&all, &got), (0, 0), "items");
            let t = Instant::now();
            let got: Vec<String> = c.rewards().list().items_partitioned(8).map_ok(|r| r.key).try_collect().await.unwrap();
            let p = t.elapsed().as_secs_f64();
            let (lost, repeated) = check(&all, &got);
            assert_eq!((lost, repeated), (0, 0), "partitioned");
            eprintln!("run {run}: hand loop {h:.2} s, items {i:.2} s, partitioned(8) {p:.2} s: {:.2}x hand, {:.2}x items", h / p, i / p);
            hand.push(h);
            items.push(i);
            part.push(p);
            vs_hand.push(h / p);
            vs_items.push(i / p);
        }
        let spread = |v: &[f64]| {
            let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = v.iter().copied().fold(0.0, f64::max);
            format!("{:.2}x ({lo:.2}-{hi:.2})", median(v.to_vec()))
        };
        println!("{rewards} rewards, {} ms latency, {runs} runs (medians):", LATENCY.as_millis());
        println!("  hand loop        {:>7.2} s  {:>8.0} items/s", median(hand.clone()), rewards as f64 / median(hand.clone()));
        println!("  items            {:>7.2} s  {:>8.0} items/s", median(items.clone()), rewards as f64 / median(items.clone()));
        println!("  partitioned(8)   {:>7.2} s  {:>8.0} items/s  lost 0, repeated 0", median(part.clone()), rewards as f64 / median(part.clone()));
        println!("  partitioned / hand loop: {}", spread(&vs_hand));
        println!("  partitioned / items:     {}", spread(&vs_items));

        // Rate limit below what 8 windows would send (8 windows at 30 ms each: ~260 a second).
        let limit = 40;
        server.inject(Inject::route("partner.rewards.list").rate_limit(limit));
        for per_second in [Some(limit - 4), None] {
            server.clear_requests();
            let c = client(&server, per_second);
            let t = Instant::now();
            let got: Result<Vec<String>, _> = c.rewards().list().items_partitioned(8).map_ok(|r| r.key).try_collect().await;
            let secs = t.elapsed().as_secs_f64();
            let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
            let refused = statuses.iter().filter(|s| **s == 429).count();
            match got {
                Ok(got) => {
                    let (lost, repeated) = check(&all, &got);
                    println!(
                        "  rate limit {limit}/s, client max_requests_per_second {per_second:?}: {secs:.2} s, {:.1} requests/s sent, {refused} answered 429, lost {lost}, repeated {repeated}",
                        statuses.len() as f64 / secs
                    );
                }
                Err(e) => println!("  rate limit {limit}/s, client {per_second:?}: FAILED after {secs:.2} s: {e}"),
            }
        }
        server.clear_injections();

        // 10% of answers faulted.
        server.clear_requests();
        let faulty = Faults {
            latency: LATENCY,
            every: 10,
            kinds: vec![Fault::ServerError, Fault::Dropped, Fault::Unavailable, Fault::BadGateway],
            ..Faults::default()
        };
        let config = Config::default().items(5).list_items("partner", "/api/v2/rewards", seeded_rewards).faults(faulty);
        drop(server);
        let server = Server::start(config).await.unwrap();
        let c = client(&server, None);
        let t = Instant::now();
        let got: Vec<String> = c.rewards().list().items_partitioned(8).map_ok(|r| r.key).try_collect().await.unwrap();
        let (lost, repeated) = check(&all, &got);
        println!("  10% of answers faulted: {:.2} s, lost {lost}, repeated {repeated}", t.elapsed().as_secs_f64());
        println!("  peak RSS of the whole bench (the fake's 200k rewards included): {} KiB", vm_hwm_kib());
    });
}

//! Walking a long list of rewards: the client's `.items()` with and without prefetch against a
//! minimal hand-written reqwest + serde loop and the server's ceiling; and decoding one page.
//! `cargo bench --bench walk` (about a minute and a half); `WALK_BENCH_BIG=1` adds the 1,000,000-reward
//! walk; `cargo bench --bench walk -- decode` decodes one page only, `-- current` runs the
//! current-thread walks only; `--serve N` runs the server alone (with N rewards), to profile one
//! walk against (`--child <hand|items> <url> <N> 0 <current|multi>`).
//!
//! The server (in this process) answers pages of 250 realistic rewards built from
//! `tests/fixtures/payloads/partner/rewards.json`, each with its own key. Every walk runs in a
//! child process of this binary, so its peak RSS (`VmHWM`) is its own. The variants take turns,
//! run after run: times and peak RSS are medians over the runs, and each ratio to the hand loop
//! is the median of the ratios within a run, shown with its lowest and highest (the load on a
//! shared machine moves all the times; a ratio of walks made one after the other moves less).
//! Decoding figures are the fastest decodes (see `decode`).
//!
//! - **ceiling**: fetches every page's bytes and decodes nothing (the server and HTTP alone);
//! - **hand loop**: reqwest + serde into plain `#[derive(Deserialize)]` structs of the same
//!   fields, one request after another (what a user would write);
//! - **items**: `client.rewards().list().limit(250).items()` (prefetch on, the default);
//! - **items, no prefetch**: the same with `.prefetch(false)`.
//!
//! With latency: the server waits 20 ms before each answer and the caller spends 20 ms
//! (`tokio::time::sleep`, as an awaited write elsewhere would) on each page.
//!
//! The walks run on a two-worker multi-thread runtime, and once more (hand loop and `.items()`)
//! on a current-thread runtime, where prefetch has no second thread to decode on.

use std::process::Command;
use std::time::{Duration, Instant};

use futures::TryStreamExt;
use partnerstack::partner::models;
use partnerstack::{Nullable, Timestamp};
use serde::Deserialize;

const LIMIT: usize = 250;
/// Runs of each walk (the 1,000,000-reward walk: 5).
const RUNS: usize = 7;
/// Runs of the current-thread walks. Nothing overlaps there, so the two walks differ by a few
/// percent of CPU, while this shared machine's load moves single pairs by ±20%: with 21 pairs
/// the median moved by ±4% from one run of the bench to the next; 41 pairs take about 50 s.
const RUNS_CURRENT: usize = 41;

fn median<T: PartialOrd + Copy>(mut v: Vec<T>) -> T {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn key(i: usize) -> String {
    format!("rwrd_{i:08}")
}

/// The page bodies' pieces: one reward as JSON with its key cut out.
struct Template {
    before_key: String,
    after_key: String,
}

fn template() -> Template {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/payloads/partner/rewards.json"
    );
    let text = std::fs::read(path).expect("the rewards fixture");
    let fixture: serde_json::Value = serde_json::from_slice(&text).expect("fixture JSON");
    let mut reward = fixture["data"]["items"][0].clone();
    reward["key"] = serde_json::json!("@KEY@");
    let json = serde_json::to_string(&reward).expect("reward JSON");
    let (before, after) = json.split_once("@KEY@").expect("the key placeholder");
    Template {
        before_key: before.to_owned(),
        after_key: after.to_owned(),
    }
}

/// The page after `after` (or the first) of `total` rewards.
fn page_body(t: &Template, total: usize, after: Option<&str>, limit: usize) -> Vec<u8> {
    let start = after
        .and_then(|k| k.strip_prefix("rwrd_"))
        .and_then(|i| i.parse::<usize>().ok())
        .map_or(0, |i| i + 1);
    let end = (start + limit).min(total);
    let mut body =
        Vec::with_capacity((end - start) * (t.before_key.len() + t.after_key.len() + 16));
    body.extend_from_slice(br#"{"data":{"items":["#);
    for i in start..end {
        if i > start {
            body.push(b',');
        }
        body.extend_from_slice(t.before_key.as_bytes());
        body.extend_from_slice(key(i).as_bytes());
        body.extend_from_slice(t.after_key.as_bytes());
    }
    let more = if end < total { "true" } else { "false" };
    body.extend_from_slice(
        format!(r#"],"has_more":{more},"total":{total}}},"message":"Retrieved successfully","status":200}}"#)
            .as_bytes(),
    );
    body
}

/// Starts the list server on its own runtime thread; returns its URL.
fn start_server(total: usize, latency: Duration) -> String {
    use axum::http::{Request, Response};
    let template = std::sync::Arc::new(template());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        runtime.block_on(async move {
            let app = axum::Router::new().fallback(move |req: Request<axum::body::Body>| {
                let template = template.clone();
                async move {
                    let query = req.uri().query().unwrap_or("").to_owned();
                    let mut after = None;
                    let mut limit = 10;
                    for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
                        match &*k {
                            "starting_after" => after = Some(v.into_owned()),
                            "limit" => limit = v.parse().unwrap_or(10),
                            _ => {}
                        }
                    }
                    if !latency.is_zero() {
                        tokio::time::sleep(latency).await;
                    }
                    let body = page_body(&template, total, after.as_deref(), limit);
                    Response::builder()
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body))
                        .expect("response")
                }
            });
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            let url = format!("http://{}", listener.local_addr().expect("address"));
            tx.send(url).expect("send URL");
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("server URL")
}

// The hand-written loop's models: the same fields as the generated `Reward`, plain serde.
#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct PlainReward {
    key: String,
    created_at: i64,
    updated_at: i64,
    amount: Option<i64>,
    amount_usd: Option<i64>,
    currency: Option<String>,
    decline_reason: Option<String>,
    description: Option<String>,
    reward_status: Option<String>,
    status: Option<String>,
    company: PlainCompany,
    customer: Option<PlainCustomer>,
    partnership_key: Option<String>,
    payment_date: Option<i64>,
    payment_status: Option<String>,
    payout_id: Option<i64>,
    source: Option<PlainSource>,
    transaction: Option<PlainTransaction>,
    withdrawn: bool,
    created_by: Option<serde_json::Value>,
    created_by_name: Option<serde_json::Value>,
    creation_source: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct PlainCompany {
    id: Option<i64>,
    key: String,
    name: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct PlainCustomer {
    key: Option<String>,
    name: Option<String>,
    email: Option<String>,
    shared_id: Option<String>,
    sub_ids: Option<Vec<String>>,
    created_at: Option<i64>,
    updated_at: Option<i64>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct PlainSource {
    key: Option<String>,
    r#type: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct PlainTransaction {
    amount: Option<i64>,
    amount_usd: Option<i64>,
    archived: Option<bool>,
    category_key: Option<String>,
    created_at: Option<i64>,
    currency: Option<String>,
    product_key: Option<String>,
    updated_at: Option<i64>,
}

// The same fields again with the generated models' field types (open enums, `Timestamp`,
// `Nullable`) and no `extra`: decoding these isolates what keeping unknown fields costs from
// what the field types cost or save (an open enum allocates nothing for a known value).
#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct TypedReward {
    key: String,
    created_at: Timestamp,
    updated_at: Timestamp,
    amount: Option<i64>,
    #[serde(default)]
    amount_usd: Nullable<i64>,
    currency: Option<String>,
    decline_reason: Option<String>,
    description: Option<String>,
    reward_status: Option<models::RewardStatus>,
    #[serde(default)]
    status: Nullable<String>,
    company: TypedCompany,
    customer: Option<TypedCustomer>,
    partnership_key: Option<String>,
    payment_date: Option<Timestamp>,
    payment_status: Option<models::PaymentStatus>,
    payout_id: Option<i64>,
    source: Option<TypedSource>,
    transaction: Option<TypedTransaction>,
    withdrawn: bool,
    created_by: Option<serde_json::Value>,
    created_by_name: Option<serde_json::Value>,
    creation_source: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct TypedCompany {
    #[serde(default)]
    id: Option<i64>,
    key: String,
    name: String,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct TypedCustomer {
    key: Option<String>,
    name: Option<String>,
    email: Option<String>,
    shared_id: Option<String>,
    sub_ids: Option<Vec<String>>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct TypedSource {
    key: Option<String>,
    r#type: Option<models::RewardSourceType>,
}

#[derive(Deserialize)]
#[allow(dead_code, reason = "decoded like a user's model, not all read")]
struct TypedTransaction {
    amount: Option<i64>,
    amount_usd: Option<i64>,
    archived: Option<bool>,
    category_key: Option<String>,
    created_at: Option<Timestamp>,
    currency: Option<String>,
    product_key: Option<String>,
    updated_at: Option<Timestamp>,
}

#[derive(Deserialize)]
struct Envelope {
    data: Data,
}

#[derive(Deserialize)]
struct Data {
    items: Vec<PlainReward>,
    has_more: bool,
}

/// One walk, in this (child) process: items seen and seconds taken.
async fn walk(variant: &str, url: &str, total: usize, work: Duration) -> (usize, f64) {
    let start = Instant::now();
    let mut count = 0;
    let work_on_page = || async {
        if !work.is_zero() {
            tokio::time::sleep(work).await;
        }
    };
    match variant {
        "ceiling" | "hand" => {
            // `reqwest::Client::new()` would panic: the crate's `rustls-ring` TLS builds
            // reqwest without a process-wide crypto provider.
            let http = partnerstack::reqwest_builder().unwrap().build().unwrap();
            let mut after: Option<String> = None;
            loop {
                let cursor = after
                    .as_ref()
                    .map(|k| format!("&starting_after={k}"))
                    .unwrap_or_default();
                let response = http
                    .get(format!("{url}/api/v2/rewards?limit={LIMIT}{cursor}"))
                    .bearer_auth("bench-key")
                    .send()
                    .await
                    .expect("send");
                let bytes = response.bytes().await.expect("body");
                let more = if variant == "ceiling" {
                    // The server's own arithmetic: no decoding at all.
                    let n = LIMIT.min(total - count);
                    count += n;
                    after = Some(key(count - 1));
                    count < total && bytes.len() > 2
                } else {
                    let page: Envelope = serde_json::from_slice(&bytes).expect("decode");
                    count += page.data.items.len();
                    after = page.data.items.last().map(|r| r.key.clone());
                    page.data.has_more
                };
                work_on_page().await;
                if !more {
                    break;
                }
            }
        }
        "items" | "items-seq" => {
            let client = partnerstack::partner::Client::builder()
                .api_key("bench-key")
                .base_url(url)
                .build()
                .expect("client");
            let mut items = client
                .rewards()
                .list()
                .limit(LIMIT as u32)
                .items()
                .prefetch(variant == "items");
            while let Some(reward) = items.try_next().await.expect("walk") {
                std::hint::black_box(&reward);
                count += 1;
                if count % LIMIT == 0 {
                    work_on_page().await;
                }
            }
        }
        other => panic!("unknown variant {other}"),
    }
    (count, start.elapsed().as_secs_f64())
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn child(args: &[String]) {
    let [variant, url, total, work_ms, flavor] = args else {
        panic!("child arguments: variant url total work_ms flavor");
    };
    let total: usize = total.parse().expect("total");
    let work = Duration::from_millis(work_ms.parse().expect("work"));
    let runtime = match flavor.as_str() {
        "current" => tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build(),
        _ => tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build(),
    }
    .expect("runtime");
    let (count, secs) = runtime.block_on(walk(variant, url, total, work));
    assert_eq!(count, total, "{variant} walked every item");
    println!("{count} {secs} {}", peak_rss_kib());
}

/// The child's tokio runtime.
#[derive(Clone, Copy, PartialEq)]
enum Flavor {
    /// Two worker threads.
    Multi,
    /// The calling thread only.
    Current,
}

/// Runs one walk in a child process: (seconds, peak RSS in KiB).
fn run_child(variant: &str, url: &str, total: usize, work: Duration, flavor: Flavor) -> (f64, u64) {
    let exe = std::env::current_exe().expect("this binary");
    let flavor = match flavor {
        Flavor::Multi => "multi",
        Flavor::Current => "current",
    };
    let out = Command::new(exe)
        .args(["--child", variant, url, &total.to_string()])
        .arg(work.as_millis().to_string())
        .arg(flavor)
        .output()
        .expect("child");
    assert!(
        out.status.success(),
        "{variant}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let line = String::from_utf8_lossy(&out.stdout);
    let mut parts = line.split_whitespace().skip(1);
    let secs = parts.next().and_then(|s| s.parse().ok()).expect("seconds");
    let rss = parts.next().and_then(|s| s.parse().ok()).expect("rss");
    (secs, rss)
}

/// Walks `total` rewards `runs` times with each variant, taking turns. Times and peak RSS are
/// medians; each "vs hand" is the median of the ratios within a run (hand loop and variant
/// walked one after the other, under the same load), with their lowest and highest.
fn scenario(
    title: &str,
    total: usize,
    latency: Duration,
    work: Duration,
    runs: usize,
    variants: &[&str],
    flavor: Flavor,
) {
    let url = start_server(total, latency);
    let mut times = vec![Vec::new(); variants.len()];
    let mut rss = vec![Vec::new(); variants.len()];
    for _ in 0..runs {
        for (i, v) in variants.iter().enumerate() {
            let (t, r) = run_child(v, &url, total, work, flavor);
            times[i].push(t);
            rss[i].push(r as f64);
        }
    }
    let base = variants.iter().position(|v| *v == "hand").unwrap_or(0);
    // Per run: the hand loop's time over the variant's, and the variant's peak RSS over the
    // hand loop's.
    let ratios = |of: &[Vec<f64>], i: usize, speed: bool| -> (f64, f64, f64) {
        let r: Vec<f64> = (0..runs)
            .map(|k| {
                let (h, v) = (of[base][k], of[i][k]);
                if speed { h / v } else { v / h }
            })
            .collect();
        let low = r.iter().copied().fold(f64::INFINITY, f64::min);
        let high = r.iter().copied().fold(0.0, f64::max);
        (median(r), low, high)
    };
    println!("\n{title}: {total} rewards, pages of {LIMIT}, {runs} runs");
    println!(
        "  {:<22} {:>9} {:>10} {:>22} {:>10} {:>22}",
        "variant", "time", "items/s", "vs hand (low-high)", "peak RSS", "vs hand (low-high)"
    );
    for (i, v) in variants.iter().enumerate() {
        let time = median(times[i].clone());
        let (speed, s_low, s_high) = ratios(&times, i, true);
        let (mem, m_low, m_high) = ratios(&rss, i, false);
        println!(
            "  {:<22} {:>8.3}s {:>10.0} {:>8.2}x ({:.2}-{:.2}) {:>7.1}MiB {:>8.2}x ({:.2}-{:.2})",
            match *v {
                "items" => "items (prefetch)",
                "items-seq" => "items, no prefetch",
                "hand" => "hand loop",
                other => other,
            },
            time,
            total as f64 / time,
            speed,
            s_low,
            s_high,
            median(rss[i].clone()) / 1024.0,
            mem,
            m_low,
            m_high,
        );
    }
}

/// The page of `LIMIT` rewards the decoding comparison decodes: the items array alone.
fn decode_page() -> Vec<u8> {
    let body = page_body(&template(), 100_000, None, LIMIT);
    let value: serde_json::Value = serde_json::from_slice(&body).expect("page");
    serde_json::to_vec(&value["data"]["items"]).expect("items")
}

/// Decodes the page `DECODES` times as one variant, in this (child) process, after a warm-up;
/// prints the 10th percentile of single decodes in nanoseconds.
fn decode_child(variant: &str) {
    const DECODES: usize = 300;
    fn times<T: serde::de::DeserializeOwned>(items: &[u8]) -> Vec<Duration> {
        (0..DECODES + 30)
            .map(|_| {
                let start = Instant::now();
                let v: Vec<T> = serde_json::from_slice(items).expect("decode");
                std::hint::black_box(v);
                start.elapsed()
            })
            .skip(30)
            .collect()
    }
    let items = decode_page();
    let times = match variant {
        "generated" => times::<models::Reward>(&items),
        "plain" => times::<PlainReward>(&items),
        "typed" => times::<TypedReward>(&items),
        other => panic!("unknown decode variant {other}"),
    };
    let mut times = times;
    times.sort();
    println!("{}", times[DECODES / 10].as_nanos());
}

/// Decoding one page: generated models against plain structs. Each variant decodes in a child
/// process of its own, as each walk does: decoding one type after another in one process made
/// each depend on what the other left in the allocator (generated / plain was 1.07x with one
/// order, 1.15x taking turns). Load from elsewhere only ever adds time, and on this shared
/// machine it came and went (the same decode took 0.85 or 1.45 ms for seconds at a time, and
/// medians mixed the two), so the figure is the fastest decodes: the 10th percentile of
/// single decodes in a process, the lowest of those over the processes.
fn decode() {
    const RUNS: usize = 7;
    let variants = ["generated", "plain", "typed"];
    let exe = std::env::current_exe().expect("this binary");
    let mut lows = vec![Vec::new(); variants.len()];
    for _ in 0..RUNS {
        for (i, v) in variants.iter().enumerate() {
            let out = Command::new(&exe)
                .args(["--decode-child", v])
                .output()
                .expect("child");
            assert!(
                out.status.success(),
                "{v}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let nanos: u64 = String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .expect("nanoseconds");
            lows[i].push(Duration::from_nanos(nanos));
        }
    }
    let fastest = |times: &[Duration]| times.iter().copied().min().unwrap_or_default();
    let [g, p, t] = [0, 1, 2].map(|i| fastest(&lows[i]));
    let ratio = |a: Duration, b: Duration| a.as_secs_f64() / b.as_secs_f64();
    let us = |d: Duration| format!("{:.0} µs", d.as_secs_f64() * 1e6);
    println!(
        "\ndecoding one page of {LIMIT} rewards ({} KiB), fastest 10% of decodes, best of {RUNS} processes:",
        decode_page().len() / 1024
    );
    println!(
        "  generated models (unknown fields kept):          {}",
        us(g)
    );
    println!(
        "  plain serde structs:                             {}  (generated / plain: {:.2}x)",
        us(p),
        ratio(g, p)
    );
    println!(
        "  plain serde structs, the generated field types:  {}  (generated / these: {:.2}x)",
        us(t),
        ratio(g, t)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--child") => return child(&args[1..]),
        Some("--decode-child") => return decode_child(&args[1]),
        Some("--serve") => {
            // The server alone, to run or profile one walk against:
            // `walk --child <variant> <url> <total> 0 current`.
            let total = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
            println!("{}", start_server(total, Duration::ZERO));
            std::thread::sleep(Duration::from_secs(3600));
            return;
        }
        _ => {}
    }
    // `cargo bench` passes `--bench`; `-- decode` runs the decoding comparison alone.
    let all = ["ceiling", "hand", "items", "items-seq"];
    decode();
    if args.iter().any(|a| a == "decode") {
        return;
    }
    if !args.iter().any(|a| a == "current") {
        scenario(
            "no latency",
            100_000,
            Duration::ZERO,
            Duration::ZERO,
            RUNS,
            &all,
            Flavor::Multi,
        );
    }
    let current = args.iter().any(|a| a == "current");
    scenario(
        "no latency, current-thread runtime",
        100_000,
        Duration::ZERO,
        Duration::ZERO,
        RUNS_CURRENT,
        &["hand", "items"],
        Flavor::Current,
    );
    if current {
        return;
    }
    if std::env::var_os("WALK_BENCH_BIG").is_some() {
        scenario(
            "no latency",
            1_000_000,
            Duration::ZERO,
            Duration::ZERO,
            5,
            &all,
            Flavor::Multi,
        );
    }
    let ms20 = Duration::from_millis(20);
    scenario(
        "20 ms server latency + 20 ms work per page",
        40 * LIMIT,
        ms20,
        ms20,
        RUNS,
        &["hand", "items", "items-seq"],
        Flavor::Multi,
    );
}

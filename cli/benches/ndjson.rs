//! `partnerstack partner rewards list --all -f ndjson` over 100,000 rewards against the
//! client's own `.items()` walk, in the same run: `cargo bench -p partnerstack-cli --bench
//! ndjson` (a minute or two, plus a release build).
//!
//! A server in this process answers pages of 250 realistic rewards (built from
//! `tests/fixtures/payloads/partner/rewards.json`, each with its own key). Both walks run as
//! processes started by this one and are timed from start to exit:
//!
//! - **items**: a child of this binary walking `client.rewards().list().limit(250).items()`
//!   on a two-thread tokio runtime, as a user's program would, holding each reward and
//!   dropping it;
//! - **cli**: the `partnerstack` binary, its stdout to `/dev/null` (which takes what it is
//!   given at once: the CLI's own work is what is timed), every reward written as a line of
//!   JSON with the CLI's escaping and redaction.
//!
//! The two take turns, run after run; times are medians, and the ratio (the CLI's items per
//! second over `.items()`'s) is the median of the ratios within each run, with the lowest and
//! highest. Peak RSS (`VmHWM`) is read from `/proc` as each process runs, for 10,000 and
//! 100,000 rewards (and 1,000,000 with `NDJSON_BENCH_BIG=1`): a walk that streams holds the
//! same memory for all. First, what the CLI adds per page against what `.items()` does with
//! it (`--costs` prints only that).

// The CLI's secret filter itself (a binary's modules are not a library to import).
#[allow(dead_code)]
#[path = "../src/redact.rs"]
mod redact;

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::TryStreamExt;

const LIMIT: usize = 250;
const RUNS: usize = 7;
const KEY: &str = "bench-partner-key";

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v[v.len() / 2]
}

fn key(i: usize) -> String {
    format!("rwrd_{i:08}")
}

/// One reward as JSON, split where its key goes.
fn template() -> (String, String) {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/payloads/partner/rewards.json"
    );
    let text = std::fs::read(path).expect("the rewards fixture");
    let fixture: serde_json::Value = serde_json::from_slice(&text).expect("fixture JSON");
    let mut reward = fixture["data"]["items"][0].clone();
    reward["key"] = serde_json::json!("@KEY@");
    let json = serde_json::to_string(&reward).expect("reward JSON");
    let (before, after) = json.split_once("@KEY@").expect("the key placeholder");
    (before.to_owned(), after.to_owned())
}

fn page_body(t: &(String, String), total: usize, after: Option<&str>, limit: usize) -> Vec<u8> {
    let start = after
        .and_then(|k| k.strip_prefix("rwrd_"))
        .and_then(|i| i.parse::<usize>().ok())
        .map_or(0, |i| i + 1);
    let end = (start + limit).min(total);
    let mut body = Vec::with_capacity((end - start) * (t.0.len() + t.1.len() + 16));
    body.extend_from_slice(br#"{"data":{"items":["#);
    for i in start..end {
        if i > start {
            body.push(b',');
        }
        body.extend_from_slice(t.0.as_bytes());
        body.extend_from_slice(key(i).as_bytes());
        body.extend_from_slice(t.1.as_bytes());
    }
    let more = if end < total { "true" } else { "false" };
    body.extend_from_slice(
        format!(r#"],"has_more":{more},"total":{total}}},"message":"Retrieved successfully","status":200}}"#)
            .as_bytes(),
    );
    body
}

/// The list server on a runtime thread of its own; its URL.
fn start_server(total: usize) -> String {
    use axum::http::{Request, Response};
    let template = Arc::new(template());
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
                    for pair in query.split('&') {
                        match pair.split_once('=') {
                            Some(("starting_after", v)) => after = Some(v.to_owned()),
                            Some(("limit", v)) => limit = v.parse().unwrap_or(10),
                            _ => {}
                        }
                    }
                    Response::builder()
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(page_body(
                            &template,
                            total,
                            after.as_deref(),
                            limit,
                        )))
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

/// The `.items()` walk, in this (child) process.
fn items_child(url: &str, total: usize) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let count = runtime.block_on(async {
        let client = partnerstack::partner::Client::builder()
            .api_key(KEY)
            .base_url(url)
            .build()
            .expect("client");
        let mut items = client.rewards().list().limit(LIMIT as u32).items();
        let mut count = 0usize;
        while let Some(reward) = items.try_next().await.expect("walk") {
            std::hint::black_box(&reward);
            count += 1;
        }
        count
    });
    assert_eq!(count, total, "items walked every reward");
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Runs `cmd` to its end: seconds from start to exit, and the last peak RSS seen (KiB).
fn timed(mut cmd: Command) -> (f64, u64) {
    let start = Instant::now();
    let mut child = cmd.spawn().expect("spawn");
    let pid = child.id();
    let peak = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let watcher = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if let Some(kib) = peak_rss_kib(pid) {
                    peak.fetch_max(kib, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let status = child.wait().expect("wait");
    let secs = start.elapsed().as_secs_f64();
    done.store(true, Ordering::Relaxed);
    watcher.join().expect("watcher");
    assert!(status.success(), "{status}");
    (secs, peak.load(Ordering::Relaxed))
}

fn items_cmd(url: &str, total: usize) -> Command {
    let mut cmd = Command::new(std::env::current_exe().expect("this binary"));
    cmd.args(["--items-child", url, &total.to_string()])
        .stdout(Stdio::null());
    cmd
}

fn cli_cmd(url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerstack"));
    cmd.args(["partner", "rewards", "list", "--all", "-f", "ndjson"])
        .arg("--base-url")
        .arg(url)
        .env("PARTNERSTACK_API_KEY", KEY)
        .env_remove("PARTNERSTACK_BASE_URL")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    cmd
}

/// The CLI writes every reward once, each a JSON line.
fn check_cli(url: &str, total: usize) {
    let out = cli_cmd(url)
        .stdout(Stdio::piped())
        .output()
        .expect("the CLI runs");
    assert!(out.status.success());
    let lines = out.stdout.split(|b| *b == b'\n').filter(|l| !l.is_empty());
    let mut count = 0;
    for line in lines {
        let v: serde_json::Value = serde_json::from_slice(line).expect("a JSON line");
        assert_eq!(v["key"], key(count));
        count += 1;
    }
    assert_eq!(count, total, "the CLI wrote every reward");
}

/// What the CLI adds to a walk, per page of 250 rewards, against what `.items()` does with
/// it (each in this process, fastest of 200): decoding the rewards and freeing them (as
/// `.items()` does); skimming the page's JSON
/// (serde's `IgnoredAny`: what the walk's quick pass costs, and the least that finding each
/// item's own text in the answer would cost, as `RawValue`s); serializing the decoded rewards
/// again as NDJSON; and hiding secrets in what was written (the CLI's filter, with the
/// bench's key).
fn page_costs() {
    use serde_json::value::RawValue;
    let body = page_body(&template(), 1_000, None, LIMIT);
    let value: serde_json::Value = serde_json::from_slice(&body).expect("page");
    let items = serde_json::to_vec(&value["data"]["items"]).expect("items");
    let redactor = redact::Redactor::new(&[KEY.to_string()], &[]);
    let fastest = |f: &mut dyn FnMut()| {
        let mut best = f64::MAX;
        for _ in 0..200 {
            let start = Instant::now();
            f();
            best = best.min(start.elapsed().as_secs_f64());
        }
        best * 1e6
    };
    let decode = fastest(&mut || {
        let rewards: Vec<partnerstack::partner::models::Reward> =
            serde_json::from_slice(&items).expect("decode");
        std::hint::black_box(rewards);
    });
    let skim = fastest(&mut || {
        let skimmed: serde::de::IgnoredAny = serde_json::from_slice(&items).expect("skim");
        std::hint::black_box(skimmed);
    });
    let split = fastest(&mut || {
        let texts: Vec<&RawValue> = serde_json::from_slice(&items).expect("split");
        std::hint::black_box(texts);
    });
    let rewards: Vec<partnerstack::partner::models::Reward> =
        serde_json::from_slice(&items).expect("decode");
    let mut out = Vec::with_capacity(1 << 20);
    let serialize = fastest(&mut || {
        out.clear();
        for reward in &rewards {
            serde_json::to_writer(&mut out, reward).expect("serialize");
            out.push(b'\n');
        }
        std::hint::black_box(&out);
    });
    let hide = fastest(&mut || {
        std::hint::black_box(redactor.apply(&out));
    });
    // What the CLI's walk does instead (`json_pages()`): each item's text copied out as a
    // `JsonItem` (finding each one's key in it, for the loop guard, is the client's and not
    // public), and the texts written.
    let texts = fastest(&mut || {
        let texts: Vec<partnerstack::JsonItem> = serde_json::from_slice(&items).expect("split");
        std::hint::black_box(texts);
    });
    let json_items: Vec<partnerstack::JsonItem> = serde_json::from_slice(&items).expect("split");
    let write = fastest(&mut || {
        out.clear();
        for item in &json_items {
            out.extend_from_slice(item.as_str().as_bytes());
            out.push(b'\n');
        }
        std::hint::black_box(&out);
    });
    println!(
        "one page of {LIMIT} rewards ({} KiB): decode and free {decode:.0} µs, skim {skim:.0} µs, \
         split into the items' texts {split:.0} µs; serialize as ndjson {serialize:.0} µs, \
         hide secrets {hide:.0} µs",
        items.len() / 1024,
    );
    println!(
        "  the CLI's walk instead: the items' texts as JsonItems (copied) and freed {texts:.0} µs, \
         writing them {write:.0} µs",
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--items-child") {
        let total = args[2].parse().expect("total");
        return items_child(&args[1], total);
    }
    // `--serve N`: only the server, with N rewards, for an hour or until killed (to profile
    // the CLI against: `perf record partnerstack partner rewards list --all -f ndjson
    // --base-url URL`).
    if args.first().map(String::as_str) == Some("--serve") {
        let total = args.get(1).and_then(|n| n.parse().ok()).unwrap_or(100_000);
        println!("{}", start_server(total));
        std::thread::sleep(Duration::from_secs(3600));
        return;
    }
    page_costs();
    if args.first().map(String::as_str) == Some("--costs") {
        return;
    }
    let mut totals = vec![10_000, 100_000];
    if std::env::var_os("NDJSON_BENCH_BIG").is_some() {
        totals.push(1_000_000);
    }
    for total in totals {
        let url = start_server(total);
        check_cli(&url, total);
        let (mut items, mut cli, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
        let (mut items_rss, mut cli_rss) = (Vec::new(), Vec::new());
        for _ in 0..RUNS {
            let (ti, ri) = timed(items_cmd(&url, total));
            let (tc, rc) = timed(cli_cmd(&url));
            items.push(ti);
            cli.push(tc);
            items_rss.push(ri as f64);
            cli_rss.push(rc as f64);
            // Items per second of the CLI over those of `.items()`: time over time.
            ratios.push(ti / tc);
        }
        let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
        let high = ratios.iter().copied().fold(0.0, f64::max);
        println!("\n{total} rewards, pages of {LIMIT}, {RUNS} runs (medians)");
        println!(
            "  {:<34} {:>9} {:>10} {:>10}",
            "walk", "time", "items/s", "peak RSS"
        );
        for (name, times, rss) in [
            ("client .items()", &items, &items_rss),
            ("partnerstack … --all -f ndjson", &cli, &cli_rss),
        ] {
            let t = median(times.clone());
            println!(
                "  {:<34} {:>8.3}s {:>10.0} {:>6.1} MiB",
                name,
                t,
                total as f64 / t,
                median(rss.clone()) / 1024.0
            );
        }
        println!(
            "  CLI / .items() items per second: {:.2}x (runs {:.2}-{:.2})",
            median(ratios),
            low,
            high
        );
    }
}

//! A PartnerStack-like list server on 127.0.0.1 that fails a share of requests on purpose,
//! chosen deterministically from a seed: 429 with `Retry-After`, 500/502/503 with JSON, a 502
//! HTML page, a dropped connection, a cut-off body, a complete answer whose JSON is cut short,
//! a body trickled too slowly, and (when asked) an oversized body. Raw sockets, so it can misbehave in ways a framework would not.
//!
//! Used by the fault tests and by `benches/faults.rs` (which uses only some of it).
#![allow(
    dead_code,
    reason = "shared by the tests and a bench that uses part of it"
)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// A way the server can answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// 429 with `Retry-After: 0`.
    RateLimited,
    /// 500 with a JSON body.
    ServerError,
    /// 502 with a JSON body.
    BadGateway,
    /// 503 with a JSON body.
    Unavailable,
    /// 502 with an HTML page, as a proxy sends.
    HtmlGateway,
    /// The connection is closed without an answer.
    Dropped,
    /// The headers promise more body than is sent, then the connection closes.
    Truncated,
    /// A complete 200 answer (its `Content-Length` matches) whose JSON stops halfway, as a
    /// proxy or a crashed worker can send.
    TruncatedJson,
    /// The body arrives a byte at a time, slower than any sane timeout.
    Trickle,
    /// A `Content-Length` of 64 MiB.
    Oversized,
}

/// The faults a walk can survive: everything but `Oversized`, which is refused for good.
pub const TRANSIENT: &[Fault] = &[
    Fault::RateLimited,
    Fault::ServerError,
    Fault::BadGateway,
    Fault::Unavailable,
    Fault::HtmlGateway,
    Fault::Dropped,
    Fault::Truncated,
    Fault::TruncatedJson,
    Fault::Trickle,
];

/// `n` Partner API customers, newest first, keyed `cus_00000`, `cus_00001`, ….
pub fn customers(n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "key": format!("cus_{i:05}"), "created_at": 1_698_765_432_000_i64 - i as i64,
                "updated_at": 1_698_765_432_000_i64, "archived": false,
                "company": {"key": "co_MCf1xvxSbKw35R", "name": "Acme Analytics"},
                "country_iso": if i % 3 == 0 { serde_json::Value::Null } else { "US".into() },
                "customer_key": format!("acme-user-{i}"), "has_paid": i % 2 == 0,
                "partnership_key": "part_FNiYCFmn1w3OHb", "shared_id": null, "sub_ids": []
            })
        })
        .collect()
}

/// What the server did.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Requests received.
    pub requests: usize,
    /// Faults injected, by kind.
    pub faults: BTreeMap<String, usize>,
}

struct State {
    /// The items, newest first, each already serialized, with its key.
    items: Vec<(String, String)>,
    rate: f64,
    faults: Vec<Fault>,
    rng: u64,
    stats: Stats,
}

impl State {
    fn next_random(&mut self) -> u64 {
        // xorshift64*: deterministic from the seed, good enough to pick faults.
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        self.rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn pick(&mut self) -> Option<Fault> {
        let roll = (self.next_random() >> 11) as f64 / (1u64 << 53) as f64;
        if roll >= self.rate || self.faults.is_empty() {
            return None;
        }
        let i = (self.next_random() % self.faults.len() as u64) as usize;
        Some(self.faults[i])
    }
}

/// A running fault server.
pub struct FaultServer {
    pub url: String,
    state: Arc<Mutex<State>>,
}

impl FaultServer {
    /// Serves `items` (JSON objects with a `key`) as a cursor list at every path, failing a
    /// `rate` share of requests with one of `faults`, chosen from `seed`.
    pub async fn start(
        items: Vec<serde_json::Value>,
        rate: f64,
        faults: &[Fault],
        seed: u64,
    ) -> Self {
        let items = items
            .iter()
            .map(|i| {
                (
                    i["key"].as_str().unwrap_or_default().to_string(),
                    i.to_string(),
                )
            })
            .collect();
        let state = Arc::new(Mutex::new(State {
            items,
            rate,
            faults: faults.to_vec(),
            rng: seed.max(1),
            stats: Stats::default(),
        }));
        let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                // Without this, Nagle's algorithm and delayed ACKs add ~40 ms to answers.
                let _ = socket.set_nodelay(true);
                tokio::spawn(connection(socket, shared.clone()));
            }
        });
        FaultServer { url, state }
    }

    /// What happened so far.
    pub fn stats(&self) -> Stats {
        self.state.lock().unwrap().stats.clone()
    }
}

/// Serves requests on one keep-alive connection until a fault closes it.
async fn connection(socket: TcpStream, state: Arc<Mutex<State>>) {
    let (read, mut write) = socket.into_split();
    let mut reader = BufReader::new(read);
    loop {
        let Some(target) = read_request(&mut reader).await else {
            return;
        };
        let (fault, body) = {
            let mut s = state.lock().unwrap();
            s.stats.requests += 1;
            let fault = s.pick();
            if let Some(f) = fault {
                *s.stats.faults.entry(format!("{f:?}")).or_default() += 1;
            }
            (fault, page(&s.items, &target))
        };
        let keep_open = match fault {
            None => {
                respond(
                    &mut write,
                    "200 OK",
                    "application/json",
                    &[],
                    body.as_bytes(),
                )
                .await
            }
            Some(Fault::RateLimited) => {
                let json = r#"{"message": "Too many requests", "status": 429}"#;
                respond(
                    &mut write,
                    "429 Too Many Requests",
                    "application/json",
                    &[("Retry-After", "0")],
                    json.as_bytes(),
                )
                .await
            }
            Some(Fault::ServerError) => error(&mut write, 500, "Internal Server Error").await,
            Some(Fault::BadGateway) => error(&mut write, 502, "Bad Gateway").await,
            Some(Fault::Unavailable) => error(&mut write, 503, "Service Unavailable").await,
            Some(Fault::HtmlGateway) => {
                let html = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";
                respond(
                    &mut write,
                    "502 Bad Gateway",
                    "text/html",
                    &[],
                    html.as_bytes(),
                )
                .await
            }
            Some(Fault::Dropped) => false,
            Some(Fault::Truncated) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = write.write_all(head.as_bytes()).await;
                let _ = write.write_all(&body.as_bytes()[..body.len() / 2]).await;
                false
            }
            Some(Fault::TruncatedJson) => {
                let half = &body.as_bytes()[..body.len() / 2];
                respond(&mut write, "200 OK", "application/json", &[], half).await
            }
            Some(Fault::Trickle) => {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = write.write_all(head.as_bytes()).await;
                for byte in body.as_bytes() {
                    if write.write_all(&[*byte]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                false
            }
            Some(Fault::Oversized) => {
                let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 67108864\r\n\r\n";
                let _ = write.write_all(head.as_bytes()).await;
                let _ = write.write_all(&[b' '; 65536]).await;
                false
            }
        };
        if !keep_open {
            return;
        }
    }
}

/// Reads one request; returns its target (path and query), or `None` when the client is gone.
async fn read_request(reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let target = line.split_whitespace().nth(1)?.to_string();
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).await.ok()? == 0 {
            return None;
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(target)
}

/// The page the request's cursor asks for, in PartnerStack's envelope.
fn page(items: &[(String, String)], target: &str) -> String {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let params: BTreeMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let limit: usize = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    let start = match params.get("starting_after") {
        Some(key) => items
            .iter()
            .position(|(k, _)| k == key)
            .map_or(items.len(), |i| i + 1),
        None => 0,
    };
    let end = (start + limit).min(items.len());
    let listed: Vec<&str> = items[start..end]
        .iter()
        .map(|(_, json)| json.as_str())
        .collect();
    format!(
        r#"{{"data": {{"has_more": {}, "items": [{}], "total": {}}}, "message": "Page returned successfully", "status": 200}}"#,
        end < items.len(),
        listed.join(","),
        items.len()
    )
}

async fn error(write: &mut tokio::net::tcp::OwnedWriteHalf, status: u16, reason: &str) -> bool {
    let json = format!(r#"{{"message": "{reason}", "status": {status}}}"#);
    respond(
        write,
        &format!("{status} {reason}"),
        "application/json",
        &[],
        json.as_bytes(),
    )
    .await
}

/// Writes a complete answer; returns whether the connection is still usable.
async fn respond(
    write: &mut tokio::net::tcp::OwnedWriteHalf,
    status: &str,
    content_type: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> bool {
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut answer = head.into_bytes();
    answer.extend_from_slice(body);
    write.write_all(&answer).await.is_ok()
}

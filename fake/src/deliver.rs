//! Webhooks and postbacks: real HTTP `POST`s from the fake to receivers on this machine, one
//! queue per target URL (so deliveries to one target arrive in the order of the changes),
//! retried with backoff when the target answers non-2xx or times out, a bounded number of
//! times, then dropped and logged.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper_util::rt::TokioIo;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use crate::lock::lock;
use crate::table::{ApiTable, Change, Ty};
use crate::validate;

/// How deliveries are retried. The default: 5 attempts, 5 s each at most, waiting 250 ms, then
/// twice as long each time, at most 8 s: a delivery is given up within about a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeliveryPolicy {
    /// Attempts in all, the first included (at least 1).
    pub attempts: u32,
    /// How long one attempt may take, connecting included.
    pub timeout: Duration,
    /// The wait before the second attempt; it doubles after each one.
    pub first_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for DeliveryPolicy {
    fn default() -> Self {
        DeliveryPolicy {
            attempts: 5,
            timeout: Duration::from_secs(5),
            first_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
        }
    }
}

impl DeliveryPolicy {
    /// The wait after attempt `n` (from 1) failed.
    fn backoff(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.saturating_sub(1)).unwrap_or(u32::MAX);
        self.first_backoff
            .checked_mul(factor)
            .unwrap_or(self.max_backoff)
            .min(self.max_backoff)
    }
}

/// Where a delivery stands.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Queued or being tried.
    Pending,
    /// The target answered this 2xx status.
    Delivered(u16),
    /// Every attempt failed (or the queue was full); the delivery was dropped and logged.
    Dropped,
}

/// One webhook or postback the fake sent (or is sending), for a test to inspect.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Delivery {
    /// The API whose users receive it (`vendor` for webhooks, `partner` for postbacks).
    pub api: String,
    /// The event's name (`customer.created`).
    pub event: String,
    /// The URL it goes to.
    pub url: String,
    /// The JSON body.
    pub body: Value,
    /// Each attempt's answer: the status, or `None` when none came (refused, timed out).
    pub attempts: Vec<Option<u16>>,
    /// Where it stands.
    pub outcome: Outcome,
}

/// The deliveries kept for inspection; older ones are forgotten.
const MAX_KEPT: usize = 1000;

/// Deliveries waiting in one target's queue at most; more are dropped.
const MAX_QUEUED: usize = 1000;

/// Target URLs with a queue (and a worker) at most; deliveries to more are dropped.
const MAX_TARGETS: usize = 256;

/// The largest answer body read from a receiver (the rest is not read).
const MAX_ANSWER_BYTES: usize = 64 * 1024;

struct Job {
    id: u64,
    target: Target,
    body: Vec<u8>,
}

/// A parsed `http://` URL on this machine.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    host: String,
    port: u16,
    path: String,
}

/// Reads a delivery URL: `http://` with a loopback host (`127.0.0.1`, `localhost`, `[::1]`);
/// the fake never sends anything off this machine.
pub(crate) fn parse_target(url: &str) -> Result<Target, String> {
    let uri: hyper::Uri = url
        .parse()
        .map_err(|_| format!("'{}' is not a URL", validate::excerpt(url)))?;
    if uri.scheme_str() != Some("http") {
        return Err(format!(
            "'{}' must be an http:// URL: the fake delivers to this machine only",
            validate::excerpt(url)
        ));
    }
    let host = uri.host().unwrap_or_default();
    if !["127.0.0.1", "localhost", "[::1]"].contains(&host) {
        return Err(format!(
            "'{}' must be on 127.0.0.1 or localhost: the fake delivers to this machine only",
            validate::excerpt(url)
        ));
    }
    Ok(Target {
        host: host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string(),
        port: uri.port_u16().unwrap_or(80),
        path: uri
            .path_and_query()
            .map_or("/".to_string(), |p| p.as_str().to_string()),
    })
}

/// The outgoing side: queues per URL, their workers, and the record of deliveries.
pub(crate) struct Outbox {
    policy: DeliveryPolicy,
    queues: Mutex<HashMap<String, mpsc::Sender<Job>>>,
    record: Arc<Mutex<Record>>,
    workers: Mutex<tokio::task::JoinSet<()>>,
}

#[derive(Default)]
struct Record {
    next: u64,
    kept: BTreeMap<u64, Delivery>,
}

impl Record {
    fn add(&mut self, d: Delivery) -> u64 {
        let id = self.next;
        self.next += 1;
        self.kept.insert(id, d);
        while self.kept.len() > MAX_KEPT {
            self.kept.pop_first();
        }
        id
    }

    fn update(&mut self, id: u64, f: impl FnOnce(&mut Delivery)) {
        if let Some(d) = self.kept.get_mut(&id) {
            f(d);
        }
    }
}

impl Outbox {
    pub(crate) fn new(policy: DeliveryPolicy) -> Outbox {
        Outbox {
            policy: DeliveryPolicy {
                attempts: policy.attempts.max(1),
                ..policy
            },
            queues: Mutex::new(HashMap::new()),
            record: Arc::new(Mutex::new(Record::default())),
            workers: Mutex::new(tokio::task::JoinSet::new()),
        }
    }

    /// Every delivery kept, oldest first.
    pub(crate) fn deliveries(&self) -> Vec<Delivery> {
        lock(&self.record).kept.values().cloned().collect()
    }

    /// Whether no kept delivery is pending.
    pub(crate) fn settled(&self) -> bool {
        lock(&self.record)
            .kept
            .values()
            .all(|d| d.outcome != Outcome::Pending)
    }

    /// Queues `body` for `url`, behind what is queued for it already. Must run on a Tokio
    /// runtime (the server's).
    pub(crate) fn send(&self, api: &str, event: &str, url: &str, body: Value) {
        let bytes = body.to_string().into_bytes();
        let delivery = Delivery {
            api: api.to_string(),
            event: event.to_string(),
            url: url.to_string(),
            body,
            attempts: Vec::new(),
            outcome: Outcome::Pending,
        };
        let id = lock(&self.record).add(delivery);
        let target = match parse_target(url) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("partnerstack-fake: dropped {event} to {url}: {e}");
                lock(&self.record).update(id, |d| d.outcome = Outcome::Dropped);
                return;
            }
        };
        let mut queues = lock(&self.queues);
        if queues.len() >= MAX_TARGETS && !queues.contains_key(url) {
            eprintln!(
                "partnerstack-fake: dropped {event} to {url}: more than {MAX_TARGETS} targets"
            );
            lock(&self.record).update(id, |d| d.outcome = Outcome::Dropped);
            return;
        }
        let sender = queues.entry(url.to_string()).or_insert_with(|| {
            let (tx, rx) = mpsc::channel(MAX_QUEUED);
            lock(&self.workers).spawn(work(rx, self.policy, self.record.clone()));
            tx
        });
        if sender
            .try_send(Job {
                id,
                target,
                body: bytes,
            })
            .is_err()
        {
            eprintln!("partnerstack-fake: dropped {event} to {url}: its queue is full");
            lock(&self.record).update(id, |d| d.outcome = Outcome::Dropped);
        }
    }

    /// Stops every worker (pending deliveries are abandoned).
    pub(crate) fn stop(&self) {
        lock(&self.workers).abort_all();
    }
}

/// One target's worker: its deliveries one after the other, each retried per the policy.
async fn work(mut rx: mpsc::Receiver<Job>, policy: DeliveryPolicy, record: Arc<Mutex<Record>>) {
    while let Some(job) = rx.recv().await {
        let mut last = String::new();
        let mut delivered = None;
        for n in 1..=policy.attempts {
            let answer = tokio::time::timeout(policy.timeout, post(&job.target, &job.body)).await;
            let status = match answer {
                Ok(Ok(status)) => Some(status),
                Ok(Err(e)) => {
                    last = e;
                    None
                }
                Err(_) => {
                    last = format!("no answer within {:?}", policy.timeout);
                    None
                }
            };
            lock(&record).update(job.id, |d| d.attempts.push(status));
            if let Some(s) = status {
                if (200..300).contains(&s) {
                    delivered = Some(s);
                    break;
                }
                last = format!("answered {s}");
            }
            if n < policy.attempts {
                tokio::time::sleep(policy.backoff(n)).await;
            }
        }
        let outcome = match delivered {
            Some(s) => Outcome::Delivered(s),
            None => {
                let (event, url) = lock(&record)
                    .kept
                    .get(&job.id)
                    .map(|d| (d.event.clone(), d.url.clone()))
                    .unwrap_or_default();
                eprintln!(
                    "partnerstack-fake: dropped {event} to {url} after {} attempts: {last}",
                    policy.attempts
                );
                Outcome::Dropped
            }
        };
        lock(&record).update(job.id, |d| d.outcome = outcome);
    }
}

/// One `POST` of `body` to `target`: the status, or why there was none.
pub(crate) async fn post(target: &Target, body: &[u8]) -> Result<u16, String> {
    let stream = tokio::net::TcpStream::connect((target.host.as_str(), target.port))
        .await
        .map_err(|e| format!("cannot connect: {e}"))?;
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake failed: {e}"))?;
    let connection = tokio::spawn(connection);
    let host = if target.port == 80 {
        target.host.clone()
    } else {
        format!("{}:{}", target.host, target.port)
    };
    let request = hyper::Request::post(target.path.as_str())
        .header(hyper::header::HOST, host)
        .header(hyper::header::CONTENT_TYPE, "application/json")
        .header(
            hyper::header::USER_AGENT,
            concat!("partnerstack-fake/", env!("CARGO_PKG_VERSION")),
        )
        .body(Full::new(Bytes::copy_from_slice(body)))
        .map_err(|e| format!("cannot build the request: {e}"))?;
    let response = sender
        .send_request(request)
        .await
        .map_err(|e| format!("no answer: {e}"))?;
    let status = response.status().as_u16();
    // Read (a bounded part of) the answer, so the receiver is not cut off mid-write.
    let _ = Limited::new(response.into_body(), MAX_ANSWER_BYTES)
        .collect()
        .await;
    connection.abort();
    Ok(status)
}

/// What changed in the store, for the events it fires.
pub(crate) struct Changed {
    pub api: &'static ApiTable,
    pub item: &'static str,
    pub change: Change,
    pub object: Value,
}

/// The event name as matched: lowercase, `.` and `-` read as `_`.
fn match_key(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            '.' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The body of a delivery of `kind` of `events_api` about `object`: the payload (the object's
/// fields that the payload type has and whose values fit it) in the API's envelope.
pub(crate) fn body(
    events_api: &ApiTable,
    name: &str,
    payload: Ty,
    object: &Value,
    postback: bool,
) -> Value {
    let data = crate::world::project(events_api, payload, object);
    if postback {
        json!({"event": name, "data": data, "test": false})
    } else {
        let mut flat = match data {
            Value::Object(m) => m,
            _ => Map::new(),
        };
        flat.insert("event".into(), Value::String(name.to_string()));
        Value::Object(flat)
    }
}

/// Queues the deliveries `changes` fire: for each API with events, each kind fired by the
/// change of the object's entity, to each registration listing it (its `targets` objects in
/// `lists`), or to `postback_url` for an API without registrations; whichever API made the
/// change, and only where that API's credential `sees` the object (a partner's postbacks are
/// of its own objects).
pub(crate) fn plan(
    outbox: &Outbox,
    apis: &[&'static ApiTable],
    lists: impl Fn(&str, &str) -> Vec<Value>,
    sees: impl Fn(&ApiTable, &str, &Value) -> bool,
    postback_url: Option<&str>,
    changes: &[Changed],
) {
    for changed in changes {
        let Some(entity) = changed.api.entity(changed.item) else {
            continue;
        };
        for events_api in apis {
            let Some(events) = &events_api.events else {
                continue;
            };
            if !sees(events_api, entity, &changed.object) {
                continue;
            }
            for kind in events.kinds {
                if kind.fired_by != Some((entity, changed.change)) {
                    continue;
                }
                let body = body(
                    events_api,
                    kind.name,
                    kind.payload,
                    &changed.object,
                    events.postback,
                );
                let urls: Vec<String> = match &events.targets {
                    Some(t) => {
                        let Some(c) = events_api.collections.iter().find(|c| c.item == t.item)
                        else {
                            continue;
                        };
                        lists(events_api.name, c.path)
                            .iter()
                            .filter(|reg| {
                                reg.get(t.kinds)
                                    .and_then(Value::as_array)
                                    .is_some_and(|names| {
                                        names
                                            .iter()
                                            .filter_map(Value::as_str)
                                            .any(|n| match_key(n) == match_key(kind.name))
                                    })
                            })
                            .filter_map(|reg| reg.get(t.url).and_then(Value::as_str))
                            .map(str::to_string)
                            .collect()
                    }
                    None => postback_url.into_iter().map(str::to_string).collect(),
                };
                for url in urls {
                    outbox.send(events_api.name, kind.name, &url, body.clone());
                }
            }
        }
    }
}

/// What [`trigger`] sent, and the answer.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Triggered {
    /// The API whose users receive it (`vendor`: a webhook, `partner`: a postback).
    pub api: String,
    /// The event's name as sent.
    pub event: String,
    /// The body sent.
    pub body: Value,
    /// The receiver's status.
    pub status: u16,
    /// Whether it was a postback (the spec's `envelope: postback`: to a partner's URL), else a
    /// webhook (to a target the vendor registered).
    pub postback: bool,
}

/// Why [`trigger`] sent nothing, or got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum TriggerError {
    /// No API has an event of this name (the known names are listed).
    UnknownEvent(String, Vec<String>),
    /// The URL is not an `http://` URL on this machine.
    BadUrl(String),
    /// The receiver could not be reached, or did not answer within 10 seconds.
    NoAnswer(String),
}

impl std::fmt::Display for TriggerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TriggerError::UnknownEvent(name, known) => write!(
                f,
                "unknown event `{}`; known: {}",
                validate::excerpt(name),
                known.join(", ")
            ),
            TriggerError::BadUrl(e) => write!(f, "{e}"),
            TriggerError::NoAnswer(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for TriggerError {}

/// The APIs whose users receive events (the `api` [`trigger`] takes), as the spec names them.
pub fn event_apis() -> Vec<&'static str> {
    crate::tables::APIS
        .iter()
        .filter(|a| a.events.is_some())
        .map(|a| a.name)
        .collect()
}

/// Sends one realistic delivery of the event `event` (either spelling, `customer.created` or
/// `customer_created`) to `url` once, as `partnerstack-fake trigger` does: a webhook when the
/// Vendor API has the event (or `api` says `vendor`), else a postback. The payload is seeded
/// from `seed`: the stored object the event is about, seen as the event's payload type.
pub async fn trigger(
    event: &str,
    api: Option<&str>,
    url: &str,
    seed: u64,
) -> Result<Triggered, TriggerError> {
    let target = parse_target(url).map_err(TriggerError::BadUrl)?;
    let apis = crate::tables::APIS;
    let wanted = match_key(event);
    let mut order: Vec<&&ApiTable> = apis.iter().filter(|a| a.events.is_some()).collect();
    // Webhooks first: the vendor is the one who registers them through the API.
    order.sort_by_key(|a| a.events.as_ref().is_some_and(|e| e.postback));
    let found = order
        .iter()
        .filter(|a| api.is_none_or(|n| n == a.name))
        .find_map(|a| {
            let kind = a
                .events
                .as_ref()?
                .kinds
                .iter()
                .find(|k| match_key(k.name) == wanted)?;
            Some((**a, kind))
        });
    let Some((events_api, kind)) = found else {
        let known = order
            .iter()
            .filter(|a| api.is_none_or(|n| n == a.name))
            .flat_map(|a| a.events.iter().flat_map(|e| e.kinds.iter()))
            .map(|k| k.name.to_string())
            .collect();
        return Err(TriggerError::UnknownEvent(event.to_string(), known));
    };
    let postback = events_api.events.as_ref().is_some_and(|e| e.postback);
    let mut rng = crate::seed::Rng::new(seed, kind.name);
    let now = crate::clock::now_ms();
    let at = crate::seed::Moment {
        created_at: now - 3_600_000,
        until: now,
    };
    // The object the event is about, as stored (an entity's collection item), else the payload.
    let about = kind
        .fired_by
        .and_then(|(entity, _)| {
            apis.iter().find_map(|a| {
                a.collections
                    .iter()
                    .find(|c| a.entity(c.item) == Some(entity))
                    .map(|c| crate::seed::object(a, c.item, &mut rng, at))
            })
        })
        .or_else(|| match kind.payload {
            Ty::Named(name) => Some(crate::seed::object(events_api, name, &mut rng, at)),
            _ => None,
        })
        .unwrap_or_else(|| Value::Object(Map::new()));
    let body = body(events_api, kind.name, kind.payload, &about, postback);
    let status = tokio::time::timeout(
        Duration::from_secs(10),
        post(&target, body.to_string().as_bytes()),
    )
    .await
    .map_err(|_| TriggerError::NoAnswer("no answer within 10 s".into()))?
    .map_err(TriggerError::NoAnswer)?;
    Ok(Triggered {
        api: events_api.name.to_string(),
        event: kind.name.to_string(),
        body,
        status,
        postback,
    })
}

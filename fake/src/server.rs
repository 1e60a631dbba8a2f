//! The HTTP server: a listener on 127.0.0.1, one task per connection, faults and latency in
//! front of the core.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming as Body;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::task::JoinSet;

use crate::auth::Credentials;
use crate::config::Config;
use crate::deliver::{self, Delivery, Outbox};
use crate::fault::{Fault, Faults};
use crate::handle::{self, Incoming, State};
use crate::inject::{Inject, Injections};
use crate::limit::RateLimiter;
use crate::lock::lock;
use crate::record::{Log, Received};
use crate::reply::Reply;
use crate::store::Store;

/// How long a client may take to send a request's headers before its connection is closed.
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The largest request body read; bigger ones get a 413.
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// The longest query string read; longer ones get a 414.
pub const MAX_QUERY_BYTES: usize = 8 * 1024;

/// The largest request head (request line and headers) read; hyper answers a bigger one with
/// 431 and closes the connection.
const MAX_HEAD_BYTES: usize = 64 * 1024;

/// A running fake PartnerStack on 127.0.0.1, serving the Partner, Vendor and conversion APIs
/// on one port. It stops when dropped.
///
/// ```no_run
/// # async fn demo() -> std::io::Result<()> {
/// let server = partnerstack_fake::Server::start(partnerstack_fake::Config::default()).await?;
/// println!("{} (partner key {})", server.url(), server.partner_key());
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    config: Config,
    shared: Arc<Shared>,
    task: tokio::task::JoinHandle<()>,
}

/// What every connection of one server shares.
pub(crate) struct Shared {
    pub state: State,
    pub faults: Faults,
    /// Requests so far (numbers the fault schedule).
    pub counter: AtomicU64,
    /// The server-wide rate limit, when set.
    pub limiter: Option<Mutex<RateLimiter>>,
    pub injections: Mutex<Injections>,
    pub log: Mutex<Log>,
    /// Webhooks and postbacks on their way.
    pub outbox: Outbox,
    /// Where postbacks go (APIs whose events have no registrations).
    pub postback_url: Option<String>,
}

/// Credentials and the store are left out.
impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("faults", &self.faults)
            .finish_non_exhaustive()
    }
}

impl Server {
    /// Seeds the store, binds 127.0.0.1 on `config.port` (0: any free port) and serves in the
    /// background on the current Tokio runtime. Fails when the port cannot be bound, or the
    /// postback URL is not an `http://` URL on this machine.
    pub async fn start(config: Config) -> std::io::Result<Server> {
        if let Some(url) = &config.postback_url {
            deliver::parse_target(url).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    format!("postback URL {e}"),
                )
            })?;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let apis = crate::tables::APIS;
        let state = State {
            apis,
            credentials: Credentials::from_config(apis, &config),
            store: Mutex::new(
                Store::seeded(
                    apis,
                    config.seed,
                    config.items,
                    &config.list_items,
                    config.signed_in_partner.as_deref(),
                )
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
            ),
        };
        let shared = Arc::new(Shared {
            state,
            faults: config.faults.clone(),
            counter: AtomicU64::new(0),
            limiter: (config.faults.rate_limit > 0)
                .then(|| Mutex::new(RateLimiter::new(config.faults.rate_limit))),
            injections: Mutex::new(Injections::default()),
            log: Mutex::new(Log::default()),
            outbox: Outbox::new(config.delivery),
            postback_url: config.postback_url.clone(),
        });
        let task = tokio::spawn(serve(listener, shared.clone()));
        Ok(Server {
            addr,
            config,
            shared,
            task,
        })
    }

    /// Adds latency, a rate limit or a fault to the operations `inject` names, from the next
    /// request on, on top of the [`Faults`] the server started with.
    pub fn inject(&self, inject: Inject) {
        lock(&self.shared.injections).add(inject);
    }

    /// Removes every injection.
    pub fn clear_injections(&self) {
        lock(&self.shared.injections).clear();
    }

    /// The last requests received (at most [`MAX_RECORDED`](crate::MAX_RECORDED)), oldest
    /// first, with the operation that answered and its status; never their credentials.
    pub fn requests(&self) -> Vec<Received> {
        lock(&self.shared.log).all()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.log).clear();
    }

    /// The webhooks and postbacks sent or being sent (the last 1000), oldest first: event,
    /// URL, body, each attempt's status, and whether it was delivered or dropped.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.outbox.deliveries()
    }

    /// Waits until no delivery is pending (each was delivered or dropped), at most `limit`;
    /// whether they all settled.
    pub async fn settled(&self, limit: std::time::Duration) -> bool {
        let deadline = Instant::now() + limit;
        loop {
            if self.shared.outbox.settled() {
                return true;
            }
            if Instant::now() >= deadline {
                return false;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
    }

    /// The base URL: `http://127.0.0.1:PORT`, for every API's client.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The Partner API's key (Bearer).
    pub fn partner_key(&self) -> &str {
        &self.config.partner_key
    }

    /// The key (`part_…`) of the partnership the Partner API's key acts as: the Partner API
    /// shows the objects of this partnership only (its customers, rewards, transactions,
    /// actions), the Vendor API every one. `None` when no partnership was seeded.
    pub fn partnership_key(&self) -> Option<String> {
        // The API whose credential acts as a stored object (`signed_in:` in its spec).
        let api = self
            .shared
            .state
            .apis
            .iter()
            .find(|a| a.signed_in.is_some())?;
        let store = lock(&self.shared.state.store);
        store.signed_in(api.name).map(str::to_string)
    }

    /// The Vendor API's public key (the Basic user name).
    pub fn vendor_public_key(&self) -> &str {
        &self.config.vendor_public_key
    }

    /// The Vendor API's secret key (the Basic password).
    pub fn vendor_secret_key(&self) -> &str {
        &self.config.vendor_secret_key
    }

    /// The conversion API's tracking token (Bearer).
    pub fn tracking_token(&self) -> &str {
        &self.config.tracking_token
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &Config {
        &self.config
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Aborting the accept loop drops its connection set, which aborts every connection.
        self.task.abort();
        self.shared.outbox.stop();
    }
}

async fn serve(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            Some(_) = connections.join_next(), if !connections.is_empty() => continue,
        };
        let Ok((stream, _)) = accepted else {
            // Out of file descriptors and the like: wait a little rather than spin.
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
            continue;
        };
        let shared = shared.clone();
        connections.spawn(async move {
            let service = service_fn(move |req| respond(shared.clone(), req));
            // A connection's errors (a client going away, a fault's drop) end that connection
            // only.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
                .max_buf_size(MAX_HEAD_BYTES)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The error that makes hyper close a connection without answering.
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}

impl std::error::Error for Dropped {}

/// The answer of a fault.
fn fault_reply(fault: Fault) -> Option<Reply> {
    let (status, message) = match fault {
        Fault::Dropped => return None,
        Fault::RateLimited => (429, "Too many requests"),
        Fault::ServerError => (500, "Internal server error"),
        Fault::BadGateway => (502, "Bad gateway"),
        Fault::Unavailable => (503, "Service unavailable"),
    };
    Some(Reply::error(status, message))
}

/// A 429 with `Retry-After: secs`.
fn too_many(secs: u64) -> Response<Full<Bytes>> {
    let mut response = to_response(Reply::error(429, "Too many requests"));
    if let Ok(v) = hyper::header::HeaderValue::from_str(&secs.to_string()) {
        response.headers_mut().insert(hyper::header::RETRY_AFTER, v);
    }
    response
}

async fn respond(
    shared: Arc<Shared>,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let arrived = Instant::now();
    let n = shared.counter.fetch_add(1, Ordering::Relaxed) + 1;
    let (parts, body) = req.into_parts();
    let mut record = Received::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &[],
    );
    let answer = answer(&shared, arrived, n, &parts, body, &mut record).await;
    if let Ok(response) = &answer {
        record.status = response.status().as_u16();
    }
    lock(&shared.log).push(record);
    answer
}

async fn answer(
    shared: &Shared,
    arrived: Instant,
    n: u64,
    parts: &hyper::http::request::Parts,
    body: Body,
    record: &mut Received,
) -> Result<Response<Full<Bytes>>, Dropped> {
    // The server-wide rate, counted when the request arrives, before any latency.
    let limited = shared
        .limiter
        .as_ref()
        .and_then(|l| lock(l).admit(arrived).err());
    if !shared.faults.latency.is_zero() {
        tokio::time::sleep(shared.faults.latency).await;
    }
    if let Some(secs) = limited {
        return Ok(too_many(secs));
    }
    if let Some(fault) = shared.faults.for_request(n) {
        return match (fault, fault_reply(fault)) {
            (Fault::RateLimited, _) => Ok(too_many(u64::from(shared.faults.retry_after_secs))),
            (_, Some(reply)) => Ok(to_response(reply)),
            (_, None) => Err(Dropped),
        };
    }
    if parts.uri.query().is_some_and(|q| q.len() > MAX_QUERY_BYTES) {
        return Ok(to_response(Reply::error(
            414,
            format!("The query string is longer than {MAX_QUERY_BYTES} bytes"),
        )));
    }
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(to_response(Reply::error(
                413,
                format!("The request body is larger than {MAX_BODY_BYTES} bytes"),
            )));
        }
        Err(_) => return Err(Dropped),
    };
    *record = Received::new(
        parts.method.as_str(),
        parts.uri.path(),
        parts.uri.query(),
        &body,
    );
    let incoming = Incoming {
        method: &parts.method,
        path: parts.uri.path(),
        query: parts.uri.query(),
        authorization: parts
            .headers
            .get(hyper::header::AUTHORIZATION)
            .map(|v| v.as_bytes()),
        body: &body,
    };
    let matched = match handle::resolve(&shared.state, &incoming) {
        Ok(m) => m,
        Err(reply) => return Ok(to_response(reply)),
    };
    record.api = Some(matched.api.name.to_string());
    record.operation = Some(matched.route.op.to_string());
    let effect = lock(&shared.injections).effect(matched.api.name, matched.route.op, arrived);
    if !effect.latency.is_zero() {
        tokio::time::sleep(effect.latency).await;
    }
    if let Some(secs) = effect.limited {
        return Ok(too_many(secs));
    }
    if let Some(fault) = effect.fault {
        return match fault_reply(fault) {
            Some(_) if fault == Fault::RateLimited => {
                Ok(too_many(u64::from(shared.faults.retry_after_secs)))
            }
            Some(reply) => Ok(to_response(reply)),
            None => Err(Dropped),
        };
    }
    let reply = handle::answer(&shared.state, &matched, &incoming, |store, changes| {
        if !changes.is_empty() {
            deliver::plan(
                &shared.outbox,
                shared.state.apis,
                |api, path| store.list(api, path).to_vec(),
                |api, entity, object| store.sees(api, entity, object),
                shared.postback_url.as_deref(),
                changes,
            );
        }
    });
    Ok(to_response(reply))
}

fn to_response(reply: Reply) -> Response<Full<Bytes>> {
    let empty = reply.body.is_empty();
    let operation = reply.operation;
    let mut response = Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(op) = operation.and_then(|op| hyper::header::HeaderValue::from_str(op).ok()) {
        response.headers_mut().insert("x-fake-operation", op);
    }
    if !empty {
        response.headers_mut().insert(
            hyper::header::CONTENT_TYPE,
            hyper::header::HeaderValue::from_static("application/json"),
        );
    }
    response
}

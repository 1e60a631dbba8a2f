//! The HTTP server: a listener on 127.0.0.1, one task per connection, faults and latency in
//! front of the core.

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

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
use crate::fault::{Fault, Faults};
use crate::handle::{self, Incoming, Reply, State};
use crate::store::Store;

/// How long a client may take to send a request's headers before its connection is closed.
const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The largest request body read; bigger ones get a 413.
const MAX_BODY_BYTES: usize = 1 << 20;

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
    task: tokio::task::JoinHandle<()>,
}

impl Server {
    /// Seeds the store, binds 127.0.0.1 on `config.port` (0: any free port) and serves in the
    /// background on the current Tokio runtime. Fails only when the port cannot be bound.
    pub async fn start(config: Config) -> std::io::Result<Server> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port)).await?;
        let addr = listener.local_addr()?;
        let apis = crate::tables::APIS;
        let state = Arc::new(State {
            apis,
            credentials: Credentials {
                partner_key: config.partner_key.clone(),
                vendor_public: config.vendor_public_key.clone(),
                vendor_secret: config.vendor_secret_key.clone(),
                tracking_token: config.tracking_token.clone(),
            },
            store: std::sync::Mutex::new(Store::seeded(apis, config.seed, config.items)),
        });
        let faults = Arc::new(config.faults.clone());
        let task = tokio::spawn(serve(listener, state, faults));
        Ok(Server { addr, config, task })
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
    }
}

async fn serve(listener: TcpListener, state: Arc<State>, faults: Arc<Faults>) {
    let mut connections = JoinSet::new();
    let counter = Arc::new(AtomicU64::new(0));
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
        let (state, faults, counter) = (state.clone(), faults.clone(), counter.clone());
        connections.spawn(async move {
            let service =
                service_fn(move |req| respond(state.clone(), faults.clone(), counter.clone(), req));
            // A connection's errors (a client going away, a fault's drop) end that connection
            // only.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT)
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

async fn respond(
    state: Arc<State>,
    faults: Arc<Faults>,
    counter: Arc<AtomicU64>,
    req: Request<Body>,
) -> Result<Response<Full<Bytes>>, Dropped> {
    let n = counter.fetch_add(1, Ordering::Relaxed) + 1;
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if let Some(fault) = faults.for_request(n) {
        let (status, message) = match fault {
            Fault::Dropped => return Err(Dropped),
            Fault::RateLimited => (429, "Too many requests"),
            Fault::ServerError => (500, "Internal server error"),
            Fault::BadGateway => (502, "Bad gateway"),
            Fault::Unavailable => (503, "Service unavailable"),
        };
        let mut response = to_response(Reply::error(status, message));
        if fault == Fault::RateLimited
            && let Ok(v) =
                hyper::header::HeaderValue::from_str(&faults.retry_after_secs.to_string())
        {
            response.headers_mut().insert(hyper::header::RETRY_AFTER, v);
        }
        return Ok(response);
    }
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) if e.is::<http_body_util::LengthLimitError>() => {
            return Ok(to_response(Reply::error(
                413,
                format!("The request body is larger than {} bytes", MAX_BODY_BYTES),
            )));
        }
        Err(_) => return Err(Dropped),
    };
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
    Ok(to_response(handle::handle(&state, &incoming)))
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

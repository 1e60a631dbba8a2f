//! The server: accepting connections, recording requests, answering them.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use partnerstack_fake::Fault as FakeFault;
use tokio::net::TcpListener;

use crate::body::{Cut, Out};
use crate::reply::{Fault, Reply};
use crate::seen::Seen;

/// The `Content-Length` an [`Fault::Oversized`] answer announces: 64 MiB.
const OVERSIZED: usize = 64 << 20;

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

struct Shared {
    handler: Box<Handler>,
    seen: Mutex<Vec<Seen>>,
    faults: Mutex<BTreeMap<String, usize>>,
}

/// A running server on 127.0.0.1. Started with [`Server::start`], it stops with the test's
/// runtime; with [`Server::in_thread`], with the test's process.
pub struct Server {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub url: String,
    shared: Arc<Shared>,
}

/// What the server did so far.
#[derive(Debug, Default, Clone)]
pub struct Stats {
    /// Requests received.
    pub requests: usize,
    /// Faults injected, by kind (the fault's `Debug` text).
    pub faults: BTreeMap<String, usize>,
}

impl Server {
    /// Starts a server on the current tokio runtime; `handler` answers every request.
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let shared = shared(handler);
        let listener = bind().await;
        let url = url(&listener);
        tokio::spawn(accept(listener, shared.clone()));
        Server { url, shared }
    }

    /// Starts a server on a thread and runtime of its own, for tests that are not async (the
    /// command line's, which block on a child process).
    pub fn in_thread(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let shared = shared(handler);
        let serving = shared.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a runtime for the test server");
            runtime.block_on(async move {
                let listener = bind().await;
                let _ = tx.send(url(&listener));
                accept(listener, serving).await;
            });
        });
        let url = rx.recv().expect("the test server's address");
        Server { url, shared }
    }

    /// Every request so far, in the order they arrived.
    pub fn requests(&self) -> Vec<Seen> {
        lock(&self.shared.seen).clone()
    }

    /// How many requests arrived and which faults answered them.
    pub fn stats(&self) -> Stats {
        Stats {
            requests: lock(&self.shared.seen).len(),
            faults: lock(&self.shared.faults).clone(),
        }
    }
}

fn shared(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Arc<Shared> {
    Arc::new(Shared {
        handler: Box::new(handler),
        seen: Mutex::default(),
        faults: Mutex::default(),
    })
}

/// A test that failed while holding a lock must not hide its failure behind a poisoned one.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn bind() -> TcpListener {
    TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("a free port on 127.0.0.1")
}

fn url(listener: &TcpListener) -> String {
    let addr = listener.local_addr().expect("a bound listener's address");
    format!("http://{addr}")
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    while let Ok((socket, _)) = listener.accept().await {
        // Without this, Nagle's algorithm and delayed ACKs add ~40 ms to small answers.
        let _ = socket.set_nodelay(true);
        let shared = shared.clone();
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request| answer(shared.clone(), request));
            // A connection ends with an error whenever a fault ends it: not a failure here.
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(socket), service)
                .await;
        });
    }
}

/// Records `request`, asks the handler, and answers (or, for a fault, misbehaves).
async fn answer(shared: Arc<Shared>, request: Request<Incoming>) -> Result<Response<Out>, Cut> {
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map_err(|_| Cut)?.to_bytes().to_vec();
    let seen = Seen {
        method: parts.method.to_string(),
        target: parts.uri.to_string(),
        path: parts.uri.path().to_string(),
        query: form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .into_owned()
            .collect(),
        headers: parts.headers,
        body,
    };
    // Recorded before the handler runs, so a handler can count what came before.
    lock(&shared.seen).push(seen.clone());
    let reply = (shared.handler)(&seen);
    let fault = reply.fault;
    if let Some(fault) = fault {
        *lock(&shared.faults)
            .entry(format!("{fault:?}"))
            .or_default() += 1;
    }
    let reply = reply.replaced();
    // Not `sleep(ZERO)`: tokio's timer would still wait for its next millisecond tick.
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let mut length = None;
    let body = Bytes::from(reply.body);
    let out = match fault {
        Some(Fault::Fake(FakeFault::Dropped)) => return Err(Cut),
        Some(Fault::Truncated) => {
            length = Some(body.len());
            Out::CutAfter {
                bytes: Some(body.slice(..body.len() / 2)),
                flushed: false,
            }
        }
        Some(Fault::TruncatedJson) => Out::Whole(Some(body.slice(..body.len() / 2))),
        Some(Fault::Trickle) => {
            length = Some(body.len());
            Out::trickle(body)
        }
        Some(Fault::Oversized) => {
            length = Some(OVERSIZED);
            Out::CutAfter {
                bytes: Some(Bytes::from(vec![b' '; 64 << 10])),
                flushed: false,
            }
        }
        Some(Fault::Fake(_) | Fault::HtmlGateway) | None => match reply.pieces {
            Some(size) => Out::Pieces {
                bytes: body,
                size,
                flushed: true,
            },
            None => Out::Whole(Some(body)),
        },
    };
    let mut response = Response::builder().status(reply.status);
    for (name, value) in &reply.headers {
        response = response.header(name, value);
    }
    if let Some(length) = length {
        response = response.header("content-length", length);
    }
    // Only a test's own bad status or header can fail here: that is the test's bug.
    Ok(response
        .body(out)
        .unwrap_or_else(|e| panic!("the test's reply is not valid HTTP: {e}")))
}

//! A real HTTP server on 127.0.0.1 for behaviour tests: records every request and answers with
//! whatever the test's handler returns.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Request, Response, StatusCode};

/// The API key every test client uses.
pub const KEY: &str = "test-key-9f3a";

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    /// The path exactly as sent, percent-encoding included.
    pub raw_path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    /// The value of a query parameter, decoded.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What the server answers.
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
    /// Wait this long before answering.
    pub delay: std::time::Duration,
}

impl Reply {
    pub fn json(status: u16, value: serde_json::Value) -> Self {
        Reply::raw(
            status,
            "application/json",
            serde_json::to_vec(&value).unwrap(),
        )
    }

    pub fn raw(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            content_type,
            body: body.into(),
            headers: Vec::new(),
            delay: std::time::Duration::ZERO,
        }
    }

    pub fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub fn after(mut self, delay: std::time::Duration) -> Self {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Seen) -> Reply + Send + Sync;

/// A running server; it stops when the test's runtime ends.
pub struct Server {
    pub url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    pub async fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let handler: Arc<Handler> = Arc::new(handler);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let handler = handler.clone();
            let log = log.clone();
            async move {
                let (parts, body) = req.into_parts();
                let body = axum::body::to_bytes(body, 1 << 20).await.unwrap().to_vec();
                let uri = parts.uri;
                let request = Seen {
                    method: parts.method.to_string(),
                    raw_path: uri.path().to_string(),
                    query: url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
                        .into_owned()
                        .collect(),
                    headers: parts.headers,
                    body,
                };
                log.lock().unwrap().push(request.clone());
                let reply = handler(&request);
                tokio::time::sleep(reply.delay).await;
                let mut response = Response::builder()
                    .status(StatusCode::from_u16(reply.status).unwrap())
                    .header("content-type", reply.content_type);
                for (name, value) in reply.headers {
                    response = response.header(name, value);
                }
                response.body(Body::from(reply.body)).unwrap()
            }
        });
        let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
            .await
            .unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { url, seen }
    }

    /// Every request so far, in order.
    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// The default retry policy with millisecond waits, so tests exercise retries quickly.
pub fn quick_retries() -> partnerstack::RetryPolicy {
    partnerstack::RetryPolicy::default()
        .base_delay(std::time::Duration::from_millis(1))
        .max_delay(std::time::Duration::from_millis(4))
}

/// A Partner API client pointed at `server`.
pub fn partner(server: &Server) -> partnerstack::partner::Client {
    partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

/// The vendor key pair every test vendor client uses.
pub const PUBLIC_KEY: &str = "pk_test_123";
pub const SECRET_KEY: &str = "sk_test_456";

/// A Vendor API client pointed at `server`.
pub fn vendor(server: &Server) -> partnerstack::vendor::Client {
    partnerstack::vendor::Client::builder()
        .public_key(PUBLIC_KEY)
        .secret_key(SECRET_KEY)
        .base_url(&server.url)
        .retry_policy(quick_retries())
        .build()
        .unwrap()
}

/// PartnerStack's success envelope around `data`.
pub fn envelope(data: serde_json::Value) -> serde_json::Value {
    serde_json::json!({"data": data, "message": "Retrieved successfully", "status": 200})
}

/// A payload fixture from `tests/fixtures/payloads/`.
pub fn payload(name: &str) -> serde_json::Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/payloads")
        .join(name);
    serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap()
}

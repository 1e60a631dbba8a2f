//! Starting a fake and talking to it.

use partnerstack::RetryPolicy;
use partnerstack_fake::{Config, Server};

pub async fn start(items: usize) -> Server {
    Server::start(Config::default().items(items)).await.unwrap()
}

pub fn partner(server: &Server) -> partnerstack::partner::Client {
    partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

pub fn vendor(server: &Server) -> partnerstack::vendor::Client {
    partnerstack::vendor::Client::builder()
        .public_key(server.vendor_public_key())
        .secret_key(server.vendor_secret_key())
        .base_url(server.url())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

/// A raw answer: status, headers and the body as JSON (`Null` when empty).
pub struct Raw {
    pub status: u16,
    pub headers: partnerstack::reqwest::header::HeaderMap,
    pub json: serde_json::Value,
}

/// Sends a raw request; `auth` is the whole `Authorization` value.
pub async fn raw(
    server: &Server,
    method: &str,
    path: &str,
    auth: Option<&str>,
    body: Option<&str>,
) -> Raw {
    static HTTP: std::sync::OnceLock<partnerstack::reqwest::Client> = std::sync::OnceLock::new();
    // Not `reqwest::Client::new()`: in the workspace, reqwest is built for rustls without a
    // default provider (the client's `rustls-ring`, which the fixture crate turns on), and
    // that panics unless another crate turns on reqwest's `rustls`.
    let http = HTTP.get_or_init(|| partnerstack::reqwest_builder().unwrap().build().unwrap());
    let method = partnerstack::reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut req = http.request(method, format!("{}{path}", server.url()));
    if let Some(auth) = auth {
        req = req.header("authorization", auth);
    }
    if let Some(body) = body {
        req = req
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.unwrap();
    let json = if bytes.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    Raw {
        status,
        headers,
        json,
    }
}

pub fn bearer(token: &str) -> String {
    format!("Bearer {token}")
}

pub fn basic(user: &str, pass: &str) -> String {
    use base64::Engine as _;
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pass}"))
    )
}

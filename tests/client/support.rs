//! The clients the tests point at the workspace's test server (`tests/server/`, re-exported
//! here), and what their answers are made of.

pub use partnerstack_test_server::{Reply, Server};

/// The API key every test client uses.
pub const KEY: &str = "test-key-9f3a";

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

/// A DNS resolver that knows no name: a test of name resolution failing sends no query off
/// this machine.
pub struct NoNames;

impl reqwest::dns::Resolve for NoNames {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let name = name.as_str().to_owned();
        Box::pin(async move { Err(format!("{name}: no such host (test resolver)").into()) })
    }
}

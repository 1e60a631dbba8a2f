//! One request as the server received it.

use hyper::HeaderMap;

/// One request as the server saw it.
#[derive(Debug, Clone)]
pub struct Seen {
    /// `GET`, `POST`, ….
    pub method: String,
    /// The request target as sent: path and query, or the authority of a `CONNECT`, or the
    /// whole URL of a request sent through a proxy.
    pub target: String,
    /// The path exactly as sent, percent-encoding included.
    pub path: String,
    /// The query's pairs, decoded (`+` and percent-escapes), in order.
    pub query: Vec<(String, String)>,
    /// Every header as sent.
    pub headers: HeaderMap,
    /// The body's bytes.
    pub body: Vec<u8>,
}

impl Seen {
    /// The value of a query parameter, decoded (the first, if it is repeated).
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value as text (`None` when missing or not text).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as JSON; panics (failing the test) when it is not.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("the request body is not JSON ({e}): {self:?}"))
    }
}

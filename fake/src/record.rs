//! What the server received: the last requests, for a test to inspect.

use std::collections::VecDeque;

/// How many requests are kept; older ones are forgotten.
pub const MAX_RECORDED: usize = 1000;

/// How much of a request body is kept.
const MAX_RECORDED_BODY: usize = 16 * 1024;

/// One request the server received, and how it answered. The `Authorization` header is never
/// kept.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Received {
    /// The HTTP method (`GET`).
    pub method: String,
    /// The path as sent, percent-encoding included.
    pub path: String,
    /// The query string as sent, if any.
    pub query: Option<String>,
    /// The API whose operation answered (`vendor`), when one did.
    pub api: Option<String>,
    /// The operation that answered (`customers.create`), when one did.
    pub operation: Option<String>,
    /// The answer's status.
    pub status: u16,
    /// The request body (its first 16 KiB).
    pub body: Vec<u8>,
}

impl Received {
    /// The body as JSON, when it is.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }

    pub(crate) fn new(method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Received {
        Received {
            method: method.to_string(),
            path: path.to_string(),
            query: query.map(str::to_string),
            api: None,
            operation: None,
            status: 0,
            body: body.get(..MAX_RECORDED_BODY).unwrap_or(body).to_vec(),
        }
    }
}

/// The last [`MAX_RECORDED`] requests, oldest first.
#[derive(Debug, Default)]
pub(crate) struct Log(VecDeque<Received>);

impl Log {
    pub(crate) fn push(&mut self, r: Received) {
        if self.0.len() >= MAX_RECORDED {
            self.0.pop_front();
        }
        self.0.push_back(r);
    }

    pub(crate) fn all(&self) -> Vec<Received> {
        self.0.iter().cloned().collect()
    }

    pub(crate) fn clear(&mut self) {
        self.0.clear();
    }
}

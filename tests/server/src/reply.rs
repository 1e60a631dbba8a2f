//! What the server answers, and the ways it can fail on purpose.

use std::time::Duration;

use partnerstack_fake::Fault as FakeFault;

/// A way the server misbehaves.
///
/// The faults the fake PartnerStack injects too (`partnerstack-fake`'s `Fault`: 429, 500, 502,
/// 503, a dropped connection) are that enum, wrapped, so the two speak one vocabulary; the
/// others are faults of the wire that only a test server makes. A fault replaces the answer
/// ([`Fault::Fake`], [`Fault::HtmlGateway`]) or spoils the body of the reply it is set on (the
/// rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// As the fake injects it: 429 with `Retry-After: 0` (so retries are quick), 500, 502 or
    /// 503 with PartnerStack's JSON error, or the connection closed without an answer.
    Fake(FakeFault),
    /// 502 with an HTML page, as a proxy sends.
    HtmlGateway,
    /// The headers promise the whole body; half of it is sent, then the connection closes.
    Truncated,
    /// A complete answer (its `Content-Length` matches) holding the first half of the body, as
    /// a proxy or a crashed worker can send: JSON that stops halfway.
    TruncatedJson,
    /// The body arrives a byte every 50 ms, slower than any sane timeout.
    Trickle,
    /// A `Content-Length` of 64 MiB; 64 KiB of it is sent, then the connection closes.
    Oversized,
}

impl From<FakeFault> for Fault {
    fn from(fault: FakeFault) -> Self {
        Fault::Fake(fault)
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The status code.
    pub status: u16,
    /// Headers, in order (`content-type` among them when the body has one).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// Waited before answering.
    pub delay: Duration,
    /// Set: the server misbehaves this way instead of answering plainly.
    pub fault: Option<Fault>,
    /// Set: the body is sent this many bytes at a time, with no `Content-Length` (chunked).
    pub pieces: Option<usize>,
}

impl Reply {
    /// `value` as JSON, with `content-type: application/json`.
    pub fn json(status: u16, value: serde_json::Value) -> Reply {
        Reply::raw(status, "application/json", value.to_string())
    }

    /// `body` as it is, with this content type.
    pub fn raw(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(status)
            .header("content-type", content_type)
            .body(body)
    }

    /// This status, no header and an empty body.
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            fault: None,
            pieces: None,
        }
    }

    /// A 200 answer with an empty JSON body, spoiled by `fault` (for the faults that replace
    /// the answer or need no body).
    pub fn fault(fault: impl Into<Fault>) -> Reply {
        Reply::raw(200, "application/json", "").with_fault(fault)
    }

    /// With one more header.
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// With this body.
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Reply {
        self.body = body.into();
        self
    }

    /// Answered after `delay` (the request is recorded at once).
    pub fn after(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }

    /// With its body sent `size` bytes at a time (at least one), each piece flushed before
    /// the next, and no `Content-Length`: the client reads it as several chunks. A fault that
    /// spoils the body ([`Fault::Truncated`], [`Fault::Trickle`], …) sends it its own way.
    pub fn in_pieces(mut self, size: usize) -> Reply {
        self.pieces = Some(size);
        self
    }

    /// Spoiled by `fault`.
    pub fn with_fault(mut self, fault: impl Into<Fault>) -> Reply {
        self.fault = Some(fault.into());
        self
    }

    /// The reply the server sends in place of this one, for the faults that replace it.
    pub(crate) fn replaced(self) -> Reply {
        let delay = self.delay;
        let error = |status: u16, reason: &str| {
            Reply::json(
                status,
                serde_json::json!({"message": reason, "status": status}),
            )
        };
        match self.fault {
            Some(Fault::Fake(FakeFault::RateLimited)) => {
                error(429, "Too many requests").header("retry-after", "0")
            }
            Some(Fault::Fake(FakeFault::ServerError)) => error(500, "Internal Server Error"),
            Some(Fault::Fake(FakeFault::BadGateway)) => error(502, "Bad Gateway"),
            Some(Fault::Fake(FakeFault::Unavailable)) => error(503, "Service Unavailable"),
            Some(Fault::HtmlGateway) => Reply::raw(
                502,
                "text/html",
                "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>",
            ),
            _ => self,
        }
        .after(delay)
    }
}

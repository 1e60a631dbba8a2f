//! The one place requests go out and responses come back: auth, URL, retries, deadlines, body
//! limits, the envelope, and turning every failure into an [`Error`] that names the request.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, RETRY_AFTER, USER_AGENT,
};
use serde::de::DeserializeOwned;

use crate::error::{Error, RequestInfo, Result};
use crate::observe::{self, Attempt, Hooks};
use crate::page::{Page, PageData};
use crate::request::{PageQuery, PageRules, Request};
use crate::retry::{Decision, Outcome, RetryPolicy, parse_retry_after};

/// How an API wraps its response bodies.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Envelope {
    /// `{"data": …, "message": "…", "status": 200}`.
    Data,
    /// The body is the payload itself.
    None,
}

/// A cheap-to-clone handle on the HTTP client and settings of one API client.
#[derive(Clone)]
pub(crate) struct Transport {
    inner: Arc<Settings>,
}

/// Everything a transport needs, checked by `Config`.
pub(crate) struct Settings {
    pub http: reqwest::Client,
    /// Base URL without a trailing slash.
    pub base_url: String,
    /// The `Authorization` header, or why the credentials cannot be sent (reported by the
    /// first request, for clients made with `Client::new`).
    pub auth: std::result::Result<HeaderValue, String>,
    pub envelope: Envelope,
    /// Time allowed for one attempt.
    pub timeout: Option<Duration>,
    /// Sent on each request when set (the HTTP client's own default applies otherwise).
    pub user_agent: Option<HeaderValue>,
    pub max_response_bytes: usize,
    pub retry: RetryPolicy,
    pub hooks: Hooks,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The auth header is left out on purpose, not just redacted: nothing to leak.
        f.debug_struct("Transport")
            .field("base_url", &self.inner.base_url)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_response_bytes", &self.inner.max_response_bytes)
            .field("hooks", &self.inner.hooks)
            .finish_non_exhaustive()
    }
}

/// A successful response's body and what is known about the request.
struct Received {
    body: Vec<u8>,
    info: RequestInfo,
}

/// A failed attempt: the error to report, and what the retry policy needs to know (`None`
/// when trying again cannot help, e.g. an oversized body).
struct Failure {
    error: Error,
    outcome: Option<Outcome>,
}

impl Transport {
    pub(crate) fn new(settings: Settings) -> Self {
        Transport {
            inner: Arc::new(settings),
        }
    }

    /// Sends the request and decodes the payload as `T`.
    ///
    /// An envelope without `data` (or with `data: null`) decodes `T` from `null`: fine for an
    /// open JSON value, a clear decode error at `data` for anything else.
    pub(crate) async fn json<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        let received = self.execute(request).await?;
        match self.inner.envelope {
            Envelope::Data => match decode::<DataEnvelope<T>>(&received)?.data {
                Some(data) => Ok(data),
                None => T::deserialize(serde_json::Value::Null).map_err(|source| Error::Decode {
                    path: "data".into(),
                    excerpt: excerpt_at(&received.body, 1, 1),
                    source,
                    request: Box::new(received.info.clone()),
                }),
            },
            Envelope::None => decode::<T>(&received),
        }
    }

    /// Sends one page request of a list.
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        request: &Request,
        rules: &PageRules,
        page: &PageQuery,
    ) -> Result<Page<T>> {
        let mut request = request.clone();
        page.apply(rules, request.op, &mut request.query)?;
        self.json::<PageData<T>>(&request).await.map(Page::from)
    }

    /// Sends the request and returns the envelope's `message`: empty when the answer was
    /// empty or carried no message, since success is the status.
    pub(crate) async fn message(&self, request: &Request) -> Result<String> {
        let received = self.execute(request).await?;
        if received.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(String::new());
        }
        match self.inner.envelope {
            Envelope::Data => {
                decode::<MessageEnvelope>(&received).map(|e| e.message.unwrap_or_default())
            }
            Envelope::None => Ok(String::from_utf8_lossy(&received.body).into_owned()),
        }
    }

    /// Sends the request; any successful answer, empty or not, is success.
    pub(crate) async fn empty(&self, request: &Request) -> Result<()> {
        self.execute(request).await.map(drop)
    }

    /// Sends the request, retrying as the policy says, within the call's deadline.
    async fn execute(&self, request: &Request) -> Result<Received> {
        let op = request.op;
        let started = Instant::now();
        let policy = self.inner.retry;
        let deadline = [
            request.deadline.at(started),
            policy.call_deadline().map(|d| started + d),
        ]
        .into_iter()
        .flatten()
        .min();
        // Anything wrong with the request itself fails once, before sending.
        let url = self.url(request)?;
        let auth = self
            .inner
            .auth
            .clone()
            .map_err(|reason| Error::invalid(Some(op.id), reason))?;
        let body = match &request.body {
            Some(body) => Some(
                body.0
                    .clone()
                    .map_err(|reason| Error::invalid(Some(op.id), reason))?,
            ),
            None => None,
        };
        let mut attempt = 1;
        loop {
            let info = RequestInfo {
                operation: op.id,
                method: op.method.clone(),
                path: op.path,
                attempts: attempt,
                request_id: None,
            };
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if remaining == Some(Duration::ZERO) {
                // This attempt never starts: report the ones that were made.
                return Err(Error::DeadlineExceeded {
                    request: Box::new(RequestInfo {
                        attempts: attempt - 1,
                        ..info
                    }),
                });
            }
            let failure = match self
                .attempt(info, url.clone(), &auth, body.clone(), remaining)
                .await
            {
                Ok(received) => return Ok(received),
                Err(failure) => failure,
            };
            let Some(outcome) = failure.outcome else {
                return Err(failure.error);
            };
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match policy.decide(attempt, &outcome, op.retry_safe, remaining, fastrand::f64()) {
                Decision::RetryAfter(delay) => {
                    if let Some(info) = failure.error.request() {
                        observe::retrying(info, delay, &failure.error);
                    }
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                Decision::GiveUp => return Err(failure.error),
            }
        }
    }

    /// One try: send, read the body within the limit, classify what went wrong.
    async fn attempt(
        &self,
        mut info: RequestInfo,
        url: reqwest::Url,
        auth: &HeaderValue,
        body: Option<Vec<u8>>,
        remaining: Option<Duration>,
    ) -> std::result::Result<Received, Failure> {
        let mut builder = self.inner.http.request(info.method.clone(), url);
        if let Some(hook) = &self.inner.hooks.on_request {
            let mut extra = HeaderMap::new();
            hook(&info, &mut extra);
            extra.remove(AUTHORIZATION);
            builder = builder.headers(extra);
        }
        builder = builder
            .header(AUTHORIZATION, auth.clone())
            .header(ACCEPT, "application/json");
        let timeout = match (self.inner.timeout, remaining) {
            (Some(t), Some(r)) => Some(t.min(r)),
            (t, r) => t.or(r),
        };
        if let Some(timeout) = timeout {
            builder = builder.timeout(timeout);
        }
        if let Some(ua) = &self.inner.user_agent {
            builder = builder.header(USER_AGENT, ua.clone());
        }
        if let Some(bytes) = body {
            builder = builder.header(CONTENT_TYPE, "application/json").body(bytes);
        }

        let watch = Attempt::start(&info);
        let hooks = &self.inner.hooks;
        let broken = |source: reqwest::Error, info: &RequestInfo| {
            let outcome = if source.is_timeout() {
                Outcome::TimedOut
            } else if source.is_connect() {
                Outcome::ConnectFailed
            } else {
                Outcome::ConnectionLost
            };
            Failure {
                error: Error::Transport {
                    source,
                    request: Box::new(info.clone()),
                },
                outcome: Some(outcome),
            }
        };
        let mut response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                watch.finish(hooks, &info, None, None);
                return Err(broken(e, &info));
            }
        };
        let status = response.status();
        info.request_id = request_id(response.headers());
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = read_capped(&mut response, self.inner.max_response_bytes).await;
        watch.finish(hooks, &info, Some(status), Some(response.headers()));
        let body = match body {
            Ok(body) => body,
            Err(Cap::Exceeded(limit)) => {
                return Err(Failure {
                    error: Error::ResponseTooLarge {
                        limit,
                        request: Box::new(info),
                    },
                    outcome: None,
                });
            }
            Err(Cap::Broken(e)) => return Err(broken(e, &info)),
        };
        if status.is_success() {
            Ok(Received { body, info })
        } else {
            Err(Failure {
                error: api_error(status, &body, info),
                outcome: Some(Outcome::Status {
                    status,
                    retry_after,
                }),
            })
        }
    }

    fn url(&self, request: &Request) -> Result<reqwest::Url> {
        let path = request.path.finish(request.op)?;
        let mut url = reqwest::Url::parse(&format!("{}{path}", self.inner.base_url))
            .map_err(|e| Error::invalid(Some(request.op.id), format!("bad URL: {e}")))?;
        let mut pairs = request.query.pairs().peekable();
        if pairs.peek().is_some() {
            url.query_pairs_mut().extend_pairs(pairs);
        }
        Ok(url)
    }
}

/// Why a body was not read to the end.
enum Cap {
    /// It is larger than the limit (in bytes).
    Exceeded(usize),
    /// The connection broke or timed out while reading.
    Broken(reqwest::Error),
}

/// Reads the body, refusing to hold more than `limit` bytes.
async fn read_capped(response: &mut reqwest::Response, limit: usize) -> std::result::Result<Vec<u8>, Cap> {
    if response.content_length().is_some_and(|len| len > limit as u64) {
        return Err(Cap::Exceeded(limit));
    }
    let expected = response.content_length().map_or(0, |len| len as usize);
    let mut body = Vec::with_capacity(expected);
    while let Some(chunk) = response.chunk().await.map_err(Cap::Broken)? {
        if body.len() + chunk.len() > limit {
            return Err(Cap::Exceeded(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[derive(serde::Deserialize)]
struct DataEnvelope<T> {
    #[serde(default = "none")]
    data: Option<T>,
}

/// `None` without requiring `T: Default`.
fn none<T>() -> Option<T> {
    None
}

#[derive(serde::Deserialize)]
struct MessageEnvelope {
    #[serde(default)]
    message: Option<String>,
}

/// Decodes JSON. Only when that fails is the body decoded again, tracking the path, to say
/// which value failed and show the body around it: the common case pays nothing for paths.
fn decode<T: DeserializeOwned>(received: &Received) -> Result<T> {
    let body = &received.body;
    let first = match serde_json::from_slice(body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_slice(body);
    let (path, source) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => (e.path().to_string(), e.into_inner()),
        // Only bytes after the value were wrong (the second pass does not look at them).
        Ok(_) => (String::new(), first),
    };
    Err(Error::Decode {
        path,
        excerpt: excerpt_at(body, source.line(), source.column()),
        source,
        request: Box::new(received.info.clone()),
    })
}

/// Up to 80 characters of `body` around a 1-based line and column from `serde_json`.
fn excerpt_at(body: &[u8], line: usize, column: usize) -> String {
    let line_start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let at = (line_start + column.saturating_sub(1)).min(body.len());
    let start = at.saturating_sub(40);
    let end = (at + 40).min(body.len());
    clean(&String::from_utf8_lossy(&body[start..end]))
}

/// Control characters and runs of whitespace become one space, so an excerpt prints on a line.
fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The error for a non-success status: PartnerStack's `message` when the body is its JSON,
/// else a short excerpt of whatever came back (an HTML page from a proxy, say).
fn api_error(status: StatusCode, body: &[u8], info: RequestInfo) -> Error {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<serde_json::Value>,
    }
    let message = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody {
            message: Some(serde_json::Value::String(m)),
        }) => m,
        Ok(ErrorBody { message: Some(m) }) => m.to_string(),
        _ => {
            let text = clean(&String::from_utf8_lossy(&body[..body.len().min(400)]));
            if text.is_empty() {
                status.canonical_reason().unwrap_or("no message").to_string()
            } else {
                let short: String = text.chars().take(200).collect();
                format!("non-JSON body: {short}")
            }
        }
    };
    Error::Api {
        status,
        message,
        request: Box::new(info),
    }
}

/// The request id a server or proxy sent back, for support tickets.
fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(|v| v.chars().take(128).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_sit_around_the_error_and_print_on_one_line() {
        let body = b"{\n  \"a\": 1,\n  \"b\": \"\tnope\"\n}";
        let text = excerpt_at(body, 3, 8);
        assert!(text.contains("\"b\": \" nope\""), "{text}");
        assert!(!text.contains('\n') && !text.contains('\t'));
        assert_eq!(excerpt_at(b"", 1, 1), "");
        assert_eq!(excerpt_at(b"abc", 99, 99), "abc", "past the end: the end of the body");
    }

    #[test]
    fn error_messages_come_from_the_envelope_or_the_body() {
        let info = || RequestInfo {
            operation: "x.list",
            method: reqwest::Method::GET,
            path: "/x",
            attempts: 1,
            request_id: None,
        };
        let msg = |status: u16, body: &[u8]| match api_error(StatusCode::from_u16(status).unwrap(), body, info()) {
            Error::Api { message, .. } => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(msg(400, br#"{"message": "'target_type' is a required property", "status": 400}"#), "'target_type' is a required property");
        assert_eq!(msg(422, br#"{"message": {"email": ["invalid"]}}"#), r#"{"email":["invalid"]}"#);
        assert_eq!(msg(502, b"<h1>Bad\nGateway</h1>"), "non-JSON body: <h1>Bad Gateway</h1>");
        assert_eq!(msg(504, b"  "), "Gateway Timeout");
    }
}

//! The one place requests go out and responses come back: auth, URL, retries, deadlines, body
//! limits, the envelope, and turning every failure into an [`Error`] that names the request.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderMap, HeaderValue, LOCATION, RETRY_AFTER, USER_AGENT,
};
use serde::de::{DeserializeOwned, DeserializeSeed};

use crate::error::{Error, RequestInfo, Result, TransportErrorKind, clean};
use crate::observe::{self, Attempt, Hooks};
use crate::pace::{Pacer, Throttled};
use crate::page::{Page, PageScan, PageSeed, Scanned};
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

impl Envelope {
    /// Where the payload is in an answer, as a decode error's path starts: `data.` or nothing.
    pub(crate) fn path_prefix(self) -> &'static str {
        match self {
            Envelope::Data => "data.",
            Envelope::None => "",
        }
    }
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
    /// The client-wide request rate, when one is set: every attempt waits for its slot.
    pub pacer: Option<Pacer>,
    /// The 429 answers this client received, for partitioned walks to slow down on.
    pub throttled: Throttled,
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
    body: Bytes,
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

    /// Whether this API's answers wrap their payload in an envelope.
    pub(crate) fn envelope(&self) -> Envelope {
        self.inner.envelope
    }

    /// How many 429 answers this client (all its clones) has received so far.
    pub(crate) fn throttled(&self) -> u64 {
        self.inner.throttled.count()
    }

    /// Sends the request and decodes the payload as `T`.
    ///
    /// An envelope without `data` (or with `data: null`) decodes `T` from `null`: fine for an
    /// open JSON value, a clear decode error at `data` for anything else.
    pub(crate) async fn json<T: DeserializeOwned>(&self, request: &Request) -> Result<T> {
        self.payload(request, PhantomData::<T>).await
    }

    /// Sends one page request of a list; the page's keys are the API's ([`PageRules`]).
    pub(crate) async fn page<T: DeserializeOwned>(
        &self,
        request: &Request,
        rules: &'static PageRules,
        page: &PageQuery,
    ) -> Result<Page<T>> {
        let mut request = request.clone();
        page.apply(rules, request.op, &mut request.query)?;
        // Room for the page the limit asks for, so the items are not moved as the list grows
        // (a server sending more only makes it grow).
        let room = page.limit.map_or(0, |limit| limit as usize);
        self.payload(&request, PageSeed::<T>::new(rules).with_capacity(room))
            .await
    }

    /// Sends one page request of a list and scans the answer without decoding its items
    /// ([`PageScan`]): the page decodes later, with [`RawPage::decode`], while the walk already
    /// requests the page after it. A page cut short is retried as [`page`](Self::page) retries
    /// it, since the scan reads all of the JSON.
    pub(crate) async fn raw_page(
        &self,
        request: &Request,
        rules: &'static PageRules,
        page: &PageQuery,
        fingerprint: &(dyn Fn(&str) -> u64 + Sync),
    ) -> Result<(RawPage, Scanned)> {
        let mut request = request.clone();
        page.apply(rules, request.op, &mut request.query)?;
        let envelope = self.inner.envelope;
        let scan = PageScan {
            rules,
            backward: page.backward(),
            fingerprint,
        };
        self.execute(&request, |received| {
            let scanned = match unwrap(envelope, &received, scan) {
                Ok(scanned) => scanned,
                Err(error) if error.is_truncated() => return Err(error),
                // Whatever else is wrong, the page's decoding will say it in full.
                Err(_) => Scanned::default(),
            };
            let raw = RawPage {
                received,
                envelope,
                rules,
                items: scanned.prints.len(),
            };
            Ok((raw, scanned))
        })
        .await
    }

    /// Sends the request and decodes the payload (inside the envelope, if the API has one)
    /// with `seed`.
    async fn payload<S, V>(&self, request: &Request, seed: S) -> Result<V>
    where
        S: Clone + for<'de> DeserializeSeed<'de, Value = V>,
    {
        let envelope = self.inner.envelope;
        self.execute(request, |received| {
            unwrap(envelope, &received, seed.clone())
        })
        .await
    }

    /// Sends the request and returns the envelope's `message`: empty when the answer was
    /// empty or carried no message, since success is the status.
    pub(crate) async fn message(&self, request: &Request) -> Result<String> {
        let envelope = self.inner.envelope;
        self.execute(request, |received| {
            if received.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(String::new());
            }
            match envelope {
                Envelope::Data => {
                    decode::<MessageEnvelope>(&received).map(|e| e.message.unwrap_or_default())
                }
                Envelope::None => Ok(String::from_utf8_lossy(&received.body).into_owned()),
            }
        })
        .await
    }

    /// Sends the request; any successful answer, empty or not, is success.
    pub(crate) async fn empty(&self, request: &Request) -> Result<()> {
        self.execute(request, |_| Ok(())).await
    }

    /// Sends the request, retrying as the policy says, within the call's deadline, and turns
    /// a successful answer into the result with `parse`. A success answer whose JSON ends
    /// early (cut short, though the HTTP answer looked complete) is retried like a broken
    /// connection; any other decode error is final.
    async fn execute<T>(
        &self,
        request: &Request,
        parse: impl Fn(Received) -> Result<T>,
    ) -> Result<T> {
        let op = request.op;
        let started = Instant::now();
        let policy = self.inner.retry;
        // A deadline too far away to represent is no deadline.
        let deadline = [
            request.deadline.at(started),
            policy.call_deadline().and_then(|d| started.checked_add(d)),
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
        let mut attempt: u32 = 1;
        loop {
            // Every attempt, retries included, takes a slot of the client-wide rate; waiting
            // for one counts against the deadline like any other wait.
            if let Some(pacer) = &self.inner.pacer {
                match deadline {
                    Some(d) => {
                        let _ = tokio::time::timeout_at(d.into(), pacer.wait()).await;
                    }
                    None => pacer.wait().await,
                }
            }
            let mut info = RequestInfo::new(op.id, op.method.clone(), op.path, Some(url.clone()));
            info.attempts = attempt;
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if remaining == Some(Duration::ZERO) {
                // This attempt never starts: report the ones that were made.
                info.attempts = attempt.saturating_sub(1);
                return Err(Error::DeadlineExceeded {
                    request: Box::new(info),
                });
            }
            let failure = match self
                .attempt(info, url.clone(), &auth, body.clone(), remaining)
                .await
            {
                Ok(received) => match parse(received) {
                    Ok(value) => return Ok(value),
                    Err(error) if error.is_truncated() => Failure {
                        error,
                        outcome: Some(Outcome::ConnectionLost),
                    },
                    Err(error) => return Err(error),
                },
                Err(failure) => failure,
            };
            let Some(outcome) = failure.outcome else {
                return Err(failure.error);
            };
            if let Outcome::Status { status, .. } = outcome
                && status == reqwest::StatusCode::TOO_MANY_REQUESTS
            {
                self.inner.throttled.record();
            }
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            match policy.decide(attempt, &outcome, op.retry_safe, remaining, fastrand::f64()) {
                Decision::RetryAfter(delay) => {
                    if let Some(info) = failure.error.request() {
                        observe::retrying(info, delay, &failure.error);
                    }
                    tokio::time::sleep(delay).await;
                    attempt = attempt.saturating_add(1);
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
        let mut builder = self.inner.http.request(info.method.clone(), url.clone());
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
        let mut response = match builder.send().await {
            Ok(r) => r,
            Err(e) => {
                watch.finish(hooks, &info, None, None);
                return Err(broken(e, &info));
            }
        };
        let status = response.status();
        info.request_id = request_id(response.headers());
        if status.is_redirection() {
            // Not followed, not read: the request goes nowhere else.
            watch.finish(hooks, &info, Some(status), Some(response.headers()));
            let location = response
                .headers()
                .get(LOCATION)
                .map(|v| describe_location(&url, v.as_bytes()));
            return Err(Failure {
                error: Error::Redirect {
                    status,
                    location,
                    request: Box::new(info),
                },
                outcome: None,
            });
        }
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let body = read_capped(&mut response, self.inner.max_response_bytes).await;
        watch.finish(hooks, &info, Some(status), Some(response.headers()));
        let outcome = Some(Outcome::Status {
            status,
            retry_after,
        });
        let body = match body {
            Ok(body) => body,
            // An error answer keeps its status, and so its retryability, whatever its body.
            Err(Cap::Exceeded(limit)) if !status.is_success() => {
                let message = format!(
                    "{} (error body over the {limit}-byte limit, not read)",
                    status.canonical_reason().unwrap_or("error")
                );
                return Err(Failure {
                    error: Error::Api {
                        status,
                        message,
                        request: Box::new(info),
                    },
                    outcome,
                });
            }
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
                outcome,
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
///
/// A body that arrives as one chunk is kept as that chunk, not copied (a page of 250 rewards is
/// about 224 KiB): over a warm local connection a page often does. That chunk is a slice of
/// hyper's read buffer, which it keeps alive (at most a few hundred KiB) while the page is held.
async fn read_capped(
    response: &mut reqwest::Response,
    limit: usize,
) -> std::result::Result<Bytes, Cap> {
    // Read before any chunk: what is left to read, not the whole body, is reported after.
    let announced = response.content_length();
    if announced.is_some_and(|len| len > limit as u64) {
        return Err(Cap::Exceeded(limit));
    }
    let Some(first) = response.chunk().await.map_err(Cap::Broken)? else {
        return Ok(Bytes::new());
    };
    if first.len() > limit {
        return Err(Cap::Exceeded(limit));
    }
    let Some(second) = response.chunk().await.map_err(Cap::Broken)? else {
        return Ok(first);
    };
    // What the server announces is a hint, not a promise: reserve at most 1 MiB up front.
    let expected = announced
        .map_or(0, |len| usize::try_from(len).unwrap_or(usize::MAX))
        .min(1 << 20);
    let mut body = Vec::with_capacity(expected.max(first.len()));
    body.extend_from_slice(&first);
    let mut chunk = Some(second);
    while let Some(more) = chunk {
        if body.len().saturating_add(more.len()) > limit {
            return Err(Cap::Exceeded(limit));
        }
        body.extend_from_slice(&more);
        chunk = response.chunk().await.map_err(Cap::Broken)?;
    }
    Ok(Bytes::from(body))
}

/// The envelope `{data, message, status}`: `data` decoded with the payload's seed (`None`
/// when absent), everything else skipped.
#[derive(Clone)]
struct DataSeed<S>(S);

impl<'de, S: DeserializeSeed<'de> + Clone> DeserializeSeed<'de> for DataSeed<S> {
    type Value = Option<S::Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, S: DeserializeSeed<'de> + Clone> serde::de::Visitor<'de> for DataSeed<S> {
    type Value = Option<S::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PartnerStack's envelope, an object with `data`")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut data = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "data" && data.is_none() {
                data = Some(map.next_value_seed(self.0.clone())?);
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(data)
    }
}

#[derive(serde::Deserialize)]
struct MessageEnvelope {
    #[serde(default)]
    message: Option<String>,
}

/// Decodes the payload of an answer with `seed`: inside the envelope, if the API has one.
///
/// An envelope without `data` (or with `data: null`) decodes from `null`: fine for an open
/// JSON value, a clear decode error at `data` for anything else.
fn unwrap<S, V>(envelope: Envelope, received: &Received, seed: S) -> Result<V>
where
    S: Clone + for<'de> DeserializeSeed<'de, Value = V>,
{
    match envelope {
        Envelope::Data => match decode_with(received, DataSeed(seed.clone()))? {
            Some(data) => Ok(data),
            None => seed
                .deserialize(serde_json::Value::Null)
                .map_err(|source| Error::Decode {
                    path: "data".into(),
                    excerpt: excerpt_at(&received.body, 1, 1),
                    source,
                    request: Box::new(received.info.clone()),
                }),
        },
        Envelope::None => decode_with(received, seed),
    }
}

/// A page of a list as it came, scanned but not decoded (see [`Transport::raw_page`]).
pub(crate) struct RawPage {
    received: Received,
    envelope: Envelope,
    rules: &'static PageRules,
    /// Items the scan counted (those with a cursor), to make room for at once.
    items: usize,
}

impl RawPage {
    /// Decodes the page, with the errors [`Transport::page`] would have given.
    pub(crate) fn decode<T: DeserializeOwned>(&self) -> Result<Page<T>> {
        let seed = PageSeed::<T>::new(self.rules).with_capacity(self.items);
        unwrap(self.envelope, &self.received, seed)
    }
}

/// Decodes JSON as `T`.
fn decode<T: DeserializeOwned>(received: &Received) -> Result<T> {
    decode_with(received, PhantomData::<T>)
}

/// Decodes JSON with `seed`. Only when that fails is the body decoded again, tracking the path,
/// to say which value failed and show the body around it: the common case pays nothing for
/// paths.
fn decode_with<S, V>(received: &Received, seed: S) -> Result<V>
where
    S: Clone + for<'de> DeserializeSeed<'de, Value = V>,
{
    let body = &received.body;
    let mut de = serde_json::Deserializer::from_slice(body);
    let first = match seed
        .clone()
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
    {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    // JSON cut short can fail to fit the model before the end is reached (a required field
    // missing from an object that closed early): whether the body is complete decides.
    if !first.is_eof()
        && let Err(cut) = serde_json::from_slice::<serde::de::IgnoredAny>(body)
        && cut.is_eof()
    {
        return Err(Error::Decode {
            path: String::new(),
            excerpt: excerpt_at(body, cut.line(), cut.column()),
            source: cut,
            request: Box::new(received.info.clone()),
        });
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let (path, source) =
        match seed.deserialize(serde_path_to_error::Deserializer::new(&mut de, &mut track)) {
            Err(e) => (track.path().to_string(), e),
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

/// Up to 80 bytes of `body` around a 1-based line and column from `serde_json`, scrubbed: the
/// contents of JSON strings other than object keys become `…`, so no value from the body (an
/// e-mail address, a name) reaches an error message; control characters become spaces.
fn excerpt_at(body: &[u8], line: usize, column: usize) -> String {
    let line_start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let at = line_start
        .saturating_add(column.saturating_sub(1))
        .min(body.len());
    let start = at.saturating_sub(40);
    let end = at.saturating_add(40).min(body.len());
    clean(&scrub_json(body, start, end), 200)
}

/// `body[start..end]` with the contents of every JSON string that is not an object key
/// replaced by `…`. Where strings begin and end is worked out from the start of the body, so a
/// window that begins inside a string is scrubbed too.
fn scrub_json(body: &[u8], start: usize, end: usize) -> String {
    // Finds the quote closing a string whose contents begin at `from` (or the end of the body).
    let close = |from: usize| {
        let mut i = from;
        while i < body.len() {
            match body[i] {
                b'\\' => i += 2,
                b'"' => return i,
                _ => i += 1,
            }
        }
        body.len()
    };
    // An object key is followed by `:` after optional whitespace.
    let is_key = |quote: usize| {
        body.get(quote.saturating_add(1)..)
            .unwrap_or_default()
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b':')
    };
    let mut out = Vec::with_capacity(end.saturating_sub(start) + 8);
    let mut i = 0;
    while i < end {
        if body[i] != b'"' {
            if i >= start {
                out.push(body[i]);
            }
            i += 1;
            continue;
        }
        let shut = close(i + 1);
        if shut >= start {
            let from = i.max(start);
            let to = shut.saturating_add(1).min(end);
            if is_key(shut) {
                out.extend_from_slice(&body[from..to]);
            } else {
                if i >= start {
                    out.push(b'"');
                }
                out.extend_from_slice("…".as_bytes());
                if shut < end {
                    out.push(b'"');
                }
            }
        }
        i = shut.saturating_add(1);
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The error for a non-success status: PartnerStack's `message` when the body is its JSON,
/// else a short excerpt of whatever came back (an HTML page from a proxy, say). Either way
/// cleaned of control characters and bounded in length.
fn api_error(status: StatusCode, body: &[u8], info: RequestInfo) -> Error {
    #[derive(serde::Deserialize)]
    struct ErrorBody {
        message: Option<serde_json::Value>,
    }
    let max = Error::MAX_MESSAGE_CHARS;
    let message = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody {
            message: Some(serde_json::Value::String(m)),
        }) => clean(&m, max),
        Ok(ErrorBody { message: Some(m) }) => clean(&m.to_string(), max),
        _ => {
            let text = clean(&String::from_utf8_lossy(&body[..body.len().min(800)]), 200);
            if text.is_empty() {
                status
                    .canonical_reason()
                    .unwrap_or("no message")
                    .to_string()
            } else {
                format!("non-JSON body: {text}")
            }
        }
    };
    Error::Api {
        status,
        message,
        request: Box::new(info),
    }
}

/// A redirect's `Location`, resolved against the request's URL, for an error message: scheme,
/// host, port and path, without user information, a query or fragment (shown as `?…`), cleaned.
fn describe_location(request: &reqwest::Url, location: &[u8]) -> String {
    let text = String::from_utf8_lossy(location);
    match request.join(text.trim()) {
        Ok(mut url) => {
            let hidden = url.query().is_some() || url.fragment().is_some();
            url.set_query(None);
            url.set_fragment(None);
            let _ = url.set_username("");
            let _ = url.set_password(None);
            let mut shown = clean(url.as_str(), 200);
            if hidden {
                shown.push_str("?…");
            }
            shown
        }
        Err(_) => {
            let cut = text.find(['?', '#']).unwrap_or(text.len());
            let hidden = if cut < text.len() { "?…" } else { "" };
            format!("{}{hidden} (not a valid URL)", clean(&text[..cut], 200))
        }
    }
}

/// The failure for an error of the HTTP client: the URL stripped from it, its kind found, and
/// whether a retry may help.
fn broken(source: reqwest::Error, info: &RequestInfo) -> Failure {
    let kind = classify(&source);
    let outcome = if kind.never_sent() {
        kind.is_retryable().then_some(Outcome::ConnectFailed)
    } else if kind == TransportErrorKind::TimedOut {
        Some(Outcome::TimedOut)
    } else {
        kind.is_retryable().then_some(Outcome::ConnectionLost)
    };
    Failure {
        error: Error::Transport {
            source: source.without_url(),
            kind,
            request: Box::new(info.clone()),
        },
        outcome,
    }
}

/// What happened, from the error and its chain of sources. A failure while connecting is
/// checked first: a connect timeout is a connection that could not be opened.
fn classify(error: &reqwest::Error) -> TransportErrorKind {
    use std::io::ErrorKind as Io;
    let mut io = None;
    let mut parse = false;
    let mut closed = false;
    // rustls reports a failed handshake as an `InvalidData` I/O error (below); native-tls as its
    // own error type.
    #[allow(unused_mut, reason = "set only with the `native-tls` feature")]
    let mut tls = false;
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        #[cfg(feature = "native-tls")]
        {
            tls |= e.downcast_ref::<native_tls::Error>().is_some();
        }
        // The innermost I/O error is the most precise (TLS errors arrive wrapped in `Other`).
        // `io::Error::source` skips the error an I/O error wraps; `get_ref` does not.
        let mut wrapped = e.downcast_ref::<std::io::Error>();
        while let Some(e) = wrapped {
            io = Some(e.kind());
            wrapped = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<std::io::Error>());
        }
        if let Some(e) = e.downcast_ref::<hyper::Error>() {
            parse |= e.is_parse();
            closed |= e.is_incomplete_message() || e.is_canceled() || e.is_closed();
        }
        source = e.source();
    }
    if error.is_connect() {
        return if error.is_dns() {
            TransportErrorKind::Dns
        } else if error.is_timeout() || io == Some(Io::TimedOut) {
            TransportErrorKind::ConnectTimedOut
        } else if io == Some(Io::ConnectionRefused) {
            TransportErrorKind::ConnectionRefused
        } else if tls || io == Some(Io::InvalidData) {
            // How the TLS layer reports a handshake that failed (rustls errors).
            TransportErrorKind::Tls
        } else {
            TransportErrorKind::Connect
        };
    }
    if error.is_timeout() {
        return TransportErrorKind::TimedOut;
    }
    if parse {
        return TransportErrorKind::Protocol;
    }
    match io {
        Some(Io::UnexpectedEof) => TransportErrorKind::BodyCutShort,
        Some(Io::ConnectionReset | Io::ConnectionAborted | Io::BrokenPipe) => {
            TransportErrorKind::ConnectionReset
        }
        _ if closed => TransportErrorKind::ConnectionClosed,
        _ if error.is_body() || error.is_decode() => TransportErrorKind::BodyCutShort,
        _ => TransportErrorKind::Other,
    }
}

/// The request id a server or proxy sent back, for support tickets.
fn request_id(headers: &HeaderMap) -> Option<String> {
    ["x-request-id", "request-id", "x-amzn-requestid", "cf-ray"]
        .iter()
        .find_map(|name| headers.get(*name))
        .and_then(|v| v.to_str().ok())
        .map(|v| clean(v, 128))
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_sit_around_the_error_print_on_one_line_and_hide_values() {
        let body = b"{\n  \"a\": 1,\n  \"b\": \"\tnope\"\n}";
        let text = excerpt_at(body, 3, 8);
        assert!(text.contains("\"b\": \"…\""), "{text}");
        assert!(!text.contains("nope") && !text.contains('\n') && !text.contains('\t'));
        assert_eq!(excerpt_at(b"", 1, 1), "");
        assert_eq!(
            excerpt_at(b"abc", 99, 99),
            "abc",
            "past the end: the end of the body"
        );
        assert_eq!(excerpt_at(b"x", usize::MAX, usize::MAX), "x");
    }

    #[test]
    fn scrubbing_keeps_keys_and_structure_and_hides_every_string_value() {
        let body =
            br#"{"email": "jane.doe@example.com", "n": 5, "tags": ["a\"b", "c"], "x": "\\"}"#;
        assert_eq!(
            scrub_json(body, 0, body.len()),
            r#"{"email": "…", "n": 5, "tags": ["…", "…"], "x": "…"}"#
        );
        // A window starting or ending inside a value still shows none of it.
        for start in 0..body.len() {
            for end in start..=body.len() {
                let text = scrub_json(body, start, end);
                for secret in ["jane", "doe", "example", "a\\\"b"] {
                    assert!(!text.contains(secret), "{start}..{end}: {text}");
                }
            }
        }
        // Unterminated strings and stray escapes at the end do not panic.
        for body in [&b"\"abc"[..], b"\"\\", b"\\", b"\"", b"{\"k\":"] {
            let _ = scrub_json(body, 0, body.len());
        }
    }

    #[test]
    fn error_messages_come_from_the_envelope_or_the_body_cleaned() {
        let info = || RequestInfo::new("x.list", reqwest::Method::GET, "/x", None);
        let msg = |status: u16, body: &[u8]| match api_error(
            StatusCode::from_u16(status).unwrap(),
            body,
            info(),
        ) {
            Error::Api { message, .. } => message,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            msg(
                400,
                br#"{"message": "'target_type' is a required property", "status": 400}"#
            ),
            "'target_type' is a required property"
        );
        assert_eq!(
            msg(422, br#"{"message": {"email": ["invalid"]}}"#),
            r#"{"email":["invalid"]}"#
        );
        assert_eq!(
            msg(502, b"<h1>Bad\nGateway</h1>"),
            "non-JSON body: <h1>Bad Gateway</h1>"
        );
        assert_eq!(msg(504, b"  "), "Gateway Timeout");
        assert_eq!(
            msg(
                400,
                br#"{"message": "bad\r\n2026-01-01 INFO forged line\u001b[0m"}"#
            ),
            "bad 2026-01-01 INFO forged line [0m"
        );
        let long = format!(r#"{{"message": "{}"}}"#, "x".repeat(10_000));
        assert_eq!(
            msg(400, long.as_bytes()).chars().count(),
            Error::MAX_MESSAGE_CHARS + 1
        );
    }

    #[test]
    fn redirect_locations_are_resolved_and_lose_their_query() {
        let base =
            reqwest::Url::parse("https://api.example.com/api/v2/rewards?keywords=jane").unwrap();
        let at = |loc: &[u8]| describe_location(&base, loc);
        assert_eq!(
            at(b"/login?email=jane%40example.com"),
            "https://api.example.com/login?…"
        );
        assert_eq!(
            at(b"http://user:pw@evil.example:8080/x#frag"),
            "http://evil.example:8080/x?…"
        );
        assert_eq!(
            at(b"https://a.example/\r\nSet-Cookie"),
            "https://a.example/Set-Cookie"
        );
        assert_eq!(at(b"http://[::1"), "http://[::1 (not a valid URL)");
        assert_eq!(
            at(b"http://[::1?q=secret"),
            "http://[::1?… (not a valid URL)"
        );
    }
}

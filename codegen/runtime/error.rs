//! The one error type of the client.
//!
//! What an error prints (`Display` and `Debug`) is safe to log: the operation, method, path
//! template, attempts, status, request id and the *kind* of failure, never a value the caller
//! passed (query values, path parameters, bodies), never a credential. Text that comes from the
//! server is cleaned of control characters, so it prints on one line and cannot forge log lines.
//! The full URL, query included, is there for code that asks for it: [`Error::url`].

use std::fmt;

use reqwest::{Method, StatusCode};

/// What every fallible call of this crate returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling PartnerStack.
///
/// Its `Display` is one line safe to log: which request (operation, method, path template,
/// attempts), what happened, and why. Match on the variant to decide what to do;
/// [`Error::is_retryable`], [`Error::status`] and [`Error::request`] answer the common questions
/// without a match. No variant ever holds an API key, and neither `Display` nor `Debug` shows
/// the URL or a value the caller passed (code that needs the URL asks [`Error::url`]), except
/// the time windows a stopped partitioned walk left, which may be the caller's own
/// created-time bounds. Text from
/// the server is shown cleaned but as sent: if PartnerStack echoes a value in its `message`, the
/// message holds it.
///
/// Every kind, and what to do about it (the client has already retried what was worth
/// retrying, by its [`RetryPolicy`](crate::RetryPolicy)):
///
/// ```no_run
/// use partnerstack::{Error, TransportErrorKind};
///
/// # async fn run(client: partnerstack::partner::Client) {
/// match client.rewards().list().send().await {
///     Ok(page) => println!("{} rewards", page.items.len()),
///     // PartnerStack (or a proxy) said no: 401 a bad key, 404 no such object, 429 too many.
///     Err(Error::Api { status, .. }) if status == 401 => eprintln!("check PARTNERSTACK_API_KEY"),
///     Err(Error::Api { status, message, .. }) => eprintln!("refused ({status}): {message}"),
///     // A 3xx, not followed: the key was not sent anywhere else.
///     Err(Error::Redirect { location, .. }) => eprintln!("redirected to {location:?}"),
///     // The answer was not the JSON the spec describes; `path` says where.
///     Err(e @ Error::Decode { .. }) if e.is_truncated() => eprintln!("cut short, try later: {e}"),
///     Err(Error::Decode { path, .. }) => eprintln!("unexpected JSON at `{path}`: report it"),
///     // The network; `kind` says what happened, `is_retryable()` whether trying again helps.
///     Err(Error::Transport { kind: TransportErrorKind::Tls, .. }) => eprintln!("TLS failed"),
///     Err(e @ Error::Transport { .. }) if e.is_retryable() => eprintln!("try later: {e}"),
///     Err(Error::Transport { kind, .. }) => eprintln!("network: {kind}"),
///     Err(Error::ResponseTooLarge { limit, .. }) => eprintln!("over {limit} bytes"),
///     Err(Error::DeadlineExceeded { .. }) => eprintln!("out of time: try later"),
///     // Walks (`.pages()`, `.items()`): resume with `starting_after(last key)`.
///     Err(Error::PaginationLoop { pages, .. }) => eprintln!("a page repeated after {pages}"),
///     Err(Error::PageLimitReached { limit, .. }) => eprintln!("stopped after {limit} pages"),
///     // `items_partitioned`: walk each window left again (by `min_created`/`max_created`).
///     Err(Error::PartitionedWalkStopped { unfinished, .. }) => eprintln!("{} left", unfinished.len()),
///     // Caught before anything was sent: fix the call.
///     Err(Error::InvalidArgument { message, .. }) => eprintln!("{message}"),
///     // Receiving (`Event::from_slice`): not a delivery; answer 400.
///     Err(Error::Delivery { what, reason, .. }) => eprintln!("not a {what}: {reason}"),
///     // Kinds a later version adds.
///     Err(e) => eprintln!("{e}"),
/// }
/// # }
/// ```
#[non_exhaustive]
pub enum Error {
    /// PartnerStack (or a proxy in front of it) answered with an error status.
    #[non_exhaustive]
    Api {
        /// The HTTP status, a reqwest [`StatusCode`]; compare it with a number: `status == 404`.
        ///
        /// [`StatusCode`]: https://docs.rs/reqwest/0.13/reqwest/struct.StatusCode.html
        status: StatusCode,
        /// PartnerStack's `message`; for a body that is not PartnerStack's JSON (an HTML page
        /// from a proxy, say) a short excerpt of the body, or the status text if it was empty
        /// or too large to read. Cleaned: control characters become spaces, and it is at most
        /// [`MAX_MESSAGE_CHARS`](Error::MAX_MESSAGE_CHARS) characters long.
        message: String,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The server answered with a redirect (3xx). PartnerStack's API never redirects, so the
    /// client does not follow one (the request, key included, is not sent anywhere else) and
    /// does not retry it.
    #[non_exhaustive]
    Redirect {
        /// The HTTP status, a reqwest [`StatusCode`].
        ///
        /// [`StatusCode`]: https://docs.rs/reqwest/0.13/reqwest/struct.StatusCode.html
        status: StatusCode,
        /// Where the server pointed, as `scheme://host[:port]/path`: cleaned, without user
        /// information, and with any query or fragment replaced by `?…`. `None` without a
        /// `Location` header.
        location: Option<String>,
        /// Which request was redirected.
        request: Box<RequestInfo>,
    },
    /// The response was not the JSON the spec describes.
    ///
    /// A body that ends in the middle of the JSON (a success answer cut short) is transient
    /// and retried like a broken connection for operations safe to repeat; see
    /// [`Error::is_truncated`]. JSON that is complete but does not fit the model is not retried.
    #[non_exhaustive]
    Decode {
        /// Where in the JSON decoding failed, like `data.items[3].amount` (empty at the top).
        path: String,
        /// A short piece of the body around the failure, scrubbed: the contents of JSON
        /// strings other than object keys are replaced by `…`, control characters by spaces.
        excerpt: String,
        /// The JSON error, a [`serde_json::Error`], as serde_json reported it (with its line
        /// and column). Its message may quote values from the body, so it is neither printed
        /// nor returned by [`std::error::Error::source`]; read it here explicitly if you need
        /// it.
        source: serde_json::Error,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// A body PartnerStack delivered to you (a postback or a webhook) could not be read: it is
    /// not JSON, or not an object with the event's name in `event`. `Event::from_slice` returns
    /// it; for a known event whose payload does not fit its type, it comes inside
    /// [`MalformedEvent`](crate::MalformedEvent) (as `Event::Malformed`) with the whole body,
    /// so the delivery is not lost.
    #[non_exhaustive]
    Delivery {
        /// What was being read: `postback` (Partner API) or `webhook` (Vendor API).
        what: &'static str,
        /// Where in the JSON reading failed, like `data.amount` (empty at the top).
        path: String,
        /// Why, in words that hold no value from the body (serde_json's quoted values are
        /// replaced by `…`).
        reason: String,
        /// The [`serde_json::Error`] underneath, when serde_json reported the failure (`None`
        /// when the body is JSON but not a delivery). Its message may quote values from the
        /// body, so it is neither printed nor returned by [`std::error::Error::source`].
        source: Option<serde_json::Error>,
    },
    /// The request could not be sent or the response not received (connection, DNS, TLS,
    /// timeout, a body cut short).
    #[non_exhaustive]
    Transport {
        /// What went wrong underneath, the HTTP client's [`reqwest::Error`], with the URL
        /// removed (its chain names no value the caller passed; the URL is at
        /// [`Error::url`]). [`std::error::Error::source`] returns it.
        ///
        /// [`reqwest::Error`]: https://docs.rs/reqwest/0.13/reqwest/struct.Error.html
        source: reqwest::Error,
        /// What kind of failure it was.
        kind: TransportErrorKind,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The response body was larger than the client's limit, so it was not read to the end.
    #[non_exhaustive]
    ResponseTooLarge {
        /// The limit, in bytes (see the client builder's `max_response_bytes`).
        limit: usize,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The call's deadline passed before it could succeed (see the request builders'
    /// `deadline` and [`RetryPolicy::deadline`](crate::RetryPolicy::deadline)).
    #[non_exhaustive]
    DeadlineExceeded {
        /// Which request, with the attempts made so far.
        request: Box<RequestInfo>,
    },
    /// A walk through a list ([`Pages`](crate::Pages), [`Items`](crate::Items)) stopped because
    /// the server sent a page holding a key the walk had already used as a cursor (or started
    /// from): a repeated page or a cursor cycle. The items of that page were not delivered, so
    /// nothing arrives twice; the items before it are correct.
    #[non_exhaustive]
    PaginationLoop {
        /// Pages delivered before the repeated one.
        pages: u64,
        /// The page request that got the repeated page.
        request: Box<RequestInfo>,
    },
    /// A walk through a list reached the caller's page limit (`max_pages` on
    /// [`Pages`](crate::Pages) or [`Items`](crate::Items)) while the server still said more
    /// items follow. Every item of those pages was delivered; resume with `starting_after`
    /// (or `ending_before`) set to the last key received.
    #[non_exhaustive]
    PageLimitReached {
        /// The limit.
        limit: u64,
        /// The list request.
        request: Box<RequestInfo>,
    },
    /// A partitioned walk (`items_partitioned`) stopped on `source`, the first error of one
    /// of its windows; every item delivered before it is good. `unfinished` lists the
    /// created-time windows (both ends included) not fully delivered: walk each again with the
    /// list's created-time filters (`min_created` / `max_created`) to finish the export. Items
    /// of a window that was under way may come again (those of its newest millisecond; all of
    /// them when the server answered it out of order), so keep them by key. Errors found
    /// before the walk starts (an argument, or the requests that find the list's range) come
    /// as themselves, not wrapped. [`Error::status`], [`Error::request`], [`Error::is_retryable`] and
    /// the other questions answer for `source`.
    #[non_exhaustive]
    PartitionedWalkStopped {
        /// Why the window stopped.
        source: Box<Error>,
        /// The windows not fully delivered, oldest first: `(from, to)`, both included.
        unfinished: Vec<(crate::Timestamp, crate::Timestamp)>,
    },
    /// An argument was rejected before anything was sent.
    #[non_exhaustive]
    InvalidArgument {
        /// What is wrong with it.
        message: String,
        /// The operation it was given to, if any (`None` for client configuration).
        operation: Option<&'static str>,
    },
}

/// What kind of failure a [`Error::Transport`] was, from what happened underneath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The host name could not be resolved. The request never left.
    Dns,
    /// The server refused the connection. The request never left.
    ConnectionRefused,
    /// Opening the connection took longer than the connect timeout. The request never left.
    ConnectTimedOut,
    /// Any other failure to open the connection (network unreachable, reset during the
    /// handshake). The request never left.
    Connect,
    /// The TLS handshake failed (a certificate that does not verify, a server that does not
    /// speak TLS). The request never left; trying again does not help.
    Tls,
    /// The attempt's timeout (or the call's deadline) passed after the connection was open:
    /// the server may have received the request.
    TimedOut,
    /// The connection was reset or aborted after the request may have been sent.
    ConnectionReset,
    /// The server closed the connection before its answer began.
    ConnectionClosed,
    /// The answer's body ended before its announced length, or its chunked framing broke.
    BodyCutShort,
    /// The server's answer was not valid HTTP. Trying again does not help.
    Protocol,
    /// Anything else the HTTP client reported (see the error's source).
    Other,
}

impl TransportErrorKind {
    /// True when the request provably never reached the server.
    pub fn never_sent(self) -> bool {
        matches!(
            self,
            TransportErrorKind::Dns
                | TransportErrorKind::ConnectionRefused
                | TransportErrorKind::ConnectTimedOut
                | TransportErrorKind::Connect
                | TransportErrorKind::Tls
        )
    }

    /// True when trying again may succeed.
    pub fn is_retryable(self) -> bool {
        !matches!(
            self,
            TransportErrorKind::Tls | TransportErrorKind::Protocol | TransportErrorKind::Other
        )
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Dns => "the host name could not be resolved (DNS)",
            TransportErrorKind::ConnectionRefused => "connection refused",
            TransportErrorKind::ConnectTimedOut => "timed out opening the connection",
            TransportErrorKind::Connect => "could not open a connection",
            TransportErrorKind::Tls => "TLS handshake failed",
            TransportErrorKind::TimedOut => "timed out",
            TransportErrorKind::ConnectionReset => "connection reset",
            TransportErrorKind::ConnectionClosed => "connection closed before the answer",
            TransportErrorKind::BodyCutShort => "the answer's body was cut short",
            TransportErrorKind::Protocol => "the answer was not valid HTTP",
            TransportErrorKind::Other => "HTTP client error",
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                message,
                request,
            } => write!(f, "{request}: PartnerStack answered {status}: {message}"),
            Error::Redirect {
                status,
                location,
                request,
            } => {
                write!(
                    f,
                    "{request}: answered {status}, a redirect, which is not followed"
                )?;
                match location {
                    Some(location) => write!(f, ", to {location}"),
                    None => Ok(()),
                }
            }
            Error::Decode {
                path,
                excerpt,
                source,
                request,
            } => {
                let what = if source.is_eof() {
                    "the JSON ends early (answer cut short)".to_string()
                } else {
                    scrub_serde_message(source)
                };
                write!(
                    f,
                    "{request}: could not decode the response at `{path}`: {what}; body near the \
                     error: {excerpt}"
                )
            }
            Error::Delivery {
                what, path, reason, ..
            } => {
                write!(f, "could not read a {what}")?;
                if !path.is_empty() {
                    write!(f, " at `{path}`")?;
                }
                write!(f, ": {reason}")
            }
            Error::Transport { kind, request, .. } => write!(f, "{request}: {kind}"),
            Error::ResponseTooLarge { limit, request } => {
                write!(
                    f,
                    "{request}: response body exceeds the limit of {limit} bytes"
                )
            }
            Error::DeadlineExceeded { request } => write!(f, "{request}: deadline exceeded"),
            Error::PaginationLoop { pages, request } => write!(
                f,
                "{request}: the server repeated a page after {pages} page(s); the walk stopped \
                 to avoid duplicates"
            ),
            Error::PageLimitReached { limit, request } => write!(
                f,
                "{request}: stopped after the limit of {limit} page(s); more items remain"
            ),
            Error::PartitionedWalkStopped { source, unfinished } => {
                write!(
                    f,
                    "{source}; the partitioned walk stopped with {} created-time window(s) unfinished",
                    unfinished.len()
                )?;
                for (i, (from, to)) in unfinished.iter().enumerate() {
                    if i == 8 {
                        write!(f, ", …")?;
                        break;
                    }
                    write!(f, "{} {from} to {to}", if i == 0 { ":" } else { "," })?;
                }
                f.write_str(" (walk them again with the created-time filters)")
            }
            Error::InvalidArgument { message, operation } => {
                f.write_str("invalid argument")?;
                if let Some(operation) = operation {
                    write!(f, " to {operation}")?;
                }
                write!(f, ": {message}")
            }
        }
    }
}

impl std::error::Error for Error {
    /// The HTTP client's error (URL removed) for [`Error::Transport`]; nothing for the others.
    /// A decode error's `serde_json` error is left out on purpose: its message quotes values
    /// from the body.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport { source, .. } => Some(source),
            // Its own text is the stopped walk's error's, so the chain goes on below that.
            Error::PartitionedWalkStopped { source, .. } => source.source(),
            _ => None,
        }
    }
}

impl fmt::Debug for Error {
    /// Like `Display`, field by field: no query value, no body value, no credential.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api {
                status,
                message,
                request,
            } => f
                .debug_struct("Api")
                .field("status", status)
                .field("message", message)
                .field("request", request)
                .finish(),
            Error::Redirect {
                status,
                location,
                request,
            } => f
                .debug_struct("Redirect")
                .field("status", status)
                .field("location", location)
                .field("request", request)
                .finish(),
            Error::Decode {
                path,
                excerpt,
                source,
                request,
            } => f
                .debug_struct("Decode")
                .field("path", path)
                .field("excerpt", excerpt)
                .field("message", &scrub_serde_message(source))
                .field("line", &source.line())
                .field("column", &source.column())
                .field("request", request)
                .finish_non_exhaustive(),
            Error::Delivery {
                what,
                path,
                reason,
                source,
            } => f
                .debug_struct("Delivery")
                .field("what", what)
                .field("path", path)
                .field("reason", reason)
                .field("line", &source.as_ref().map(serde_json::Error::line))
                .field("column", &source.as_ref().map(serde_json::Error::column))
                .finish_non_exhaustive(),
            Error::Transport {
                source,
                kind,
                request,
            } => f
                .debug_struct("Transport")
                .field("kind", kind)
                .field("source", source)
                .field("request", request)
                .finish(),
            Error::ResponseTooLarge { limit, request } => f
                .debug_struct("ResponseTooLarge")
                .field("limit", limit)
                .field("request", request)
                .finish(),
            Error::DeadlineExceeded { request } => f
                .debug_struct("DeadlineExceeded")
                .field("request", request)
                .finish(),
            Error::PaginationLoop { pages, request } => f
                .debug_struct("PaginationLoop")
                .field("pages", pages)
                .field("request", request)
                .finish(),
            Error::PageLimitReached { limit, request } => f
                .debug_struct("PageLimitReached")
                .field("limit", limit)
                .field("request", request)
                .finish(),
            Error::PartitionedWalkStopped { source, unfinished } => f
                .debug_struct("PartitionedWalkStopped")
                .field("source", source)
                .field("unfinished", unfinished)
                .finish(),
            Error::InvalidArgument { message, operation } => f
                .debug_struct("InvalidArgument")
                .field("message", message)
                .field("operation", operation)
                .finish(),
        }
    }
}

impl Error {
    /// The longest server message an [`Error::Api`] keeps, in characters.
    pub const MAX_MESSAGE_CHARS: usize = 500;

    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } | Error::Redirect { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            Error::PartitionedWalkStopped { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Which request failed, when one was made.
    pub fn request(&self) -> Option<&RequestInfo> {
        match self {
            Error::Api { request, .. }
            | Error::Redirect { request, .. }
            | Error::Decode { request, .. }
            | Error::Transport { request, .. }
            | Error::ResponseTooLarge { request, .. }
            | Error::DeadlineExceeded { request }
            | Error::PaginationLoop { request, .. }
            | Error::PageLimitReached { request, .. } => Some(request),
            Error::PartitionedWalkStopped { source, .. } => source.request(),
            Error::InvalidArgument { .. } | Error::Delivery { .. } => None,
        }
    }

    /// The full URL of the failed request, query included, when one was sent.
    ///
    /// **May be private**: it holds every query value and path parameter the caller passed
    /// (e-mail addresses, customer keys, search words). No `Display` or `Debug` output of this
    /// crate includes it; think twice before logging it.
    pub fn url(&self) -> Option<&reqwest::Url> {
        self.request().and_then(RequestInfo::url)
    }

    /// What kind of transport failure this was, for [`Error::Transport`].
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            Error::Transport { kind, .. } => Some(*kind),
            Error::PartitionedWalkStopped { source, .. } => source.transport_kind(),
            _ => None,
        }
    }

    /// True when the request timed out (opening the connection or waiting for the answer), or
    /// the call's deadline passed.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => {
                matches!(
                    kind,
                    TransportErrorKind::TimedOut | TransportErrorKind::ConnectTimedOut
                )
            }
            Error::DeadlineExceeded { .. } => true,
            Error::PartitionedWalkStopped { source, .. } => source.is_timeout(),
            _ => false,
        }
    }

    /// True when the answer's body was cut short: a success answer whose JSON ends early
    /// though the HTTP answer looked complete ([`Error::Decode`]), or a body that ended before
    /// its announced length ([`TransportErrorKind::BodyCutShort`]).
    pub fn is_truncated(&self) -> bool {
        match self {
            Error::Decode { source, .. } => source.is_eof(),
            Error::Transport { kind, .. } => *kind == TransportErrorKind::BodyCutShort,
            Error::PartitionedWalkStopped { source, .. } => source.is_truncated(),
            _ => false,
        }
    }

    /// True when a walk through a list stopped because the server repeated a page
    /// ([`Error::PaginationLoop`]).
    pub fn is_pagination_loop(&self) -> bool {
        match self {
            Error::PartitionedWalkStopped { source, .. } => source.is_pagination_loop(),
            e => matches!(e, Error::PaginationLoop { .. }),
        }
    }

    /// True when the failure is transient, so the same call may succeed later: a 429, 500,
    /// 502, 503 or 504 answer, a timeout, a deadline, a connection that could not be opened or
    /// broke (not a TLS or HTTP protocol failure), or a success answer cut short. Redirects,
    /// decode errors of complete JSON, oversized bodies, pagination loops and invalid arguments
    /// are not. (The client has already retried as its
    /// [`RetryPolicy`](crate::RetryPolicy) allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => crate::retry::is_transient(*status),
            Error::Transport { kind, .. } => kind.is_retryable(),
            Error::Decode { source, .. } => source.is_eof(),
            Error::DeadlineExceeded { .. } => true,
            Error::PartitionedWalkStopped { source, .. } => source.is_retryable(),
            Error::Redirect { .. }
            | Error::Delivery { .. }
            | Error::ResponseTooLarge { .. }
            | Error::PaginationLoop { .. }
            | Error::PageLimitReached { .. }
            | Error::InvalidArgument { .. } => false,
        }
    }

    pub(crate) fn invalid(operation: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            message: message.into(),
            operation,
        }
    }
}

/// Which request an error belongs to. Its `Display` and `Debug` hold no secrets: no headers,
/// no query values, no path parameters (the path is the template).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RequestInfo {
    /// The operation, like `rewards.list`.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, like `/api/v2/marketplace/programs/{company_key}`.
    pub path: &'static str,
    /// How many attempts were made (in a hook: the number of this attempt).
    pub attempts: u32,
    /// The request id the server sent back, if any (cleaned, cut to 128 characters).
    pub request_id: Option<String>,
    url: PrivateUrl,
}

impl RequestInfo {
    pub(crate) fn new(
        operation: &'static str,
        method: Method,
        path: &'static str,
        url: Option<reqwest::Url>,
    ) -> Self {
        RequestInfo {
            operation,
            method,
            path,
            attempts: 1,
            request_id: None,
            url: PrivateUrl(url),
        }
    }

    /// The full URL of the request, query included, when it was built.
    ///
    /// **May be private**: it holds the query values and path parameters the caller passed.
    /// Neither `Display` nor `Debug` shows it.
    pub fn url(&self) -> Option<&reqwest::Url> {
        self.url.0.as_ref()
    }
}

/// A URL kept out of `Debug`.
#[derive(Clone, PartialEq, Eq)]
struct PrivateUrl(Option<reqwest::Url>);

impl fmt::Debug for PrivateUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(_) => f.write_str("<private>"),
            None => f.write_str("None"),
        }
    }
}

impl fmt::Display for RequestInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} {}", self.operation, self.method, self.path)?;
        if self.attempts > 1 {
            write!(f, ", {} attempts", self.attempts)?;
        }
        if let Some(id) = &self.request_id {
            write!(f, ", request id {id}")?;
        }
        f.write_str(")")
    }
}

/// Text from a server made safe to print on one line: control characters (and the Unicode
/// controls that reorder text) become spaces, runs of whitespace one space, at most `max`
/// characters (then `…`).
pub(crate) fn clean(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max.saturating_mul(4)));
    let mut chars = 0usize;
    let mut space = false;
    for c in text.chars() {
        let blank = c.is_whitespace() || c.is_control() || is_bidi_control(c);
        if blank {
            space = !out.is_empty();
            continue;
        }
        if chars >= max {
            out.push('…');
            return out;
        }
        if space {
            out.push(' ');
            chars += 1;
            space = false;
        }
        out.push(c);
        chars += 1;
    }
    out
}

/// Characters that reorder how text is displayed (used to disguise log lines).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}')
}

/// `serde_json`'s message without the values it quotes from the body, and without the
/// position (the error's path says where): `"…"` in place of a quoted string, and `` `…` `` in
/// place of the first backquoted value (`invalid type: integer `5``, `unknown variant `x``),
/// except in messages about fields, whose backquotes hold names from the model.
pub(crate) fn scrub_serde_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    // serde_json appends " at line L column C"; the position is in the path and excerpt.
    let text = match text.rfind(" at line ") {
        Some(at) => &text[..at],
        None => text.as_str(),
    };
    let about_fields = ["missing field", "unknown field", "duplicate field"]
        .iter()
        .any(|p| text.starts_with(p));
    let mut out = String::with_capacity(text.len());
    let mut in_quotes = false;
    // The first backquoted group is the value, unless the message is about fields.
    let mut backquotes_left = if about_fields { 0 } else { 2 };
    let mut in_value = false;
    // Quoted strings are written with Rust's escapes: `\"` does not end one.
    let mut escaped = false;
    for c in text.chars() {
        if in_quotes && (escaped || c == '\\') {
            escaped = !escaped;
            continue;
        }
        if c == '`' && backquotes_left > 0 && !in_quotes {
            backquotes_left -= 1;
            in_value = backquotes_left == 1;
            out.push_str(if in_value { "`…" } else { "`" });
            continue;
        }
        match (c, in_quotes) {
            ('"', false) => {
                out.push_str("\"…");
                in_quotes = true;
            }
            ('"', true) => {
                out.push('"');
                in_quotes = false;
            }
            (_, true) => {}
            (_, false) if in_value => {}
            (c, false) => out.push(c),
        }
    }
    clean(&out, 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_removes_control_characters_and_bounds_the_length() {
        assert_eq!(
            clean("a\r\nFAKE LOG LINE\t\u{1b}[31mred\u{0}", 100),
            "a FAKE LOG LINE [31mred"
        );
        assert_eq!(clean("  x  ", 100), "x");
        assert_eq!(clean("evil\u{202e}txt.exe", 100), "evil txt.exe");
        assert_eq!(clean("abcdef", 3), "abc…");
        assert_eq!(clean("", 0), "");
        assert_eq!(clean("ab", 0), "…");
    }

    #[test]
    fn serde_messages_lose_the_values_they_quote() {
        let err = serde_json::from_str::<u32>(r#""jane.doe@example.com""#).unwrap_err();
        let text = scrub_serde_message(&err);
        assert!(!text.contains("jane"), "{text}");
        assert!(text.starts_with("invalid type: string \"…\""), "{text}");
        assert!(!text.contains("line"), "{text}");

        let err = serde_json::from_str::<u32>(r#""a\"jane`x`\\""#).unwrap_err();
        let text = scrub_serde_message(&err);
        assert_eq!(text, "invalid type: string \"…\", expected u32");

        let err = serde_json::from_str::<u8>("31337").unwrap_err();
        assert_eq!(
            scrub_serde_message(&err),
            "invalid value: integer `…`, expected u8"
        );
        #[derive(Debug, serde::Deserialize)]
        enum Kind {
            #[allow(dead_code)]
            A,
        }
        let err = serde_json::from_str::<Kind>(r#""jane@example.com""#).unwrap_err();
        assert_eq!(
            scrub_serde_message(&err),
            "unknown variant `…`, expected `A`"
        );
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Named {
            partnership_key: String,
        }
        let err = serde_json::from_str::<Named>("{}").unwrap_err();
        assert_eq!(scrub_serde_message(&err), "missing field `partnership_key`");
    }
}

//! The one error type of the client.

use std::fmt;

use reqwest::{Method, StatusCode};

/// What every fallible call of this crate returns.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling PartnerStack.
///
/// Match on the variant to decide what to do; [`Error::status`] and [`Error::request`] give
/// the common details without a match. No variant ever holds an API key.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// PartnerStack (or a proxy in front of it) answered with an error status.
    #[error("{request}: PartnerStack answered {status}: {message}")]
    #[non_exhaustive]
    Api {
        /// The HTTP status.
        status: StatusCode,
        /// PartnerStack's `message`; for a body that is not PartnerStack's JSON (an HTML page
        /// from a proxy, say) a short excerpt of the body, or the status text if it was empty.
        message: String,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The response was not the JSON the spec describes.
    #[error("{request}: could not decode the response at `{path}`: {source}; body near the error: {excerpt:?}")]
    #[non_exhaustive]
    Decode {
        /// Where in the JSON decoding failed, like `data.items[3].amount` (empty at the top).
        path: String,
        /// A short piece of the body around the failure.
        excerpt: String,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The request could not be sent or the response not received (connection, TLS, timeout).
    #[error("{request}: {source}")]
    #[non_exhaustive]
    Transport {
        /// What went wrong underneath.
        #[source]
        source: reqwest::Error,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The response body was larger than the client's limit, so it was not read to the end.
    #[error("{request}: response body exceeds the limit of {limit} bytes")]
    #[non_exhaustive]
    ResponseTooLarge {
        /// The limit, in bytes (see the client builder's `max_response_bytes`).
        limit: usize,
        /// Which request failed.
        request: Box<RequestInfo>,
    },
    /// The call's deadline passed before it could succeed (see the request builders'
    /// `deadline` and [`RetryPolicy::deadline`](crate::RetryPolicy::deadline)).
    #[error("{request}: deadline exceeded")]
    #[non_exhaustive]
    DeadlineExceeded {
        /// Which request, with the attempts made so far.
        request: Box<RequestInfo>,
    },
    /// An argument was rejected before anything was sent.
    #[error("invalid argument{}: {message}", operation.map(|o| format!(" to {o}")).unwrap_or_default())]
    #[non_exhaustive]
    InvalidArgument {
        /// What is wrong with it.
        message: String,
        /// The operation it was given to, if any (`None` for client configuration).
        operation: Option<&'static str>,
    },
}

impl Error {
    /// The HTTP status, when PartnerStack answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::Transport { source, .. } => source.status(),
            _ => None,
        }
    }

    /// Which request failed, when one was made.
    pub fn request(&self) -> Option<&RequestInfo> {
        match self {
            Error::Api { request, .. }
            | Error::Decode { request, .. }
            | Error::Transport { request, .. }
            | Error::ResponseTooLarge { request, .. }
            | Error::DeadlineExceeded { request } => Some(request),
            Error::InvalidArgument { .. } => None,
        }
    }

    /// True when the request timed out, or the call's deadline passed.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport { source, .. } => source.is_timeout(),
            Error::DeadlineExceeded { .. } => true,
            _ => false,
        }
    }

    /// True when the failure is transient, so the same call may succeed later: a 429, 500,
    /// 502, 503 or 504 answer, a timeout, or a connection problem. (The client has already
    /// retried as its [`RetryPolicy`](crate::RetryPolicy) allows.)
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api { status, .. } => crate::retry::is_transient(*status),
            Error::Transport { .. } | Error::DeadlineExceeded { .. } => true,
            Error::Decode { .. } | Error::ResponseTooLarge { .. } | Error::InvalidArgument { .. } => {
                false
            }
        }
    }

    pub(crate) fn invalid(operation: Option<&'static str>, message: impl Into<String>) -> Self {
        Error::InvalidArgument {
            message: message.into(),
            operation,
        }
    }
}

/// Which request an error belongs to. Holds no secrets: no headers, no query values.
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
    /// The request id the server sent back, if any.
    pub request_id: Option<String>,
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

//! What the client tells the outside world about each attempt: the caller's hooks and, with the
//! `tracing` feature, a span per attempt. Nothing here ever sees a header value of the request,
//! a query value or a body, so no secret can be recorded.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::RequestInfo;

/// One attempt's result, as a response hook sees it.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseInfo<'a> {
    /// Which request, and which attempt of it (`request.attempts`).
    pub request: &'a RequestInfo,
    /// The status, when a response arrived.
    pub status: Option<StatusCode>,
    /// The response headers, when a response arrived.
    pub headers: Option<&'a HeaderMap>,
    /// Time from sending to the end of the body, or to the failure.
    pub elapsed: Duration,
}

type OnRequest = dyn Fn(&RequestInfo, &mut HeaderMap) + Send + Sync;
type OnResponse = dyn Fn(&ResponseInfo<'_>) + Send + Sync;

/// The caller's hooks, set on the client builder.
#[derive(Clone, Default)]
pub(crate) struct Hooks {
    pub on_request: Option<Arc<OnRequest>>,
    pub on_response: Option<Arc<OnResponse>>,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("on_request", &self.on_request.is_some())
            .field("on_response", &self.on_response.is_some())
            .finish()
    }
}

/// One attempt being watched: started when it is sent, finished when it ends either way.
pub(crate) struct Attempt {
    started: Instant,
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Attempt {
    pub fn start(info: &RequestInfo) -> Self {
        #[cfg(not(feature = "tracing"))]
        let _ = info;
        Attempt {
            started: Instant::now(),
            #[cfg(feature = "tracing")]
            span: tracing::info_span!(
                "partnerstack.request",
                operation = info.operation,
                method = %info.method,
                path = info.path,
                attempt = info.attempts,
                status = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            ),
        }
    }

    /// Records the end of the attempt and calls the response hook.
    pub fn finish(
        &self,
        hooks: &Hooks,
        info: &RequestInfo,
        status: Option<StatusCode>,
        headers: Option<&HeaderMap>,
    ) {
        let elapsed = self.started.elapsed();
        #[cfg(feature = "tracing")]
        {
            if let Some(status) = status {
                self.span.record("status", status.as_u16());
            }
            self.span.record("duration_ms", elapsed.as_millis() as u64);
            self.span.in_scope(|| tracing::debug!("attempt finished"));
        }
        if let Some(hook) = &hooks.on_response {
            hook(&ResponseInfo {
                request: info,
                status,
                headers,
                elapsed,
            });
        }
    }
}

/// Notes a retry about to wait `delay` after attempt `info.attempts` failed with `reason`.
pub(crate) fn retrying(info: &RequestInfo, delay: Duration, reason: &dyn fmt::Display) {
    #[cfg(feature = "tracing")]
    tracing::warn!(
        operation = info.operation,
        attempt = info.attempts,
        delay_ms = delay.as_millis() as u64,
        %reason,
        "retrying PartnerStack request"
    );
    #[cfg(not(feature = "tracing"))]
    let _ = (info, delay, reason);
}

//! When to try a request again: a policy that is plain data, and a pure decision function.

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;

/// How a client retries failed requests.
///
/// Retried: 429, 500, 502, 503 and 504 answers, timeouts and broken connections, with
/// exponential backoff and full jitter, or after the server's `Retry-After`. A request that
/// may have reached the server is retried only if its operation is safe to repeat (GET, PUT,
/// DELETE, and nothing that creates); one that provably never left (the connection could not
/// be opened) is retried whatever its method. No retry starts once the deadline would pass,
/// and none waits for a `Retry-After` longer than [`max_retry_after`](RetryPolicy::max_retry_after)
/// (the error is returned at once instead). Every input is accepted: zero or huge attempts,
/// delays and deadlines, up to `Duration::MAX`, never panic.
///
/// ```
/// use std::time::Duration;
/// use partnerstack::RetryPolicy;
///
/// let patient = RetryPolicy::default().max_attempts(6).deadline(Duration::from_secs(120));
/// let off = RetryPolicy::never();
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
    max_retry_after: Duration,
    deadline: Option<Duration>,
}

impl Default for RetryPolicy {
    /// Four attempts in all, backoff from 250 ms up to 8 s, a `Retry-After` of up to 60 s
    /// honoured, within 60 s per call.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            deadline: Some(Duration::from_secs(60)),
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The server answered with an error status, and maybe a `Retry-After` delay.
    Status {
        /// The status.
        status: StatusCode,
        /// The server's `Retry-After`, as a delay from now.
        retry_after: Option<Duration>,
    },
    /// No connection could be opened: the request provably never left.
    ConnectFailed,
    /// The attempt timed out; the server may have received the request.
    TimedOut,
    /// The connection broke after the request may have been sent (reset, cut-off answer).
    ConnectionLost,
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Try again after this delay.
    RetryAfter(Duration),
    /// Stop and report the failure.
    GiveUp,
}

impl RetryPolicy {
    /// No retries: every request is tried once.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Attempts in all, the first included (1 turns retries off).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The backoff before the first retry; each retry doubles it, up to `max_delay`.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The longest backoff between two attempts (a server's `Retry-After` may ask for more).
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// The longest `Retry-After` the client waits for. A server asking for more gets no retry:
    /// the error (a 429 or 503, say) is returned at once, so that a call without a deadline
    /// cannot sleep for hours. The default is 60 s.
    pub fn max_retry_after(mut self, limit: Duration) -> Self {
        self.max_retry_after = limit;
        self
    }

    /// The most time one call may take, retries and waits included; `None` for no limit
    /// beyond `max_attempts`. A request builder's own `deadline` can shorten it.
    pub fn deadline(mut self, deadline: impl Into<Option<Duration>>) -> Self {
        self.deadline = deadline.into();
        self
    }

    /// The time budget of one call under this policy.
    pub fn call_deadline(&self) -> Option<Duration> {
        self.deadline
    }

    /// Whether and when to try again, after attempt number `attempt` (1 for the first) ended
    /// with `outcome`.
    ///
    /// `retry_safe` says whether the operation may run twice; `remaining` is the time left
    /// before the deadline, if any; `jitter` is a number in `[0, 1)` that picks the backoff
    /// ("full jitter": uniformly between zero and the exponential step). Pure: the same
    /// arguments always give the same answer.
    pub fn decide(
        &self,
        attempt: u32,
        outcome: &Outcome,
        retry_safe: bool,
        remaining: Option<Duration>,
        jitter: f64,
    ) -> Decision {
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let (retryable, retry_after) = match *outcome {
            Outcome::ConnectFailed => (true, None),
            Outcome::TimedOut | Outcome::ConnectionLost => (retry_safe, None),
            Outcome::Status {
                status,
                retry_after,
            } => (retry_safe && is_transient(status), retry_after),
        };
        if !retryable {
            return Decision::GiveUp;
        }
        if retry_after.is_some_and(|wait| wait > self.max_retry_after) {
            return Decision::GiveUp;
        }
        let delay = retry_after.unwrap_or_else(|| {
            let step = self
                .base_delay
                .saturating_mul(1 << attempt.saturating_sub(1).min(20))
                .min(self.max_delay);
            // NaN and anything outside [0, 1] land on the nearest edge; the product is computed
            // in floating point and can neither overflow nor exceed the step.
            let jitter = if jitter >= 0.0 { jitter.min(1.0) } else { 0.0 };
            Duration::try_from_secs_f64(step.as_secs_f64() * jitter)
                .unwrap_or(step)
                .min(step)
        });
        match remaining {
            Some(left) if delay >= left => Decision::GiveUp,
            _ => Decision::RetryAfter(delay),
        }
    }
}

/// Statuses that say "try again later".
pub(crate) fn is_transient(status: StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 500 | 502 | 503 | 504)
}

/// A `Retry-After` header value as a delay from `now`: whole seconds, or an HTTP date (a date
/// in the past is no delay). `None` for anything else.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    fn status(code: u16) -> Outcome {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: None,
        }
    }

    #[test]
    fn transient_statuses_are_retried_for_safe_operations_only() {
        let p = RetryPolicy::default();
        for code in [429, 500, 502, 503, 504] {
            assert!(
                matches!(
                    p.decide(1, &status(code), true, None, 0.5),
                    Decision::RetryAfter(_)
                ),
                "{code}"
            );
            assert_eq!(
                p.decide(1, &status(code), false, None, 0.5),
                Decision::GiveUp,
                "{code}"
            );
        }
        for code in [400, 401, 403, 404, 409, 422, 501] {
            assert_eq!(
                p.decide(1, &status(code), true, None, 0.5),
                Decision::GiveUp,
                "{code}"
            );
        }
    }

    #[test]
    fn a_request_that_never_left_is_retried_whatever_the_method() {
        let p = RetryPolicy::default();
        assert!(matches!(
            p.decide(1, &Outcome::ConnectFailed, false, None, 0.0),
            Decision::RetryAfter(_)
        ));
        for maybe_received in [Outcome::TimedOut, Outcome::ConnectionLost] {
            assert_eq!(
                p.decide(1, &maybe_received, false, None, 0.0),
                Decision::GiveUp
            );
            assert!(matches!(
                p.decide(1, &maybe_received, true, None, 0.0),
                Decision::RetryAfter(_)
            ));
        }
    }

    #[test]
    fn backoff_is_exponential_with_full_jitter_and_capped() {
        let p = RetryPolicy::default()
            .max_attempts(20)
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_secs(1));
        let delay =
            |attempt, jitter| match p.decide(attempt, &Outcome::TimedOut, true, None, jitter) {
                Decision::RetryAfter(d) => d,
                Decision::GiveUp => panic!("gave up"),
            };
        // The upper edge of each step doubles: 100, 200, 400, 800 ms, then the 1 s cap.
        let top: Vec<_> = (1..=6).map(|a| delay(a, 0.999_999).as_millis()).collect();
        assert_eq!(top, [99, 199, 399, 799, 999, 999]);
        assert_eq!(delay(3, 0.0), Duration::ZERO, "full jitter reaches zero");
        assert_eq!(delay(3, 0.5), Duration::from_millis(200));
        assert_eq!(
            delay(19, 0.5),
            Duration::from_millis(500),
            "no overflow on late attempts"
        );
    }

    #[test]
    fn attempts_run_out() {
        let p = RetryPolicy::default().max_attempts(3);
        assert!(matches!(
            p.decide(2, &status(503), true, None, 0.1),
            Decision::RetryAfter(_)
        ));
        assert_eq!(p.decide(3, &status(503), true, None, 0.1), Decision::GiveUp);
        assert_eq!(
            RetryPolicy::never().decide(1, &Outcome::ConnectFailed, true, None, 0.1),
            Decision::GiveUp
        );
        assert_eq!(RetryPolicy::default().max_attempts(0), RetryPolicy::never());
    }

    #[test]
    fn retry_after_is_honoured_but_not_past_the_deadline() {
        let p = RetryPolicy::default();
        let slow_down = Outcome::Status {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: Some(7 * S),
        };
        assert_eq!(
            p.decide(1, &slow_down, true, None, 0.0),
            Decision::RetryAfter(7 * S)
        );
        assert_eq!(
            p.decide(1, &slow_down, true, Some(30 * S), 0.9),
            Decision::RetryAfter(7 * S)
        );
        assert_eq!(
            p.decide(1, &slow_down, true, Some(5 * S), 0.9),
            Decision::GiveUp
        );
        assert_eq!(
            p.decide(1, &status(503), true, Some(Duration::ZERO), 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn a_retry_after_beyond_the_policy_limit_is_not_waited_for() {
        let ask = |secs| Outcome::Status {
            status: StatusCode::SERVICE_UNAVAILABLE,
            retry_after: Some(Duration::from_secs(secs)),
        };
        let p = RetryPolicy::default().deadline(None);
        assert_eq!(
            p.decide(1, &ask(60), true, None, 0.0),
            Decision::RetryAfter(60 * S)
        );
        assert_eq!(p.decide(1, &ask(61), true, None, 0.0), Decision::GiveUp);
        assert_eq!(
            p.decide(1, &ask(u64::MAX), true, None, 0.0),
            Decision::GiveUp
        );
        let patient = p.max_retry_after(Duration::MAX);
        assert_eq!(
            patient.decide(1, &ask(3600), true, None, 0.0),
            Decision::RetryAfter(3600 * S)
        );
    }

    #[test]
    fn any_input_gives_an_answer_without_panicking() {
        let durations = [
            Duration::ZERO,
            Duration::from_nanos(1),
            S,
            Duration::from_secs(u64::MAX),
            Duration::MAX,
        ];
        let outcomes = [
            Outcome::ConnectFailed,
            Outcome::TimedOut,
            Outcome::ConnectionLost,
            status(503),
            Outcome::Status {
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some(Duration::MAX),
            },
        ];
        for attempts in [0, 1, 2, 63, 64, u32::MAX] {
            for base in durations {
                for max in durations {
                    let p = RetryPolicy::default()
                        .max_attempts(attempts)
                        .base_delay(base)
                        .max_delay(max)
                        .max_retry_after(max)
                        .deadline(Some(Duration::MAX));
                    for attempt in [0, 1, 2, 31, 32, 33, 64, u32::MAX - 1, u32::MAX] {
                        for outcome in &outcomes {
                            for jitter in
                                [0.0, 0.5, 0.999_999, 1.0, 2.0, -1.0, f64::NAN, f64::INFINITY]
                            {
                                for remaining in [None, Some(Duration::ZERO), Some(Duration::MAX)] {
                                    if let Decision::RetryAfter(d) =
                                        p.decide(attempt, outcome, true, remaining, jitter)
                                    {
                                        assert!(remaining.is_none_or(|r| d < r));
                                        if !matches!(
                                            outcome,
                                            Outcome::Status {
                                                retry_after: Some(_),
                                                ..
                                            }
                                        ) {
                                            assert!(
                                                d <= base.saturating_mul(1 << 20).min(max),
                                                "{d:?}"
                                            );
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let huge = RetryPolicy::default()
            .base_delay(Duration::MAX)
            .max_delay(Duration::MAX);
        assert_eq!(
            huge.decide(1, &Outcome::TimedOut, true, None, 1.0),
            Decision::RetryAfter(Duration::MAX)
        );
        assert_eq!(
            huge.decide(1, &Outcome::TimedOut, true, None, f64::NAN),
            Decision::RetryAfter(Duration::ZERO)
        );
    }

    #[test]
    fn retry_after_takes_seconds_or_an_http_date() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21 07:28:00
        assert_eq!(parse_retry_after("120", now), Some(120 * S));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(30 * S)
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}

//! Latency and fault injection, off by default: for testing a client's retry handling.

use std::time::Duration;

/// A way a request can fail on purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// 429 with a `Retry-After` header (seconds) and the error envelope.
    RateLimited,
    /// 500 with the error envelope.
    ServerError,
    /// 502 with the error envelope.
    BadGateway,
    /// 503 with the error envelope.
    Unavailable,
    /// The connection is closed without an answer.
    Dropped,
}

impl Fault {
    /// Reads `429`, `500`, `502`, `503` or `drop`.
    pub fn parse(text: &str) -> Option<Fault> {
        Some(match text.trim() {
            "429" => Fault::RateLimited,
            "500" => Fault::ServerError,
            "502" => Fault::BadGateway,
            "503" => Fault::Unavailable,
            "drop" => Fault::Dropped,
            _ => return None,
        })
    }
}

/// When requests are slowed or fail. The default does neither.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Every `every`-th request (counting from 1) fails; 0 never.
    pub every: u32,
    /// The faults used in turn by failing requests; none means no faults.
    pub kinds: Vec<Fault>,
    /// The `Retry-After` value, in seconds, of a 429 fault.
    pub retry_after_secs: u32,
    /// At most this many requests in any one-second window, counted over the whole server
    /// when they arrive; beyond it, 429 with `Retry-After` (the whole seconds until one more
    /// would be admitted, at least 1). Refused requests do not count. 0: no limit.
    pub rate_limit: u32,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            latency: Duration::ZERO,
            every: 0,
            kinds: vec![Fault::RateLimited],
            retry_after_secs: 1,
            rate_limit: 0,
        }
    }
}

impl Faults {
    /// The fault for request number `n` (from 1), if it is to fail.
    pub(crate) fn for_request(&self, n: u64) -> Option<Fault> {
        if self.every == 0 || self.kinds.is_empty() || !n.is_multiple_of(u64::from(self.every)) {
            return None;
        }
        let turn = (n / u64::from(self.every)).saturating_sub(1);
        self.kinds
            .get((turn % self.kinds.len() as u64) as usize)
            .copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_nth_request_fails_with_the_kinds_in_turn() {
        let f = Faults {
            every: 2,
            kinds: vec![Fault::RateLimited, Fault::Dropped],
            ..Faults::default()
        };
        let got: Vec<_> = (1..=6).map(|n| f.for_request(n)).collect();
        assert_eq!(
            got,
            [
                None,
                Some(Fault::RateLimited),
                None,
                Some(Fault::Dropped),
                None,
                Some(Fault::RateLimited)
            ]
        );
        assert_eq!(Faults::default().for_request(1), None);
    }
}

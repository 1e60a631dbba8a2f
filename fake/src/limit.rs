//! Rate limiting: at most N requests in any one-second window, the rest answered 429 with
//! `Retry-After`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// The window a rate is counted over.
const WINDOW: Duration = Duration::from_secs(1);

/// A sliding-window limiter: a request is accepted when fewer than `per_second` were accepted
/// in the second before it. Refused requests are not counted, so a client that waits as told
/// gets through. Memory: one instant per accepted request of the last second.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    per_second: u32,
    accepted: VecDeque<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(per_second: u32) -> RateLimiter {
        RateLimiter {
            per_second,
            accepted: VecDeque::new(),
        }
    }

    /// `Ok` when a request arriving `now` is within the rate (and counts it); otherwise the
    /// whole seconds to wait before one would be (at least 1), for `Retry-After`.
    pub(crate) fn admit(&mut self, now: Instant) -> Result<(), u64> {
        while self
            .accepted
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= WINDOW)
        {
            self.accepted.pop_front();
        }
        if (self.accepted.len() as u64) < u64::from(self.per_second) {
            self.accepted.push_back(now);
            return Ok(());
        }
        let wait = self.accepted.front().map_or(WINDOW, |oldest| {
            WINDOW.saturating_sub(now.saturating_duration_since(*oldest))
        });
        // Whole seconds, rounded up: a client that waits that long is admitted.
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        Err(secs.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn at_most_n_per_second_then_retry_after() {
        let start = Instant::now();
        let mut l = RateLimiter::new(3);
        for _ in 0..3 {
            assert_eq!(l.admit(start), Ok(()));
        }
        assert_eq!(l.admit(start), Err(1));
        assert_eq!(l.admit(start + Duration::from_millis(999)), Err(1));
        // A second after them, their slots are free again; refused requests did not count.
        let later = start + Duration::from_secs(1);
        for _ in 0..3 {
            assert_eq!(l.admit(later), Ok(()));
        }
        assert_eq!(l.admit(later), Err(1));
        let mut zero = RateLimiter::new(0);
        assert_eq!(zero.admit(start), Err(1));
    }
}

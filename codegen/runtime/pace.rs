//! The client-wide request rate (`max_requests_per_second`) and the count of 429 answers that
//! partitioned walks slow down on.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Spaces the requests of one client (all its clones, tasks and walks) at least `interval`
/// apart, so that no second ever holds more than the rate. No burst: a rate limiter that counts
/// a sliding second (as PartnerStack's and the fake's do) is never exceeded, whatever the
/// phase. Memory: one instant.
#[derive(Debug)]
pub(crate) struct Pacer {
    interval: Duration,
    /// When the next request may go.
    next: Mutex<Option<Instant>>,
}

impl Pacer {
    /// A pacer for `per_second` requests a second (at least 1).
    pub fn new(per_second: u32) -> Self {
        let per_second = per_second.max(1);
        // Rounded up, so that `per_second` requests never fit in less than a second.
        let nanos = 1_000_000_000u64.div_ceil(u64::from(per_second));
        Pacer {
            interval: Duration::from_nanos(nanos),
            next: Mutex::new(None),
        }
    }

    /// Takes the next free slot and returns when it comes. A caller dropped while it waits
    /// leaves its slot unused, which only ever lowers the rate.
    pub async fn wait(&self) {
        let slot = self.reserve(Instant::now());
        if slot > Instant::now() {
            tokio::time::sleep_until(slot.into()).await;
        }
    }

    /// The instant of the next free slot from `now`, reserved.
    fn reserve(&self, now: Instant) -> Instant {
        // A poisoned lock only means another request panicked while holding it: the instant
        // inside is still valid.
        let mut next = self.next.lock().unwrap_or_else(|e| e.into_inner());
        let slot = next.map_or(now, |n| n.max(now));
        *next = slot.checked_add(self.interval).or(Some(slot));
        slot
    }
}

/// How many answers of one client were 429 (too many requests): partitioned walks read it to
/// walk fewer windows at once.
#[derive(Debug, Default)]
pub(crate) struct Throttled(AtomicU64);

impl Throttled {
    /// Counts one 429.
    pub fn record(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The count so far.
    pub fn count(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_an_interval_apart_and_never_in_the_past() {
        let pacer = Pacer::new(4);
        let start = Instant::now();
        let slots: Vec<Instant> = (0..5).map(|_| pacer.reserve(start)).collect();
        for (i, slot) in slots.iter().enumerate() {
            assert_eq!(*slot - start, Duration::from_millis(250) * i as u32);
        }
        // After a pause, the next slot is now, not a backlog of missed ones.
        let later = start + Duration::from_secs(10);
        assert_eq!(pacer.reserve(later), later);
        assert_eq!(pacer.reserve(later), later + Duration::from_millis(250));
        // Any second holds at most the rate: the 5th slot is a full second after the 1st.
        assert!(slots[4] - slots[0] >= Duration::from_secs(1));
        assert_eq!(Pacer::new(0).interval, Duration::from_secs(1));
        assert_eq!(Pacer::new(3).interval, Duration::from_nanos(333_333_334));
    }
}

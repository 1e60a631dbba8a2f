//! The time the fake stamps objects and deliveries with.

use crate::seed;

/// Milliseconds since the epoch, now.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(seed::EPOCH_MS, |d| {
            i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
        })
}

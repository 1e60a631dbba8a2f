//! Points in time as PartnerStack writes them: integer milliseconds since the Unix epoch.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// PartnerStack sends every date-time (`created_at`, `updated_at`, `payment_date`, …) and takes
/// every date filter (`min_created`, …) in this form. It converts to and from
/// [`SystemTime`]; use your date library's epoch-milliseconds constructor for anything richer.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The timestamp `millis` milliseconds after the epoch (before it, when negative).
    pub const fn from_millis(millis: i64) -> Self {
        Timestamp(millis)
    }

    /// Milliseconds since the epoch, as sent on the wire.
    pub const fn as_millis(self) -> i64 {
        self.0
    }

    /// The current time.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// The same instant as a [`SystemTime`], or `None` where the platform's clock type cannot
    /// represent it.
    pub fn to_system_time(self) -> Option<SystemTime> {
        let offset = Duration::from_millis(self.0.unsigned_abs());
        if self.0 >= 0 {
            UNIX_EPOCH.checked_add(offset)
        } else {
            UNIX_EPOCH.checked_sub(offset)
        }
    }
}

impl From<SystemTime> for Timestamp {
    /// Converts, saturating at the limits of `i64` milliseconds.
    fn from(t: SystemTime) -> Self {
        let millis = match t.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
            Err(before) => i64::try_from(before.duration().as_millis())
                .map(|m| -m)
                .unwrap_or(i64::MIN),
        };
        Timestamp(millis)
    }
}

impl fmt::Display for Timestamp {
    /// Shows the milliseconds, exactly as sent on the wire.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

//! Points in time as PartnerStack writes them: integer milliseconds since the Unix epoch.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time, in milliseconds since 1970-01-01T00:00:00Z.
///
/// PartnerStack sends every date-time (`created_at`, `updated_at`, `payment_date`, …) and takes
/// every date filter (`min_created`, …) in this form. It converts to and from
/// [`SystemTime`]; with the cargo feature `jiff` to and from `jiff::Timestamp`, with `chrono`
/// to and from `chrono::DateTime<Utc>`. `Display` writes RFC 3339 in UTC, with milliseconds
/// when there are any; `as_millis` gives the number sent on the wire.
///
/// ```
/// use std::time::{Duration, SystemTime, UNIX_EPOCH};
/// use partnerstack::Timestamp;
///
/// let t = Timestamp::from_millis(1_700_000_000_123);
/// assert_eq!(t.to_string(), "2023-11-14T22:13:20.123Z");
/// assert_eq!(Timestamp::from_millis(0).to_string(), "1970-01-01T00:00:00Z");
///
/// let system = UNIX_EPOCH + Duration::from_millis(1_700_000_000_123);
/// assert_eq!(Timestamp::from(system), t);
/// assert_eq!(t.to_system_time(), Some(system));
/// ```
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
    /// RFC 3339 in UTC: `2023-11-14T22:13:20Z`, or `2023-11-14T22:13:20.123Z` when the
    /// milliseconds are not zero. Years outside 0000..=9999, which RFC 3339 cannot write, get a
    /// sign and at least four digits (`-0001-12-31T00:00:00Z`, `+10000-01-01T00:00:00Z`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MS_PER_DAY: i64 = 86_400_000;
        let days = self.0.div_euclid(MS_PER_DAY);
        let ms = self.0.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        if (0..=9999).contains(&year) {
            write!(f, "{year:04}")?;
        } else {
            write!(f, "{year:+05}")?;
        }
        let (hour, minute, second, milli) =
            (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
        write!(f, "-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}")?;
        if milli != 0 {
            write!(f, ".{milli:03}")?;
        }
        f.write_str("Z")
    }
}

/// The proleptic Gregorian (year, month, day) of a count of days since 1970-01-01, for any
/// count an `i64` of milliseconds can produce (H. Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146_096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // 0..=365
    let mp = (5 * doy + 2) / 153; // 0..=11, March first
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are in range by construction (1..=31, 1..=12).
    (year, month as u8, day as u8)
}

#[cfg(feature = "jiff")]
impl Timestamp {
    /// The same instant as a `jiff::Timestamp`, or `None` outside jiff's range (years
    /// -9999..=9999). Feature `jiff`.
    pub fn to_jiff(self) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_millisecond(self.0).ok()
    }
}

#[cfg(feature = "jiff")]
impl From<jiff::Timestamp> for Timestamp {
    /// Converts, dropping anything finer than a millisecond. Feature `jiff`.
    fn from(t: jiff::Timestamp) -> Self {
        Timestamp(t.as_millisecond())
    }
}

#[cfg(feature = "chrono")]
impl Timestamp {
    /// The same instant as a `chrono::DateTime<Utc>`, or `None` outside chrono's range.
    /// Feature `chrono`.
    pub fn to_chrono(self) -> Option<chrono::DateTime<chrono::Utc>> {
        chrono::DateTime::from_timestamp_millis(self.0)
    }
}

#[cfg(feature = "chrono")]
impl From<chrono::DateTime<chrono::Utc>> for Timestamp {
    /// Converts, dropping anything finer than a millisecond. Feature `chrono`.
    fn from(t: chrono::DateTime<chrono::Utc>) -> Self {
        Timestamp(t.timestamp_millis())
    }
}

//! `Timestamp` as text (RFC 3339) and its conversions, checked against chrono and jiff.

use partnerstack::Timestamp;

#[test]
fn timestamps_display_as_rfc3339() {
    let cases: &[(i64, &str)] = &[
        (0, "1970-01-01T00:00:00Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_700_000_000_000, "2023-11-14T22:13:20Z"),
        (1_700_000_000_120, "2023-11-14T22:13:20.120Z"),
        (951_782_400_000, "2000-02-29T00:00:00Z"),
        (951_868_800_000, "2000-03-01T00:00:00Z"),
        (4_107_542_400_000, "2100-03-01T00:00:00Z"),
        (-62_135_596_800_000, "0001-01-01T00:00:00Z"),
        (-62_167_219_200_000, "0000-01-01T00:00:00Z"),
        (-62_167_219_200_001, "-0001-12-31T23:59:59.999Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
        (253_402_300_800_000, "+10000-01-01T00:00:00Z"),
        (i64::MAX, "+292278994-08-17T07:12:55.807Z"),
        (i64::MIN, "-292275055-05-16T16:47:04.192Z"),
    ];
    for (millis, text) in cases {
        assert_eq!(
            Timestamp::from_millis(*millis).to_string(),
            *text,
            "{millis}"
        );
    }
}

#[test]
fn timestamps_agree_with_chrono_and_jiff() {
    use chrono::{Datelike, Timelike};
    // Every 997 hours and 13 ms from 1600 to 2400, both sides of the epoch.
    let mut millis = -11_676_096_000_000_i64;
    while millis < 13_569_465_600_000 {
        let t = Timestamp::from_millis(millis);
        let c = t.to_chrono().unwrap();
        let expected = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year(),
            c.month(),
            c.day(),
            c.hour(),
            c.minute(),
            c.second()
        );
        assert!(t.to_string().starts_with(&expected), "{millis}: {t}");
        assert_eq!(Timestamp::from(c), t);
        let j = t.to_jiff().unwrap();
        assert_eq!(j.as_millisecond(), millis);
        assert_eq!(Timestamp::from(j), t);
        millis += 997 * 3_600_000 + 13;
    }
    // Outside the date crates' ranges there is no conversion, and no panic.
    assert_eq!(Timestamp::from_millis(i64::MAX).to_jiff(), None);
    assert_eq!(Timestamp::from_millis(i64::MIN).to_chrono(), None);
}

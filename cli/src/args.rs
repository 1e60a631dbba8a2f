//! What the generated commands call to read their arguments: value parsers (timestamps, open
//! enums), `--data`, the pagination flags, and conversions into the client's types.

use std::io::Read;

use clap::builder::{PossibleValue, TypedValueParser};
use clap::{Arg, ArgAction, ArgMatches};
use partnerstack::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::exit::Failure;

/// The largest `--data` read, from a file or stdin.
pub const MAX_DATA_BYTES: u64 = 16 << 20;

/// Settings shared by every command.
#[derive(Debug, Default)]
pub struct Settings {
    /// Another host than the API's own (`--base-url` or `PARTNERSTACK_BASE_URL`).
    pub base_url: Option<String>,
}

/// The parts of a base URL that must never be printed: its user name, password, query and
/// fragment, as written and decoded.
pub fn hidden_parts(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Ok(url) = url::Url::parse(text.trim()) {
        let parts = [
            Some(url.username()),
            url.password(),
            url.query(),
            url.fragment(),
        ];
        for part in parts.into_iter().flatten().filter(|p| !p.is_empty()) {
            out.push(part.to_string());
            let decoded = percent_decode(part);
            if decoded != part {
                out.push(decoded);
            }
        }
    }
    // What follows `?`, `#` or precedes `@` in the text itself, should it not parse.
    for (sep, after) in [('?', true), ('#', true), ('@', false)] {
        if let Some((before, rest)) = text.split_once(sep) {
            let part = if after {
                rest
            } else {
                before.rsplit('/').next().unwrap_or(before)
            };
            if !part.is_empty() {
                out.push(part.to_string());
            }
        }
    }
    out
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where the base URL comes from, as errors name it: `--base-url (or PARTNERSTACK_BASE_URL)`.
pub fn base_url_source() -> String {
    format!("--base-url (or {})", crate::generated::BASE_URL_ENV_VAR)
}

/// Checks `--base-url` (or `PARTNERSTACK_BASE_URL`) as the client would, in the command
/// line's terms and without ever showing its user info, query or fragment; the URL to use.
///
/// # Errors
///
/// Status 6: not an http(s) URL, one with a user name, password, query or fragment, or plain
/// http to a host other than this machine (the key would travel in clear text).
pub fn base_url(text: &str) -> Result<String, Failure> {
    use crate::exit::CONFIG;
    let what = base_url_source();
    let what = what.as_str();
    let url = url::Url::parse(text.trim())
        .map_err(|e| Failure::new(CONFIG, format!("{what} is not a URL: {e}")))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Failure::new(
            CONFIG,
            format!(
                "{what} must not hold a user name or password: credentials come from the \
                 PARTNERSTACK_… variables only"
            ),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
        return Err(Failure::new(
            CONFIG,
            format!(
                "{what} must be a scheme, host and path, without a query (?…) or fragment (#…)"
            ),
        ));
    }
    let host = url.host_str().unwrap_or_default();
    let shown = match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    };
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        "http" => {
            return Err(Failure::new(
                CONFIG,
                format!(
                    "{what} `{shown}` is plain http to another machine, which would send the \
                     credentials in clear text: use https (plain http is only for this machine, \
                     such as a local fake server on 127.0.0.1)"
                ),
            ));
        }
        other => {
            return Err(Failure::new(
                CONFIG,
                format!(
                    "{what} must start with https:// (or http:// for this machine), not {other}:"
                ),
            ));
        }
    }
    Ok(url.as_str().to_string())
}

/// Parses a timestamp: integer milliseconds since the epoch, or RFC 3339
/// (`2024-05-01T12:00:00Z`, `2024-05-01T12:00:00.250+02:00`), or a date (`2024-05-01`, midnight
/// UTC).
///
/// # Errors
///
/// Text that is neither, with what is expected.
pub fn timestamp(text: &str) -> Result<Timestamp, String> {
    let text = text.trim();
    if let Ok(millis) = text.parse::<i64>() {
        return Ok(Timestamp::from_millis(millis));
    }
    rfc3339(text).map(Timestamp::from_millis).ok_or_else(|| {
        format!(
            "`{text}` is not a time: give milliseconds since the epoch (1714564800000), \
             RFC 3339 (2024-05-01T12:00:00Z) or a date (2024-05-01)"
        )
    })
}

/// Milliseconds since the epoch of an RFC 3339 date-time or a bare date.
fn rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(days * 86_400_000);
    }
    if b.len() < 20 || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first3 = format!("{:0<3}", &frac[..digits.min(3)]);
        millis = first3.parse::<i64>().ok()?;
        rest = &frac[digits..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let r = rest.as_bytes();
            if r.len() != 6 || r[3] != b':' {
                return None;
            }
            let digits = |range: std::ops::Range<usize>| -> Option<i64> {
                let part = rest.get(range)?;
                part.bytes()
                    .all(|c| c.is_ascii_digit())
                    .then(|| part.parse().ok())?
            };
            let (h, m) = (digits(1..3)?, digits(4..6)?);
            if h > 23 || m > 59 {
                return None;
            }
            sign * (h * 60 + m)
        }
    };
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset * 60;
    Some(seconds * 1000 + millis)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// A value parser for an open enum: help lists the known values, and any other text is
/// accepted too (PartnerStack adds values; the client keeps unknown ones).
#[derive(Debug, Clone, Copy)]
pub struct OpenEnum(&'static [&'static str]);

impl OpenEnum {
    /// A parser knowing these values.
    pub fn new(known: &'static [&'static str]) -> Self {
        OpenEnum(known)
    }
}

impl TypedValueParser for OpenEnum {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        clap::builder::StringValueParser::new().parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.0.iter().map(PossibleValue::new)))
    }
}

/// An enum value from its text (any text, for an open enum), with a warning on stderr
/// listing the `known` values when it is none of them: it is sent all the same (PartnerStack
/// adds values), but it may be a typo.
///
/// # Errors
///
/// A value a closed enum does not know (clap checks those first).
pub fn enum_value<T: DeserializeOwned>(
    flag: &str,
    text: &str,
    known: &[&str],
) -> Result<T, Failure> {
    warn_unknown(flag, text, known);
    serde_json::from_value(Value::String(text.to_owned()))
        .map_err(|e| Failure::usage(format!("invalid value for {flag}: {e}")))
}

/// Warns on stderr when `text` is not one of the `known` values of `flag`.
pub fn warn_unknown(flag: &str, text: &str, known: &[&str]) {
    if !known.is_empty() && !known.contains(&text) {
        crate::term::warn(&format!(
            "{flag} `{text}` is not one of the known values ({}); sending it as given",
            known.join(", ")
        ));
    }
}

/// A value of any other type from JSON text (or, failing that, from the text as a string).
///
/// # Errors
///
/// Text that is not a value of the type.
#[allow(
    dead_code,
    reason = "for query parameters of object or JSON type, which the current spec has none of"
)]
pub fn json_value<T: DeserializeOwned>(flag: &str, text: &str) -> Result<T, Failure> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_value(Value::String(text.to_owned())))
        .map_err(|e| Failure::usage(format!("invalid value for {flag}: {e}")))
}

/// The failure for a required argument that is missing (clap refuses a command without it,
/// so this is never seen in practice).
pub fn missing(name: &str) -> Failure {
    Failure::usage(format!("the argument `{name}` is required"))
}

/// `--data`: an operation's request body, required when the body has no field flags.
pub fn data_arg(required: bool) -> Arg {
    let (help, long_help) = if required {
        (
            "The request body: JSON text, @FILE to read a file, or - to read stdin",
            "The request body as JSON: the text itself ('{\"email\": \"jane@example.com\"}'), \
             @FILE to read it from a file, or - to read it from stdin. It is checked against \
             the operation's body type before anything is sent (exit status 5 when it does not \
             fit).",
        )
    } else {
        (
            "The body as JSON (text, @FILE or - for stdin); the field flags override its fields",
            "The request body as JSON: the text itself ('{\"email\": \"jane@example.com\"}'), \
             @FILE to read it from a file, or - to read it from stdin. The field flags are set \
             over it: a flag given replaces the field of the same name. The whole is checked \
             against the operation's body type before anything is sent (exit status 5 when it \
             does not fit, 2 when a required field is missing).",
        )
    };
    Arg::new("data")
        .long("data")
        .short('d')
        .value_name("JSON")
        .required(required)
        .allow_hyphen_values(true)
        .help(help)
        .long_help(long_help)
}

/// The body given with `--data`, decoded into the operation's body type.
///
/// # Errors
///
/// Status 5 when it cannot be read, is not JSON, or does not fit the type; the message says
/// where, never what the data held.
pub fn data<T: DeserializeOwned>(matches: &ArgMatches) -> Result<T, Failure> {
    let (value, origin) = data_value(matches)?;
    serde_json::from_value(value).map_err(|e| {
        Failure::data(format!(
            "--data: {origin} is not this operation's body: {e}"
        ))
    })
}

/// The body given with `--data` as a JSON object, for bodies read field by field.
///
/// # Errors
///
/// Status 5 when it cannot be read or is not a JSON object.
pub fn data_object(matches: &ArgMatches) -> Result<Map<String, Value>, Failure> {
    match data_value(matches)? {
        (Value::Object(map), _) => Ok(map),
        (_, origin) => Err(Failure::data(format!(
            "--data: {origin} is not a JSON object"
        ))),
    }
}

/// The member of a `one_of` group present in `data`, taken out of it.
///
/// # Errors
///
/// Status 5 when none or several of `members` are present.
pub fn one_of(
    data: &mut Map<String, Value>,
    members: &[&'static str],
) -> Result<(&'static str, Value), Failure> {
    let present: Vec<&'static str> = members
        .iter()
        .copied()
        .filter(|m| data.contains_key(*m))
        .collect();
    match present.as_slice() {
        [one] => Ok((one, data.remove(*one).unwrap_or(Value::Null))),
        [] => Err(Failure::data(format!(
            "--data: give exactly one of {}",
            members.join(", ")
        ))),
        several => Err(Failure::data(format!(
            "--data: give exactly one of {}, not {}",
            members.join(", "),
            several.join(" and ")
        ))),
    }
}

/// A field's value decoded into its type.
///
/// # Errors
///
/// Status 5, naming the field, when the value does not fit.
pub fn field_value<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, Failure> {
    serde_json::from_value(value).map_err(|e| Failure::data(format!("--data: field `{name}`: {e}")))
}

/// A required field, taken out of `data`.
///
/// # Errors
///
/// Status 5 when it is missing or does not fit.
pub fn required_field<T: DeserializeOwned>(
    data: &mut Map<String, Value>,
    name: &str,
) -> Result<T, Failure> {
    match data.remove(name) {
        Some(value) => field_value(name, value),
        None => Err(Failure::data(format!("--data: missing field `{name}`"))),
    }
}

/// An optional field, taken out of `data`; its default (absent) when missing.
///
/// # Errors
///
/// Status 5 when it does not fit.
pub fn optional_field<T: DeserializeOwned + Default>(
    data: &mut Map<String, Value>,
    name: &str,
) -> Result<T, Failure> {
    match data.remove(name) {
        Some(value) => field_value(name, value),
        None => Ok(T::default()),
    }
}

/// The `--data` value and where it came from, for messages.
fn data_value(matches: &ArgMatches) -> Result<(Value, String), Failure> {
    let given = matches
        .get_one::<String>("data")
        .ok_or_else(|| missing("--data"))?;
    let (text, origin) = if given == "-" {
        (
            read_limited(std::io::stdin().lock(), "stdin")?,
            "stdin".to_string(),
        )
    } else if let Some(path) = given.strip_prefix('@') {
        let file = std::fs::File::open(path)
            .map_err(|e| Failure::data(format!("cannot read --data file `{path}`: {e}")))?;
        (read_limited(file, path)?, format!("`{path}`"))
    } else {
        (given.clone(), "the --data text".to_string())
    };
    let value: Value = serde_json::from_str(&text)
        .map_err(|e| Failure::data(format!("--data: {origin} is not JSON: {e}")))?;
    Ok((value, origin))
}

fn read_limited(reader: impl Read, origin: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_DATA_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::data(format!("cannot read --data from {origin}: {e}")))?;
    if bytes.len() as u64 > MAX_DATA_BYTES {
        return Err(Failure::data(format!(
            "--data from {origin} is larger than {} MiB",
            MAX_DATA_BYTES >> 20
        )));
    }
    String::from_utf8(bytes)
        .map_err(|_| Failure::data(format!("--data from {origin} is not UTF-8 text")))
}

/// The names of an API's pagination flags, from its spec's pagination parameters (without
/// `--`): `limit`, `starting-after`, `ending-before` for PartnerStack's.
#[derive(Debug, Clone, Copy)]
pub struct PagingFlags {
    /// The page size.
    pub limit: &'static str,
    /// The cursor walking forward.
    pub after: &'static str,
    /// The cursor walking backward.
    pub before: &'static str,
}

/// The argument ids of the pagination flags: not flag names, so they cannot meet a
/// parameter's id.
const LIMIT: &str = "paging limit";
const AFTER: &str = "paging after";
const BEFORE: &str = "paging before";
const CONCURRENCY: &str = "paging concurrency";

/// The pagination flags of a list (`--limit`, `--starting-after`, `--ending-before` as `flags`
/// names them) and `--all`.
pub fn paging_args(min: i64, max: i64, flags: &PagingFlags) -> Vec<Arg> {
    vec![
        Arg::new(LIMIT)
            .long(flags.limit)
            .value_name("N")
            .value_parser(clap::value_parser!(u32).range(min..=max))
            .help(format!(
                "Items per page, {min} to {max} [default: the API's; {max} with --all]"
            )),
        Arg::new(AFTER)
            .long(flags.after)
            .value_name("KEY")
            .help("Start after the item with this key"),
        Arg::new(BEFORE)
            .long(flags.before)
            .value_name("KEY")
            .conflicts_with(AFTER)
            .help("Start before the item with this key and walk backward"),
        Arg::new("all").long("all").action(ArgAction::SetTrue).help(
            "Follow pagination to the last page (a progress bar on stderr when it is a terminal)",
        ),
    ]
}

/// `--concurrency N`, for lists the spec lets walk in creation-time windows at once.
pub fn concurrency_arg() -> Arg {
    Arg::new(CONCURRENCY)
        .long("concurrency")
        .value_name("N")
        .value_parser(clap::value_parser!(u16).range(1..=64))
        .requires("all")
        .conflicts_with_all([AFTER, BEFORE])
        .help(
            "With --all: walk up to N creation-time windows of the list at once, much faster \
             against a distant server; the same items, one per line, but in another order \
             (each window's newest first, windows interleaved)",
        )
}

/// The pagination flags as given.
#[derive(Debug)]
pub struct Paging {
    /// Page size; the largest allowed with `--all` when not given.
    pub limit: Option<u32>,
    /// `--starting-after`.
    pub after: Option<String>,
    /// `--ending-before`.
    pub before: Option<String>,
    /// `--all`.
    pub all: bool,
    /// `--concurrency`: windows walked at once, for lists that have the flag.
    pub concurrency: Option<usize>,
}

impl Paging {
    /// Reads the flags of [`paging_args`]; `max` is the largest page size.
    pub fn read(matches: &ArgMatches, max: u32) -> Self {
        let all = matches.get_flag("all");
        let limit = matches.get_one::<u32>(LIMIT).copied();
        Paging {
            limit: limit.or(all.then_some(max)),
            after: matches.get_one::<String>(AFTER).cloned(),
            before: matches.get_one::<String>(BEFORE).cloned(),
            all,
            // Only lists walked in windows declare the flag.
            concurrency: matches
                .try_get_one::<u16>(CONCURRENCY)
                .ok()
                .flatten()
                .map(|n| usize::from(*n)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(text: &str) -> i64 {
        timestamp(text).unwrap().as_millis()
    }

    #[test]
    fn timestamps_in_every_accepted_form() {
        assert_eq!(ms("1700000000000"), 1_700_000_000_000);
        assert_eq!(ms("-5"), -5);
        assert_eq!(ms("1970-01-01T00:00:00Z"), 0);
        assert_eq!(ms("2023-11-14T22:13:20Z"), 1_700_000_000_000);
        assert_eq!(ms("2023-11-14T22:13:20.5Z"), 1_700_000_000_500);
        assert_eq!(ms("2023-11-14T22:13:20.123456Z"), 1_700_000_000_123);
        assert_eq!(ms("2023-11-15T00:13:20+02:00"), 1_700_000_000_000);
        assert_eq!(ms("2023-11-14T20:13:20-02:00"), 1_700_000_000_000);
        assert_eq!(ms("2024-02-29"), 1_709_164_800_000);
        assert_eq!(ms("1969-12-31T23:59:59Z"), -1000);
    }

    #[test]
    fn base_urls_are_checked_without_showing_what_must_stay_hidden() {
        assert!(base_url("http://127.0.0.1:8080").is_ok());
        assert!(base_url("https://api.example.com/v").is_ok());
        for (bad, says) in [
            ("http://api.example.com", "plain http"),
            (
                "https://user:hunter22@api.example.com",
                "user name or password",
            ),
            (
                "https://api.example.com/?token=s3cr3t-t0ken",
                "without a query",
            ),
            ("https://api.example.com/#frag-s3cr3t", "without a query"),
            ("ftp://x", "must start with https://"),
            ("not a url", "is not a URL"),
        ] {
            let failure = base_url(bad).unwrap_err();
            assert_eq!(failure.code, crate::exit::CONFIG, "{bad}");
            assert!(failure.message.contains(says), "{bad}: {failure}");
            for hidden in ["hunter22", "s3cr3t", "token", "allow_insecure_http"] {
                assert!(!failure.message.contains(hidden), "{bad}: {failure}");
            }
        }
        let parts = hidden_parts("https://us%65r:p%40ss@h/?q=1#f");
        for part in ["us%65r", "user", "p%40ss", "p@ss", "q=1", "f"] {
            assert!(parts.iter().any(|p| p == part), "{part}: {parts:?}");
        }
    }

    #[test]
    fn bad_timestamps_are_refused() {
        for bad in [
            "",
            "yesterday",
            "2023-02-29",
            "2023-13-01",
            "2023-11-14T25:00:00Z",
            "2023-11-14T22:13:20",
            "2023-11-14T22:13:20+2:00",
            "2023-11-14T22:13:20.Z",
            "2023-11-14T22:13:20Z junk",
            "２０２３-11-14",
            "99999999999999999999",
        ] {
            assert!(timestamp(bad).is_err(), "{bad:?} was accepted");
        }
    }
}

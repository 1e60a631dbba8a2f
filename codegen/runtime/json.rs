//! JSON kept exactly as received: what `extra` and the spec's `json` fields hold.
//!
//! `serde_json::Value` keeps an integer only up to 64 bits and a decimal only as an `f64`, so
//! `123456789012345678901234567890` would come back as `1.2345678901234568e29`. A [`RawJson`]
//! keeps the text instead (serde_json's `RawValue`, whose `raw_value` feature is additive and
//! changes nothing else in a build), so every number survives a round trip digit for digit,
//! without imposing `arbitrary_precision` on every crate of the dependent's build.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// JSON fields a model's spec does not describe, by key: kept as received, and written back when
/// serialized. Every model's `extra` is one.
pub type JsonMap = BTreeMap<String, RawJson>;

/// A JSON value kept exactly as received: its text, with the whitespace between tokens removed.
///
/// Numbers keep every digit (`123456789012345678901234567890`, `0.1000000000000000000001`,
/// `1e400`), objects keep their keys in the order received, and serializing writes the same
/// text back. Read it with [`RawJson::parse`] (into any type) or [`RawJson::to_value`]; build
/// one from a [`serde_json::Value`] with `From`, or from JSON text with [`RawJson::from_json`].
///
/// ```
/// use partnerstack::RawJson;
/// use serde_json::json;
///
/// let big: RawJson = serde_json::from_str("123456789012345678901234567890").unwrap();
/// assert_eq!(big.get(), "123456789012345678901234567890");
/// assert_eq!(serde_json::to_string(&big).unwrap(), "123456789012345678901234567890");
///
/// let tier: RawJson = serde_json::from_str(r#"{ "name": "Gold", "rank": 2 }"#).unwrap();
/// assert_eq!(tier.get(), r#"{"name":"Gold","rank":2}"#);
/// assert_eq!(tier, json!({"name": "Gold", "rank": 2}));
/// assert_eq!(tier.parse::<serde_json::Value>().unwrap()["name"], "Gold");
/// assert_eq!(RawJson::from(json!([1, 2])).get(), "[1,2]");
/// ```
///
/// It is JSON through and through: it deserializes from serde_json (text, or a
/// `serde_json::Value`) and serializes to serde_json (text, or `to_value`); another serde format
/// sees serde_json's private raw-value token, so convert with [`RawJson::to_value`] first.
///
/// Two values are equal when their texts are: `1.0` is not `1.00`, and `{"a":1,"b":2}` is not
/// `{"b":2,"a":1}`. Compared with a `serde_json::Value`, a string, a number or a boolean, it is
/// read as a `Value` first (`extra["plan"] == "pro"`), as `Value`'s own comparisons do.
#[derive(Clone)]
pub struct RawJson(Box<RawValue>);

impl RawJson {
    /// Checks `text` is one JSON value and keeps it (without the whitespace between tokens).
    ///
    /// # Errors
    ///
    /// When `text` is not exactly one JSON value.
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        serde_json::from_str(text)
    }

    /// The JSON text, compact: `{"a":[1,2]}`.
    pub fn get(&self) -> &str {
        self.0.get()
    }

    /// Reads the value as `T`.
    ///
    /// # Errors
    ///
    /// When the JSON does not fit `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }

    /// Reads the value as a [`serde_json::Value`], which holds integers of up to 64 bits and
    /// other numbers as `f64` (the text stays exact here).
    ///
    /// # Errors
    ///
    /// A number beyond `f64`'s range (`1e400`) is one.
    pub fn to_value(&self) -> serde_json::Result<Value> {
        self.parse()
    }

    /// Whether the value is `null`.
    pub fn is_null(&self) -> bool {
        self.0.get() == "null"
    }

    fn compact(raw: Box<RawValue>) -> Self {
        match compact(raw.get()) {
            None => RawJson(raw),
            // The text was valid JSON, and only whitespace between tokens went, so this cannot
            // fail; if it ever did, the text as received is kept.
            Some(text) => RawJson(RawValue::from_string(text).unwrap_or(raw)),
        }
    }
}

/// `text` (valid JSON) without the whitespace between tokens, or `None` when it has none.
fn compact(text: &str) -> Option<String> {
    let blank = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r');
    let bytes = text.as_bytes();
    // A scalar (a number, a string, a literal) is one token: with nothing blank at either end,
    // there is no whitespace outside its string to drop. Most unknown fields are scalars.
    if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last())
        && !matches!(first, b'{' | b'[')
        && !blank(first)
        && !blank(last)
    {
        return None;
    }
    let mut in_string = false;
    let mut escaped = false;
    let mut first_blank = None;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if blank(b) {
            first_blank = Some(i);
            break;
        }
    }
    let start = first_blank?;
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    // `start` is outside any string.
    for c in text[start..].chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !(c.is_ascii() && blank(c as u8)) {
            out.push(c);
        }
    }
    Some(out)
}

impl From<Value> for RawJson {
    fn from(value: Value) -> Self {
        RawJson::from(&value)
    }
}

impl From<&Value> for RawJson {
    fn from(value: &Value) -> Self {
        // A `Value` always serializes (its keys are strings, its numbers finite); `null` would
        // stand in if it ever did not.
        let raw =
            serde_json::value::to_raw_value(value).unwrap_or_else(|_| RawValue::NULL.to_owned());
        RawJson(raw)
    }
}

impl PartialEq for RawJson {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl Eq for RawJson {}

impl std::hash::Hash for RawJson {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.get().hash(state);
    }
}

impl PartialEq<Value> for RawJson {
    /// Reads this value as a `Value` and compares; never equal when it cannot be read.
    fn eq(&self, other: &Value) -> bool {
        self.to_value().is_ok_and(|v| v == *other)
    }
}

macro_rules! eq_via_value {
    ($($ty:ty),*) => {$(
        impl PartialEq<$ty> for RawJson {
            /// Reads this value as a `Value` and compares, as `Value == ` it does.
            fn eq(&self, other: &$ty) -> bool {
                self.to_value().is_ok_and(|v| v == *other)
            }
        }
    )*};
}

eq_via_value!(str, &str, String, bool, i64, u64, f64);

impl PartialEq<RawJson> for Value {
    fn eq(&self, other: &RawJson) -> bool {
        other == self
    }
}

impl fmt::Debug for RawJson {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl fmt::Display for RawJson {
    /// The JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.get())
    }
}

impl Serialize for RawJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for RawJson {
    /// From JSON text (serde_json's deserializers, or a `serde_json::Value`): any value.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(RawJson::compact)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compacting_keeps_strings_whole() {
        assert_eq!(compact("[1,2]"), None);
        assert_eq!(compact(" [ 1 , 2 ] ").as_deref(), Some("[1,2]"));
        assert_eq!(
            compact(r#"{"a b": "c \" d\\", "e" :[ "\\" , 1 ]}"#).as_deref(),
            Some(r#"{"a b":"c \" d\\","e":["\\",1]}"#)
        );
        assert_eq!(compact("\"é \" ").as_deref(), Some("\"é \""));
        // Scalars: one token, kept as they are unless blank at an end.
        for scalar in ["1", "-2.5e3", "true", "null", r#""a b""#, r#""\" ""#] {
            assert_eq!(compact(scalar), None, "{scalar}");
        }
        assert_eq!(compact(" 1").as_deref(), Some("1"));
        assert_eq!(compact("\"a b\"\n").as_deref(), Some("\"a b\""));
    }

    #[test]
    fn numbers_stay_exact() {
        for text in [
            "123456789012345678901234567890",
            "-0.1000000000000000000001",
            "1e400",
            "1.50",
        ] {
            let raw: RawJson = serde_json::from_str(text).unwrap();
            assert_eq!(raw.get(), text);
            assert_eq!(serde_json::to_string(&raw).unwrap(), text);
        }
        let nested: RawJson = serde_json::from_str(r#"{"a": [ {"b": 1e400} ]}"#).unwrap();
        assert_eq!(nested.get(), r#"{"a":[{"b":1e400}]}"#);
        assert!(nested.to_value().is_err());
        assert!(RawJson::from_json("1 2").is_err());
        assert!(RawJson::from_json("null").unwrap().is_null());
    }
}

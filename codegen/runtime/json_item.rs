//! A list's item as the JSON text the server sent, for walks that pass items on without
//! reading them (`json_pages()`, `json_items()`).

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use serde_json::value::RawValue;

/// One item of a list, as the JSON text the server sent for it: what `json_pages()` and
/// `json_items()` on a list request yield, instead of the decoded model.
///
/// What it guarantees: the text is exactly the server's for this one item (byte for byte,
/// whitespace, field order and number spelling included), and it is one valid JSON value. It is
/// **not** checked against the model: a field the spec calls required may be missing, a number
/// may not fit the model's type. The only fields read are the item's cursor (`key` on
/// PartnerStack's lists), which a walk needs to go on and to guard against loops, and, in a
/// partitioned walk, its creation time: an item without them ends the walk with
/// [`Error::Decode`](crate::Error::Decode). Decode it into the model when you need it with
/// [`JsonItem::parse`].
///
/// Skipping the model's decoding makes a walk that passes items on (to a file, a queue,
/// another service) several times cheaper per item; the text is copied out of the page once.
///
/// ```
/// use partnerstack::JsonItem;
///
/// let item: JsonItem = serde_json::from_str(r#"{"key": "rwrd_1",  "amount": 1.50}"#).unwrap();
/// assert_eq!(item.as_str(), r#"{"key": "rwrd_1",  "amount": 1.50}"#);
/// // Serializing writes the same text back.
/// assert_eq!(serde_json::to_string(&item).unwrap(), item.as_str());
/// let value = item.to_value().unwrap();
/// assert_eq!(value["amount"], 1.5);
/// ```
///
/// It is JSON through and through: it deserializes only from serde_json's deserializers (text,
/// or a `serde_json::Value`) and serializes the text verbatim with serde_json; another serde
/// format sees serde_json's private raw-value token, so convert with [`JsonItem::to_value`]
/// first. Two items are equal when their texts are.
#[derive(Clone)]
pub struct JsonItem(Box<RawValue>);

impl JsonItem {
    /// Checks `text` is one JSON value and keeps it as it is.
    ///
    /// # Errors
    ///
    /// When `text` is not exactly one JSON value.
    pub fn from_json(text: &str) -> serde_json::Result<Self> {
        serde_json::from_str(text)
    }

    /// The JSON text, as the server sent it.
    pub fn as_str(&self) -> &str {
        self.0.get()
    }

    /// Decodes the item as `T`: the model of the list (as `.items()` would have), or any other
    /// type.
    ///
    /// # Errors
    ///
    /// When the JSON does not fit `T`.
    pub fn parse<T: DeserializeOwned>(&self) -> serde_json::Result<T> {
        serde_json::from_str(self.0.get())
    }

    /// Reads the item as a [`serde_json::Value`] (integers of up to 64 bits, other numbers as
    /// `f64`).
    ///
    /// # Errors
    ///
    /// A number beyond `f64`'s range (`1e400`) is one.
    pub fn to_value(&self) -> serde_json::Result<Value> {
        self.parse()
    }

    /// The string under the top-level key `name`, if the item is an object that has one (the
    /// first, if repeated): borrowed from the text unless it holds escapes.
    pub(crate) fn field_str(&self, name: &str) -> Option<Cow<'_, str>> {
        let value = top_level_field(self.as_str(), name)?;
        let inner = value.strip_prefix('"')?.strip_suffix('"')?;
        if !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        serde_json::from_str::<String>(value).ok().map(Cow::Owned)
    }

    /// The value under the top-level key `name`, decoded as `T`, if the item is an object
    /// that has one (the first, if repeated) and it fits `T`.
    pub(crate) fn field<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        serde_json::from_str(top_level_field(self.as_str(), name)?).ok()
    }
}

/// The text of the value under the top-level key `name` of `text` (valid JSON, as a
/// `RawValue` is), when `text` is an object that has one: the first of repeated keys, as the
/// walk's quick pass reads them. Skips the other values without decoding them; anything
/// unexpected finds nothing rather than panicking.
fn top_level_field<'t>(text: &'t str, name: &str) -> Option<&'t str> {
    let bytes = text.as_bytes();
    let mut i = skip_blank(bytes, 0);
    if bytes.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = skip_blank(bytes, i);
        if bytes.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(bytes, i)?;
        let key = text.get(i..key_end)?;
        i = skip_blank(bytes, key_end);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        let start = skip_blank(bytes, i + 1);
        let end = value_end(bytes, start)?;
        if key_is(key, name) {
            return text.get(start..end);
        }
        i = skip_blank(bytes, end);
        match bytes.get(i) {
            Some(b',') => i += 1,
            _ => return None,
        }
    }
}

/// Whether the JSON string `quoted` (quotes included) stands for `name`.
fn key_is(quoted: &str, name: &str) -> bool {
    let inner = &quoted[1..quoted.len() - 1];
    if !inner.contains('\\') {
        return inner == name;
    }
    serde_json::from_str::<String>(quoted).is_ok_and(|k| k == name)
}

fn skip_blank(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Where the string starting with the quote at `start` ends (just after its closing quote).
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    loop {
        match bytes.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// Where the value starting at `start` ends.
fn value_end(bytes: &[u8], start: usize) -> Option<usize> {
    match bytes.get(start)? {
        b'"' => string_end(bytes, start),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut i = start;
            loop {
                match bytes.get(i)? {
                    b'"' => {
                        i = string_end(bytes, i)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(i + 1);
                        }
                    }
                    _ => {}
                }
                i += 1;
            }
        }
        _ => {
            let mut i = start;
            while let Some(b) = bytes.get(i) {
                if matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                    break;
                }
                i += 1;
            }
            (i > start).then_some(i)
        }
    }
}

impl PartialEq for JsonItem {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for JsonItem {}

impl std::hash::Hash for JsonItem {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for JsonItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for JsonItem {
    /// The JSON text, as the server sent it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for JsonItem {
    /// Writes the text as it is (with serde_json; see [`JsonItem`] for other formats).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for JsonItem {
    /// From JSON text (serde_json's deserializers): any one value, its text kept as it is;
    /// from a `serde_json::Value`, the value written compact.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Box::<RawValue>::deserialize(deserializer).map(JsonItem)
    }
}

impl AsRef<str> for JsonItem {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(text: &str) -> JsonItem {
        JsonItem::from_json(text).unwrap()
    }

    #[test]
    fn the_text_is_kept_as_sent() {
        let text =
            "{\n  \"key\": \"a\",\n  \"n\": 1.50e0, \"big\": 123456789012345678901234567890\n}";
        assert_eq!(item(text).as_str(), text);
        assert_eq!(serde_json::to_string(&item(text)).unwrap(), text);
        assert!(JsonItem::from_json("{} {}").is_err());
    }

    #[test]
    fn a_top_level_field_is_found_without_decoding_the_rest() {
        let text = r#" { "x" : {"key": "no", "s": "\"}]"}, "l": [1, [2, {"key": 3}]], "n": -1.5e3,
            "t": true, "key" : "yes", "key": "dup", "when": 1700000000000 } "#;
        let it = item(text);
        assert_eq!(it.field_str("key").as_deref(), Some("yes"));
        assert!(matches!(it.field_str("key"), Some(Cow::Borrowed(_))));
        assert_eq!(it.field::<i64>("when"), Some(1_700_000_000_000));
        assert_eq!(it.field::<f64>("n"), Some(-1500.0));
        assert_eq!(it.field_str("missing"), None);
        assert_eq!(it.field_str("n"), None, "not a string");
        let escaped = item(r#"{"k\u0065y": "r\u00e9\n", "key": "later"}"#);
        assert_eq!(escaped.field_str("key").as_deref(), Some("ré\n"));
        for odd in ["[1]", "\"key\"", "null", "{}", r#"{"a": {}}"#] {
            assert_eq!(item(odd).field_str("key"), None, "{odd}");
        }
    }

    #[test]
    fn a_field_finder_never_panics_on_broken_text() {
        for broken in [
            "{",
            "{\"key",
            "{\"key\"",
            "{\"key\":",
            "{\"a\":[",
            "{\"a\":\"\\",
            "{\"a\" 1}",
        ] {
            assert_eq!(top_level_field(broken, "key"), None, "{broken}");
        }
    }
}

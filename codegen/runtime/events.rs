//! Receiving events: what the generated `events::Event` enums are made of.
//!
//! PartnerStack delivers events as an HTTP `POST` with a JSON body: partners get postbacks
//! (`{"event": …, "data": {…}, "test": …}`, [`Postback`]) and vendors get webhooks (the object's
//! own fields with `event` among them, [`Webhook`]). Real deliveries are looser than the docs, so
//! everything here keeps what arrived: unknown fields and whole unknown events as exact JSON
//! ([`RawJson`], numbers digit for digit), `null` apart from absent, numbers and booleans sent
//! in another form ([`Loose`]), and a known event whose payload does not fit its type
//! ([`MalformedEvent`]). Serializing any of them gives back the JSON that was received.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;

use serde::de::{
    DeserializeOwned, DeserializeSeed, Deserializer, Error as _, IgnoredAny, IntoDeserializer,
    MapAccess, Visitor,
};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Error, Result, scrub_serde_message};
use crate::json::{JsonMap, RawJson};
use crate::nullable::Nullable;
use crate::timestamp::Timestamp;

/// A partner postback: the event's name, its payload in `data`, PartnerStack's test flag, and
/// any other field of the envelope.
///
/// `Event::from_slice` (in an API's `events` module) builds one from a delivery; for a test of
/// your own handler, build one directly:
///
/// ```
/// use partnerstack::Postback;
/// use partnerstack::partner::models::TestPostback;
///
/// let postback = Postback::new("test", TestPostback::new().message("hello")).test(true);
/// assert!(postback.is_test());
/// assert_eq!(
///     serde_json::to_string(&postback).unwrap(),
///     r#"{"event":"test","data":{"message":"hello"},"test":true}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Postback<T> {
    /// The event's name exactly as received (`customer.created` or `customer_created`).
    pub event: String,
    /// The payload.
    pub data: T,
    /// Whether PartnerStack sent it as a test: absent, `null`, or a flag (sent as a boolean,
    /// tolerated as a string or a number).
    #[serde(skip_serializing_if = "Nullable::is_absent")]
    pub test: Nullable<LooseBool>,
    /// Envelope fields besides `event`, `data` and `test`, kept exactly as received.
    #[serde(flatten)]
    pub extra: JsonMap,
}

impl<T> Postback<T> {
    /// A postback of the event `event` (its name as PartnerStack spells it, such as
    /// `reward.created`) carrying `data`, without a test flag or other fields.
    pub fn new(event: impl Into<String>, data: T) -> Self {
        Postback {
            event: event.into(),
            data,
            test: Nullable::Absent,
            extra: JsonMap::new(),
        }
    }

    /// Sets the test flag (`true` as PartnerStack's test deliveries send it).
    pub fn test(mut self, test: impl Into<LooseBool>) -> Self {
        self.test = Nullable::Value(test.into());
        self
    }

    /// Sends the test flag as `null`.
    pub fn clear_test(mut self) -> Self {
        self.test = Nullable::Null;
        self
    }

    /// Whether this is a test delivery: the `test` flag is true, or the event is PartnerStack's
    /// test event (`"event": "test"`).
    pub fn is_test(&self) -> bool {
        self.test.value().and_then(LooseBool::get) == Some(true) || self.event == "test"
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Postback<T> {
    /// An object with `event` and `data`, and optionally `test`; other keys go to `extra`. A
    /// key given twice is an error (which copy is meant is ambiguous), as in every model.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PostbackVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for PostbackVisitor<T> {
            type Value = Postback<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a postback object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Postback<T>, A::Error> {
                let (mut event, mut data, mut test) = (None, None, None);
                let mut extra = JsonMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "event" => crate::decode::value(&mut map, &mut event, "event")?,
                        "data" => crate::decode::value(&mut map, &mut data, "data")?,
                        "test" => crate::decode::value(&mut map, &mut test, "test")?,
                        _ => crate::decode::keep(&mut map, &mut extra, key)?,
                    }
                }
                Ok(Postback {
                    event: crate::decode::required(event, "event")?,
                    data: crate::decode::required(data, "data")?,
                    test: test.unwrap_or_default(),
                    extra,
                })
            }
        }

        deserializer.deserialize_map(PostbackVisitor(PhantomData))
    }
}

/// A vendor webhook: the payload's own fields, with the event's name beside them.
///
/// ```
/// use partnerstack::Webhook;
/// use partnerstack::vendor::models::WebhookPartnership;
///
/// let webhook = Webhook::new("partnership.created", WebhookPartnership::new().partner_key("jane"));
/// assert_eq!(
///     serde_json::to_string(&webhook).unwrap(),
///     r#"{"event":"partnership.created","partner_key":"jane"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Webhook<T> {
    /// The event's name exactly as received (`partnership_created` or `partnership.created`).
    pub event: String,
    /// The payload: every other field of the body.
    #[serde(flatten)]
    pub data: T,
}

impl<T> Webhook<T> {
    /// A webhook of the event `event` (its name as PartnerStack spells it, such as
    /// `partnership.created`) carrying `data`.
    pub fn new(event: impl Into<String>, data: T) -> Self {
        Webhook {
            event: event.into(),
            data,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Webhook<T> {
    /// An object whose `event` is the name and whose other keys are the payload's, read in
    /// place (not buffered, as `#[serde(flatten)]` would): `T` sees the object without `event`.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WebhookVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for WebhookVisitor<T> {
            type Value = Webhook<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a webhook object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Webhook<T>, A::Error> {
                let mut event = None;
                let data =
                    T::deserialize(serde::de::value::MapAccessDeserializer::new(WithoutEvent {
                        map,
                        event: &mut event,
                    }))?;
                Ok(Webhook {
                    event: crate::decode::required(event, "event")?,
                    data,
                })
            }
        }

        deserializer.deserialize_map(WebhookVisitor(PhantomData))
    }
}

/// The entries of a webhook's object without `event`, whose value it takes.
struct WithoutEvent<'a, A> {
    map: A,
    event: &'a mut Option<String>,
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for WithoutEvent<'_, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        while let Some(key) = self.map.next_key::<String>()? {
            if key == "event" {
                crate::decode::value(&mut self.map, self.event, "event")?;
                continue;
            }
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// An event this version of the client does not know, kept whole: its name and the body exactly
/// as received.
///
/// ```
/// use partnerstack::UnknownEvent;
/// use serde_json::json;
///
/// let event = UnknownEvent::new("deal.won", json!({"event": "deal.won", "data": {"amount": 5000}}));
/// assert_eq!(event.name(), "deal.won");
/// assert_eq!(event.body().get(), r#"{"data":{"amount":5000},"event":"deal.won"}"#);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UnknownEvent {
    name: String,
    body: RawJson,
}

impl UnknownEvent {
    /// An unknown event named `name`, whose whole body (`event` included) is `body`.
    pub fn new(name: impl Into<String>, body: impl Into<RawJson>) -> Self {
        UnknownEvent {
            name: name.into(),
            body: body.into(),
        }
    }

    /// The event's name as received.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole body, exactly as received (its numbers digit for digit).
    pub fn body(&self) -> &RawJson {
        &self.body
    }

    /// The whole body, taken.
    pub fn into_body(self) -> RawJson {
        self.body
    }

    /// Whether the body says it is a test delivery (a true `test` flag, or the name `test`).
    pub fn is_test(&self) -> bool {
        says_test(&self.name, &self.body)
    }
}

impl Serialize for UnknownEvent {
    /// The body as received.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

/// A known event whose payload does not fit its type: its name, the whole body exactly as
/// received, and why it did not fit. Store it and answer 2xx; nothing of the delivery is lost.
///
/// `Event::from_slice` (in an API's `events` module) returns it (as `Event::Malformed`) instead
/// of an error, so a receiver is never left without the delivery:
///
/// ```
/// use partnerstack::partner::events::Event;
///
/// let body = br#"{"event": "reward.created", "data": {"amount": {"value": 1000}}}"#;
/// let Ok(Event::Malformed(m)) = Event::from_slice(body) else { panic!() };
/// assert_eq!(m.name(), "reward.created");
/// assert_eq!(m.body().get(), r#"{"event":"reward.created","data":{"amount":{"value":1000}}}"#);
/// let partnerstack::Error::Delivery { path, .. } = m.error() else { panic!() };
/// assert_eq!(path, "data.amount");
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct MalformedEvent {
    name: String,
    body: RawJson,
    error: Arc<Error>,
}

impl MalformedEvent {
    /// The event's name as received.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole body, exactly as received.
    pub fn body(&self) -> &RawJson {
        &self.body
    }

    /// The whole body, taken.
    pub fn into_body(self) -> RawJson {
        self.body
    }

    /// Why the payload did not fit: an [`Error::Delivery`] naming the JSON path.
    pub fn error(&self) -> &Error {
        &self.error
    }

    /// Whether the body says it is a test delivery (a true `test` flag, or the name `test`).
    pub fn is_test(&self) -> bool {
        says_test(&self.name, &self.body)
    }
}

impl PartialEq for MalformedEvent {
    /// The same name and body (the error follows from them).
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.body == other.body
    }
}

impl Serialize for MalformedEvent {
    /// The body as received.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

/// Whether a body's `test` flag is true, or the event is named `test`.
fn says_test(name: &str, body: &RawJson) -> bool {
    #[derive(Deserialize)]
    struct Flag {
        #[serde(default)]
        test: Option<LooseBool>,
    }
    let flag = body.parse::<Flag>().ok().and_then(|f| f.test?.get());
    flag == Some(true) || name == "test"
}

/// A number, timestamp or boolean as deliveries send it: in its own JSON form, or as a string
/// (`"1000"`, `"true"`), or as a number of another kind (`1` for a boolean, `12.5` where an
/// integer belongs).
///
/// It keeps the form it arrived in, so serializing gives back the same JSON; `get()` reads the
/// value (for `Loose<bool>`, [`LooseBool`]: `true`, `"true"` and `1` are all `Some(true)`).
///
/// ```
/// use partnerstack::{Loose, LooseBool};
///
/// let amount: Loose<i64> = serde_json::from_str(r#""1000""#).unwrap();
/// assert_eq!(amount, Loose::Text("1000".into()));
/// assert_eq!(amount.get(), Some(1000));
/// assert_eq!(serde_json::to_string(&amount).unwrap(), r#""1000""#);
///
/// let paid: LooseBool = serde_json::from_str("1").unwrap();
/// assert_eq!(paid.get(), Some(true));
/// assert_eq!(serde_json::to_string(&paid).unwrap(), "1");
/// assert_eq!(Loose::from(2500_i64).get(), Some(2500));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Loose<T> {
    /// Sent in the field's own JSON form: a number, or `true`/`false`.
    Value(T),
    /// Sent as a string, kept as sent.
    Text(String),
    /// Sent as a number the type does not hold as written (`1` for a boolean, `12.5` or
    /// `1e30` for an integer, `1.50` for a decimal), kept exactly.
    Number(RawJson),
}

/// A boolean as deliveries send it: `true`/`false`, or sometimes the string `"true"`/`"false"`
/// or the number `1`/`0`. See [`Loose`].
pub type LooseBool = Loose<bool>;

impl<T> From<T> for Loose<T> {
    fn from(value: T) -> Self {
        Loose::Value(value)
    }
}

impl<T: LooseValue> Loose<T> {
    /// The value, read from whatever form it came in; `None` when that form does not hold one
    /// (see [`LooseValue`] for what each type accepts).
    pub fn get(&self) -> Option<T> {
        match self {
            Loose::Value(v) => Some(v.clone()),
            Loose::Text(t) => T::from_text(t.trim()),
            Loose::Number(n) => T::from_text(n.get()),
        }
    }
}

mod sealed {
    pub trait Sealed {}
}

/// What a [`Loose`] can hold: `bool`, `i32`, `i64`, `f64` and [`Timestamp`]. Sealed.
///
/// Text (a string's contents, surrounding spaces ignored, or a number as written) reads as:
/// for `bool`, `true`/`false` in any case or `1`/`0`; for the integers and [`Timestamp`]
/// (milliseconds), an integer in range; for `f64`, a finite number.
pub trait LooseValue: sealed::Sealed + Clone {
    /// The value `text` stands for, if any.
    fn from_text(text: &str) -> Option<Self>;
}

impl sealed::Sealed for bool {}
impl LooseValue for bool {
    fn from_text(text: &str) -> Option<bool> {
        match text.to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        }
    }
}

macro_rules! loose_parse {
    ($($ty:ty),*) => {$(
        impl sealed::Sealed for $ty {}
        impl LooseValue for $ty {
            fn from_text(text: &str) -> Option<$ty> {
                text.parse().ok()
            }
        }
    )*};
}

loose_parse!(i32, i64);

impl sealed::Sealed for f64 {}
impl LooseValue for f64 {
    fn from_text(text: &str) -> Option<f64> {
        text.parse::<f64>().ok().filter(|v| v.is_finite())
    }
}

impl sealed::Sealed for Timestamp {}
impl LooseValue for Timestamp {
    fn from_text(text: &str) -> Option<Timestamp> {
        text.parse().ok().map(Timestamp::from_millis)
    }
}

impl<T: fmt::Display> fmt::Display for Loose<T> {
    /// The value as it was sent: `1000`, `1000` for `"1000"`, `1`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Loose::Value(v) => v.fmt(f),
            Loose::Text(t) => f.write_str(t),
            Loose::Number(n) => f.write_str(n.get()),
        }
    }
}

impl<T: Serialize> Serialize for Loose<T> {
    /// The form it arrived in.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Loose::Value(v) => v.serialize(serializer),
            Loose::Text(t) => serializer.serialize_str(t),
            Loose::Number(n) => n.serialize(serializer),
        }
    }
}

impl<'de, T: DeserializeOwned + Serialize> Deserialize<'de> for Loose<T> {
    /// A value of `T` that writes back as the same text; a string; or a number (any). Objects,
    /// arrays and values of another kind are refused.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = RawJson::deserialize(deserializer)?;
        let text = raw.get();
        match text.as_bytes().first() {
            Some(b'"') => return raw.parse().map(Loose::Text).map_err(D::Error::custom),
            Some(b'{') | Some(b'[') | Some(b'n') | None => {}
            Some(_) => {
                // Kept as `T` only when it writes back to the same text (`1.50` stays text).
                if let Ok(value) = raw.parse::<T>()
                    && serde_json::to_string(&value).is_ok_and(|again| again == text)
                {
                    return Ok(Loose::Value(value));
                }
                if !matches!(text.as_bytes().first(), Some(b't' | b'f')) {
                    return Ok(Loose::Number(raw));
                }
            }
        }
        let kind = match text.as_bytes().first() {
            Some(b'{') => "an object",
            Some(b'[') => "an array",
            Some(b'n') => "null",
            _ => "a boolean",
        };
        Err(D::Error::custom(format_args!(
            "invalid type: {kind}, expected {}, or one sent as a string",
            std::any::type_name::<T>()
                .rsplit("::")
                .next()
                .unwrap_or("a value")
        )))
    }
}

/// How an event name is matched: dots and hyphens read as underscores, so `customer.created`
/// and `customer_created` are one event (the generator's `names::event_match_key` is the same
/// rule, applied to the names the spec declares).
pub(crate) fn match_key(name: &str) -> String {
    name.replace(['.', '-'], "_")
}

/// A delivery read far enough to know its event: the name and the whole body.
pub(crate) struct Delivery {
    name: String,
    body: RawJson,
    what: &'static str,
}

impl Delivery {
    /// The event's name as received.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The body decoded as a known event's type, or the delivery kept whole with why it did
    /// not fit.
    pub(crate) fn decode<T: DeserializeOwned>(self) -> std::result::Result<T, MalformedEvent> {
        let mut de = serde_json::Deserializer::from_str(self.body.get());
        let decoded = match serde_path_to_error::deserialize(&mut de) {
            Ok(value) => de.end().map(|()| value).map_err(|e| (String::new(), e)),
            Err(e) => {
                // The top level prints as `.`; the other errors name it as the empty path.
                let path = e.path().to_string();
                let path = if path == "." { String::new() } else { path };
                Err((path, e.into_inner()))
            }
        };
        decoded.map_err(|(path, source)| MalformedEvent {
            error: Arc::new(Error::Delivery {
                what: self.what,
                path,
                reason: scrub_serde_message(&source),
                source: Some(source),
            }),
            name: self.name,
            body: self.body,
        })
    }

    /// The delivery as an event this version does not know.
    pub(crate) fn unknown(self) -> UnknownEvent {
        UnknownEvent {
            name: self.name,
            body: self.body,
        }
    }
}

/// Reads a delivery's body (`what` is `postback` or `webhook`): a JSON object with the event's
/// name, a string, in `event`.
pub(crate) fn read(body: &[u8], what: &'static str) -> Result<Delivery> {
    let body: RawJson = serde_json::from_slice(body).map_err(|e| not_json(what, e))?;
    let scanned = if body.get().starts_with('{') {
        let mut de = serde_json::Deserializer::from_str(body.get());
        de.deserialize_map(NameScan)
            .map_err(|e| not_json(what, e))?
    } else {
        Scan::NotObject(kind_of(body.get()))
    };
    let problem = |path: &str, reason: &str| Error::Delivery {
        what,
        path: path.to_string(),
        reason: reason.to_string(),
        source: None,
    };
    match scanned {
        Scan::Named(name) => Ok(Delivery { name, body, what }),
        Scan::NotObject(kind) => Err(problem(
            "",
            &format!("the body is {kind}, not a JSON object with the event's name in `event`"),
        )),
        Scan::NoName => Err(problem(
            "",
            "the object has no `event` with the event's name",
        )),
        Scan::NameNotString(kind) => Err(problem(
            "event",
            &format!("the event's name is {kind}, not a string"),
        )),
        Scan::NameTwice => Err(problem(
            "event",
            "the event's name is given twice (which one is meant is ambiguous)",
        )),
    }
}

/// A body that is not JSON: serde_json's own words (its syntax messages quote nothing from the
/// body) and where.
fn not_json(what: &'static str, source: serde_json::Error) -> Error {
    let reason = if source.is_eof() {
        format!(
            "the body ends before its JSON does (line {}, column {})",
            source.line(),
            source.column()
        )
    } else {
        format!(
            "the body is not JSON: {} (line {}, column {})",
            scrub_serde_message(&source),
            source.line(),
            source.column()
        )
    };
    Error::Delivery {
        what,
        path: String::new(),
        reason,
        source: Some(source),
    }
}

/// What the first look at a delivery found.
enum Scan {
    Named(String),
    NotObject(&'static str),
    NoName,
    NameNotString(&'static str),
    NameTwice,
}

/// Looks for `event` among the keys of the top-level object, reading (and checking) the rest.
struct NameScan;

impl<'de> Visitor<'de> for NameScan {
    type Value = Scan;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scan, A::Error> {
        let mut found: Option<Scan> = None;
        while let Some(key) = map.next_key::<String>()? {
            if key != "event" {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let name = map.next_value::<RawJson>()?;
            found = Some(match (&found, name.parse::<String>()) {
                (Some(_), _) => Scan::NameTwice,
                (None, Ok(name)) => Scan::Named(name),
                (None, Err(_)) => Scan::NameNotString(kind_of(name.get())),
            });
        }
        Ok(found.unwrap_or(Scan::NoName))
    }
}

/// What kind of JSON value `text` is, in words.
fn kind_of(text: &str) -> &'static str {
    match text.as_bytes().first() {
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_bools_keep_their_form() {
        for (json, value) in [
            ("true", Some(true)),
            ("\"false\"", Some(false)),
            ("\"yes\"", None),
            ("1", Some(true)),
            ("0", Some(false)),
            ("2", None),
        ] {
            let b: LooseBool = serde_json::from_str(json).unwrap();
            assert_eq!(b.get(), value, "{json}");
            assert_eq!(serde_json::to_string(&b).unwrap(), json);
        }
        assert!(serde_json::from_str::<LooseBool>("{}").is_err());
    }

    #[test]
    fn loose_numbers_keep_their_form() {
        for (json, value) in [
            ("1000", Some(1000)),
            ("\" 1000 \"", Some(1000)),
            ("1000.0", None),
            ("123456789012345678901234567890", None),
            ("\"lots\"", None),
            ("-0", Some(0)),
        ] {
            let n: Loose<i64> = serde_json::from_str(json).unwrap();
            assert_eq!(n.get(), value, "{json}");
            assert_eq!(serde_json::to_string(&n).unwrap(), json);
        }
        for json in ["true", "[1]", "{}"] {
            let err = serde_json::from_str::<Loose<i64>>(json).unwrap_err();
            assert!(err.to_string().contains("expected i64"), "{err}");
        }
        let f: Loose<f64> = serde_json::from_str("1.50").unwrap();
        assert_eq!(
            (f.get(), serde_json::to_string(&f).unwrap()),
            (Some(1.5), "1.50".into())
        );
    }

    #[test]
    fn names_match_in_either_spelling() {
        assert_eq!(match_key("customer.created"), match_key("customer_created"));
    }
}

//! Receiving events: what the generated `events::Event` enums are made of.
//!
//! PartnerStack delivers events as an HTTP `POST` with a JSON body: partners get postbacks
//! (`{"event": …, "data": {…}, "test": …}`, [`Postback`]) and vendors get webhooks (the object's
//! own fields with `event` among them, [`Webhook`]). Real deliveries are looser than the docs, so
//! everything here keeps what arrived: unknown fields, unknown events ([`UnknownEvent`]), and
//! booleans sent as strings ([`LooseBool`]). Serializing any of them gives back the JSON that
//! was received.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::{Error, RequestInfo, Result};

/// A partner postback: the event's name, its payload in `data`, and PartnerStack's test flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Postback<T> {
    /// The event's name exactly as received (`customer.created` or `customer_created`).
    pub event: String,
    /// The payload.
    pub data: T,
    /// Whether PartnerStack sent it as a test. Sent as a boolean, tolerated as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub test: Option<LooseBool>,
    /// Envelope fields besides `event`, `data` and `test`, kept as received.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl<T> Postback<T> {
    /// Whether this is a test delivery: the `test` flag is true, or the event is PartnerStack's
    /// test event (`"event": "test"`).
    pub fn is_test(&self) -> bool {
        self.test.as_ref().and_then(LooseBool::get) == Some(true) || self.event == "test"
    }
}

/// A vendor webhook: the payload's own fields, with the event's name beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Webhook<T> {
    /// The event's name exactly as received (`partnership_created` or `partnership.created`).
    pub event: String,
    /// The payload: every other field of the body.
    #[serde(flatten)]
    pub data: T,
}

/// An event this version of the client does not know, kept whole.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownEvent {
    name: String,
    body: Value,
}

impl UnknownEvent {
    pub(crate) fn new(name: String, body: Value) -> Self {
        UnknownEvent { name, body }
    }

    /// The event's name as received.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The whole body as received.
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The whole body as received, taken.
    pub fn into_body(self) -> Value {
        self.body
    }

    /// Whether the body says it is a test delivery (a true `test` flag, or the name `test`).
    pub fn is_test(&self) -> bool {
        let flag = self
            .body
            .get("test")
            .and_then(|t| LooseBool::deserialize(t).ok())
            .and_then(|t| t.get());
        flag == Some(true) || self.name == "test"
    }
}

impl Serialize for UnknownEvent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.body.serialize(serializer)
    }
}

/// A boolean as deliveries send it: `true`/`false`, or sometimes the string `"true"`/`"false"`.
///
/// It keeps the form it arrived in, so serializing gives back the same JSON; [`LooseBool::get`]
/// reads the value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LooseBool {
    /// Sent as a JSON boolean.
    Bool(bool),
    /// Sent as a string.
    Text(String),
}

impl LooseBool {
    /// The value: a boolean, or a string `true`/`false` (any case, surrounding spaces ignored);
    /// `None` for any other string.
    pub fn get(&self) -> Option<bool> {
        match self {
            LooseBool::Bool(b) => Some(*b),
            LooseBool::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
        }
    }
}

impl From<bool> for LooseBool {
    fn from(value: bool) -> Self {
        LooseBool::Bool(value)
    }
}

impl fmt::Display for LooseBool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LooseBool::Bool(b) => write!(f, "{b}"),
            LooseBool::Text(t) => f.write_str(t),
        }
    }
}

/// How an event name is matched: dots and hyphens read as underscores, so `customer.created`
/// and `customer_created` are one event (the generator's `names::event_match_key` is the same
/// rule, applied to the names the spec declares).
pub(crate) fn match_key(name: &str) -> String {
    name.replace(['.', '-'], "_")
}

/// Reads a delivery's body: its event name and the whole JSON object.
pub(crate) fn read(body: &[u8], what: &'static str) -> Result<(String, Value)> {
    let value: Value = serde_json::from_slice(body).map_err(|e| decode_error(what, "", e))?;
    let name = match value.get("event") {
        Some(Value::String(name)) => name.clone(),
        _ => {
            let e = <serde_json::Error as serde::de::Error>::custom(
                "a delivery is a JSON object with the event's name in `event`",
            );
            return Err(decode_error(what, "event", e));
        }
    };
    Ok((name, value))
}

/// Decodes a known event's body into its type, naming the JSON path that did not fit.
pub(crate) fn decode<T: DeserializeOwned>(body: Value, what: &'static str) -> Result<T> {
    serde_path_to_error::deserialize(body).map_err(|e| {
        // The top level prints as `.`; the other errors name it as the empty path.
        let path = e.path().to_string();
        let path = if path == "." { String::new() } else { path };
        decode_error(what, &path, e.into_inner())
    })
}

/// A delivery that could not be read: named as a `POST` received for the API's events, with
/// no body excerpt (a delivery's values are the receiver's business, not a log's).
fn decode_error(what: &'static str, path: &str, source: serde_json::Error) -> Error {
    Error::Decode {
        path: path.to_string(),
        excerpt: String::new(),
        source,
        request: Box::new(RequestInfo::new(
            what,
            reqwest::Method::POST,
            "(a delivery received)",
            None,
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loose_bools_keep_their_form() {
        for (json, value) in [("true", Some(true)), ("\"false\"", Some(false)), ("\"yes\"", None)] {
            let b: LooseBool = serde_json::from_str(json).unwrap();
            assert_eq!(b.get(), value);
            assert_eq!(serde_json::to_string(&b).unwrap(), json);
        }
        assert!(serde_json::from_str::<LooseBool>("1").is_err());
    }

    #[test]
    fn names_match_in_either_spelling() {
        assert_eq!(match_key("customer.created"), match_key("customer_created"));
    }
}

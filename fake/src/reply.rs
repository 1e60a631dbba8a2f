//! An answer, as every part of the fake builds it: the handlers, the pages, the store's checks.
//! Its own module so that those parts depend on it, not on each other.

use std::sync::Arc;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::value::RawValue;
use serde_json::{Value, json};

/// An answer.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    /// The operation that answered (sent as `x-fake-operation`, for debugging tests).
    pub operation: Option<&'static str>,
    /// An empty body is sent without a content type.
    pub body: Vec<u8>,
    /// A page's JSON, written into `body` once the store is unlocked (writing a page of 250
    /// objects under the lock would make concurrent requests wait for it).
    pub page: Option<Box<Body>>,
}

/// A success answer's JSON, before it is written.
#[derive(Debug)]
pub(crate) enum Body {
    /// Any value.
    Value(Value),
    /// A list's answer, inside the API's envelope (`{data, message, status}`) when it has a
    /// message.
    Listed {
        message: Option<&'static str>,
        listed: Listed,
    },
}

impl Body {
    /// The JSON text.
    pub(crate) fn write(&self) -> Vec<u8> {
        let written = match self {
            Body::Value(v) => serde_json::to_vec(v),
            Body::Listed {
                message: None,
                listed,
            } => serde_json::to_vec(listed),
            Body::Listed {
                message: Some(message),
                listed,
            } => serde_json::to_vec(&Envelope {
                data: listed,
                message,
            }),
        };
        // Writing JSON values and JSON texts into memory cannot fail.
        written.unwrap_or_default()
    }
}

/// A list's answer: its items, each already the JSON its API shows (rendered once per object
/// and view, see `Index::rendered`), and the page's keys when the API pages.
#[derive(Debug)]
pub(crate) struct Listed {
    pub items: Vec<Arc<RawValue>>,
    pub paged: Option<Paged>,
}

/// A page's keys besides the items, named as the API names them.
#[derive(Debug)]
pub(crate) struct Paged {
    pub items: &'static str,
    pub has_more: (&'static str, bool),
    pub total: (&'static str, usize),
}

struct Items<'a>(&'a [Arc<RawValue>]);

impl Serialize for Items<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&**item)?;
        }
        seq.end()
    }
}

impl Serialize for Listed {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Some(p) = &self.paged else {
            return Items(&self.items).serialize(s);
        };
        // Keys in name order, as a `serde_json::Map` writes them.
        let mut keys = [p.has_more.0, p.items, p.total.0];
        keys.sort_unstable();
        let mut map = s.serialize_map(Some(3))?;
        for key in keys {
            if key == p.items {
                map.serialize_entry(key, &Items(&self.items))?;
            } else if key == p.has_more.0 {
                map.serialize_entry(key, &p.has_more.1)?;
            } else {
                map.serialize_entry(key, &p.total.1)?;
            }
        }
        map.end()
    }
}

/// `{data, message, status}` around a list.
struct Envelope<'a> {
    data: &'a Listed,
    message: &'a str,
}

impl Serialize for Envelope<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("data", self.data)?;
        map.serialize_entry("message", self.message)?;
        map.serialize_entry("status", &200)?;
        map.end()
    }
}

impl Reply {
    /// `{message, status}`, the error envelope of every API.
    pub(crate) fn error(status: u16, message: impl Into<String>) -> Reply {
        let body = json!({"message": message.into(), "status": status});
        Reply {
            status,
            operation: None,
            body: body.to_string().into_bytes(),
            page: None,
        }
    }
}

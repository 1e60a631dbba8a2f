//! An answer, as every part of the fake builds it: the handlers, the pages, the store's checks.
//! Its own module so that those parts depend on it, not on each other.

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
    pub page: Option<Value>,
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

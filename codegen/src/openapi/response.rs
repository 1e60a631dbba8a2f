//! Responses: the `{data, message, status}` envelope, pages, messages and errors, as the
//! runtime reads them (`codegen/runtime/transport.rs`, `page.rs`).

use serde_json::{Value, json};

use super::schema;
use crate::ir::{Envelope, Pagination, Response};

/// The `responses` of an operation: its success and, for every other status, the error.
pub(super) fn responses(
    envelope: Envelope,
    pagination: Option<&Pagination>,
    response: &Response,
) -> Value {
    json!({
        "200": success(envelope, pagination, response),
        "default": {"$ref": "#/components/responses/Error"},
    })
}

fn success(envelope: Envelope, pagination: Option<&Pagination>, response: &Response) -> Value {
    let payload = match response {
        Response::Page(item) => page(&item.ty, pagination),
        Response::Object(ty) => schema::ty(ty),
        Response::List(ty) => json!({"type": "array", "items": schema::ty(ty)}),
        Response::Message => return message(envelope),
        Response::Empty => {
            return json!({
                "description": "Success; the body is empty or carries nothing of use.",
            });
        }
    };
    let (description, body) = match envelope {
        Envelope::DataMessageStatus => ("Success: the result is in `data`.", enveloped(payload)),
        Envelope::None => ("Success: the body is the result.", payload),
    };
    json!({
        "description": description,
        "content": {"application/json": {"schema": body}},
    })
}

/// `{data, message, status}` around `data`.
fn enveloped(data: Value) -> Value {
    json!({
        "type": "object",
        "required": ["data", "message", "status"],
        "properties": {
            "data": data,
            "message": {"type": "string", "description": "What happened, in words."},
            "status": {"type": "integer", "description": "The HTTP status, repeated."},
        },
    })
}

/// One page of a cursor-paginated list of `item`, under the API's page keys (`items`,
/// `has_more`, `total` unless the spec says otherwise).
fn page(item: &str, pagination: Option<&Pagination>) -> Value {
    let (items, has_more, total) = match pagination {
        Some(p) => (
            p.items_key.as_str(),
            p.has_more_key.as_str(),
            p.total_key.as_str(),
        ),
        None => ("items", "has_more", "total"),
    };
    json!({
        "type": "object",
        "required": [items, has_more],
        "properties": {
            items: {"type": "array", "items": schema::reference(item)},
            has_more: {
                "type": "boolean",
                "description": "Whether more items exist in the direction of travel.",
            },
            total: {
                "type": ["integer", "null"],
                "format": "int64",
                "description": "How many items match in all; sent by some lists only.",
            },
        },
    })
}

/// A confirmation message: `{message, status}` in the envelope, or the body as text.
fn message(envelope: Envelope) -> Value {
    match envelope {
        Envelope::DataMessageStatus => json!({
            "description": "Success, with PartnerStack's confirmation message (the body may also \
                            be empty).",
            "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {
                    "message": {"type": "string", "description": "The confirmation."},
                    "status": {"type": "integer", "description": "The HTTP status, repeated."},
                    "data": {"description": "Nothing of use when sent."},
                },
            }}},
        }),
        Envelope::None => json!({
            "description": "Success, with a confirmation message as the body.",
            "content": {"text/plain": {"schema": {"type": "string"}}},
        }),
    }
}

/// `components/responses/Error`: any status other than the success.
pub(super) fn error(envelope: Envelope) -> Value {
    match envelope {
        Envelope::DataMessageStatus => json!({
            "description": "An error: PartnerStack's message and the status. A proxy in the way \
                            may answer with a non-JSON body (an HTML page) instead.",
            "content": {"application/json": {"schema": {
                "type": "object",
                "required": ["message", "status"],
                "properties": {
                    "message": {
                        "description": "What went wrong: text, or for some validation errors \
                                        an object naming the fields.",
                        "anyOf": [{"type": "string"}, {"type": "object"}],
                    },
                    "status": {"type": "integer", "description": "The HTTP status, repeated."},
                },
            }}},
        }),
        Envelope::None => json!({
            "description": "An error status; the body's shape is not documented.",
        }),
    }
}

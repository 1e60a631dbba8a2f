//! OpenAPI 3.1 documents, one per API, emitted from the IR.
//!
//! One document per API because the Partner and Vendor APIs share paths (`GET
//! /api/v2/partnerships`) with different shapes and credentials: a single document cannot hold
//! both. Each document has the API's server, its security scheme (HTTP bearer, or HTTP basic for
//! the Vendor API's key pair), every operation (`operationId` is the IR's operation id, such as
//! `rewards.list`) and every named type under `components/schemas`.
//!
//! Choices, where OpenAPI leaves room:
//!
//! - `required` (the field is always present) and nullable (it may be `null`) stay two facts:
//!   nullable is `type: [T, "null"]`, or `anyOf: [{$ref}, {type: "null"}]` for references.
//! - Open enums (PartnerStack may add values; the client keeps unknown ones) are
//!   `anyOf: [{type: string, enum: [known…]}, {type: string}]`: tools still see the known values,
//!   and a validator does not reject a response carrying a value added after this document. A
//!   plain `enum` would make such responses invalid; a plain string would lose the list. Closed
//!   enums are a plain `enum`.
//! - Timestamps are `integer`/`int64` described as epoch milliseconds; money is `integer`/`int64`
//!   minor units (cents).
//! - The `{data, message, status}` envelope is spelled out in every response of an API that
//!   uses it; a page is `{items, has_more, total?}` inside `data`; errors are `{message,
//!   status}` (`components/responses/Error`).
//! - Keys are written sorted at every level, so the bytes do not depend on insertion order or
//!   on serde_json features; arrays keep spec order.
//!
//! Every document carries `x-generated` naming its spec file, the JSON form of the Rust files'
//! header, so regenerating replaces only documents this generator wrote.
//!
//! Everything here reads only the IR ([`crate::ir`]).

mod operation;
mod response;
mod schema;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::ir::{Api, Auth};
use crate::output::{self, OutputFile};
use crate::{Diagnostic, Diagnostics, Error};

/// The OpenAPI version the documents follow.
pub const OPENAPI_VERSION: &str = "3.1.0";

/// The OpenAPI documents of the specs in `spec_dir`: `<api>.json` for each API.
pub fn generate(spec_dir: &Path) -> Result<Vec<OutputFile>, Error> {
    documents(&crate::load_specs(spec_dir)?)
}

/// The OpenAPI documents of `apis`, one `<module>.json` per API, in module order.
pub fn documents(apis: &[Api]) -> Result<Vec<OutputFile>, Error> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for api in apis {
        match document(api) {
            Ok(doc) => files.push(OutputFile {
                path: format!("{}.json", api.module),
                contents: render(&doc)?,
            }),
            Err(mut p) => problems.append(&mut p),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(Error::Spec(Diagnostics(problems).sorted()))
    }
}

/// Pretty JSON with every object's keys sorted, ending in a newline.
fn render(doc: &Value) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(&sorted(doc))
        .map_err(|e| Error::Internal(format!("writing an OpenAPI document: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// `value` with the keys of every object in sorted order (whatever the `Map` keeps).
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let by_key: BTreeMap<&String, Value> =
                map.iter().map(|(k, v)| (k, sorted(v))).collect();
            Value::Object(by_key.into_iter().map(|(k, v)| (k.clone(), v)).collect())
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

/// One API's document; problems OpenAPI cannot express (two operations on one method and
/// path) are diagnostics on the spec file.
fn document(api: &Api) -> Result<Value, Vec<Diagnostic>> {
    let (scheme_name, scheme) = security_scheme(&api.auth);
    let mut schemas = Map::new();
    for ty in &api.types {
        schemas.insert(ty.name.to_string(), schema::type_def(ty));
    }
    let tags: Vec<Value> = api
        .resources
        .iter()
        .map(|r| json!({"name": r.module.as_str(), "description": r.doc}))
        .collect();
    let paths = operation::paths(api).map_err(|clashes| {
        clashes
            .into_iter()
            .map(|message| Diagnostic {
                file: api.source.clone(),
                loc: api.module_loc,
                message,
                hint: Some("an OpenAPI document holds one operation per method and path".into()),
            })
            .collect::<Vec<_>>()
    })?;
    Ok(json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": api.title,
            "description": api.doc,
            "version": env!("CARGO_PKG_VERSION"),
        },
        "servers": [{"url": api.base_url}],
        "security": [{scheme_name: []}],
        "tags": tags,
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {scheme_name: scheme},
            "responses": {"Error": response::error(api.envelope)},
        },
        output::JSON_MARKER_FIELD: output::json_marker(&api.source),
    }))
}

/// The security scheme's name in `components/securitySchemes`, and the scheme.
fn security_scheme(auth: &Auth) -> (&'static str, Value) {
    match auth {
        Auth::Bearer { credential } => (
            "bearer",
            json!({
                "type": "http",
                "scheme": "bearer",
                "description": format!("`Authorization: Bearer <{credential}>`."),
            }),
        ),
        Auth::Basic => (
            "basic",
            json!({
                "type": "http",
                "scheme": "basic",
                "description": "HTTP Basic: the public key as user name, the secret key as password.",
            }),
        ),
    }
}

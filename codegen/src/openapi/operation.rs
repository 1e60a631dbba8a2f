//! `paths`: every operation with its parameters, request body and responses.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::{response, schema};
use crate::ir::{Api, Operation, Pagination, Param, Resource, Response, Ty};

/// The `paths` object of `api`, or a message for each method and path two operations share.
pub(super) fn paths(api: &Api) -> Result<Value, Vec<String>> {
    let mut by_path: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut owner: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    let mut clashes = Vec::new();
    for resource in &api.resources {
        for op in &resource.operations {
            let method = op.http_method.as_str();
            if let Some(first) = owner.insert((op.path_template.as_str(), method), &op.id) {
                clashes.push(format!(
                    "operations `{first}` and `{}` are both {method} {}",
                    op.id, op.path_template
                ));
                continue;
            }
            by_path
                .entry(&op.path_template)
                .or_default()
                .insert(method.to_ascii_lowercase(), operation(api, resource, op));
        }
    }
    if !clashes.is_empty() {
        return Err(clashes);
    }
    Ok(Value::Object(
        by_path
            .into_iter()
            .map(|(path, item)| (path.to_string(), Value::Object(item)))
            .collect(),
    ))
}

fn operation(api: &Api, resource: &Resource, op: &Operation) -> Value {
    let mut parameters: Vec<Value> = op
        .path_params
        .iter()
        .map(|p| parameter(p, "path"))
        .collect();
    parameters.extend(op.query.iter().map(|p| parameter(p, "query")));
    if let (Response::Page(_), Some(rules)) = (&op.response, &api.pagination) {
        parameters.extend(pagination(rules));
    }
    let mut out = Map::new();
    out.insert("operationId".into(), json!(op.id));
    out.insert("tags".into(), json!([resource.module.as_str()]));
    let doc = op.doc.trim();
    let summary = summary(doc);
    if !summary.is_empty() {
        out.insert("summary".into(), json!(summary));
    }
    let mut description = doc.to_string();
    if let Some(note) = &op.deprecated {
        out.insert("deprecated".into(), json!(true));
        description = format!("{description}\n\nDeprecated: {}", note.trim());
    }
    if !description.trim().is_empty() {
        out.insert("description".into(), json!(description.trim()));
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    if let Some(body) = &op.body {
        out.insert(
            "requestBody".into(),
            json!({
                "required": true,
                "content": {"application/json": {"schema": schema::ty(&body.ty)}},
            }),
        );
    }
    out.insert(
        "responses".into(),
        response::responses(api.envelope, api.pagination.as_ref(), &op.response),
    );
    Value::Object(out)
}

/// The first paragraph of `doc` on one line (docs are wrapped in the spec).
fn summary(doc: &str) -> String {
    doc.lines()
        .map(str::trim)
        .take_while(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A path or query parameter; a list in the query repeats the name (`?tag=a&tag=b`).
fn parameter(p: &Param, location: &str) -> Value {
    let mut out = Map::new();
    out.insert("name".into(), json!(p.wire));
    out.insert("in".into(), json!(location));
    out.insert("required".into(), json!(location == "path" || p.required));
    if !p.doc.trim().is_empty() {
        out.insert("description".into(), json!(p.doc.trim()));
    }
    out.insert("schema".into(), schema::ty(&p.ty));
    if location == "query" && matches!(p.ty, Ty::List(_)) {
        out.insert("style".into(), json!("form"));
        out.insert("explode".into(), json!(true));
    }
    Value::Object(out)
}

/// The page size and cursor parameters every list takes.
fn pagination(rules: &Pagination) -> Vec<Value> {
    let (after, before, cursor) = (&rules.after.wire, &rules.before.wire, &rules.cursor_field);
    vec![
        json!({
            "name": rules.limit.wire,
            "in": "query",
            "required": false,
            "description": "How many items a page holds.",
            "schema": {
                "type": "integer",
                "format": "int32",
                "minimum": rules.limit_min,
                "maximum": rules.limit_max,
            },
        }),
        json!({
            "name": after,
            "in": "query",
            "required": false,
            "description": format!(
                "The `{cursor}` of an item: the page holds the items after it (for the next \
                 page, the last item's `{cursor}`). Not together with `{before}`."
            ),
            "schema": {"type": "string"},
        }),
        json!({
            "name": before,
            "in": "query",
            "required": false,
            "description": format!(
                "The `{cursor}` of an item: the page holds the items before it (for the \
                 previous page, the first item's `{cursor}`). Not together with `{after}`."
            ),
            "schema": {"type": "string"},
        }),
    ]
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_is_the_first_paragraph_on_one_line() {
        assert_eq!(
            super::summary("Lists rewards,\n  newest first.\n\nMore text."),
            "Lists rewards, newest first."
        );
        assert_eq!(super::summary(""), "");
    }
}

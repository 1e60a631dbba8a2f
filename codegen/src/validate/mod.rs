//! Validation: the raw spec becomes the IR, or every problem in it is reported.
//!
//! Checks meaning: that types exist (with the nearest name suggested), names are unique both as
//! written and as Rust identifiers, path parameters match the path, enums have values, page
//! items have a cursor field, and every item that becomes public Rust has docs. One file per
//! part of the spec: `api.rs` (the `api:` block), `types.rs`, `operations.rs`.

mod api;
mod operations;
mod types;

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Loc, Reporter};
use crate::ir::*;
use crate::names;
use crate::spec::*;

/// Validates one raw spec. Returns the IR when no problem was found; problems go to `r`.
pub fn validate(raw: &RawSpec, r: &mut Reporter) -> Option<Api> {
    let mut v = Validator {
        r,
        one_of_locs: BTreeMap::new(),
        types: BTreeMap::new(),
        cursor_types: BTreeSet::new(),
    };
    let header = v.api_header(raw);
    let types = v.types(raw);
    if let Some(p) = header.as_ref().and_then(|h| h.pagination.as_ref()) {
        v.cursor_types = types
            .iter()
            .filter(|d| match &d.kind {
                TypeKind::Object(o) => o
                    .fields
                    .iter()
                    .any(|f| f.json_name == p.cursor_field && f.ty == Ty::String && !f.optional()),
                _ => false,
            })
            .map(|d| d.name.clone())
            .collect();
    }
    let mut types = types;
    let resources = v.resources(raw, header.as_ref().and_then(|h| h.pagination.as_ref()));
    mark_inputs(&mut types, &resources, &mut v);
    if v.r.has_errors() {
        return None;
    }
    let header = header?;
    let mut api = Api {
        source: raw.file.clone(),
        module: header.module,
        title: header.title,
        doc: header.doc,
        base_url: header.base_url,
        auth: header.auth,
        envelope: header.envelope,
        pagination: header.pagination,
        types,
        resources,
    };
    mark_cursors(&mut api);
    Some(api)
}

/// The named types `roots` contain, directly or nested (through fields, groups, lists, maps
/// and aliases).
fn reachable<'a>(types: &[TypeDef], roots: impl IntoIterator<Item = &'a Ty>) -> BTreeSet<String> {
    let mut todo: Vec<Ty> = roots.into_iter().cloned().collect();
    let mut found = BTreeSet::new();
    while let Some(ty) = todo.pop() {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => todo.push(*inner),
            Ty::Named(name, _) if found.insert(name.clone()) => {
                match types.iter().find(|d| d.name == name).map(|d| &d.kind) {
                    Some(TypeKind::Object(o)) => {
                        todo.extend(o.fields.iter().map(|f| f.ty.clone()));
                        todo.extend(
                            o.one_of
                                .iter()
                                .flat_map(|g| g.variants.iter().map(|v| v.ty.clone())),
                        );
                    }
                    Some(TypeKind::Alias(t)) => todo.push(t.clone()),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    found
}

/// Marks every object type a request body contains as an input type, and checks `one_of`
/// groups: they only make sense in what is sent, and a type with one is never decoded.
fn mark_inputs(types: &mut [TypeDef], resources: &[Resource], v: &mut Validator<'_>) {
    let operations = || resources.iter().flat_map(|r| &r.operations);
    let inputs = reachable(types, operations().filter_map(|op| op.body.as_ref()));
    let outputs = reachable(
        types,
        operations().filter_map(|op| match &op.response {
            Response::Object(t) | Response::List(t) => Some(t),
            Response::Page(_) | Response::Message | Response::Empty => None,
        }),
    );
    let pages = operations().filter_map(|op| match &op.response {
        Response::Page(item) => Some(item.clone()),
        _ => None,
    });
    let item_types: Vec<Ty> = pages
        .map(|name| Ty::Named(name, NamedKind::Object))
        .collect();
    let outputs: BTreeSet<String> = outputs
        .union(&reachable(types, &item_types))
        .cloned()
        .collect();
    for def in types.iter_mut() {
        let TypeKind::Object(o) = &mut def.kind else {
            continue;
        };
        o.input = inputs.contains(&def.name);
        if o.one_of.is_empty() {
            continue;
        }
        let loc = v.one_of_locs.get(&def.name).copied().unwrap_or_default();
        if !o.input {
            v.r.error_hint(
                loc,
                format!(
                    "`{}` has a `one_of` group but is not part of any request body",
                    def.name
                ),
                "`one_of` says which fields a caller may send; use it on body types",
            );
        }
        if outputs.contains(&def.name) {
            v.r.error_hint(
                loc,
                format!(
                    "`{}` has a `one_of` group but is also part of a response",
                    def.name
                ),
                "a type with `one_of` is only ever sent; describe the response with its own type",
            );
        }
    }
}

/// Marks each page item type with its cursor field.
fn mark_cursors(api: &mut Api) {
    let Some(p) = &api.pagination else { return };
    let items: BTreeSet<String> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| match &op.response {
            Response::Page(t) => Some(t.clone()),
            _ => None,
        })
        .collect();
    for def in &mut api.types {
        if let TypeKind::Object(o) = &mut def.kind
            && items.contains(&def.name)
        {
            o.cursor = o
                .fields
                .iter()
                .find(|f| f.json_name == p.cursor_field)
                .map(|f| f.rust_name.clone());
        }
    }
}

/// The `api:` block, validated.
struct Header {
    module: String,
    title: String,
    doc: String,
    base_url: String,
    auth: Auth,
    envelope: Envelope,
    pagination: Option<Pagination>,
}

/// What validation knows about a declared type name.
#[derive(Clone)]
struct Declared {
    rust: String,
    kind: NamedKind,
    loc: Loc,
}

struct Validator<'r> {
    r: &'r mut Reporter,
    /// Where each object type (by Rust name) declares its first `one_of` group.
    one_of_locs: BTreeMap<String, Loc>,
    /// Declared types by spec name.
    types: BTreeMap<String, Declared>,
    /// Object types (by Rust name) that have a required string field usable as page cursor.
    cursor_types: BTreeSet<String>,
}

impl Validator<'_> {
    /// The doc text; a missing `doc` was reported by the loader, an empty one is reported here.
    fn doc(&mut self, doc: &Option<Spanned<String>>, what: &str) -> String {
        match doc {
            Some(d) if d.value.trim().is_empty() => {
                self.r.error(d.loc, format!("{what} has an empty `doc`"));
                String::new()
            }
            Some(d) => d.value.trim_end().to_string(),
            None => String::new(),
        }
    }

    /// The Rust value name for a spec name, or the explicit `rust_name`, checked.
    fn value_name(
        &mut self,
        name: &Spanned<String>,
        explicit: Option<&Spanned<String>>,
        what: &str,
    ) -> Option<String> {
        if let Some(e) = explicit {
            if names::is_valid_value_name(&e.value) {
                return Some(e.value.clone());
            }
            self.r.error(
                e.loc,
                format!(
                    "`rust_name` `{}` is not a snake_case identifier, or is a Rust keyword",
                    e.value
                ),
            );
            return None;
        }
        let rust = names::value_name(&name.value);
        if rust.is_none() {
            self.r.error_hint(
                name.loc,
                format!("{what} has no letters a Rust name can be made of"),
                "give it `rust_name:`",
            );
        }
        rust
    }
}

//! Which named types are sent (part of a request body) and which are received, read from the
//! raw spec before any type is validated, so each type's IR is built once, complete.

use std::collections::{BTreeMap, BTreeSet};

use crate::spec::{RawResponse, RawSpec, RawType, RawTypeKind};

/// Spec names of the types each direction reaches.
pub(super) struct Usage {
    /// Types reachable from a request body: callers build them.
    pub inputs: BTreeSet<String>,
    /// Types reachable from a response.
    pub outputs: BTreeSet<String>,
}

impl Usage {
    pub(super) fn of(raw: &RawSpec) -> Usage {
        let mut by_name: BTreeMap<&str, &RawType> = BTreeMap::new();
        for t in raw
            .types
            .iter()
            .chain(raw.resources.iter().flat_map(|r| &r.types))
        {
            by_name.entry(t.name.value.as_str()).or_insert(t);
        }
        let operations = || raw.resources.iter().flat_map(|r| &r.operations);
        let bodies = operations().filter_map(|op| op.body.as_ref().map(|b| b.value.as_str()));
        let responses = operations().filter_map(|op| match &op.response {
            Some(RawResponse::Page(t) | RawResponse::Object(t) | RawResponse::List(t)) => {
                Some(t.value.as_str())
            }
            _ => None,
        });
        let payloads = raw
            .events
            .iter()
            .flat_map(|e| &e.kinds)
            .filter_map(|k| k.payload.as_ref().map(|p| p.value.as_str()));
        Usage {
            inputs: reachable(&by_name, bodies),
            outputs: reachable(&by_name, responses.chain(payloads)),
        }
    }
}

/// The named types the type expressions `roots` contain, directly or through fields, lists,
/// maps and aliases.
fn reachable<'a>(
    types: &BTreeMap<&str, &'a RawType>,
    roots: impl IntoIterator<Item = &'a str>,
) -> BTreeSet<String> {
    let mut todo: Vec<&str> = roots.into_iter().collect();
    let mut found = BTreeSet::new();
    while let Some(expr) = todo.pop() {
        let Some(name) = named_in(expr) else { continue };
        if !found.insert(name.to_string()) {
            continue;
        }
        match types.get(name).map(|t| &t.kind) {
            Some(RawTypeKind::Object { fields, .. }) => {
                todo.extend(
                    fields
                        .iter()
                        .filter_map(|f| f.ty.as_ref())
                        .map(|t| t.value.as_str()),
                );
            }
            Some(RawTypeKind::Alias(t)) => todo.push(&t.value),
            _ => {}
        }
    }
    found
}

/// The type name a type expression ends in (`list<map<Reward>>` → `Reward`), if it parses.
fn named_in(expr: &str) -> Option<&str> {
    let mut s = expr.trim();
    loop {
        if let Some(rest) = s.strip_prefix("list<").or_else(|| s.strip_prefix("map<")) {
            s = rest.strip_suffix('>')?.trim();
        } else {
            return Some(s);
        }
    }
}

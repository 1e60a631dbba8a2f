//! Validation: the raw spec becomes the IR, or every problem in it is reported.
//!
//! Checks meaning: that types exist (with the nearest name suggested), names are unique both as
//! written and as Rust identifiers, path parameters match the path, enums have values, page
//! items have a cursor field, and every item that becomes public Rust has docs. One file per
//! part of the spec: `api.rs` (the `api:` block), `types.rs`, `operations.rs`, and for the
//! command line `display.rs` (summary columns, currencies) and `cli.rs` (flags).

mod api;
mod cli;
mod display;
mod doc_text;
mod events;
mod filters;
mod operations;
mod scope;
mod store;
mod types;
mod usage;

use std::collections::BTreeMap;

use crate::diag::{Loc, Reporter};
use crate::ir::*;
use crate::names;
use crate::spec::*;

/// Validates one raw spec. Returns the IR when no problem was found; problems go to `r`.
///
/// Everything the IR holds is decided before it is built: which types callers build (they are
/// part of a request body) comes from the raw spec, each page's cursor field from the item
/// type, and every identifier from `names`.
pub fn validate(raw: &RawSpec, r: &mut Reporter) -> Option<Api> {
    let mut v = Validator {
        r,
        types: BTreeMap::new(),
        model_names: names::Scope::with(names::RESERVED_TYPES),
    };
    let header = v.api_header(raw);
    let pagination = header.as_ref().and_then(|h| h.pagination.as_ref());
    let usage = usage::Usage::of(raw);
    let mut types = v.types(raw, &usage);
    v.display(raw, &mut types);
    let mut resources = v.resources(raw, pagination, &types);
    v.cli_flags(raw, &mut resources, &types, pagination);
    let store = v.store_facts(raw, &types);
    operations::created_ranges(&mut resources, &types, &store);
    let events = raw
        .events
        .as_ref()
        .and_then(|e| v.events(e, &types, &store));
    if v.r.has_errors() {
        return None;
    }
    let header = header?;
    Some(Api {
        source: raw.file.clone(),
        module: header.module,
        module_loc: header.module_loc,
        title: header.title,
        doc: header.doc,
        base_url: header.base_url,
        credentials: credentials(&header.auth),
        auth: header.auth,
        envelope: header.envelope,
        pagination: header.pagination,
        config_field: header.config_field,
        base_url_env_var: names::BASE_URL_ENV_VAR.to_string(),
        cli: ApiCli {
            views: cli_views(&resources),
        },
        type_index: TypeIndex::of(&types),
        types,
        resources,
        events,
        store,
    })
}

/// The credentials the client builder takes, and where they are read from.
fn credentials(auth: &Auth) -> Vec<Credential> {
    let names = match auth {
        Auth::Bearer { credential } => vec![credential.clone()],
        Auth::Basic => names::basic_credentials().to_vec(),
    };
    names
        .into_iter()
        .map(|name| Credential {
            env_var: names::credential_env_var(&name),
            name,
        })
        .collect()
}

/// The command line's module of column views: a name no resource module has.
fn cli_views(resources: &[Resource]) -> names::Ident {
    let mut scope = names::Scope::default();
    for res in resources {
        scope.claim(&res.module);
    }
    scope.fresh(names::CLI_VIEWS_MODULE)
}

/// The `api:` block, validated.
struct Header {
    module: names::Ident,
    module_loc: Loc,
    title: String,
    doc: String,
    base_url: String,
    auth: Auth,
    envelope: Envelope,
    pagination: Option<Pagination>,
    config_field: names::Ident,
}

/// What validation knows about a declared type name.
#[derive(Clone)]
struct Declared {
    rust: names::Ident,
    kind: NamedKind,
    loc: Loc,
}

struct Validator<'r> {
    r: &'r mut Reporter,
    /// Declared types by spec name.
    types: BTreeMap<String, Declared>,
    /// The API's `models` module: every type and `one_of` enum name.
    model_names: names::Scope,
}

impl Validator<'_> {
    /// The doc text; a missing `doc` was reported by the loader, an empty one is reported here.
    fn doc(&mut self, doc: &Option<Spanned<String>>, what: &str) -> String {
        match doc {
            Some(d) if d.value.trim().is_empty() => {
                self.r.error(d.loc, format!("{what} has an empty `doc`"));
                String::new()
            }
            Some(d) => doc_text::clean(d.value.trim_end()),
            None => String::new(),
        }
    }

    /// The Rust value name for a spec name, or the explicit `rust_name`, checked.
    fn value_name(
        &mut self,
        name: &Spanned<String>,
        explicit: Option<&Spanned<String>>,
        what: &str,
    ) -> Option<names::Ident> {
        if let Some(e) = explicit {
            if let Some(given) = names::given_value_name(&e.value) {
                return Some(given);
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

    /// Claims a spec-derived public name in `scope`, or reports that something there has it.
    fn claim(
        &mut self,
        scope: &mut names::Scope,
        name: &str,
        loc: Loc,
        clash: impl FnOnce() -> String,
        hint: &str,
    ) -> bool {
        let free = scope.claim(name);
        if !free {
            self.r.error_hint(loc, clash(), hint);
        }
        free
    }
}

impl Validator<'_> {
    /// Every type the spec declares (shared ones first, then each resource's) that validation
    /// gave a Rust name, with that name.
    fn declared_types<'s>(&self, raw: &'s RawSpec) -> Vec<(&'s RawType, String)> {
        raw.types
            .iter()
            .chain(raw.resources.iter().flat_map(|r| &r.types))
            .filter_map(|t| Some((t, self.types.get(&t.name.value)?.rust.to_string())))
            .collect()
    }
}

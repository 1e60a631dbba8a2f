//! Validation: the raw spec becomes the IR, or every problem in it is reported.
//!
//! Checks meaning: that types exist (with the nearest name suggested), names are unique both as
//! written and as Rust identifiers, path parameters match the path, enums have values, page
//! items have a cursor field, and every item that becomes public Rust has docs.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Loc, Reporter, suggest};
use crate::ir::*;
use crate::names;
use crate::spec::*;

const BUILTINS: &[&str] = &[
    "string",
    "bool",
    "i32",
    "i64",
    "f64",
    "timestamp",
    "money",
    "json",
    "list<…>",
    "map<…>",
];

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
    mark_inputs(&mut types, &resources);
    for def in &types {
        if let TypeKind::Object(o) = &def.kind
            && !o.one_of.is_empty()
            && !o.input
        {
            let loc = v.one_of_locs.get(&def.name).copied().unwrap_or_default();
            v.r.error_hint(
                loc,
                format!(
                    "`{}` has a `one_of` group but is not part of any request body",
                    def.name
                ),
                "`one_of` says which fields a caller may send; use it on body types",
            );
        }
    }
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

/// Marks every object type a request body contains, directly or nested, as an input type.
fn mark_inputs(types: &mut [TypeDef], resources: &[Resource]) {
    let mut todo: Vec<&Ty> = resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| op.body.as_ref())
        .collect();
    let mut inputs = BTreeSet::new();
    while let Some(ty) = todo.pop() {
        match ty {
            Ty::List(inner) | Ty::Map(inner) => todo.push(inner),
            Ty::Named(name, _) if inputs.insert(name.clone()) => {
                match types.iter().find(|d| &d.name == name).map(|d| &d.kind) {
                    Some(TypeKind::Object(o)) => {
                        todo.extend(o.fields.iter().map(|f| &f.ty));
                        todo.extend(
                            o.one_of
                                .iter()
                                .flat_map(|g| g.variants.iter().map(|v| &v.ty)),
                        );
                    }
                    Some(TypeKind::Alias(t)) => todo.push(t),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    for def in types.iter_mut() {
        if let TypeKind::Object(o) = &mut def.kind {
            o.input = inputs.contains(&def.name);
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

    fn api_header(&mut self, raw: &RawSpec) -> Option<Header> {
        let api = raw.api.as_ref()?;
        let name = api.name.as_ref().cloned();
        let module = name.and_then(|n| match names::value_name(&n.value) {
            Some(m) if m == n.value => Some(m),
            _ => {
                self.r.error_hint(
                    n.loc,
                    format!("`{}` cannot be a Rust module name", n.value),
                    "use lowercase letters, digits and `_`",
                );
                None
            }
        });
        let title = api.title.as_ref().map(|t| t.value.clone());
        let doc = self.doc(&api.doc, "`api`");
        let base_url = api.base_url.as_ref().and_then(|u| {
            let ok = u.value.starts_with("https://")
                && u.value.len() > "https://".len()
                && !u.value.contains(['?', '#', ' ']);
            if !ok {
                self.r.error_hint(
                    u.loc,
                    format!("`{}` is not a usable base URL", u.value),
                    "write it as `https://host` with an optional path and no query; \
                     callers can point a client at `http://` test servers themselves",
                );
            }
            ok.then(|| u.value.trim_end_matches('/').to_string())
        });
        let auth = api.auth.as_ref().and_then(|a| {
            let auth = match a.value.as_str() {
                "bearer" => Some(Auth::Bearer {
                    credential: api
                        .credential
                        .as_ref()
                        .map_or_else(|| "api_key".to_string(), |c| c.value.clone()),
                }),
                "basic" => Some(Auth::Basic),
                _ => None,
            };
            if auth.is_none() {
                self.r.error_hint(
                    a.loc,
                    format!("unknown auth scheme `{}`", a.value),
                    "the runtime knows `bearer` (a token) and `basic` (public key : secret key)",
                );
            }
            auth
        });
        let envelope = match &api.envelope {
            None => Some(Envelope::DataMessageStatus),
            Some(e) => match e.value.as_str() {
                "data" => Some(Envelope::DataMessageStatus),
                "none" => Some(Envelope::None),
                other => {
                    self.r.error_hint(
                        e.loc,
                        format!("unknown envelope `{other}`"),
                        "`data` ({data, message, status}) or `none` (the body is the payload)",
                    );
                    None
                }
            },
        };
        if let Some(c) = &api.credential {
            let valid = names::value_name(&c.value).is_some_and(|n| n == c.value);
            if !valid || api.auth.as_ref().is_some_and(|a| a.value != "bearer") {
                self.r.error_hint(
                    c.loc,
                    format!("`credential` `{}` is not usable", c.value),
                    "name the bearer token in snake_case, like `tracking_token`; basic auth always takes `public_key` and `secret_key`",
                );
            }
        }
        let pagination = api.pagination.as_ref().and_then(|p| self.pagination(p));
        Some(Header {
            module: module?,
            title: title?,
            doc,
            base_url: base_url?,
            auth: auth?,
            envelope: envelope?,
            pagination,
        })
    }

    fn pagination(&mut self, p: &RawPagination) -> Option<Pagination> {
        let limit_param = p.limit_param.as_ref().map(|s| s.value.clone());
        let min = p.limit_min.as_ref().cloned();
        let max = p.limit_max.as_ref().cloned();
        let after = p.after.as_ref().map(|s| s.value.clone());
        let before = p.before.as_ref().map(|s| s.value.clone());
        let cursor = p.cursor.as_ref().map(|s| s.value.clone());
        let (min, max) = (min?, max?);
        let bounds = match (u32::try_from(min.value), u32::try_from(max.value)) {
            (Ok(lo), Ok(hi)) if lo >= 1 && lo <= hi => Some((lo, hi)),
            _ => {
                self.r.error(
                    min.loc,
                    format!(
                        "page size bounds {}..={} are not a range of positive integers",
                        min.value, max.value
                    ),
                );
                None
            }
        };
        let (limit_min, limit_max) = bounds?;
        Some(Pagination {
            limit_param: limit_param?,
            limit_min,
            limit_max,
            after_param: after?,
            before_param: before?,
            cursor_field: cursor?,
        })
    }

    /// Declares every type name first (so order of declaration does not matter), then resolves
    /// each type's body.
    fn types(&mut self, raw: &RawSpec) -> Vec<TypeDef> {
        let groups: Vec<(String, &[RawType])> =
            std::iter::once(("common".to_string(), raw.types.as_slice()))
                .chain(raw.resources.iter().filter_map(|res| {
                    names::value_name(&res.name.value).map(|m| (m, res.types.as_slice()))
                }))
                .collect();
        let mut rust_names: BTreeMap<String, (String, Loc)> = BTreeMap::new();
        for (_, group) in &groups {
            for t in *group {
                self.declare(t, &mut rust_names);
            }
        }
        let mut out = Vec::new();
        for (module, group) in &groups {
            for t in *group {
                if let Some(def) = self.type_def(t, module) {
                    out.push(def);
                }
            }
        }
        self.check_cycles(&out, raw);
        out
    }

    fn declare(&mut self, t: &RawType, rust_names: &mut BTreeMap<String, (String, Loc)>) {
        let name = &t.name;
        if let Some(first) = self.types.get(&name.value) {
            self.r.error_hint(
                name.loc,
                format!("duplicate type `{}`", name.value),
                format!("first defined at line {}", first.loc.line),
            );
            return;
        }
        let Some(rust) = names::type_name(&name.value) else {
            self.r.error(
                name.loc,
                format!("`{}` cannot be a Rust type name", name.value),
            );
            return;
        };
        if !names::is_valid_type_name(&name.value) {
            self.r.error_hint(
                name.loc,
                format!("type name `{}` is not UpperCamelCase", name.value),
                format!("write it as `{rust}`"),
            );
        }
        if names::RESERVED_TYPES.contains(&rust.as_str()) {
            self.r.error_hint(
                name.loc,
                format!("type name `{rust}` is reserved"),
                "generated code uses this name for its own type; choose a more specific name",
            );
        }
        if let Some((other, loc)) = rust_names.get(&rust) {
            self.r.error_hint(
                name.loc,
                format!(
                    "types `{}` and `{other}` both become the Rust type `{rust}`",
                    name.value
                ),
                format!("`{other}` is at line {}; rename one", loc.line),
            );
        }
        rust_names.insert(rust.clone(), (name.value.clone(), name.loc));
        let kind = match t.kind {
            RawTypeKind::Object { .. } | RawTypeKind::Broken => NamedKind::Object,
            RawTypeKind::Enum { .. } => NamedKind::Enum,
            RawTypeKind::Alias(_) => NamedKind::Alias,
        };
        self.types.insert(
            name.value.clone(),
            Declared {
                rust,
                kind,
                loc: name.loc,
            },
        );
    }

    fn type_def(&mut self, t: &RawType, module: &str) -> Option<TypeDef> {
        let doc = self.doc(&t.doc, &format!("type `{}`", t.name.value));
        let kind = match &t.kind {
            RawTypeKind::Object { fields, one_of } => {
                let fields = self.fields(&t.name.value, fields);
                let (fields, one_of) = self.one_of(&t.name.value, fields, one_of);
                TypeKind::Object(Object {
                    fields,
                    one_of,
                    cursor: None,
                    input: false,
                })
            }
            RawTypeKind::Enum {
                loc,
                values,
                closed,
            } => TypeKind::Enum(self.enumeration(&t.name.value, *loc, values, !closed)),
            RawTypeKind::Alias(expr) => TypeKind::Alias(self.ty(expr)?),
            RawTypeKind::Broken => return None,
        };
        let rust = self.types.get(&t.name.value)?.rust.clone();
        Some(TypeDef {
            name: rust,
            doc,
            module: module.to_string(),
            kind,
        })
    }

    fn fields(&mut self, owner: &str, raw: &[RawField]) -> Vec<Field> {
        let mut rust_names: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
        let mut out = Vec::new();
        for f in raw {
            let what = format!("field `{}` of `{owner}`", f.name.value);
            let rust = self.value_name(&f.name, f.rust_name.as_ref(), &what);
            let ty = f.ty.as_ref().cloned().and_then(|t| self.ty(&t));
            let doc = self.doc(&f.doc, &what);
            let Some(rust) = rust else { continue };
            if rust == names::EXTRA_FIELD {
                self.r.error_hint(
                    f.name.loc,
                    format!(
                        "field `{}` of `{owner}` would take the Rust name `extra`",
                        f.name.value
                    ),
                    "every model keeps unknown JSON fields in `extra`; give this one `rust_name:`",
                );
            }
            if let Some(other) = rust_names.get(&rust) {
                self.r.error_hint(
                    f.name.loc,
                    format!(
                        "fields `{}` and `{}` of `{owner}` both become the Rust field `{rust}`",
                        f.name.value, other.value
                    ),
                    "give one of them `rust_name:`",
                );
                continue;
            }
            rust_names.insert(rust.clone(), &f.name);
            let Some(ty) = ty else { continue };
            out.push(Field {
                json_name: f.name.value.clone(),
                rust_name: rust,
                ty,
                required: f.required.as_ref().is_none_or(|b| b.value),
                nullable: f.nullable.as_ref().is_some_and(|b| b.value),
                doc,
                deprecated: f.deprecated.as_ref().map(|d| d.value.clone()),
            });
        }
        out
    }

    /// Turns each `one_of` group into an enum of its member fields, which leave the struct.
    fn one_of(
        &mut self,
        owner: &str,
        mut fields: Vec<Field>,
        groups: &[RawOneOf],
    ) -> (Vec<Field>, Vec<OneOf>) {
        let Some(owner_rust) = names::type_name(owner) else {
            return (fields, Vec::new());
        };
        if let Some(first) = groups.first() {
            self.one_of_locs.insert(owner_rust.clone(), first.name.loc);
        }
        let mut out = Vec::new();
        for g in groups {
            let what = format!("`one_of` group `{}` of `{owner}`", g.name.value);
            let doc = self.doc(&g.doc, &what);
            let rust_name = self.value_name(&g.name, None, &what);
            let enum_name = names::type_name(&format!("{owner}_{}", g.name.value));
            if g.fields.len() < 2 {
                self.r.error(
                    g.name.loc,
                    format!("{what} needs at least two fields to choose from"),
                );
            }
            let mut variants = Vec::new();
            for member in &g.fields {
                let Some(i) = fields.iter().position(|f| f.json_name == member.value) else {
                    self.r.error_hint(
                        member.loc,
                        format!("{what} names `{}`, which is not a field of `{owner}` (or is in another group)", member.value),
                        "declare each member under `fields:` with its type and doc, in one group only",
                    );
                    continue;
                };
                let field = fields.remove(i);
                if field.required || field.nullable {
                    self.r.error(
                        member.loc,
                        format!("`{}` is in {what}, so it is sent only when chosen: it cannot be `required` or `nullable`", member.value),
                    );
                }
                let Some(variant) = names::type_name(&field.json_name) else {
                    continue;
                };
                variants.push(OneOfVariant {
                    json_name: field.json_name,
                    variant,
                    ty: field.ty,
                    doc: field.doc,
                });
            }
            let (Some(rust_name), Some(enum_name)) = (rust_name, enum_name) else {
                continue;
            };
            if fields.iter().any(|f| f.rust_name == rust_name) || rust_name == names::EXTRA_FIELD {
                self.r.error(
                    g.name.loc,
                    format!("{what} has the same Rust name as a field of `{owner}`"),
                );
            }
            if self.types.values().any(|d| d.rust == enum_name) {
                self.r.error(
                    g.name.loc,
                    format!("{what} becomes the enum `{enum_name}`, which is already a type"),
                );
            }
            out.push(OneOf {
                rust_name,
                enum_name,
                doc,
                variants,
            });
        }
        (fields, out)
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

    fn enumeration(&mut self, owner: &str, loc: Loc, raw: &[RawEnumValue], open: bool) -> Enum {
        if raw.is_empty() {
            self.r.error_hint(
                loc,
                format!("enum `{owner}` has no values"),
                "list at least one value; unknown values are kept anyway",
            );
        }
        let mut wires: BTreeMap<&str, Loc> = BTreeMap::new();
        let mut variants: BTreeMap<String, &Spanned<String>> = BTreeMap::new();
        let mut values = Vec::new();
        for v in raw {
            if let Some(first) = wires.get(v.value.value.as_str()) {
                self.r.error(
                    v.value.loc,
                    format!(
                        "duplicate value `{}` in enum `{owner}` (first at line {})",
                        v.value.value, first.line
                    ),
                );
                continue;
            }
            wires.insert(&v.value.value, v.value.loc);
            let variant = match &v.name {
                Some(n) if names::is_valid_type_name(&n.value) => Some(n.value.clone()),
                Some(n) => {
                    self.r.error(
                        n.loc,
                        format!(
                            "`name` `{}` is not an UpperCamelCase identifier, or is a Rust keyword",
                            n.value
                        ),
                    );
                    None
                }
                None => {
                    let derived = names::variant_name(&v.value.value);
                    if derived.is_none() {
                        self.r.error_hint(
                            v.value.loc,
                            format!(
                                "enum value `{}` has no letters a variant name can be made of",
                                v.value.value
                            ),
                            "write it as `{value: \"…\", name: SomeName}`",
                        );
                    }
                    derived
                }
            };
            let Some(variant) = variant else { continue };
            if open && variant == names::UNKNOWN_VARIANT {
                self.r.error_hint(
                    v.value.loc,
                    format!("value `{}` of open enum `{owner}` would be the variant `Unknown`", v.value.value),
                    "open enums keep unrecognised values in `Unknown(String)`; give this value `name:`",
                );
            }
            if let Some(other) = variants.get(&variant) {
                self.r.error_hint(
                    v.value.loc,
                    format!(
                        "values `{}` and `{}` of enum `{owner}` both become the variant `{variant}`",
                        v.value.value, other.value
                    ),
                    format!("write one as `{{value: \"{}\", name: SomeName}}`", v.value.value),
                );
                continue;
            }
            variants.insert(variant.clone(), &v.value);
            let doc = v
                .doc
                .as_ref()
                .map(|d| d.value.trim_end().to_string())
                .unwrap_or_else(|| format!("The value `{}`.", v.value.value));
            values.push(EnumValue {
                wire: v.value.value.clone(),
                variant,
                doc,
            });
        }
        Enum { values, open }
    }

    /// Parses and resolves a type expression.
    fn ty(&mut self, expr: &Spanned<String>) -> Option<Ty> {
        match parse_ty(&expr.value) {
            Ok(parsed) => self.resolve(&parsed, expr.loc),
            Err(msg) => {
                self.r.error_hint(
                    expr.loc,
                    format!("cannot read type `{}`: {msg}", expr.value),
                    "types are a name, `list<T>` or `map<T>`",
                );
                None
            }
        }
    }

    fn resolve(&mut self, t: &ParsedTy, loc: Loc) -> Option<Ty> {
        Some(match t {
            ParsedTy::List(inner) => Ty::List(Box::new(self.resolve(inner, loc)?)),
            ParsedTy::Map(inner) => Ty::Map(Box::new(self.resolve(inner, loc)?)),
            ParsedTy::Name(n) => {
                match n.as_str() {
                    "string" => Ty::String,
                    "bool" => Ty::Bool,
                    "i32" => Ty::I32,
                    "i64" => Ty::I64,
                    "f64" => Ty::F64,
                    "timestamp" => Ty::Timestamp,
                    "money" => Ty::Money,
                    "json" => Ty::Json,
                    other => match self.types.get(other) {
                        Some(d) => Ty::Named(d.rust.clone(), d.kind),
                        None => {
                            let known = BUILTINS
                                .iter()
                                .copied()
                                .chain(self.types.keys().map(String::as_str));
                            match suggest(other, known) {
                            Some(near) => self.r.error_hint(
                                loc,
                                format!("unknown type `{other}`"),
                                format!("did you mean `{near}`?"),
                            ),
                            None => self.r.error_hint(
                                loc,
                                format!("unknown type `{other}`"),
                                format!("built-in types are {}; or declare `{other}` under `types:`", BUILTINS.join(", ")),
                            ),
                        }
                            return None;
                        }
                    },
                }
            }
        })
    }

    /// A struct that contains itself without a list or map in between has infinite size.
    fn check_cycles(&mut self, defs: &[TypeDef], raw: &RawSpec) {
        let direct: BTreeMap<&str, Vec<&str>> = defs
            .iter()
            .map(|d| {
                let edges = match &d.kind {
                    TypeKind::Object(o) => o
                        .fields
                        .iter()
                        .filter_map(|f| direct_named(&f.ty))
                        .collect(),
                    TypeKind::Alias(t) => direct_named(t).into_iter().collect(),
                    TypeKind::Enum(_) => Vec::new(),
                };
                (d.name.as_str(), edges)
            })
            .collect();
        for d in defs {
            if reaches(&direct, &d.name, &d.name, &mut BTreeSet::new()) {
                let loc = all_types(raw)
                    .find(|t| {
                        self.types
                            .get(&t.name.value)
                            .is_some_and(|x| x.rust == d.name)
                    })
                    .map(|t| t.name.loc)
                    .unwrap_or_default();
                self.r.error_hint(
                    loc,
                    format!("type `{}` contains itself", d.name),
                    "a type can only contain itself through a `list<…>` or `map<…>`",
                );
            }
        }
    }

    fn resources(&mut self, raw: &RawSpec, pagination: Option<&Pagination>) -> Vec<Resource> {
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        let mut request_types: BTreeMap<String, Loc> = BTreeMap::new();
        let mut out = Vec::new();
        for res in &raw.resources {
            let what = format!("resource `{}`", res.name.value);
            let doc = self.doc(&res.doc, &what);
            let Some(module) = self.value_name(&res.name, None, &what) else {
                continue;
            };
            let Some(struct_name) = names::type_name(&res.name.value) else {
                continue;
            };
            if let Some(first) = seen.get(&module) {
                self.r.error(
                    res.name.loc,
                    format!(
                        "resource `{}` becomes `{module}`, like the one at line {}",
                        res.name.value, first.line
                    ),
                );
                continue;
            }
            if names::CLIENT_METHODS.contains(&module.as_str()) {
                self.r.error(
                    res.name.loc,
                    format!("resource name `{module}` is reserved by the client"),
                );
            }
            seen.insert(module.clone(), res.name.loc);
            let operations = res
                .operations
                .iter()
                .filter_map(|op| self.operation(&module, op, pagination, &mut request_types))
                .collect();
            out.push(Resource {
                accessor: module.clone(),
                module,
                struct_name,
                doc,
                operations,
            });
        }
        out
    }

    fn operation(
        &mut self,
        resource: &str,
        op: &RawOperation,
        pagination: Option<&Pagination>,
        request_types: &mut BTreeMap<String, Loc>,
    ) -> Option<Operation> {
        let at = op.name.loc;
        let what = format!("operation `{resource}.{}`", op.name.value);
        let doc = self.doc(&op.doc, &what);
        let method_name = self.value_name(&op.name, None, &what);
        let request_type = match &op.request_name {
            Some(n) if names::is_valid_type_name(&n.value) => Some(n.value.clone()),
            Some(n) => {
                self.r.error(
                    n.loc,
                    format!(
                        "`request_name` `{}` is not an UpperCamelCase identifier, or is a Rust keyword",
                        n.value
                    ),
                );
                None
            }
            None => names::request_type(resource, &op.name.value),
        };
        if let Some(t) = &request_type {
            if let Some(first) = request_types.get(t) {
                self.r.error_hint(
                    at,
                    format!(
                        "{what} has the request type `{t}`, like the operation at line {}",
                        first.line
                    ),
                    "give one of them `request_name:`",
                );
            }
            request_types.insert(t.clone(), at);
        }
        let http_method = op.method.as_ref().cloned().and_then(|m| {
            let method = match m.value.to_ascii_uppercase().as_str() {
                "GET" => Some(Method::Get),
                "POST" => Some(Method::Post),
                "PUT" => Some(Method::Put),
                "PATCH" => Some(Method::Patch),
                "DELETE" => Some(Method::Delete),
                _ => None,
            };
            if method.is_none() {
                self.r.error_hint(
                    m.loc,
                    format!("unknown HTTP method `{}`", m.value),
                    "one of GET, POST, PUT, PATCH, DELETE",
                );
            }
            method
        });
        let response = self.response(op, &what, pagination);
        let is_page = matches!(response, Some(Response::Page(_)));
        if is_page && pagination.is_none() {
            self.r.error_hint(
                at,
                format!("{what} returns a page, but the API declares no `pagination`"),
                "declare `pagination:` once under `api:`",
            );
        }
        let body = match &op.body {
            None => Some(None),
            Some(b) => {
                if http_method == Some(Method::Get) {
                    self.r
                        .error(b.loc, format!("{what} is a GET, which carries no body"));
                }
                self.ty(b).map(Some)
            }
        };
        let (path, path_params) = self.path(op, &what)?;
        let mut taken: BTreeMap<String, Loc> = std::iter::once("body".to_string())
            .chain(path_params.iter().map(|p| p.rust_name.clone()))
            .map(|n| (n, at))
            .collect();
        let mut reserved: Vec<String> = names::REQUEST_METHODS
            .iter()
            .map(|m| m.to_string())
            .collect();
        if let Some(pg) = pagination.filter(|_| is_page) {
            reserved.extend(names::LIST_METHODS.iter().map(|m| m.to_string()));
            reserved.extend(
                [&pg.limit_param, &pg.after_param, &pg.before_param]
                    .into_iter()
                    .filter_map(|p| names::value_name(p)),
            );
        }
        let mut query = Vec::new();
        for p in &op.query {
            let Some(param) = self.param(p, &what, false) else {
                continue;
            };
            if reserved.contains(&param.rust_name) {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "query parameter `{}` of {what} clashes with the builder method `{}`",
                        p.name.value, param.rust_name
                    ),
                    "pagination parameters are added to every list operation; do not declare them",
                );
                continue;
            }
            if let Some(pg) = pagination.filter(|_| is_page)
                && [&pg.limit_param, &pg.after_param, &pg.before_param].contains(&&param.wire)
            {
                self.r.error(
                    p.name.loc,
                    format!(
                        "query parameter `{}` is a pagination parameter, added to every list",
                        p.name.value
                    ),
                );
                continue;
            }
            if taken.insert(param.rust_name.clone(), p.name.loc).is_some() {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "parameter `{}` of {what} has the same Rust name as another parameter",
                        p.name.value
                    ),
                    "give one of them `rust_name:`",
                );
                continue;
            }
            if !is_query_type(&param.ty) {
                self.r.error(
                    p.ty.as_ref().map_or(p.name.loc, |t| t.loc),
                    format!(
                        "query parameter `{}` must be a scalar, an enum or a list of those",
                        p.name.value
                    ),
                );
                continue;
            }
            query.push(param);
        }
        let retry_safe = match (&op.retry, http_method) {
            (Some(r), _) => r.value,
            (None, Some(m)) => matches!(m, Method::Get | Method::Put | Method::Delete),
            (None, None) => false,
        };
        Some(Operation {
            id: format!("{resource}.{}", method_name.as_ref()?),
            method_name: method_name?,
            request_type: request_type?,
            doc,
            http_method: http_method?,
            path_template: op.path.as_ref()?.value.clone(),
            path,
            path_params,
            query,
            body: body?,
            response: response?,
            retry_safe,
            deprecated: op.deprecated.as_ref().map(|d| d.value.clone()),
        })
    }

    fn response(
        &mut self,
        op: &RawOperation,
        what: &str,
        pagination: Option<&Pagination>,
    ) -> Option<Response> {
        // Absent or unreadable responses were reported by the loader.
        let raw = op.response.as_ref()?;
        Some(match raw {
            RawResponse::Empty(_) => Response::Empty,
            RawResponse::Message(_) => Response::Message,
            RawResponse::Object(t) => Response::Object(self.ty(t)?),
            RawResponse::List(t) => Response::List(self.ty(t)?),
            RawResponse::Page(t) => match self.ty(t)? {
                Ty::Named(name, NamedKind::Object) => {
                    if let Some(p) = pagination
                        && !self.cursor_types.contains(&name)
                    {
                        self.r.error_hint(
                                t.loc,
                                format!(
                                    "{what} returns pages of `{name}`, which has no required string field `{}` to use as the cursor",
                                    p.cursor_field
                                ),
                                format!("add `{}: {{type: string, doc: …}}` to `{name}`", p.cursor_field),
                            );
                    }
                    Response::Page(name)
                }
                _ => {
                    self.r.error(
                        t.loc,
                        format!("page items must be an object type, not `{}`", t.value),
                    );
                    return None;
                }
            },
        })
    }

    fn param(&mut self, p: &RawParam, what: &str, path: bool) -> Option<Param> {
        let pwhat = format!("parameter `{}` of {what}", p.name.value);
        let doc = self.doc(&p.doc, &pwhat);
        let rust_name = self.value_name(&p.name, p.rust_name.as_ref(), &pwhat);
        let ty = p.ty.as_ref().cloned().and_then(|t| self.ty(&t));
        if path
            && let Some(req) = &p.required
            && !req.value
        {
            self.r
                .error(req.loc, format!("path {pwhat} cannot be optional"));
        }
        Some(Param {
            wire: p.name.value.clone(),
            rust_name: rust_name?,
            ty: ty?,
            required: path || p.required.as_ref().is_some_and(|b| b.value),
            doc,
        })
    }

    /// Splits the path template and matches its `{params}` with `path_params`.
    fn path(&mut self, op: &RawOperation, what: &str) -> Option<(Vec<PathPart>, Vec<Param>)> {
        let template = op.path.as_ref()?.clone();
        if !template.value.starts_with('/') || template.value.contains(['?', '#']) {
            self.r.error_hint(
                template.loc,
                format!(
                    "path `{}` of {what} is not an absolute path",
                    template.value
                ),
                "write it as `/api/v2/things/{key}`, without host or query",
            );
            return None;
        }
        let pieces = match split_template(&template.value) {
            Ok(p) => p,
            Err(msg) => {
                self.r
                    .error(template.loc, format!("path `{}`: {msg}", template.value));
                return None;
            }
        };
        let declared: BTreeMap<&str, &RawParam> = op
            .path_params
            .iter()
            .map(|p| (p.name.value.as_str(), p))
            .collect();
        let mut used = BTreeSet::new();
        let mut parts = Vec::new();
        let mut params = Vec::new();
        let mut ok = true;
        for piece in pieces {
            match piece {
                Piece::Text(t) => parts.push(PathPart::Literal(t)),
                Piece::Param(name) => {
                    let Some(raw) = declared.get(name.as_str()) else {
                        self.r.error_hint(
                            template.loc,
                            format!("path parameter `{{{name}}}` of {what} is not declared"),
                            format!("add `{name}` under `path_params:` with its type and doc"),
                        );
                        ok = false;
                        continue;
                    };
                    if !used.insert(name.clone()) {
                        self.r.error(
                            template.loc,
                            format!("path parameter `{{{name}}}` appears twice"),
                        );
                        ok = false;
                        continue;
                    }
                    match self.param(raw, what, true) {
                        Some(p) if matches!(p.ty, Ty::String | Ty::I32 | Ty::I64) => {
                            parts.push(PathPart::Param(params.len()));
                            params.push(p);
                        }
                        Some(_) => {
                            self.r.error(
                                raw.name.loc,
                                format!("path parameter `{name}` must be a string or an integer"),
                            );
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
            }
        }
        for p in &op.path_params {
            if !used.contains(&p.name.value) {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "path parameter `{}` is declared but the path `{}` does not use it",
                        p.name.value, template.value
                    ),
                    format!(
                        "add `{{{}}}` to the path or remove the declaration",
                        p.name.value
                    ),
                );
                ok = false;
            }
        }
        ok.then_some((parts, params))
    }
}

/// Every raw type, shared and per resource.
fn all_types(raw: &RawSpec) -> impl Iterator<Item = &RawType> {
    raw.types
        .iter()
        .chain(raw.resources.iter().flat_map(|r| r.types.iter()))
}

/// The named type a value of `ty` contains directly (not behind a list or map).
fn direct_named(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Named(n, NamedKind::Object | NamedKind::Alias) => Some(n),
        _ => None,
    }
}

fn reaches<'a>(
    edges: &BTreeMap<&'a str, Vec<&'a str>>,
    from: &'a str,
    target: &str,
    seen: &mut BTreeSet<&'a str>,
) -> bool {
    for next in edges.get(from).into_iter().flatten() {
        if *next == target {
            return true;
        }
        if seen.insert(next) && reaches(edges, next, target, seen) {
            return true;
        }
    }
    false
}

fn is_query_type(ty: &Ty) -> bool {
    match ty {
        Ty::List(inner) => is_scalar(inner),
        other => is_scalar(other),
    }
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::Timestamp
            | Ty::Money
            | Ty::Named(_, NamedKind::Enum)
    )
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

/// A parsed type expression.
#[derive(Debug, PartialEq)]
enum ParsedTy {
    Name(String),
    List(Box<ParsedTy>),
    Map(Box<ParsedTy>),
}

fn parse_ty(s: &str) -> Result<ParsedTy, String> {
    let s = s.trim();
    for (prefix, wrap) in [
        ("list<", ParsedTy::List as fn(Box<ParsedTy>) -> ParsedTy),
        ("map<", ParsedTy::Map),
    ] {
        if let Some(rest) = s.strip_prefix(prefix) {
            let inner = rest.strip_suffix('>').ok_or("missing closing `>`")?;
            return Ok(wrap(Box::new(parse_ty(inner)?)));
        }
    }
    if s.is_empty() {
        return Err("empty type".into());
    }
    if !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(format!("`{s}` is not a type name"));
    }
    Ok(ParsedTy::Name(s.to_string()))
}

enum Piece {
    Text(String),
    Param(String),
}

fn split_template(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let (text, after) = rest.split_at(open);
        if text.contains('}') {
            return Err("`}` without `{`".into());
        }
        if !text.is_empty() {
            out.push(Piece::Text(text.to_string()));
        }
        let close = after.find('}').ok_or("`{` without `}`")?;
        let name = &after[1..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        out.push(Piece::Param(name.to_string()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("`}` without `{`".into());
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_type_expressions() {
        assert_eq!(
            parse_ty("list<map<json>>"),
            Ok(ParsedTy::List(Box::new(ParsedTy::Map(Box::new(
                ParsedTy::Name("json".into())
            )))))
        );
        assert!(parse_ty("list<string").is_err());
        assert!(parse_ty("").is_err());
        assert!(parse_ty("a b").is_err());
    }

    #[test]
    fn splits_templates() {
        let parts = split_template("/a/{x}/b{y}.json").unwrap();
        assert_eq!(parts.len(), 5);
        assert!(split_template("/a/{x").is_err());
        assert!(split_template("/a/x}").is_err());
        assert!(split_template("/a/{}").is_err());
    }
}

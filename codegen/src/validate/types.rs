//! Named types: declarations, fields, `one_of` groups, enums, aliases, type expressions.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::{Loc, suggest};
use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::usage::Usage;
use super::{Declared, Validator};

const BUILTINS: &[&str] = &[
    "string",
    "bool",
    "i32",
    "i64",
    "f64",
    "timestamp",
    "money",
    "loose_bool",
    "json",
    "list<…>",
    "map<…>",
];

impl Validator<'_> {
    /// Declares every type name first (so order of declaration does not matter), then resolves
    /// each type's body.
    pub(super) fn types(&mut self, raw: &RawSpec, usage: &Usage) -> Vec<TypeDef> {
        let groups: Vec<(names::Ident, &[RawType])> =
            std::iter::once((names::common_module(), raw.types.as_slice()))
                .chain(raw.resources.iter().filter_map(|res| {
                    names::module_name(&res.name.value).map(|m| (m, res.types.as_slice()))
                }))
                .collect();
        let mut rust_names: BTreeMap<names::Ident, (String, Loc)> = BTreeMap::new();
        for (_, group) in &groups {
            for t in *group {
                self.declare(t, &mut rust_names);
            }
        }
        let mut out = Vec::new();
        for (module, group) in &groups {
            for t in *group {
                if let Some(def) = self.type_def(t, module, usage) {
                    out.push(def);
                }
            }
        }
        self.check_cycles(&out);
        out
    }

    fn declare(&mut self, t: &RawType, rust_names: &mut BTreeMap<names::Ident, (String, Loc)>) {
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
                "generated models use this prelude name unqualified; choose a more specific name",
            );
        } else if let Some((other, loc)) = rust_names.get(&rust) {
            self.r.error_hint(
                name.loc,
                format!(
                    "types `{}` and `{other}` both become the Rust type `{rust}`",
                    name.value
                ),
                format!("`{other}` is at line {}; rename one", loc.line),
            );
        }
        self.model_names.claim(&rust);
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

    fn type_def(&mut self, t: &RawType, module: &names::Ident, usage: &Usage) -> Option<TypeDef> {
        let doc = self.doc(&t.doc, &format!("type `{}`", t.name.value));
        let kind = match &t.kind {
            RawTypeKind::Object { fields, one_of, .. } => {
                let input = usage.inputs.contains(&t.name.value);
                if let Some(first) = one_of.first() {
                    self.one_of_use(&t.name.value, first.name.loc, usage);
                }
                let raw_fields = fields;
                let fields = self.fields(&t.name.value, raw_fields);
                let (mut fields, one_of) = self.one_of(&t.name.value, fields, one_of);
                // After `one_of` took its members: they are constructor choices, not setters.
                self.setters(&t.name.value, raw_fields, &mut fields);
                let rust = self.types.get(&t.name.value)?.rust.clone();
                let builder = self.builder(&t.name, &rust, raw_fields, &fields, &one_of);
                let decoder = decoder_locals(
                    &fields,
                    self.model_names.fresh_type(&names::decoder_fields(&rust)),
                );
                TypeKind::Object(Object {
                    fields,
                    one_of,
                    input,
                    builder,
                    decoder,
                    extra: names::extra_field(),
                    summary: Vec::new(),
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
            module: module.clone(),
            kind,
        })
    }

    /// The fields of an object type. Each optional field also gets a setter (and a nullable one
    /// a `clear_…` setter) in the model's `impl`, next to `new`.
    fn fields(&mut self, owner: &str, raw: &[RawField]) -> Vec<Field> {
        let mut rust_names: BTreeMap<names::Ident, &Spanned<String>> = BTreeMap::new();
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
            let required = f.required.as_ref().is_none_or(|b| b.value);
            let nullable = f.nullable.as_ref().is_some_and(|b| b.value);
            out.push(Field {
                json_name: f.name.value.clone(),
                clear_setter: (!required && nullable).then(|| names::clear_setter(&rust)),
                setter: None,
                rust_name: rust,
                ty,
                required,
                nullable,
                doc,
                deprecated: f.deprecated.as_ref().map(|d| d.value.clone()),
                currency: None,
            });
        }
        out
    }

    /// The methods of a model's `impl`: `new`, the derived traits' methods, a setter per
    /// optional field and a `clear_…` per nullable optional one, all distinct.
    fn setters(&mut self, owner: &str, raw: &[RawField], fields: &mut [Field]) {
        let mut scope = names::Scope::with(names::MODEL_METHODS);
        let loc = |f: &Field| {
            raw.iter()
                .find(|r| r.name.value == f.json_name)
                .map(|r| r.name.loc)
        };
        // Every field `new` does not take has a setter: optional ones, and required ones that
        // may be null (they start as `null`).
        for f in fields.iter_mut().filter(|f| !f.required || f.nullable) {
            let Some(at) = loc(f) else { continue };
            let name = if names::MODEL_METHODS.contains(&names::unraw(&f.rust_name)) {
                names::prefixed_setter(&f.rust_name)
            } else {
                f.rust_name.clone()
            };
            self.claim(
                &mut scope,
                &name,
                at,
                || {
                    format!(
                        "field `{}` of `{owner}` gets the setter `{name}`, which is already the setter of another field",
                        f.json_name
                    )
                },
                "give one of the two fields `rust_name:`",
            );
            f.setter = Some(name);
        }
        let optional = || fields.iter().filter(|f| !f.required || f.nullable);
        for f in optional() {
            let (Some(clear), Some(at)) = (&f.clear_setter, loc(f)) else {
                continue;
            };
            self.claim(
                &mut scope,
                clear,
                at,
                || {
                    format!(
                        "field `{}` of `{owner}` may be null, so it gets the setter `{clear}`, which is already the setter of another field",
                        f.json_name
                    )
                },
                "give one of the two fields `rust_name:`",
            );
        }
    }

    /// The builder of a model with two or more constructor arguments (fields always present
    /// and never null, then `one_of` groups): its type name, claimed among the models, its
    /// setters (the arguments' names, which must not be `build`), and a type parameter per
    /// argument, named after it unless generated code uses that name unqualified.
    fn builder(
        &mut self,
        owner: &Spanned<String>,
        rust: &names::Ident,
        raw: &[RawField],
        fields: &[Field],
        groups: &[OneOf],
    ) -> Option<ModelBuilder> {
        let args: Vec<(&names::Ident, &str)> = fields
            .iter()
            .filter(|f| f.presence() == Presence::Required)
            .map(|f| (&f.rust_name, f.json_name.as_str()))
            .chain(groups.iter().map(|g| (&g.rust_name, "")))
            .collect();
        if args.len() < 2 {
            return None;
        }
        let name = names::model_builder(rust);
        if !self.model_names.claim(&name) {
            self.r.error_hint(
                owner.loc,
                format!(
                    "`{}` has several required fields, so it gets the builder `{name}`, a name another type has",
                    owner.value
                ),
                "rename one of the two types",
            );
        }
        // Only a clash with the builder's own methods is new here: fields and groups sharing a
        // name are reported where they are declared.
        for (arg, json) in &args {
            if !names::MODEL_BUILDER_METHODS.contains(&names::unraw(arg)) {
                continue;
            }
            let at = raw
                .iter()
                .find(|r| r.name.value == *json)
                .map_or(owner.loc, |r| r.name.loc);
            self.r.error_hint(
                at,
                format!(
                    "`{arg}` is a required field of `{}`, so its builder gets the setter `{arg}`, which every builder has",
                    owner.value
                ),
                "give the field `rust_name:`",
            );
        }
        // Type parameters shadow types of the same name inside the builder's `impl`: they give
        // way to the names its code uses unqualified (prelude names, the model, the builder,
        // the model's `one_of` enums).
        let mut params = names::Scope::with(names::RESERVED_TYPES);
        for taken in [rust.as_str(), name.as_str(), "Self"]
            .into_iter()
            .chain(groups.iter().map(|g| g.enum_name.as_str()))
        {
            params.claim(taken);
        }
        let params = args
            .iter()
            .map(|(arg, _)| names::builder_param(arg, &mut params))
            .collect();
        Some(ModelBuilder { name, params })
    }

    /// A `one_of` group says which fields a caller sends: it belongs on body types only, and a
    /// type with one is never decoded.
    fn one_of_use(&mut self, owner: &str, loc: Loc, usage: &Usage) {
        if !usage.inputs.contains(owner) {
            self.r.error_hint(
                loc,
                format!("`{owner}` has a `one_of` group but is not part of any request body"),
                "`one_of` says which fields a caller may send; use it on body types",
            );
        }
        if usage.outputs.contains(owner) {
            self.r.error_hint(
                loc,
                format!("`{owner}` has a `one_of` group but is also part of a response"),
                "a type with `one_of` is only ever sent; describe the response with its own type",
            );
        }
    }

    /// Turns each `one_of` group into an enum of its member fields, which leave the struct.
    fn one_of(
        &mut self,
        owner: &str,
        mut fields: Vec<Field>,
        groups: &[RawOneOf],
    ) -> (Vec<Field>, Vec<OneOf>) {
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
            let mut variant_names = names::Scope::default();
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
                let Some(variant) = names::variant_name(&field.json_name) else {
                    continue;
                };
                if !variant_names.claim(&variant) {
                    self.r.error_hint(
                        member.loc,
                        format!(
                            "`{}` in {what} becomes the variant `{variant}`, like another member",
                            member.value
                        ),
                        "rename one of the fields",
                    );
                }
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
            if !self.model_names.claim(&enum_name) {
                self.r.error_hint(
                    g.name.loc,
                    format!("{what} becomes the enum `{enum_name}`, a name another model has"),
                    "rename the group or the type",
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

    fn enumeration(&mut self, owner: &str, loc: Loc, raw: &[RawEnumValue], open: bool) -> Enum {
        if raw.is_empty() {
            self.r.error_hint(
                loc,
                format!("enum `{owner}` has no values"),
                "list at least one value; unknown values are kept anyway",
            );
        }
        let mut wires: BTreeMap<&str, Loc> = BTreeMap::new();
        let mut variants: BTreeMap<names::Ident, &Spanned<String>> = BTreeMap::new();
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
                Some(n) if names::is_valid_type_name(&n.value) => names::given_type_name(&n.value),
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
                .map(|d| super::doc_text::clean(d.value.trim_end()))
                .unwrap_or_else(|| format!("The value `{}`.", v.value.value));
            values.push(EnumValue {
                wire: v.value.value.clone(),
                variant,
                doc,
            });
        }
        Enum {
            values,
            unknown: open.then(names::unknown_variant),
        }
    }

    /// Parses and resolves a type expression.
    pub(super) fn ty(&mut self, expr: &Spanned<String>) -> Option<Ty> {
        if nesting(&expr.value) > MAX_NESTING {
            self.r.error_hint(
                expr.loc,
                format!(
                    "type `{}` nests more than {MAX_NESTING} lists and maps",
                    shorten(&expr.value)
                ),
                "declare a named type for an inner level",
            );
            return None;
        }
        match parse_ty(&expr.value) {
            Ok(parsed) => self.resolve(&parsed, expr.loc),
            Err(msg) => {
                self.r.error_hint(
                    expr.loc,
                    format!("cannot read type `{}`: {msg}", expr.value),
                    "types are a name, `list<T>`, `map<T>` or `loose<T>`",
                );
                None
            }
        }
    }

    fn resolve(&mut self, t: &ParsedTy, loc: Loc) -> Option<Ty> {
        Some(match t {
            ParsedTy::List(inner) => Ty::List(Box::new(self.resolve(inner, loc)?)),
            ParsedTy::Map(inner) => Ty::Map(Box::new(self.resolve(inner, loc)?)),
            ParsedTy::Loose(inner) => match self.resolve(inner, loc)? {
                ty @ (Ty::Bool | Ty::I32 | Ty::I64 | Ty::Money | Ty::Timestamp | Ty::F64) => {
                    Ty::Loose(Box::new(ty))
                }
                _ => {
                    self.r.error_hint(
                        loc,
                        "`loose<…>` takes a number, amount, timestamp or boolean type",
                        "`loose<i64>`, `loose<money>`, `loose<timestamp>`, `loose<bool>`",
                    );
                    return None;
                }
            },
            ParsedTy::Name(n) => {
                match n.as_str() {
                    "string" => Ty::String,
                    "bool" => Ty::Bool,
                    "i32" => Ty::I32,
                    "i64" => Ty::I64,
                    "f64" => Ty::F64,
                    "timestamp" => Ty::Timestamp,
                    "loose_bool" => Ty::Loose(Box::new(Ty::Bool)),
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

    /// A struct that contains itself without a list or map in between has infinite size, and
    /// an alias cannot name itself at all (`A: list<A>`).
    fn check_cycles(&mut self, defs: &[TypeDef]) {
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
        let aliases: BTreeMap<&str, Vec<&str>> = defs
            .iter()
            .filter_map(|d| match &d.kind {
                TypeKind::Alias(t) => Some((d.name.as_str(), vec![innermost(t)])),
                _ => None,
            })
            .collect();
        let declared: Vec<(names::Ident, Loc)> = self
            .types
            .values()
            .map(|d| (d.rust.clone(), d.loc))
            .collect();
        for (name, loc) in declared {
            if reaches(&direct, &name, &name, &mut BTreeSet::new()) {
                self.r.error_hint(
                    loc,
                    format!("type `{name}` contains itself"),
                    "a type can only contain itself through a `list<…>` or `map<…>`",
                );
            } else if reaches(&aliases, &name, &name, &mut BTreeSet::new()) {
                self.r.error_hint(
                    loc,
                    format!("alias `{name}` names itself"),
                    "an alias is another name for a type, so it cannot contain itself; declare an object type",
                );
            }
        }
    }
}

/// The locals of a model's decoder: each field's own local is named as the field, so the
/// decoder's other locals give way to the fields.
fn decoder_locals(fields: &[Field], fields_enum: names::Ident) -> DecoderLocals {
    let mut locals = names::Scope::default();
    for f in fields {
        locals.claim(&f.rust_name);
    }
    DecoderLocals {
        map: locals.fresh(names::DECODER_MAP),
        extra: locals.fresh(names::DECODER_EXTRA),
        field: locals.fresh(names::DECODER_FIELD),
        fields: fields_enum,
    }
}

/// The named type inside any lists and maps, or `""` for a built-in.
fn innermost(ty: &Ty) -> &str {
    match ty {
        Ty::List(inner) | Ty::Map(inner) => innermost(inner),
        Ty::Named(n, _) => n,
        _ => "",
    }
}

/// The most lists and maps one type expression may nest: deeper ones are refused before they
/// are parsed (parsing recurses), and no JSON API needs them.
const MAX_NESTING: usize = 8;

/// How many `list<`/`map<` a type expression opens, counted without recursion.
fn nesting(expr: &str) -> usize {
    expr.matches("list<").count() + expr.matches("map<").count()
}

/// A type expression cut for a message.
fn shorten(expr: &str) -> String {
    match expr.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &expr[..i]),
        None => expr.to_string(),
    }
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

/// A parsed type expression.
#[derive(Debug, PartialEq)]
enum ParsedTy {
    Name(String),
    List(Box<ParsedTy>),
    Map(Box<ParsedTy>),
    Loose(Box<ParsedTy>),
}

fn parse_ty(s: &str) -> Result<ParsedTy, String> {
    let s = s.trim();
    for (prefix, wrap) in [
        ("list<", ParsedTy::List as fn(Box<ParsedTy>) -> ParsedTy),
        ("map<", ParsedTy::Map),
        ("loose<", ParsedTy::Loose),
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
}

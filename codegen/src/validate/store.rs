//! What the spec says about stored objects: key prefixes (`key_prefix:` on object types and on
//! fields holding keys), fields the server sets (`read_only:`) and unique fields (`unique:`).

use crate::diag::Loc;
use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;

impl Validator<'_> {
    pub(super) fn store_facts(&mut self, raw: &RawSpec, types: &[TypeDef]) -> StoreFacts {
        let mut facts = StoreFacts::default();
        let mut pending = Pending::default();
        for (t, rust) in self.declared_types(raw) {
            let Some(def) = types.iter().find(|d| d.name == rust) else {
                continue;
            };
            let (TypeKind::Object(object), RawTypeKind::Object { fields, .. }) =
                (&def.kind, &t.kind)
            else {
                continue;
            };
            self.type_store_facts(t, &rust, &mut facts);
            if !t.store.first_seeded.is_empty()
                && let Some(values) = self.first_seeded(t, object)
            {
                facts.first_seeded.insert(rust.clone(), values);
            }
            for f in fields {
                let Some(field) = store_field(object, &f.name.value) else {
                    continue;
                };
                let id = (rust.clone(), field.json_name.clone());
                let what = format!("field `{}` of `{}`", f.name.value, t.name.value);
                self.field_store_facts(f, &field, id, &what, types, &mut facts);
                if let Some(r) = &f.store.refers {
                    pending
                        .refers
                        .push((id_of(&rust, &field), r.clone(), field.ty.clone()));
                }
                if let Some(by) = &f.store.refers_by {
                    let id = id_of(&rust, &field);
                    pending
                        .refers_by
                        .push((id, by.clone(), field.ty.clone(), object.clone()));
                }
            }
        }
        // What a field refers to is checked once every type has said what it is.
        for (id, r, ty) in pending.refers {
            if let Some(target) = self.refers(&r, &ty, &facts, types) {
                facts.refers.insert(id, target);
            }
        }
        for (id, by, ty, object) in pending.refers_by {
            if let Some(sibling) = self.refers_by(&by, &ty, &object, &facts, types) {
                facts.refers_by.insert(id, sibling);
            }
        }
        self.scope(raw, types, &mut facts);
        facts
    }

    /// An object type's own facts: its key prefix and its entity.
    fn type_store_facts(&mut self, t: &RawType, rust: &str, facts: &mut StoreFacts) {
        if let Some(p) = &t.store.key_prefix
            && self.prefix(p)
        {
            facts.key_prefixes.insert(rust.to_string(), p.value.clone());
        }
        if let Some(e) = &t.store.entity {
            if names::value_name(&e.value).as_deref() == Some(e.value.as_str()) {
                facts.entities.insert(rust.to_string(), e.value.clone());
            } else {
                self.r.error_hint(
                    e.loc,
                    format!(
                        "entity `{}` of `{}` is not a snake_case name",
                        e.value, t.name.value
                    ),
                    "name the kind of object in snake_case, such as `customer`",
                );
            }
        }
    }

    /// A field's facts that need no other type: key prefix, read-only, examples, limits,
    /// uniqueness.
    fn field_store_facts(
        &mut self,
        f: &RawField,
        field: &Field,
        id: (String, String),
        what: &str,
        types: &[TypeDef],
        facts: &mut StoreFacts,
    ) {
        if let Some(p) = &f.store.key_prefix {
            if field.ty != Ty::String {
                self.r.error_hint(
                    p.loc,
                    format!("`key_prefix` on {what}, which is not a string"),
                    "a key prefix belongs on a string field holding keys",
                );
            } else if self.prefix(p) {
                facts.field_prefixes.insert(id.clone(), p.value.clone());
            }
        }
        if let Some(ro) = &f.store.read_only
            && let Some(how) = self.read_only(ro, field, what)
        {
            facts.read_only.insert(id.clone(), how);
        }
        if !f.store.examples.is_empty()
            && let Some(examples) = self.examples(&f.store.examples, &field.ty, what, types)
        {
            facts.examples.insert(id.clone(), examples);
        }
        if let Some(limits) = self.limits(&f.store, &field.ty, what) {
            facts.limits.insert(id.clone(), limits);
        }
        if let Some(u) = &f.store.unique
            && u.value
        {
            if matches!(field.ty, Ty::String | Ty::I32 | Ty::I64) {
                facts.unique.insert(id);
            } else {
                self.r.error_hint(
                    u.loc,
                    format!("`unique` on {what}, which is not a string or an integer"),
                    "only text and integer values are compared for uniqueness",
                );
            }
        }
    }

    /// `refers: entity` or `refers: entity.field`: an entity some object type declares, and a
    /// field of that type; a string field holds its key (or the field), an object field shows
    /// the object.
    fn refers(
        &mut self,
        r: &Spanned<String>,
        ty: &Ty,
        facts: &StoreFacts,
        types: &[TypeDef],
    ) -> Option<(String, Option<String>)> {
        let (entity, field) = match r.value.split_once('.') {
            Some((e, f)) => (e, Some(f)),
            None => (r.value.as_str(), None),
        };
        let holders: Vec<&String> = facts
            .entities
            .iter()
            .filter(|(_, e)| *e == entity)
            .map(|(t, _)| t)
            .collect();
        if holders.is_empty() {
            let known: Vec<&str> = facts.entities.values().map(String::as_str).collect();
            let hint = match crate::diag::suggest(entity, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "declare `entity: <name>` on the object type of the stored objects".into(),
            };
            self.r.error_hint(
                r.loc,
                format!("`refers`: no object type of this API declares the entity `{entity}`"),
                hint,
            );
            return None;
        }
        if let Some(f) = field {
            let has = holders.iter().any(|t| {
                types.iter().any(|d| {
                    &&d.name == t
                        && matches!(&d.kind, TypeKind::Object(o) if o.fields.iter().any(|x| x.json_name == f))
                })
            });
            if !has {
                self.r.error_hint(
                    r.loc,
                    format!("`refers`: the entity `{entity}` has no field `{f}`"),
                    "name a field of the object type that declares the entity",
                );
                return None;
            }
        }
        let ok = match ty {
            Ty::String | Ty::I64 | Ty::I32 => true,
            Ty::Named(_, NamedKind::Object) | Ty::Json => field.is_none(),
            _ => false,
        };
        if !ok {
            self.r.error_hint(
                r.loc,
                format!("`refers: {}` on a field that can hold neither a key nor the object", r.value),
                "a string field holds the key (or, with `.field`, that field); an object field shows the object",
            );
            return None;
        }
        Some((entity.to_string(), field.map(str::to_string)))
    }

    /// `refers_by: type` on a string field: `type` is a field of the same object whose type is
    /// an enum, each value an entity of this API.
    fn refers_by(
        &mut self,
        by: &Spanned<String>,
        ty: &Ty,
        object: &Object,
        facts: &StoreFacts,
        types: &[TypeDef],
    ) -> Option<String> {
        if *ty != Ty::String {
            self.r.error_hint(
                by.loc,
                format!("`refers_by: {}` on a field that is not a string", by.value),
                "a string field holds the key of the object the sibling field names the entity of",
            );
            return None;
        }
        let Some(sibling) = object.fields.iter().find(|f| f.json_name == by.value) else {
            let names = object.fields.iter().map(|f| f.json_name.as_str());
            let hint = match crate::diag::suggest(&by.value, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "name a field of the same object whose values are entities".into(),
            };
            self.r.error_hint(
                by.loc,
                format!("`refers_by`: no field `{}` beside it", by.value),
                hint,
            );
            return None;
        };
        let values = match &sibling.ty {
            Ty::Named(name, NamedKind::Enum) => types.iter().find_map(|d| match &d.kind {
                TypeKind::Enum(e) if d.name == *name => Some(e.values.clone()),
                _ => None,
            }),
            _ => None,
        };
        let Some(values) = values else {
            self.r.error_hint(
                by.loc,
                format!("`refers_by: {}`: that field is not an enum", by.value),
                "its values name the entity: an enum such as `[customer, transaction]`",
            );
            return None;
        };
        if let Some(v) = values
            .iter()
            .find(|v| !facts.entities.values().any(|e| *e == v.wire))
        {
            self.r.error_hint(
                by.loc,
                format!(
                    "`refers_by: {}`: its value `{}` is no entity of this API",
                    by.value, v.wire
                ),
                "each value names an entity some object type declares (`entity:`)",
            );
            return None;
        }
        Some(by.value.clone())
    }

    /// `min_length` / `max_length` on a string field, `minimum` / `maximum` on a number field;
    /// `None` when none is given (or one is wrong, reported).
    fn limits(&mut self, raw: &RawStore, ty: &Ty, what: &str) -> Option<Limits> {
        let text = *ty == Ty::String;
        let number = matches!(ty, Ty::I32 | Ty::I64 | Ty::Money | Ty::Timestamp);
        let mut limits = Limits::default();
        let mut any = false;
        for (key, value, fits) in [
            ("min_length", &raw.min_length, text),
            ("max_length", &raw.max_length, text),
            ("minimum", &raw.minimum, number),
            ("maximum", &raw.maximum, number),
        ] {
            let Some(v) = value else { continue };
            if !fits {
                self.r.error_hint(
                    v.loc,
                    format!("`{key}` on {what}, whose type it does not apply to"),
                    "`min_length` and `max_length` apply to strings, `minimum` and `maximum` to integers",
                );
                return None;
            }
            if key.ends_with("length") && v.value < 0 {
                self.r
                    .error(v.loc, format!("`{key}` of {what} is negative"));
                return None;
            }
            any = true;
            match key {
                "min_length" => limits.min_length = u64::try_from(v.value).ok(),
                "max_length" => limits.max_length = u64::try_from(v.value).ok(),
                "minimum" => limits.minimum = Some(v.value),
                _ => limits.maximum = Some(v.value),
            }
        }
        let crossed = matches!((limits.min_length, limits.max_length), (Some(a), Some(b)) if a > b)
            || matches!((limits.minimum, limits.maximum), (Some(a), Some(b)) if a > b);
        if crossed {
            let at = raw
                .max_length
                .as_ref()
                .or(raw.maximum.as_ref())
                .map_or(Loc::default(), |v| v.loc);
            self.r
                .error(at, format!("the limits of {what} leave no value"));
            return None;
        }
        any.then_some(limits)
    }

    /// `first_seeded:` of an object type: text fields of the type, each given once.
    fn first_seeded(&mut self, t: &RawType, object: &Object) -> Option<Vec<(String, String)>> {
        let mut ok = true;
        for (name, _) in &t.store.first_seeded {
            let text = store_field(object, &name.value).is_some_and(|f| matches!(f.ty, Ty::String));
            if !text {
                self.r.error_hint(
                    name.loc,
                    format!(
                        "`first_seeded` of `{}` names `{}`, which is not a text field of it",
                        t.name.value, name.value
                    ),
                    "name fields of the type whose type is `string`",
                );
                ok = false;
            }
        }
        ok.then(|| {
            t.store
                .first_seeded
                .iter()
                .map(|(name, value)| (name.value.clone(), value.value.clone()))
                .collect()
        })
    }

    /// `examples:` of a field: values of its type (text, numbers, or an enum's values).
    fn examples(
        &mut self,
        examples: &[Spanned<String>],
        ty: &Ty,
        what: &str,
        types: &[TypeDef],
    ) -> Option<Vec<String>> {
        let mut ok = true;
        for e in examples {
            let scalar = match ty {
                Ty::List(inner) => inner.as_ref(),
                other => other,
            };
            let fits = match scalar {
                Ty::String | Ty::Json => true,
                Ty::I32 | Ty::I64 | Ty::Money | Ty::Timestamp => e.value.parse::<i64>().is_ok(),
                Ty::F64 => e.value.parse::<f64>().is_ok(),
                Ty::Named(n, NamedKind::Enum) => types.iter().any(|t| {
                    &t.name == n
                        && matches!(&t.kind, TypeKind::Enum(en) if en.values.iter().any(|v| v.wire == e.value))
                }),
                _ => false,
            };
            if !fits {
                self.r.error_hint(
                    e.loc,
                    format!("example `{}` of {what} is not a value of its type", e.value),
                    "examples are values the field holds: text, numbers, or its enum's values",
                );
                ok = false;
            }
        }
        ok.then(|| examples.iter().map(|e| e.value.clone()).collect())
    }

    /// Whether `p` is a key prefix: lowercase ASCII letters, then `_`.
    fn prefix(&mut self, p: &Spanned<String>) -> bool {
        let ok = p
            .value
            .strip_suffix('_')
            .is_some_and(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase()));
        if !ok {
            self.r.error_hint(
                p.loc,
                format!("`{}` is not a key prefix", p.value),
                "a prefix is lowercase letters and a final `_`, such as `rwrd_`",
            );
        }
        ok
    }

    fn read_only(&mut self, ro: &Spanned<String>, field: &Field, what: &str) -> Option<ReadOnly> {
        let how = match ro.value.as_str() {
            "true" => ReadOnly::Set,
            "false" => return None,
            "created" => ReadOnly::Created,
            "updated" => ReadOnly::Updated,
            other => {
                self.r.error_hint(
                    ro.loc,
                    format!("unknown `read_only` `{other}` on {what}"),
                    "`true` (the server sets it), `created` (the creation time) or `updated` (the time of the last change)",
                );
                return None;
            }
        };
        if how != ReadOnly::Set && field.ty != Ty::Timestamp {
            self.report_time(ro.loc, &ro.value, what);
            return None;
        }
        Some(how)
    }

    fn report_time(&mut self, loc: Loc, value: &str, what: &str) {
        self.r.error_hint(
            loc,
            format!("`read_only: {value}` on {what}, which is not a timestamp"),
            "`created` and `updated` are times; use `read_only: true` for other fields",
        );
    }
}

/// A field's key in the facts: its type's Rust name and its JSON name.
type FieldId = (String, String);

/// The facts that are checked once every type's are known: what fields refer to.
#[derive(Default)]
struct Pending {
    /// `refers:` of a field, with the field's type.
    refers: Vec<(FieldId, Spanned<String>, Ty)>,
    /// `refers_by:` of a field, with the field's type and its object (for the sibling enum).
    refers_by: Vec<(FieldId, Spanned<String>, Ty, Object)>,
}

/// A field's [`FieldId`].
fn id_of(rust: &str, field: &Field) -> FieldId {
    (rust.to_string(), field.json_name.clone())
}

/// The field of `object` called `name` in JSON: one of its fields, or a member of a `one_of`
/// group (a field too, outside `fields`).
fn store_field(object: &Object, name: &str) -> Option<Field> {
    if let Some(f) = object.fields.iter().find(|x| x.json_name == name) {
        return Some(f.clone());
    }
    object
        .one_of
        .iter()
        .flat_map(|g| g.variants.iter().map(move |v| (g, v)))
        .find(|(_, v)| v.json_name == name)
        .map(|(g, v)| Field {
            json_name: v.json_name.clone(),
            rust_name: g.rust_name.clone(),
            ty: v.ty.clone(),
            required: false,
            nullable: false,
            doc: String::new(),
            deprecated: None,
            setter: None,
            clear_setter: None,
            currency: None,
        })
}

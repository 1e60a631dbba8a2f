//! JSON Schemas (OpenAPI 3.1 dialect) for the IR's types and fields.

use serde_json::{Map, Value, json};

use crate::ir::{Enum, Field, Object, OneOf, Ty, TypeDef, TypeKind};

/// Where named types live in a document.
const SCHEMAS: &str = "#/components/schemas/";

/// A reference to the named type `name`.
pub(super) fn reference(name: &str) -> Value {
    json!({"$ref": format!("{SCHEMAS}{name}")})
}

/// The schema of a type reference.
pub(super) fn ty(ty: &Ty) -> Value {
    match ty {
        Ty::String => json!({"type": "string"}),
        Ty::Bool => json!({"type": "boolean"}),
        Ty::I32 => json!({"type": "integer", "format": "int32"}),
        Ty::I64 => json!({"type": "integer", "format": "int64"}),
        Ty::F64 => json!({"type": "number", "format": "double"}),
        Ty::Timestamp => json!({
            "type": "integer",
            "format": "int64",
            "description": "Milliseconds since the Unix epoch (UTC).",
        }),
        Ty::Money => json!({
            "type": "integer",
            "format": "int64",
            "description": "Integer minor units (cents) of the currency.",
        }),
        Ty::Loose(inner) if **inner == Ty::Bool => json!({
            "type": ["boolean", "string", "number"],
            "description": "A boolean, sometimes sent as the string `\"true\"` or `\"false\"`, or as `1` or `0`.",
        }),
        Ty::Loose(inner) => {
            let mut schema = self::ty(inner);
            if let Some(map) = schema.as_object_mut() {
                map.remove("format");
                map.insert("type".into(), json!(["number", "string"]));
            }
            schema
        }
        Ty::Json => json!({}),
        Ty::List(item) => json!({"type": "array", "items": self::ty(item)}),
        Ty::Map(value) => json!({"type": "object", "additionalProperties": self::ty(value)}),
        Ty::Named(name, _) => reference(name),
    }
}

/// `schema`, also allowing `null`: `type: [T, "null"]` for a plain typed schema, `anyOf` with
/// `null` for a reference (or anything with `enum`); an untyped schema already allows `null`.
pub(super) fn nullable(schema: Value) -> Value {
    let Value::Object(mut map) = schema else {
        return schema;
    };
    if map.is_empty() {
        return Value::Object(map);
    }
    match map.get("type").cloned() {
        Some(Value::String(t)) if !map.contains_key("enum") => {
            map.insert("type".into(), json!([t, "null"]));
            Value::Object(map)
        }
        _ => json!({"anyOf": [Value::Object(map), {"type": "null"}]}),
    }
}

/// Puts `doc` first in the schema's description, before what the type itself says (a
/// timestamp's unit).
pub(super) fn describe(schema: &mut Value, doc: &str) {
    let Value::Object(map) = schema else {
        return;
    };
    let doc = doc.trim();
    if doc.is_empty() {
        return;
    }
    let text = match map.get("description").and_then(Value::as_str) {
        Some(own) => format!("{doc}\n\n{own}"),
        None => doc.to_string(),
    };
    map.insert("description".into(), Value::String(text));
}

/// Marks a schema deprecated, adding the note to its description.
pub(super) fn deprecate(schema: &mut Value, note: &str) {
    let note = note.trim();
    if !note.is_empty() {
        let own = schema.get("description").and_then(Value::as_str);
        let text = match own {
            Some(own) => format!("{own}\n\nDeprecated: {note}"),
            None => format!("Deprecated: {note}"),
        };
        if let Some(map) = schema.as_object_mut() {
            map.insert("description".into(), Value::String(text));
        }
    }
    if let Some(map) = schema.as_object_mut() {
        map.insert("deprecated".into(), Value::Bool(true));
    }
}

/// The schema of a named type, for `components/schemas`.
pub(super) fn type_def(def: &TypeDef) -> Value {
    let mut schema = match &def.kind {
        TypeKind::Object(object) => self::object(object),
        TypeKind::Enum(e) => enumeration(e),
        TypeKind::Alias(target) => ty(target),
    };
    describe(&mut schema, &def.doc);
    schema
}

fn object(object: &Object) -> Value {
    let mut properties = Map::new();
    let mut required = Vec::new();
    for f in &object.fields {
        properties.insert(f.json_name.clone(), field(f));
        if f.required {
            required.push(Value::String(f.json_name.clone()));
        }
    }
    for group in &object.one_of {
        for variant in &group.variants {
            let mut schema = ty(&variant.ty);
            describe(&mut schema, &variant.doc);
            properties.insert(variant.json_name.clone(), schema);
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("properties".into(), Value::Object(properties));
    if !required.is_empty() {
        schema.insert("required".into(), Value::Array(required));
    }
    match object.one_of.as_slice() {
        [] => {}
        [group] => {
            schema.insert("oneOf".into(), exactly_one(group));
        }
        groups => {
            let all: Vec<Value> = groups
                .iter()
                .map(|g| json!({"oneOf": exactly_one(g)}))
                .collect();
            schema.insert("allOf".into(), Value::Array(all));
        }
    }
    let mut schema = Value::Object(schema);
    let groups: Vec<String> = object.one_of.iter().map(group_note).collect();
    if !groups.is_empty() {
        describe(&mut schema, &groups.join("\n\n"));
    }
    schema
}

/// `oneOf` alternatives that each require one member of `group`: with `oneOf`, a value holding
/// none or two of them matches no alternative or two, and is invalid.
fn exactly_one(group: &OneOf) -> Value {
    Value::Array(
        group
            .variants
            .iter()
            .map(|v| json!({"required": [v.json_name]}))
            .collect(),
    )
}

fn group_note(group: &OneOf) -> String {
    let names: Vec<String> = group
        .variants
        .iter()
        .map(|v| format!("`{}`", v.json_name))
        .collect();
    format!("Exactly one of {}: {}", names.join(", "), group.doc.trim())
}

/// A field's schema: its type, `null` when nullable, its doc and deprecation. Whether it must
/// be present is the object's `required`, not part of this schema.
fn field(f: &Field) -> Value {
    let mut schema = ty(&f.ty);
    if f.nullable {
        schema = nullable(schema);
    }
    describe(&mut schema, &f.doc);
    if let Some(note) = &f.deprecated {
        deprecate(&mut schema, note);
    }
    schema
}

fn enumeration(e: &Enum) -> Value {
    let values: Vec<Value> = e
        .values
        .iter()
        .map(|v| Value::String(v.wire.clone()))
        .collect();
    let known = json!({"type": "string", "enum": values});
    let mut schema = if e.open() {
        json!({"anyOf": [
            known,
            {
                "type": "string",
                "description": "A value added after this document: PartnerStack may add values, \
                                so clients should accept any string.",
            },
        ]})
    } else {
        known
    };
    let documented: Vec<String> = e
        .values
        .iter()
        .filter(|v| !v.doc.trim().is_empty())
        .map(|v| format!("- `{}`: {}", v.wire, v.doc.trim()))
        .collect();
    if !documented.is_empty() {
        describe(&mut schema, &documented.join("\n"));
    }
    schema
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_keeps_types_and_references_apart() {
        assert_eq!(
            nullable(ty(&Ty::String)),
            json!({"type": ["string", "null"]})
        );
        assert_eq!(
            nullable(reference("Reward")),
            json!({"anyOf": [{"$ref": "#/components/schemas/Reward"}, {"type": "null"}]})
        );
        assert_eq!(nullable(ty(&Ty::Json)), json!({}));
        assert_eq!(
            nullable(ty(&Ty::Timestamp))["type"],
            json!(["integer", "null"])
        );
    }

    #[test]
    fn a_field_doc_comes_before_the_unit() {
        let mut s = ty(&Ty::Timestamp);
        describe(&mut s, "When it was created.");
        assert_eq!(
            s["description"],
            "When it was created.\n\nMilliseconds since the Unix epoch (UTC)."
        );
    }
}

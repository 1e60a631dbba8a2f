//! Checking bodies and query values against the spec's types. Messages name the field the way
//! PartnerStack's JSON-schema-style errors do: `'email' is a required property`.

use serde_json::Value;

use crate::table::{ApiTable, Limits, Ty, TypeKind};

/// How deep a body may nest before it is refused (the spec's types nest far less).
const MAX_DEPTH: usize = 32;

/// Checks `value` against `ty`; the error names the field (`customer.email`, `fields[2]`).
pub(crate) fn check(api: &ApiTable, ty: Ty, value: &Value, path: &str) -> Result<(), String> {
    check_at(api, ty, value, path, 0)
}

fn check_at(api: &ApiTable, ty: Ty, value: &Value, path: &str, depth: usize) -> Result<(), String> {
    if depth > MAX_DEPTH {
        return Err(format!("'{}' nests too deeply", display(path)));
    }
    let ok = match ty {
        Ty::String => value.is_string(),
        Ty::Bool => value.is_boolean(),
        Ty::LooseBool => {
            value.is_boolean()
                || matches!(value.as_str(), Some("true" | "false" | "True" | "False"))
        }
        Ty::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        Ty::I64 | Ty::Timestamp | Ty::Money => value.as_i64().is_some(),
        Ty::F64 => value.is_number(),
        Ty::Json => true,
        Ty::List(inner) => {
            let Some(items) = value.as_array() else {
                return Err(wrong(path, "an array", value));
            };
            for (i, item) in items.iter().enumerate() {
                check_at(api, *inner, item, &format!("{path}[{i}]"), depth + 1)?;
            }
            true
        }
        Ty::Map(inner) => {
            let Some(map) = value.as_object() else {
                return Err(wrong(path, "an object", value));
            };
            for (k, v) in map {
                check_at(api, *inner, v, &join(path, k), depth + 1)?;
            }
            true
        }
        Ty::Named(name) => return check_named(api, name, value, path, depth),
    };
    if ok {
        Ok(())
    } else {
        Err(wrong(path, expected(ty), value))
    }
}

fn check_named(
    api: &ApiTable,
    name: &str,
    value: &Value,
    path: &str,
    depth: usize,
) -> Result<(), String> {
    let Some(def) = api.type_named(name) else {
        return Ok(());
    };
    match &def.kind {
        TypeKind::Alias(target) => check_at(api, *target, value, path, depth + 1),
        TypeKind::Enum { values, open } => match value.as_str() {
            Some(s) if *open || values.contains(&s) => Ok(()),
            Some(s) => Err(format!(
                "'{}': '{s}' is not one of {}",
                display(path),
                values
                    .iter()
                    .map(|v| format!("'{v}'"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Err(wrong(path, "a string", value)),
        },
        TypeKind::Object { fields, one_of, .. } => {
            let Some(map) = value.as_object() else {
                return Err(wrong(path, "an object", value));
            };
            for f in *fields {
                match map.get(f.name) {
                    None if f.required && !in_group(one_of, f.name) => {
                        return Err(format!("'{}' is a required property", join(path, f.name)));
                    }
                    None => {}
                    Some(Value::Null) if f.nullable => {}
                    Some(Value::Null) => {
                        return Err(format!("'{}' may not be null", join(path, f.name)));
                    }
                    Some(v) => {
                        let at = join(path, f.name);
                        check_at(api, f.ty, v, &at, depth + 1)?;
                        limits(&f.limits, v, &at)?;
                    }
                }
            }
            for group in *one_of {
                let sent = group
                    .iter()
                    .filter(|n| map.get(**n).is_some_and(|v| !v.is_null()))
                    .count();
                if sent != 1 {
                    let names: Vec<String> = group
                        .iter()
                        .map(|n| format!("'{}'", join(path, n)))
                        .collect();
                    return Err(format!("exactly one of {} is required", names.join(", ")));
                }
            }
            Ok(())
        }
    }
}

/// Checks a value against the lengths and bounds PartnerStack accepts.
fn limits(l: &Limits, value: &Value, path: &str) -> Result<(), String> {
    if let Some(s) = value.as_str() {
        let n = s.chars().count() as u64;
        if let Some(min) = l.min_length.filter(|m| n < *m) {
            return Err(format!("'{path}' is too short: at least {min} characters"));
        }
        if let Some(max) = l.max_length.filter(|m| n > *m) {
            return Err(format!("'{path}' is too long: at most {max} characters"));
        }
    }
    if let Some(x) = value.as_i64() {
        if let Some(min) = l.minimum.filter(|m| x < *m) {
            return Err(format!("'{path}' must be at least {min}"));
        }
        if let Some(max) = l.maximum.filter(|m| x > *m) {
            return Err(format!("'{path}' must be at most {max}"));
        }
    }
    Ok(())
}

fn in_group(groups: &[&[&str]], name: &str) -> bool {
    groups.iter().any(|g| g.contains(&name))
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_string()
    } else {
        format!("{path}.{field}")
    }
}

fn display(path: &str) -> &str {
    if path.is_empty() { "body" } else { path }
}

fn wrong(path: &str, expected: &str, value: &Value) -> String {
    format!(
        "'{}' must be {expected}, not {}",
        display(path),
        kind(value)
    )
}

fn expected(ty: Ty) -> &'static str {
    match ty {
        Ty::String => "a string",
        Ty::Bool => "a boolean",
        Ty::LooseBool => "a boolean",
        Ty::I32 => "a 32-bit integer",
        Ty::I64 => "an integer",
        Ty::Timestamp => "an integer (epoch milliseconds)",
        Ty::Money => "an integer (minor units)",
        Ty::F64 => "a number",
        Ty::Json => "any value",
        Ty::List(_) => "an array",
        Ty::Map(_) | Ty::Named(_) => "an object",
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(n) if n.is_f64() => "a fractional number",
        Value::Number(_) => "an integer",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A query value read as `ty`: the JSON value it stands for, or a message naming the parameter.
pub(crate) fn query_value(api: &ApiTable, ty: Ty, name: &str, raw: &str) -> Result<Value, String> {
    let bad = |what: &str| format!("'{name}' must be {what}, not '{}'", excerpt(raw));
    let value = match ty {
        Ty::String | Ty::Json => Value::String(raw.to_string()),
        Ty::Bool | Ty::LooseBool => match raw {
            "true" | "True" => Value::Bool(true),
            "false" | "False" => Value::Bool(false),
            _ => return Err(bad("true or false")),
        },
        Ty::I32 | Ty::I64 | Ty::Timestamp | Ty::Money => match raw.parse::<i64>() {
            Ok(n) if ty != Ty::I32 || i32::try_from(n).is_ok() => Value::from(n),
            _ => return Err(bad(expected(ty))),
        },
        Ty::F64 => match raw
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            Some(n) => Value::Number(n),
            None => return Err(bad("a number")),
        },
        Ty::List(inner) => return query_value(api, *inner, name, raw),
        Ty::Map(_) => return Err(format!("'{name}' cannot be sent in a query")),
        Ty::Named(n) => {
            let v = Value::String(raw.to_string());
            match api.type_named(n).map(|t| &t.kind) {
                Some(TypeKind::Alias(target)) => return query_value(api, *target, name, raw),
                Some(TypeKind::Enum { .. }) => {
                    check(api, ty, &v, name)?;
                    v
                }
                _ => v,
            }
        }
    };
    Ok(value)
}

/// At most 40 characters of client text, for messages.
pub(crate) fn excerpt(raw: &str) -> String {
    let mut out: String = raw.chars().take(40).filter(|c| !c.is_control()).collect();
    if raw.chars().count() > 40 {
        out.push('…');
    }
    out
}

//! What a create stores and an update changes: the fields sent (those the body's type declares
//! and the object has), plus only what the server adds (its key, its times, defaults for
//! fields always present); server-owned fields never change; unique fields stay unique.

use serde_json::{Map, Value};

use crate::reply::Reply;
use crate::seed::Rng;
use crate::table::{ApiTable, Field, ReadOnly, Ty, TypeKind};
use crate::validate;

/// The fields of the body type `body` (an object type, or none).
fn body_fields(api: &ApiTable, body: Option<Ty>) -> Vec<&'static Field> {
    match body {
        Some(Ty::Named(name)) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { fields, .. }) => fields.iter().collect(),
            Some(TypeKind::Alias(_)) | Some(TypeKind::Enum { .. }) | None => Vec::new(),
        },
        _ => Vec::new(),
    }
}

/// Copies onto `object` each field sent that the body's type declares and the item has, when
/// the value fits the item's field (`null` only where it may be null). `update` keeps
/// read-only fields as they are.
fn copy_sent(
    api: &ApiTable,
    item: &str,
    body: Option<Ty>,
    sent: &Map<String, Value>,
    object: &mut Map<String, Value>,
    update: bool,
) {
    let declared = body_fields(api, body);
    for f in api.fields(item) {
        if update && f.read_only.is_some() {
            continue;
        }
        if !declared.iter().any(|d| d.name == f.name) {
            continue;
        }
        let Some(value) = sent.get(f.name) else {
            continue;
        };
        let fits = match value {
            Value::Null => f.nullable,
            v => validate::check(api, f.ty, v, f.name).is_ok(),
        };
        if fits {
            object.insert(f.name.to_string(), value.clone());
        }
    }
}

/// Refuses a body that sets a field the server owns: one the item marks read-only, unless
/// this is a create whose body type declares it (a transaction's own `key`, a backdated
/// `created_at`).
pub(crate) fn check_read_only(
    api: &ApiTable,
    item: &str,
    body: Option<Ty>,
    sent: Option<&Map<String, Value>>,
    update: bool,
) -> Result<(), Reply> {
    let Some(sent) = sent else {
        return Ok(());
    };
    let declared = body_fields(api, body);
    for f in api.fields(item) {
        let owned =
            f.read_only.is_some() || api.pagination.as_ref().is_some_and(|p| p.cursor == f.name);
        if owned
            && sent.contains_key(f.name)
            && (update || !declared.iter().any(|d| d.name == f.name))
        {
            return Err(Reply::error(
                400,
                format!("'{}' is set by the server and cannot be changed", f.name),
            ));
        }
    }
    Ok(())
}

/// The value the server gives a field that is always present and was not sent.
fn default_value(
    api: &ApiTable,
    f: &Field,
    ty: Ty,
    now: i64,
    rng: &mut Rng,
    depth: usize,
) -> Value {
    match ty {
        Ty::String if f.unique || f.key_prefix.is_some() => Value::String(format!(
            "{}{}",
            f.key_prefix.unwrap_or_default(),
            rng.alphanumeric(14)
        )),
        Ty::String => Value::String(String::new()),
        Ty::Bool | Ty::LooseBool => Value::Bool(false),
        Ty::I32 | Ty::I64 | Ty::Money | Ty::F64 => Value::from(0),
        Ty::Timestamp => Value::from(now),
        Ty::Json => Value::Null,
        Ty::List(_) => Value::Array(Vec::new()),
        Ty::Map(_) => Value::Object(Map::new()),
        Ty::Named(name) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => default_value(api, f, *target, now, rng, depth + 1),
            Some(TypeKind::Enum { values, .. }) => {
                Value::String(values.first().copied().unwrap_or_default().to_string())
            }
            Some(TypeKind::Object { fields, .. }) if depth < 4 => {
                let mut map = Map::new();
                for inner in fields.iter().filter(|i| i.required) {
                    let v = if inner.nullable {
                        Value::Null
                    } else {
                        default_value(api, inner, inner.ty, now, rng, depth + 1)
                    };
                    map.insert(inner.name.to_string(), v);
                }
                Value::Object(map)
            }
            _ => Value::Null,
        },
    }
}

/// A new object of type `item` from a create's body: what was sent, its key (`cursor`, made
/// with the type's prefix unless the body gives it), its times (`created_at` may be
/// backdated by a body that declares it, never set in the future), and for every other field
/// always present a null or an empty value.
pub(crate) fn create(
    api: &ApiTable,
    item: &str,
    body: Option<Ty>,
    sent: Option<&Map<String, Value>>,
    now: i64,
    rng: &mut Rng,
) -> Result<Value, Reply> {
    check_read_only(api, item, body, sent, false)?;
    let mut object = Map::new();
    if let Some(sent) = sent {
        copy_sent(api, item, body, sent, &mut object, false);
    }
    let cursor = api.pagination.as_ref().map(|p| p.cursor);
    let prefix = api.key_prefix(item);
    for f in api.fields(item) {
        if object.contains_key(f.name) {
            if f.read_only == Some(ReadOnly::Created)
                && object
                    .get(f.name)
                    .and_then(Value::as_i64)
                    .is_some_and(|t| t > now)
            {
                return Err(Reply::error(
                    400,
                    format!("'{}' cannot be later than now", f.name),
                ));
            }
            continue;
        }
        let value = if Some(f.name) == cursor && f.ty == Ty::String {
            Value::String(format!(
                "{}{}",
                prefix.unwrap_or_default(),
                rng.alphanumeric(14)
            ))
        } else if matches!(f.read_only, Some(ReadOnly::Created | ReadOnly::Updated)) {
            Value::from(now)
        } else if !f.required {
            continue;
        } else if f.nullable {
            Value::Null
        } else {
            default_value(api, f, f.ty, now, rng, 0)
        };
        object.insert(f.name.to_string(), value);
    }
    // Updated no earlier than created, even when backdated.
    let created = time_of(api, item, &object, ReadOnly::Created);
    for f in api
        .fields(item)
        .iter()
        .filter(|f| f.read_only == Some(ReadOnly::Updated))
    {
        if let Some(c) = created {
            object.insert(f.name.to_string(), Value::from(now.max(c)));
        }
    }
    Ok(Value::Object(object))
}

/// Changes `object` (of type `item`) by an update's body: only the fields the body's type
/// declares, never a read-only one; the time of the last change moves to `now` (never back).
pub(crate) fn update(
    api: &ApiTable,
    item: &str,
    body: Option<Ty>,
    sent: Option<&Map<String, Value>>,
    object: &Value,
    now: i64,
) -> Result<Value, Reply> {
    check_read_only(api, item, body, sent, true)?;
    let mut changed = object.as_object().cloned().unwrap_or_default();
    if let Some(sent) = sent {
        copy_sent(api, item, body, sent, &mut changed, true);
    }
    let floor = [ReadOnly::Created, ReadOnly::Updated]
        .into_iter()
        .filter_map(|how| time_of(api, item, &changed, how))
        .max()
        .unwrap_or(now);
    for f in api
        .fields(item)
        .iter()
        .filter(|f| f.read_only == Some(ReadOnly::Updated))
    {
        changed.insert(f.name.to_string(), Value::from(now.max(floor)));
    }
    Ok(Value::Object(changed))
}

fn time_of(api: &ApiTable, item: &str, object: &Map<String, Value>, how: ReadOnly) -> Option<i64> {
    api.fields(item)
        .iter()
        .find(|f| f.read_only == Some(how))
        .and_then(|f| object.get(f.name))
        .and_then(Value::as_i64)
}

/// The first unique field of `candidate` (and its key) whose value another object of `others`
/// holds, as PartnerStack's error: a 400 naming the field.
pub(crate) fn check_unique<'a>(
    api: &ApiTable,
    item: &str,
    candidate: &Value,
    others: impl Iterator<Item = &'a Value> + Clone,
) -> Result<(), Reply> {
    let cursor = api.pagination.as_ref().map(|p| p.cursor);
    for f in api.fields(item) {
        if !(f.unique || Some(f.name) == cursor) {
            continue;
        }
        let Some(value) = candidate.get(f.name).filter(|v| !v.is_null()) else {
            continue;
        };
        if others.clone().any(|o| o.get(f.name) == Some(value)) {
            let shown = match value {
                Value::String(s) => validate::excerpt(s),
                other => other.to_string(),
            };
            return Err(Reply::error(
                400,
                format!("'{}' must be unique: '{shown}' is already used", f.name),
            ));
        }
    }
    Ok(())
}

/// Completes `object`, created through another API, for `api`'s view of it (`item`): each
/// field always present there that it lacks (or holds null where this view does not allow
/// it) gets the server's default, as a create through `api` would give it; a field referring to a stored object gets null where it may (the
/// objects it refers to are set afterwards), never a made-up key.
pub(crate) fn complete(api: &ApiTable, item: &str, object: &mut Value, now: i64, rng: &mut Rng) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    for f in api.fields(item) {
        // Present, or null where this view allows it (another API's view may allow null where
        // this one does not: the vendor's `amount_usd`, the partner's).
        let missing = match map.get(f.name) {
            None => f.required,
            Some(Value::Null) => !f.nullable,
            Some(_) => false,
        };
        if !missing {
            continue;
        }
        let value = if f.nullable {
            Value::Null
        } else if matches!(f.read_only, Some(ReadOnly::Created | ReadOnly::Updated)) {
            Value::from(now)
        } else if f.refers.is_some() && f.ty == Ty::String {
            Value::String(String::new())
        } else {
            default_value(api, f, f.ty, now, rng, 0)
        };
        map.insert(f.name.to_string(), value);
    }
}

//! One consistent world: fields the spec marks `refers:` point at stored objects that exist.
//! A seeded reward refers to a customer, a partnership and a transaction of the store (and the
//! transaction's customer is the reward's); a created customer's `partnership_key` is the
//! partnership its `partner_key` names; a body naming an object that does not exist is a 400.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::reply::Reply;
use crate::seed::Rng;
use crate::table::{ApiTable, Field, Ty, TypeKind};
use crate::validate;

/// How many random objects are tried for one that agrees with what is chosen already.
const TRIES: usize = 64;

/// The objects one object refers to, by entity.
pub(crate) type Chosen = BTreeMap<&'static str, Value>;

/// Looks up stored objects: the objects of a collection of an API.
pub(crate) trait Lists {
    fn objects(&self, api: &str, path: &str) -> &[Value];

    /// The first object of a collection whose `field` is `value` (by a scan, unless the
    /// implementation keeps an index).
    fn find(&self, api: &str, path: &str, field: &str, value: &Value) -> Option<&Value> {
        self.objects(api, path)
            .iter()
            .find(|o| o.get(field) == Some(value))
    }
}

/// The store while it is seeded, with an index of each collection's fields by value, so
/// seeding 10,000 objects per list takes linear time.
pub(crate) struct Indexed<'a, L: Lists> {
    pub lists: &'a L,
    /// (api, path, field) → value as JSON text → the first position holding it.
    pub index: &'a std::collections::HashMap<
        (String, String, String),
        std::collections::HashMap<String, usize>,
    >,
}

impl<L: Lists> Lists for Indexed<'_, L> {
    fn objects(&self, api: &str, path: &str) -> &[Value] {
        self.lists.objects(api, path)
    }

    fn find(&self, api: &str, path: &str, field: &str, value: &Value) -> Option<&Value> {
        let key = (api.to_string(), path.to_string(), field.to_string());
        match self.index.get(&key) {
            Some(by_value) => by_value
                .get(&value.to_string())
                .and_then(|i| self.lists.objects(api, path).get(*i)),
            None => self
                .lists
                .objects(api, path)
                .iter()
                .find(|o| o.get(field) == Some(value)),
        }
    }
}

/// The fields of `api`'s objects that others refer to, by collection path: what [`Indexed`]
/// indexes.
pub(crate) fn referred_fields(api: &ApiTable) -> Vec<(&'static str, &'static str)> {
    let mut out = Vec::new();
    for t in api.types {
        let TypeKind::Object { fields, .. } = &t.kind else {
            continue;
        };
        for (entity, field) in fields.iter().filter_map(|f| f.refers) {
            if let Some(path) = collection_of(api, entity) {
                let pair = (path, field.unwrap_or(cursor(api)));
                if !out.contains(&pair) {
                    out.push(pair);
                }
            }
        }
    }
    out
}

/// The collection of `api` holding objects of `entity`.
fn collection_of(api: &ApiTable, entity: &str) -> Option<&'static str> {
    api.collections
        .iter()
        .find(|c| api.entity(c.item) == Some(entity))
        .map(|c| c.path)
}

fn cursor(api: &ApiTable) -> &'static str {
    api.pagination.as_ref().map_or("key", |p| p.cursor)
}

/// The stored object of `entity` whose `field` (its key when `None`) is `value`.
fn lookup(
    api: &ApiTable,
    lists: &dyn Lists,
    entity: &str,
    field: Option<&str>,
    value: &Value,
) -> Option<Value> {
    if value.is_null() {
        return None;
    }
    let path = collection_of(api, entity)?;
    let field = field.unwrap_or(cursor(api));
    lists.find(api.name, path, field, value).cloned()
}

/// Adds to `chosen` the objects `object` (of `entity`) refers to, and theirs, when not chosen
/// yet: a reward's transaction brings the transaction's customer.
fn inherit(
    api: &ApiTable,
    lists: &dyn Lists,
    entity: &str,
    object: &Value,
    chosen: &mut Chosen,
    depth: usize,
) {
    let Some(item) = api
        .collections
        .iter()
        .find(|c| api.entity(c.item) == Some(entity))
        .map(|c| c.item)
    else {
        return;
    };
    for f in api.fields(item) {
        let Some((e, field)) = f.refers else { continue };
        if chosen.contains_key(e) || depth > 4 {
            continue;
        }
        let found = match object.get(f.name) {
            Some(v @ Value::String(_)) => lookup(api, lists, e, field, v),
            Some(Value::Object(o)) => o
                .get(cursor(api))
                .and_then(|k| lookup(api, lists, e, None, k)),
            _ => None,
        };
        if let Some(found) = found {
            chosen.insert(e, found.clone());
            inherit(api, lists, e, &found, chosen, depth + 1);
        }
    }
}

/// How many entities the entity's objects lead to, through what they refer to: the object
/// that leads to most is chosen first, so the others follow from it.
fn reach(api: &ApiTable, entity: &str) -> usize {
    let mut seen: Vec<&str> = vec![];
    let mut todo = vec![entity];
    while let Some(e) = todo.pop() {
        let Some(c) = api
            .collections
            .iter()
            .find(|c| api.entity(c.item) == Some(e))
        else {
            continue;
        };
        for (r, _) in api.fields(c.item).iter().filter_map(|f| f.refers) {
            if r != entity && !seen.contains(&r) {
                seen.push(r);
                todo.push(r);
            }
        }
    }
    seen.len()
}

/// Whether `candidate` (of `entity`) agrees with what is chosen already: each of its fields
/// referring to a chosen entity names the chosen object.
fn agrees(api: &ApiTable, entity: &str, candidate: &Value, chosen: &Chosen) -> bool {
    let Some(c) = api
        .collections
        .iter()
        .find(|c| api.entity(c.item) == Some(entity))
    else {
        return true;
    };
    api.fields(c.item).iter().all(|f| {
        let Some((e, field)) = f.refers else {
            return true;
        };
        let Some(target) = chosen.get(e) else {
            return true;
        };
        let want = target.get(field.unwrap_or(cursor(api)));
        match candidate.get(f.name) {
            Some(Value::Object(o)) => o.get(cursor(api)) == target.get(cursor(api)),
            Some(Value::Null) | None => true,
            got => got == want,
        }
    })
}

/// For a seeded object of type `item`: a stored object for each entity its fields refer to,
/// the one leading to most others first (a reward's transaction brings its customer and
/// partnership; of two leading as far, the later field's), the others among a few random ones
/// that agree with it (none when none does: a reward's action is its customer's, or none).
pub(crate) fn choose(api: &ApiTable, lists: &dyn Lists, item: &str, rng: &mut Rng) -> Chosen {
    let mut entities: Vec<&'static str> = Vec::new();
    for (e, _) in api.fields(item).iter().filter_map(|f| f.refers) {
        if !entities.contains(&e) {
            entities.push(e);
        }
    }
    entities.reverse();
    entities.sort_by_key(|e| std::cmp::Reverse(reach(api, e)));
    let mut chosen = Chosen::new();
    for e in entities {
        if chosen.contains_key(e) {
            continue;
        }
        let Some(path) = collection_of(api, e) else {
            continue;
        };
        // A few random tries among the objects: the first that agrees with what is chosen.
        let objects = lists.objects(api.name, path);
        let mut pick = None;
        for _ in 0..TRIES {
            let Some(o) = objects.get(rng.below(objects.len() as u64) as usize) else {
                break;
            };
            if agrees(api, e, o, &chosen) {
                pick = Some(o.clone());
                break;
            }
        }
        let Some(pick) = pick else {
            continue;
        };
        inherit(api, lists, e, &pick, &mut chosen, 0);
        chosen.insert(e, pick);
    }
    chosen
}

/// The objects a body's fields name (`CustomerCreate.partner_key` names a partnership), with
/// the ones they bring; a name that finds nothing is a 400 naming the field.
pub(crate) fn named(
    api: &ApiTable,
    lists: &dyn Lists,
    body: Option<Ty>,
    sent: Option<&Map<String, Value>>,
) -> Result<Chosen, Reply> {
    let mut chosen = Chosen::new();
    let (Some(Ty::Named(body)), Some(sent)) = (body, sent) else {
        return Ok(chosen);
    };
    for f in api.fields(body) {
        let (Some((entity, field)), Some(value)) = (f.refers, sent.get(f.name)) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let Some(found) = lookup(api, lists, entity, field, value) else {
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), validate::excerpt);
            return Err(Reply::error(
                400,
                format!(
                    "'{}': no {entity} has the {} '{shown}'",
                    f.name,
                    field.unwrap_or("key")
                ),
            ));
        };
        inherit(api, lists, entity, &found, &mut chosen, 0);
        chosen.insert(entity, found);
    }
    Ok(chosen)
}

/// Sets each field of `object` (of type `item`) that refers to a chosen object: a string
/// field to its key (or the field named), an object field to the object as the field's type
/// shows it. With `clear`, one whose entity has no chosen object becomes null (or absent)
/// where it may.
pub(crate) fn fill(api: &ApiTable, item: &str, object: &mut Value, chosen: &Chosen, clear: bool) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    for f in api.fields(item) {
        let Some((entity, field)) = f.refers else {
            continue;
        };
        let Some(target) = chosen.get(entity) else {
            // Nothing to refer to (`clear`, for seeded objects): never a made-up key.
            if clear && f.nullable {
                map.insert(f.name.to_string(), Value::Null);
            } else if clear && !f.required {
                map.remove(f.name);
            }
            continue;
        };
        let value = match f.ty {
            Ty::Named(_) | Ty::Json
                if field.is_none() && !matches!(resolve(api, f.ty), Ty::String) =>
            {
                project(api, f.ty, target)
            }
            _ => target
                .get(field.unwrap_or(cursor(api)))
                .cloned()
                .unwrap_or(Value::Null),
        };
        if value.is_null() && !f.nullable {
            continue;
        }
        map.insert(f.name.to_string(), value);
    }
}

fn resolve(api: &ApiTable, ty: Ty) -> Ty {
    match ty {
        Ty::Named(n) => match api.type_named(n).map(|t| &t.kind) {
            Some(TypeKind::Alias(t)) => resolve(api, *t),
            _ => ty,
        },
        t => t,
    }
}

/// `object` seen as `ty`: for an object type, each of its fields that `object` has with a value
/// that fits (nested objects seen the same way); anything else as it is when it fits.
pub(crate) fn project(api: &ApiTable, ty: Ty, object: &Value) -> Value {
    match ty {
        Ty::Named(name) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { fields, .. }) => {
                Value::Object(project_fields(api, fields, object))
            }
            Some(TypeKind::Alias(target)) => project(api, *target, object),
            _ => fits(api, ty, object),
        },
        Ty::Json => object.clone(),
        Ty::Map(Ty::Json) => match object {
            Value::Object(_) => object.clone(),
            _ => Value::Null,
        },
        _ => fits(api, ty, object),
    }
}

fn project_fields(api: &ApiTable, fields: &[Field], object: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for f in fields {
        let Some(v) = object.get(f.name) else {
            continue;
        };
        let v = match v {
            Value::Null if f.nullable => Value::Null,
            Value::Null => continue,
            v => project(api, f.ty, v),
        };
        if v.is_null() && !f.nullable {
            continue;
        }
        out.insert(f.name.to_string(), v);
    }
    out
}

fn fits(api: &ApiTable, ty: Ty, v: &Value) -> Value {
    if validate::check(api, ty, v, "").is_ok() {
        v.clone()
    } else {
        Value::Null
    }
}

/// The collections of `api` in an order where the objects a collection's items refer to are
/// seeded before it (spec order otherwise).
pub(crate) fn seed_order(api: &ApiTable) -> Vec<&'static crate::table::Collection> {
    let mut left: Vec<&'static crate::table::Collection> = api.collections.iter().collect();
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left.iter().position(|c| {
            api.fields(c.item)
                .iter()
                .filter_map(|f| f.refers)
                .all(|(e, _)| {
                    api.entity(c.item) == Some(e)
                        || !left.iter().any(|o| api.entity(o.item) == Some(e))
                })
        });
        // A cycle: take the first left, its links to later ones stay unset.
        out.push(left.remove(ready.unwrap_or(0)));
    }
    out
}

//! One consistent world: fields the spec marks `refers:` point at stored objects that exist.
//! A seeded reward refers to a customer, a partnership and a transaction of the store (and the
//! transaction's customer is the reward's); a created customer's `partnership_key` is the
//! partnership its `partner_key` names; a body naming an object that does not exist is a 400.
//! References cross APIs: an entity's objects are one list ([`crate::views`]), so a vendor's
//! customer refers to the partnership the partner sees, and the fields of every API's view of
//! an object are set from the same objects it refers to.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use crate::reply::Reply;
use crate::seed::Rng;
use crate::table::{ApiTable, Field, Ty, TypeKind};
use crate::validate;
use crate::views::{self, Apis, Home, View};

/// How many random objects are tried for one that agrees with what is chosen already.
const TRIES: usize = 64;

/// The objects one object refers to, by entity.
pub(crate) type Chosen = BTreeMap<&'static str, Value>;

/// Looks up stored objects: the objects of a home.
pub(crate) trait Lists {
    fn objects(&self, home: Home) -> &[Value];

    /// The first object of a home whose `field` is `value` (by a scan, unless the
    /// implementation keeps an index).
    fn find(&self, home: Home, field: &str, value: &Value) -> Option<&Value> {
        self.objects(home)
            .iter()
            .find(|o| o.get(field) == Some(value))
    }
}

/// The store while it is seeded, with an index of each home's fields by value, so seeding
/// 10,000 objects per list takes linear time.
pub(crate) struct Indexed<'a, L: Lists> {
    pub lists: &'a L,
    /// (home, field) → value as JSON text → the first position holding it.
    pub index: &'a HashMap<(Home, &'static str), HashMap<String, usize>>,
}

impl<L: Lists> Lists for Indexed<'_, L> {
    fn objects(&self, home: Home) -> &[Value] {
        self.lists.objects(home)
    }

    fn find(&self, home: Home, field: &str, value: &Value) -> Option<&Value> {
        let indexed = self
            .index
            .iter()
            .find(|((h, f), _)| *h == home && *f == field)
            .map(|(_, by_value)| by_value);
        match indexed {
            Some(by_value) => by_value
                .get(&value.to_string())
                .and_then(|i| self.lists.objects(home).get(*i)),
            None => self
                .lists
                .objects(home)
                .iter()
                .find(|o| o.get(field) == Some(value)),
        }
    }
}

/// The fields others refer to, by home: what [`Indexed`] indexes.
pub(crate) fn referred_fields(apis: Apis) -> Vec<(Home, &'static str)> {
    let mut out = Vec::new();
    for api in apis {
        for t in api.types {
            let TypeKind::Object { fields, .. } = &t.kind else {
                continue;
            };
            for (entity, field) in fields.iter().filter_map(|f| f.refers) {
                if let Some(cursor) = entity_cursor(apis, entity) {
                    let pair = (Home::Entity(entity), field.unwrap_or(cursor));
                    if !out.contains(&pair) {
                        out.push(pair);
                    }
                }
            }
        }
    }
    out
}

/// The cursor of the first API storing objects of `entity`, when one does.
fn entity_cursor(apis: Apis, entity: &'static str) -> Option<&'static str> {
    views::views(apis, Home::Entity(entity))
        .first()
        .map(|(api, _)| views::cursor(api))
}

/// The stored object of `entity` whose `field` (its key when `None`) is `value`.
fn lookup(
    apis: Apis,
    lists: &dyn Lists,
    entity: &'static str,
    field: Option<&str>,
    value: &Value,
) -> Option<Value> {
    if value.is_null() {
        return None;
    }
    let cursor = entity_cursor(apis, entity)?;
    lists
        .find(Home::Entity(entity), field.unwrap_or(cursor), value)
        .cloned()
}

/// Adds to `chosen` the objects `object` (of `entity`) refers to through any API's view of it,
/// and theirs, when not chosen yet: a reward's transaction brings the transaction's customer.
fn inherit(
    apis: Apis,
    lists: &dyn Lists,
    entity: &'static str,
    object: &Value,
    chosen: &mut Chosen,
    depth: usize,
) {
    for &(api, f) in views::fields(apis, Home::Entity(entity)).iter() {
        let Some((e, field)) = f.refers else { continue };
        if chosen.contains_key(e) || depth > 4 {
            continue;
        }
        let found = match object.get(f.name) {
            Some(v @ Value::String(_)) => lookup(apis, lists, e, field, v),
            Some(Value::Object(o)) => o
                .get(views::cursor(api))
                .and_then(|k| lookup(apis, lists, e, None, k)),
            _ => None,
        };
        if let Some(found) = found {
            chosen.insert(e, found.clone());
            inherit(apis, lists, e, &found, chosen, depth + 1);
        }
    }
}

/// How many entities the entity's objects lead to, through what they refer to: the object
/// that leads to most is chosen first, so the others follow from it.
fn reach(apis: Apis, entity: &'static str) -> usize {
    let mut seen: Vec<&str> = vec![];
    let mut todo = vec![entity];
    while let Some(e) = todo.pop() {
        for (_, f) in views::fields(apis, Home::Entity(e)).iter() {
            let Some((r, _)) = f.refers else { continue };
            if r != entity && !seen.contains(&r) {
                seen.push(r);
                todo.push(r);
            }
        }
    }
    seen.len()
}

/// Whether `candidate` (of `entity`) agrees with what is chosen already: each of its fields
/// (in any API's view) referring to a chosen entity names the chosen object.
fn agrees(apis: Apis, entity: &'static str, candidate: &Value, chosen: &Chosen) -> bool {
    views::fields(apis, Home::Entity(entity))
        .iter()
        .all(|&(api, f)| {
            let Some((e, field)) = f.refers else {
                return true;
            };
            let Some(target) = chosen.get(e) else {
                return true;
            };
            let cursor = views::cursor(api);
            let want = target.get(field.unwrap_or(cursor));
            match candidate.get(f.name) {
                Some(Value::Object(o)) => o.get(cursor) == target.get(cursor),
                Some(Value::Null) | None => true,
                got => got == want,
            }
        })
}

/// For a seeded object with these fields (every view's): a stored object for each entity they
/// refer to, the one leading to most others first (a reward's transaction brings its customer
/// and partnership; of two leading as far, the later field's), the others among a few random
/// ones that agree with it (none when none does: a reward's action is its customer's, or
/// none). With `given` (the object an API's credential acts as, by entity), what the object
/// refers to of those entities is that object, and the rest agrees with it: the object is that
/// partner's.
pub(crate) fn choose(
    apis: Apis,
    lists: &dyn Lists,
    fields: &[(&'static ApiTable, &'static Field)],
    rng: &mut Rng,
    given: Option<&Chosen>,
) -> Chosen {
    // From the last field back: of two entities leading as far, the later field's (the last
    // view's: the Vendor API's types say most about what an object refers to).
    let mut entities: Vec<&'static str> = Vec::new();
    for (e, _) in fields.iter().rev().filter_map(|(_, f)| f.refers) {
        if !entities.contains(&e) {
            entities.push(e);
        }
    }
    entities.sort_by_key(|e| std::cmp::Reverse(reach(apis, e)));
    let mut chosen = Chosen::new();
    for (e, o) in given.into_iter().flatten() {
        if entities.contains(e) {
            inherit(apis, lists, e, o, &mut chosen, 0);
            chosen.insert(e, o.clone());
        }
    }
    for e in entities {
        if chosen.contains_key(e) {
            continue;
        }
        let objects = lists.objects(Home::Entity(e));
        // A few random tries among the objects: the first that agrees with what is chosen.
        let mut pick = None;
        for _ in 0..TRIES {
            let Some(o) = objects.get(rng.below(objects.len() as u64) as usize) else {
                break;
            };
            if agrees(apis, e, o, &chosen) {
                pick = Some(o.clone());
                break;
            }
        }
        let Some(pick) = pick else {
            continue;
        };
        inherit(apis, lists, e, &pick, &mut chosen, 0);
        chosen.insert(e, pick);
    }
    chosen
}

/// The objects a body's fields name (`CustomerCreate.partner_key` names a partnership), with
/// the ones they bring; a name that finds nothing is a 400 naming the field.
pub(crate) fn named(
    apis: Apis,
    api: &ApiTable,
    lists: &dyn Lists,
    body: Option<Ty>,
    sent: Option<&Map<String, Value>>,
) -> Result<Chosen, Reply> {
    let mut chosen = Chosen::new();
    let (Some(Ty::Named(body)), Some(sent)) = (body, sent) else {
        return Ok(chosen);
    };
    named_in(apis, api, lists, body, sent, "", &mut chosen, 0)?;
    Ok(chosen)
}

/// [`named`] for the fields of the object type `body`, `sent` as `sent` (at `path` in the
/// body), its object fields included (a new reward's `target`).
#[allow(clippy::too_many_arguments, reason = "one recursive walk")]
fn named_in(
    apis: Apis,
    api: &ApiTable,
    lists: &dyn Lists,
    body: &str,
    sent: &Map<String, Value>,
    path: &str,
    chosen: &mut Chosen,
    depth: usize,
) -> Result<(), Reply> {
    for f in api.fields(body) {
        let at = format!("{path}{}", f.name);
        if let (Ty::Named(inner), Some(Value::Object(nested))) = (f.ty, sent.get(f.name))
            && f.refers.is_none()
            && depth < 4
        {
            named_in(
                apis,
                api,
                lists,
                inner,
                nested,
                &format!("{at}."),
                chosen,
                depth + 1,
            )?;
            continue;
        }
        // A key of the entity a sibling names (`type: customer`): one of the sibling's listed
        // values, each an entity the spec checked; any other value names nothing to look in,
        // and PartnerStack refuses it.
        let by = match api
            .refers_by
            .iter()
            .find(|r| r.item == body && r.field == f.name)
            .and_then(|r| Some((r.by, sent.get(r.by)?.as_str()?)))
        {
            None => None,
            Some((sibling, named)) => {
                let listed = listed_values(api, body, sibling);
                match entity_named(apis, named).filter(|_| listed.contains(&named)) {
                    Some(entity) => Some(entity),
                    None => {
                        let known = listed
                            .iter()
                            .map(|v| format!("'{v}'"))
                            .collect::<Vec<_>>()
                            .join(", ");
                        return Err(Reply::error(
                            400,
                            format!(
                                "'{path}{sibling}': '{}' is not one of {known}",
                                validate::excerpt(named)
                            ),
                        ));
                    }
                }
            }
        };
        let refers = f.refers.or(by.map(|e| (e, None)));
        let (Some((entity, field)), Some(value)) = (refers, sent.get(f.name)) else {
            continue;
        };
        if value.is_null() {
            continue;
        }
        let Some(found) = lookup(apis, lists, entity, field, value) else {
            let shown = value
                .as_str()
                .map_or_else(|| value.to_string(), validate::excerpt);
            return Err(Reply::error(
                400,
                format!(
                    "'{at}': no {entity} has the {} '{shown}'",
                    field.unwrap_or("key")
                ),
            ));
        };
        inherit(apis, lists, entity, &found, chosen, 0);
        chosen.insert(entity, found);
    }
    Ok(())
}

/// The values the enum of field `field` of the object type `item` lists (none for another
/// type).
fn listed_values(api: &ApiTable, item: &str, field: &str) -> &'static [&'static str] {
    let Some(Ty::Named(ty)) = api
        .fields(item)
        .iter()
        .find(|f| f.name == field)
        .map(|f| f.ty)
    else {
        return &[];
    };
    match api.type_named(ty).map(|t| &t.kind) {
        Some(TypeKind::Enum { values, .. }) => values,
        _ => &[],
    }
}

/// The entity of that name, as the tables spell it, when some API stores its objects.
fn entity_named(apis: Apis, name: &str) -> Option<&'static str> {
    apis.iter()
        .flat_map(|a| a.collections.iter().filter_map(|c| a.entity(c.item)))
        .find(|e| *e == name)
}

/// Sets each field of `object` that refers to a chosen object, in every view: a string field
/// to its key (or the field named), an object field to the object as the field's type shows
/// it (two views' types of one field together: each shows the fields it declares). With
/// `clear`, one whose entity has no chosen object becomes null (or absent) where it may.
pub(crate) fn fill(views: &[View], object: &mut Value, chosen: &Chosen, clear: bool) {
    let Some(map) = object.as_object_mut() else {
        return;
    };
    let mut set: HashSet<&str> = HashSet::new();
    for (api, c) in views {
        fill_view(api, c.item, map, chosen, clear, &mut set);
    }
}

fn fill_view(
    api: &ApiTable,
    item: &str,
    map: &mut Map<String, Value>,
    chosen: &Chosen,
    clear: bool,
    set: &mut HashSet<&'static str>,
) {
    for f in api.fields(item) {
        let Some((entity, field)) = f.refers else {
            continue;
        };
        let Some(target) = chosen.get(entity) else {
            // Nothing to refer to (`clear`, for seeded objects): never a made-up key.
            if clear && f.nullable && !set.contains(f.name) {
                map.insert(f.name.to_string(), Value::Null);
            } else if clear && !f.required && !set.contains(f.name) {
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
                .get(field.unwrap_or(views::cursor(api)))
                .cloned()
                .unwrap_or(Value::Null),
        };
        if value.is_null() && !f.nullable {
            continue;
        }
        // Another view set it in this call: an object gains this view's fields.
        if set.contains(f.name)
            && let (Some(Value::Object(old)), Value::Object(new)) = (map.get_mut(f.name), &value)
        {
            for (k, v) in new {
                old.entry(k.clone()).or_insert_with(|| v.clone());
            }
            continue;
        }
        set.insert(f.name);
        map.insert(f.name.to_string(), value);
    }
}

/// Adds to a seeded `object` the fields of one more view's seeded object `other` (of `api`'s
/// `item`): those it lacks; for one it has, `other`'s value where the stored one does not fit
/// this view's type and `other`'s fits every view (a `json` field in one API, an object in the
/// other: the object).
pub(crate) fn merge_seeded(
    earlier: &[View],
    api: &ApiTable,
    item: &str,
    object: &mut Value,
    other: Value,
) {
    let (Some(map), Value::Object(other)) = (object.as_object_mut(), other) else {
        return;
    };
    for (k, v) in other {
        match map.get(&k) {
            None => {
                map.insert(k, v);
            }
            Some(existing) => {
                let fits_here = fits_field(api, item, &k, existing);
                let fits_all = fits_field(api, item, &k, &v)
                    && earlier.iter().all(|(a, c)| fits_field(a, c.item, &k, &v));
                if !fits_here && fits_all {
                    map.insert(k, v);
                }
            }
        }
    }
}

/// Whether `v` fits field `name` of `api`'s `item` (true when it has no such field).
pub(crate) fn fits_field(api: &ApiTable, item: &str, name: &str, v: &Value) -> bool {
    match api.fields(item).iter().find(|f| f.name == name) {
        None => true,
        Some(f) if v.is_null() => f.nullable,
        Some(f) => validate::check(api, f.ty, v, f.name).is_ok(),
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

/// Every home, in an order where the objects a home's objects refer to are seeded before it
/// (API and collection order otherwise).
pub(crate) fn seed_order(apis: Apis) -> Vec<Home> {
    let mut left: Vec<Home> = Vec::new();
    for api in apis {
        for c in api.collections {
            let h = views::home(api, c);
            if !left.contains(&h) {
                left.push(h);
            }
        }
    }
    let mut out = Vec::new();
    while !left.is_empty() {
        let ready = left.iter().position(|h| {
            views::fields(apis, *h)
                .iter()
                .filter_map(|(_, f)| f.refers)
                .all(|(e, _)| *h == Home::Entity(e) || !left.contains(&Home::Entity(e)))
        });
        // A cycle: take the first left, its links to later ones stay unset.
        out.push(left.remove(ready.unwrap_or(0)));
    }
    out
}

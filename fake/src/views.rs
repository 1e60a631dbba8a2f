//! One store, several views: the objects of an entity (`entity: customer`) live in one list
//! whichever API shows them, and each API shows them as its own type declares (fields it does
//! not declare are left out). Collections of types without an entity keep a list of their own.
//! An API whose credential acts as one stored object (`signed_in:`) sees only the objects its
//! collections' `owned_by:` give it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde_json::Value;

use crate::table::{ApiTable, Collection, Field, Owner, Ty};

/// The APIs the fake serves.
pub(crate) type Apis = &'static [&'static ApiTable];

/// Where a collection's objects are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Home {
    /// The one list of an entity's objects, shared by every API showing it.
    Entity(&'static str),
    /// A collection of objects without an entity: one API's, at one path.
    Own(&'static str, &'static str),
}

/// An API's collection showing a home's objects.
pub(crate) type View = (&'static ApiTable, &'static Collection);

/// Where the objects of `api`'s collection `c` live.
pub(crate) fn home(api: &'static ApiTable, c: &Collection) -> Home {
    match api.entity(c.item) {
        Some(e) => Home::Entity(e),
        None => Home::Own(api.name, c.path),
    }
}

/// The home of the collection at `path` of the API named `api`.
pub(crate) fn home_of(apis: Apis, api: &str, path: &str) -> Option<Home> {
    let table = apis.iter().find(|a| a.name == api)?;
    Some(home(table, table.collection(path)?))
}

/// What [`views`] and [`fields`] give for every home of the fake's own tables, computed once:
/// finding an object's type is a scan of the tables, and seeding asks for every object.
struct Cache {
    views: BTreeMap<Home, Vec<View>>,
    fields: BTreeMap<Home, Vec<(&'static ApiTable, &'static Field)>>,
}

fn cache(apis: Apis) -> Option<&'static Cache> {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    if !std::ptr::eq(apis, crate::tables::APIS) {
        return None;
    }
    Some(CACHE.get_or_init(|| {
        let mut views = BTreeMap::new();
        let mut fields = BTreeMap::new();
        for api in apis {
            for c in api.collections {
                let h = home(api, c);
                views.entry(h).or_insert_with(|| scan_views(apis, h));
                fields.entry(h).or_insert_with(|| scan_fields(apis, h));
            }
        }
        Cache { views, fields }
    }))
}

/// Every collection showing the objects of `home`, in API order (one per API: the first
/// collection of an API holding the entity).
pub(crate) fn views(apis: Apis, home: Home) -> Cow<'static, [View]> {
    match cache(apis).and_then(|c| c.views.get(&home)) {
        Some(v) => Cow::Borrowed(v.as_slice()),
        None => Cow::Owned(scan_views(apis, home)),
    }
}

/// Every field of every view of `home`, with its API.
pub(crate) fn fields(
    apis: Apis,
    home: Home,
) -> Cow<'static, [(&'static ApiTable, &'static Field)]> {
    match cache(apis).and_then(|c| c.fields.get(&home)) {
        Some(f) => Cow::Borrowed(f.as_slice()),
        None => Cow::Owned(scan_fields(apis, home)),
    }
}

fn scan_views(apis: Apis, home: Home) -> Vec<View> {
    let mut out: Vec<View> = Vec::new();
    for api in apis {
        for c in api.collections {
            let shows = match home {
                Home::Entity(e) => api.entity(c.item) == Some(e),
                Home::Own(a, p) => api.name == a && c.path == p,
            };
            if shows && !out.iter().any(|(a, _)| a.name == api.name) {
                out.push((api, c));
            }
        }
    }
    out
}

fn scan_fields(apis: Apis, home: Home) -> Vec<(&'static ApiTable, &'static Field)> {
    scan_views(apis, home)
        .into_iter()
        .flat_map(|(api, c)| api.fields(c.item).iter().map(move |f| (api, f)))
        .collect()
}

/// The field objects are found by: the API's cursor (`key`).
pub(crate) fn cursor(api: &ApiTable) -> &'static str {
    api.pagination.as_ref().map_or("key", |p| p.cursor)
}

/// The stored `object` as `api`'s collection `c` shows it: the fields its item type declares.
pub(crate) fn render(api: &ApiTable, c: &Collection, object: &Value) -> Value {
    crate::world::project(api, Ty::Named(c.item), object)
}

/// Whether the signed-in object of `api` (its key `signed_in`) sees `object` of collection
/// `c`: always, for an API without one.
pub(crate) fn visible(
    api: &ApiTable,
    c: &Collection,
    signed_in: Option<&str>,
    object: &Value,
) -> bool {
    if api.signed_in.is_none() {
        return true;
    }
    match c.owner {
        None | Some(Owner::Everyone) | Some(Owner::SignedIn) => true,
        Some(Owner::Field(f)) => {
            signed_in.is_some_and(|key| object.get(f).and_then(Value::as_str) == Some(key))
        }
    }
}

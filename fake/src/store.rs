//! The in-memory store: one ordered list of JSON objects per API and collection, seeded
//! deterministically, changed by create, update and delete.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::seed::{self, EPOCH_MS, Moment, Rng, YEAR_MS};
use crate::table::{ApiTable, Auth};
use crate::world;

/// The partner every real PartnerStack instance has, for test keys (E.4 of the reference).
pub const TEST_PARTNER_KEY: &str = "gstest";

/// Every collection's objects, newest first as seeded; new objects go in front.
#[derive(Debug)]
pub(crate) struct Store {
    lists: BTreeMap<(&'static str, &'static str), Vec<Value>>,
    /// The lists known to be newest first by an integer `created_at` on every object, the
    /// fake's default order, with each object's position by key: a page of one is cut by
    /// binary search and its cursor found by key, not by scans (a page of a list of 100,000
    /// rewards then costs well under a millisecond under the lock, not tens). Forgotten when
    /// the list changes.
    newest_first: BTreeMap<(&'static str, &'static str), HashMap<String, usize>>,
    rng: Rng,
}

/// An object's creation time, when it is an integer.
pub(crate) fn created_at(object: &Value) -> Option<i64> {
    object.get(crate::page::CREATED).and_then(Value::as_i64)
}

/// Whether every object has a creation time, newest first.
fn is_newest_first(list: &[Value]) -> bool {
    list.iter().all(|o| created_at(o).is_some())
        && list.is_sorted_by(|a, b| created_at(a) >= created_at(b))
}

impl world::Lists for Store {
    fn objects(&self, api: &str, path: &str) -> &[Value] {
        self.list(api, path)
    }
}

impl Store {
    /// `items` seeded objects in every collection of every API.
    /// `sized` gives some collections counts of their own: `(api, path, count)`.
    pub(crate) fn seeded(
        apis: &[&'static ApiTable],
        seed: u64,
        items: usize,
        sized: &[(String, String, usize)],
    ) -> Store {
        let default_items = items.min(crate::config::MAX_ITEMS);
        let until = EPOCH_MS.min(crate::clock::now_ms());
        let mut store = Store {
            lists: BTreeMap::new(),
            newest_first: BTreeMap::new(),
            rng: Rng::new(seed, "created"),
        };
        let mut index = std::collections::HashMap::new();
        for api in apis {
            let referred = world::referred_fields(api);
            let cursor = api.pagination.as_ref().map(|p| p.cursor);
            // What an item refers to is seeded before it.
            for c in world::seed_order(api) {
                let mut rng = Rng::new(seed, &format!("{}{}", api.name, c.path));
                let items = sized
                    .iter()
                    .find(|(a, p, _)| a == api.name && p == c.path)
                    .map_or(default_items, |(_, _, n)| {
                        (*n).min(crate::config::MAX_LIST_ITEMS)
                    });
                // Spread over the year before the seed's now, newest first.
                let mut times: Vec<i64> = (0..items)
                    .map(|_| until - 1 - rng.below(YEAR_MS as u64) as i64)
                    .collect();
                times.sort_unstable_by(|a, b| b.cmp(a));
                let mut list = Vec::with_capacity(items);
                for created_at in times {
                    let at = Moment { created_at, until };
                    let mut object = seed::object(api, c.item, &mut rng, at);
                    let indexed = world::Indexed {
                        lists: &store,
                        index: &index,
                    };
                    let chosen = world::choose(api, &indexed, c.item, &mut rng);
                    world::fill(api, c.item, &mut object, &chosen, true);
                    list.push(object);
                }
                if api.auth == Auth::Basic
                    && c.path.ends_with("/partnerships")
                    && let Some(Value::Object(first)) = list.first_mut()
                {
                    first.insert("partner_key".into(), TEST_PARTNER_KEY.into());
                    first.insert("email".into(), "gstest@example.com".into());
                    first.insert("first_name".into(), "Test".into());
                    first.insert("last_name".into(), "Partner".into());
                }
                // Index the fields others refer to, for the collections seeded after it.
                for (_, field) in referred.iter().filter(|(p, _)| *p == c.path) {
                    let mut by_value = std::collections::HashMap::new();
                    for (i, o) in list.iter().enumerate() {
                        if let Some(v) = o.get(*field).filter(|v| !v.is_null()) {
                            by_value.entry(v.to_string()).or_insert(i);
                        }
                    }
                    index.insert(
                        (api.name.to_string(), c.path.to_string(), field.to_string()),
                        by_value,
                    );
                }
                if let Some(cursor) = cursor.filter(|_| is_newest_first(&list)) {
                    let keys = list
                        .iter()
                        .enumerate()
                        .filter_map(|(i, o)| Some((o.get(cursor)?.as_str()?.to_owned(), i)))
                        .collect();
                    store.newest_first.insert((api.name, c.path), keys);
                }
                store.lists.insert((api.name, c.path), list);
            }
        }
        store
    }

    /// The objects of a collection (empty for an unknown one).
    pub(crate) fn list(&self, api: &str, path: &str) -> &[Value] {
        self.lists
            .iter()
            .find(|((a, p), _)| *a == api && *p == path)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// The position of each object by key, when the list is known to be newest first by
    /// `created_at` (see `newest_first`).
    pub(crate) fn newest_first(&self, api: &str, path: &str) -> Option<&HashMap<String, usize>> {
        self.newest_first
            .iter()
            .find(|((a, p), _)| *a == api && *p == path)
            .map(|(_, keys)| keys)
    }

    /// Forgets what is known of the list's order: it changed.
    fn changed(&mut self, api: &str, path: &str) {
        self.newest_first
            .retain(|(a, p), _| !(*a == api && *p == path));
    }

    fn list_mut(&mut self, api: &str, path: &str) -> Option<&mut Vec<Value>> {
        self.lists
            .iter_mut()
            .find(|((a, p), _)| *a == api && *p == path)
            .map(|(_, v)| v)
    }

    /// The position of the first object whose field (the first of `fields` it has) equals `id`.
    pub(crate) fn find(&self, api: &str, path: &str, fields: &[&str], id: &str) -> Option<usize> {
        self.list(api, path).iter().position(|o| {
            fields
                .iter()
                .any(|f| o.get(*f).and_then(Value::as_str) == Some(id))
        })
    }

    /// The object at `index`.
    pub(crate) fn get_mut(&mut self, api: &str, path: &str, index: usize) -> Option<&mut Value> {
        // What the caller changes is not known: no longer known to be in order.
        self.changed(api, path);
        self.list_mut(api, path)?.get_mut(index)
    }

    /// Removes the object at `index`.
    pub(crate) fn remove(&mut self, api: &str, path: &str, index: usize) -> Option<Value> {
        self.changed(api, path);
        let list = self.list_mut(api, path)?;
        (index < list.len()).then(|| list.remove(index))
    }

    /// The generator of keys for objects created while the server runs.
    pub(crate) fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    /// A sample object of type `item` created now, for answers the store does not model.
    pub(crate) fn sample(&mut self, api: &ApiTable, item: &str, now: i64) -> Value {
        let at = Moment {
            created_at: now,
            until: now,
        };
        seed::object(api, item, &mut self.rng, at)
    }

    /// Adds an object in front (newest first).
    pub(crate) fn insert(&mut self, api: &str, path: &str, object: Value) {
        // Positions move: the index is rebuilt only at seeding, so it is forgotten.
        self.changed(api, path);
        if let Some(list) = self.list_mut(api, path) {
            list.insert(0, object);
        }
    }
}

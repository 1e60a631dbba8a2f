//! The in-memory store: one ordered list of JSON objects per home (an entity's objects, shared
//! by every API showing it, or one API's collection of objects without an entity), seeded
//! deterministically, changed by create, update and delete.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::index::{Index, Items};
use crate::seed::{self, EPOCH_MS, Moment, Rng, YEAR_MS};
use crate::table::{ApiTable, Collection};
use crate::views::{self, Apis, Home};
use crate::world;

/// The partner every real PartnerStack instance has, for test keys (E.4 of the reference).
pub const TEST_PARTNER_KEY: &str = "gstest";

/// Every home's objects, newest first as seeded; new objects go in front.
pub(crate) struct Store {
    apis: Apis,
    lists: BTreeMap<Home, Vec<Value>>,
    /// Each listed view's index of its home list (`None`: it cannot stand for a scan), by home,
    /// API and collection path: built when the view is first listed, dropped when the home
    /// changes.
    indexes: BTreeMap<(Home, &'static str, &'static str), Option<Index>>,
    rng: Rng,
    /// The key of the stored object each API's credential acts as, by API name.
    signed_in: BTreeMap<&'static str, String>,
}

/// The tables are left out.
impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("lists", &self.lists)
            .field("signed_in", &self.signed_in)
            .finish_non_exhaustive()
    }
}

impl world::Lists for Store {
    fn objects(&self, home: Home) -> &[Value] {
        self.lists.get(&home).map_or(&[], Vec::as_slice)
    }
}

impl Store {
    /// `items` seeded objects in every home. The Partner API's credential acts as the
    /// partnership whose key or unique field (its partner key) is `signed_in`, or as the first
    /// (the test partner `gstest`); the newest object of each kind referring to a partnership,
    /// and about half of the others, refer to that one. Fails when no partnership answers to
    /// `signed_in`. `sized` gives some collections counts of their own: `(api, path, count)`
    /// (the home of that collection gets it).
    pub(crate) fn seeded(
        apis: Apis,
        seed: u64,
        items: usize,
        sized: &[(String, String, usize)],
        signed_in: Option<&str>,
    ) -> Result<Store, String> {
        let default_items = items.min(crate::config::MAX_ITEMS);
        let until = EPOCH_MS.min(crate::clock::now_ms());
        let mut store = Store {
            apis,
            lists: BTreeMap::new(),
            indexes: BTreeMap::new(),
            rng: Rng::new(seed, "created"),
            signed_in: BTreeMap::new(),
        };
        let referred = world::referred_fields(apis);
        let mut index = HashMap::new();
        let mut favoured = world::Chosen::new();
        // What an item refers to is seeded before it.
        check_sized(apis, sized)?;
        for home in world::seed_order(apis) {
            let views = views::views(apis, home);
            let Some(&(first, first_c)) = views.first() else {
                continue;
            };
            let fields = views::fields(apis, home);
            let items = sized
                .iter()
                .find(|(a, p, _)| views.iter().any(|(api, c)| api.name == a && c.path == p))
                .map_or(default_items, |(_, _, n)| {
                    (*n).min(crate::config::MAX_LIST_ITEMS)
                });
            let mut rng = Rng::new(seed, &format!("{}{}", first.name, first_c.path));
            // Spread over the year before the seed's now, newest first.
            let mut times: Vec<i64> = (0..items)
                .map(|_| until - 1 - rng.below(YEAR_MS as u64) as i64)
                .collect();
            times.sort_unstable_by(|a, b| b.cmp(a));
            let mut list = Vec::with_capacity(items);
            for (i, created_at) in times.into_iter().enumerate() {
                let at = Moment { created_at, until };
                let mut object = seed::object(first, first_c.item, &mut rng, at);
                for (i, (api, c)) in views.iter().enumerate().skip(1) {
                    let other = seed::object(api, c.item, &mut rng, at);
                    world::merge_seeded(&views[..i], api, c.item, &mut object, other);
                }
                let indexed = world::Indexed {
                    lists: &store,
                    index: &index,
                };
                // The newest object of each kind, and about half of the others, belong to the
                // partner the Partner API's key acts as; the rest to the vendor's other ones.
                let mine = !favoured.is_empty() && (i == 0 || rng.one_in(2));
                let given = mine.then_some(&favoured);
                let mut chosen = world::choose(apis, &indexed, &fields, &mut rng, given);
                // The others' objects refer to another partnership where one agrees (a few
                // tries: what an object refers to brings its own partnership along).
                for _ in 0..8 {
                    if mine || !favoured.iter().any(|(e, o)| chosen.get(e) == Some(o)) {
                        break;
                    }
                    chosen = world::choose(apis, &indexed, &fields, &mut rng, None);
                }
                world::fill(&views, &mut object, &chosen, true);
                list.push(object);
            }
            // What the spec gives the first object of the list (the test partner `gstest`).
            if let Some(Value::Object(first)) = list.first_mut() {
                for (api, c) in views.iter() {
                    for (field, value) in api.first_seeded(c.item) {
                        first.insert((*field).into(), (*value).into());
                    }
                }
            }
            if let Home::Entity(entity) = home {
                store.sign_in(&views, entity, &list, signed_in, &mut favoured)?;
            }
            // Index the fields others refer to, for the homes seeded after it.
            for (_, field) in referred.iter().filter(|(h, _)| *h == home) {
                let mut by_value = HashMap::new();
                for (i, o) in list.iter().enumerate() {
                    if let Some(v) = o.get(*field).filter(|v| !v.is_null()) {
                        by_value.entry(v.to_string()).or_insert(i);
                    }
                }
                index.insert((home, *field), by_value);
            }
            store.lists.insert(home, list);
        }
        Ok(store)
    }

    /// Records which of `list` (the objects of `entity`) each API whose credential acts as
    /// one of them acts as: the one answering to `wanted` (its key, or a unique field), or the
    /// first.
    fn sign_in(
        &mut self,
        views: &[views::View],
        entity: &'static str,
        list: &[Value],
        wanted: Option<&str>,
        favoured: &mut world::Chosen,
    ) -> Result<(), String> {
        let apis: Vec<&'static ApiTable> = self
            .apis
            .iter()
            .copied()
            .filter(|a| a.signed_in == Some(entity))
            .collect();
        if apis.is_empty() {
            return Ok(());
        }
        let answers = |o: &Value, w: &str| {
            views.iter().any(|(api, c)| {
                api.fields(c.item)
                    .iter()
                    .filter(|f| f.unique || f.name == views::cursor(api))
                    .any(|f| o.get(f.name).and_then(Value::as_str) == Some(w))
            })
        };
        let object = match wanted {
            Some(w) => match list.iter().find(|o| answers(o, w)) {
                Some(o) => o,
                None => {
                    return Err(format!(
                        "signed-in partner: no seeded {entity} has the key or unique field '{w}'"
                    ));
                }
            },
            None => match list.first() {
                Some(o) => o,
                None => return Ok(()),
            },
        };
        for api in apis {
            if let Some(key) = object.get(views::cursor(api)).and_then(Value::as_str) {
                self.signed_in.insert(api.name, key.to_string());
            }
        }
        favoured.insert(entity, object.clone());
        Ok(())
    }

    /// The APIs the store serves.
    pub(crate) fn apis(&self) -> Apis {
        self.apis
    }

    /// The key of the stored object `api`'s credential acts as, when it acts as one.
    pub(crate) fn signed_in(&self, api: &str) -> Option<&str> {
        self.signed_in.get(api).map(String::as_str)
    }

    /// The objects of a collection (empty for an unknown one), every API's fields included:
    /// [`views::render`] shows one as an API does.
    pub(crate) fn list(&self, api: &str, path: &str) -> &[Value] {
        views::home_of(self.apis, api, path)
            .and_then(|h| self.lists.get(&h))
            .map_or(&[], Vec::as_slice)
    }

    /// Whether `api`'s credential sees `object`, of `entity` (always, for an entity it has no
    /// collection of).
    pub(crate) fn sees(&self, api: &ApiTable, entity: &str, object: &Value) -> bool {
        match api
            .collections
            .iter()
            .find(|c| api.entity(c.item) == Some(entity))
        {
            Some(c) => views::visible(api, c, self.signed_in(api.name), object),
            None => true,
        }
    }

    /// The objects of `api`'s collection `c` its credential sees, indexed when they can be.
    pub(crate) fn items(&mut self, api: &'static ApiTable, c: &'static Collection) -> Items<'_> {
        let home = views::home(api, c);
        let list = self.lists.get(&home).map_or(&[][..], Vec::as_slice);
        let signed_in = self.signed_in.get(api.name).map(String::as_str);
        let index = self
            .indexes
            .entry((home, api.name, c.path))
            .or_insert_with(|| {
                Index::build(
                    list,
                    |o| views::visible(api, c, signed_in, o),
                    views::cursor(api),
                )
            });
        match index {
            Some(index) => Items::Indexed(list, index),
            None => Items::Scanned(
                list.iter()
                    .filter(|o| views::visible(api, c, signed_in, o))
                    .collect(),
            ),
        }
    }

    /// The home list of `api`'s collection at `path`, to change: every index of it is dropped.
    fn list_mut(&mut self, api: &str, path: &str) -> Option<&mut Vec<Value>> {
        let home = views::home_of(self.apis, api, path)?;
        self.indexes.retain(|(h, _, _), _| *h != home);
        self.lists.get_mut(&home)
    }

    /// The position of the first object `api`'s credential sees whose field (the first of
    /// `fields` it has) equals `id`.
    pub(crate) fn find(
        &self,
        api: &ApiTable,
        path: &str,
        fields: &[&str],
        id: &str,
    ) -> Option<usize> {
        let c = api.collection(path)?;
        let signed_in = self.signed_in(api.name);
        self.list(api.name, path).iter().position(|o| {
            views::visible(api, c, signed_in, o)
                && fields
                    .iter()
                    .any(|f| o.get(*f).and_then(Value::as_str) == Some(id))
        })
    }

    /// The object at `index`.
    pub(crate) fn get_mut(&mut self, api: &str, path: &str, index: usize) -> Option<&mut Value> {
        self.list_mut(api, path)?.get_mut(index)
    }

    /// Removes the object at `index`.
    pub(crate) fn remove(&mut self, api: &str, path: &str, index: usize) -> Option<Value> {
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
        if let Some(list) = self.list_mut(api, path) {
            list.insert(0, object);
        }
    }
}

/// Each `(api, path)` of `sized` names a list some API has, and no list is named twice
/// (through two APIs that share it, say).
fn check_sized(apis: Apis, sized: &[(String, String, usize)]) -> Result<(), String> {
    let mut homes = Vec::new();
    for (api, path, _) in sized {
        let home = views::home_of(apis, api, path)
            .ok_or_else(|| format!("list items: the {api} API has no list at {path}"))?;
        if homes.contains(&home) {
            return Err(format!("list items: {api} {path} is given a count twice"));
        }
        homes.push(home);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// [`super::TEST_PARTNER_KEY`] names the partner the spec seeds first (`first_seeded:`).
    #[test]
    fn the_test_partner_key_is_the_one_the_spec_seeds() {
        let seeded: Vec<&str> = crate::tables::APIS
            .iter()
            .flat_map(|api| api.types.iter().map(move |t| api.first_seeded(t.name)))
            .flatten()
            .filter(|(field, _)| *field == "partner_key")
            .map(|(_, value)| *value)
            .collect();
        assert_eq!(seeded, [super::TEST_PARTNER_KEY]);
    }
}

//! The in-memory store: one ordered list of JSON objects per API and collection, seeded
//! deterministically, changed by create, update and delete.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::seed::{self, EPOCH_MS, Moment, Rng};
use crate::table::{ApiTable, Auth};

/// The partner every real PartnerStack instance has, for test keys (E.4 of the reference).
pub const TEST_PARTNER_KEY: &str = "gstest";

/// Every collection's objects, newest first as seeded; new objects go in front.
#[derive(Debug)]
pub(crate) struct Store {
    lists: BTreeMap<(&'static str, &'static str), Vec<Value>>,
    rng: Rng,
}

impl Store {
    /// `items` seeded objects in every collection of every API.
    pub(crate) fn seeded(apis: &[&'static ApiTable], seed: u64, items: usize) -> Store {
        let items = items.min(crate::config::MAX_ITEMS);
        let mut lists = BTreeMap::new();
        for api in apis {
            for c in api.collections {
                let mut rng = Rng::new(seed, &format!("{}{}", api.name, c.path));
                let mut created_at = EPOCH_MS;
                let mut list = Vec::with_capacity(items);
                for _ in 0..items {
                    created_at -= 3_600_000 + rng.below(86_400_000) as i64;
                    list.push(seed::object(api, c.item, &mut rng, Moment { created_at }));
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
                lists.insert((api.name, c.path), list);
            }
        }
        Store {
            lists,
            rng: Rng::new(seed, "created"),
        }
    }

    /// The objects of a collection (empty for an unknown one).
    pub(crate) fn list(&self, api: &str, path: &str) -> &[Value] {
        self.lists
            .iter()
            .find(|((a, p), _)| *a == api && *p == path)
            .map_or(&[], |(_, v)| v.as_slice())
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
        self.list_mut(api, path)?.get_mut(index)
    }

    /// Removes the object at `index`.
    pub(crate) fn remove(&mut self, api: &str, path: &str, index: usize) -> Option<Value> {
        let list = self.list_mut(api, path)?;
        (index < list.len()).then(|| list.remove(index))
    }

    /// A fresh object of type `item` created now, for the caller to fill in and `insert`.
    pub(crate) fn fresh(&mut self, api: &ApiTable, item: &str, now: i64) -> Value {
        seed::object(api, item, &mut self.rng, Moment { created_at: now })
    }

    /// Adds an object in front (newest first).
    pub(crate) fn insert(&mut self, api: &str, path: &str, object: Value) {
        if let Some(list) = self.list_mut(api, path) {
            list.insert(0, object);
        }
    }
}

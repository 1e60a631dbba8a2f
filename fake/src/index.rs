//! What a list request needs of an API's view of a home list without scanning it: the
//! positions of the objects the view shows, their `created_at` (newest first, as the store
//! keeps them) and each one's place by key. A page of a list of 200,000 rewards is then cut by
//! binary search and its cursor found by key, instead of a visibility check, a sort and a
//! search over every object under the store's lock. The store builds one when a view is first
//! listed and drops it when the home changes.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::Value;
use serde_json::value::RawValue;

/// The field a list is ordered by when the request names no order (newest first), as
/// PartnerStack orders its lists.
pub(crate) const CREATED: &str = "created_at";

/// The largest integer every `f64` holds exactly: within it, comparing as the filters do
/// (numbers as `f64`) and comparing as integers agree.
const EXACT: u64 = 1 << 53;

/// The objects one API's collection shows, in the store's order (newest first).
#[derive(Debug)]
pub(crate) struct Index {
    /// Where each object is in its home list.
    positions: Vec<usize>,
    /// Each one's `created_at`, never increasing.
    created: Vec<i64>,
    /// Each one's place in `positions`, by its cursor field.
    keys: HashMap<String, usize>,
    /// Each one's JSON as the view shows it, written when first listed: an object the view
    /// shows is the same JSON until its home changes, which drops the index. A page is then
    /// these texts put together, not 250 objects projected and written under the lock.
    rendered: Vec<OnceLock<Arc<RawValue>>>,
}

/// The objects a list request starts from, before its filters and order.
pub(crate) enum Items<'a> {
    /// Every object the collection shows, in the store's order.
    Scanned(Vec<&'a Value>),
    /// A home list and the view's index of it.
    Indexed(&'a [Value], &'a Index),
}

impl<'a> Items<'a> {
    /// Every object, in the store's order.
    pub(crate) fn all(self) -> Vec<&'a Value> {
        match self {
            Items::Scanned(v) => v,
            Items::Indexed(list, ix) => ix.positions.iter().filter_map(|&i| list.get(i)).collect(),
        }
    }
}

/// `value` as JSON text.
pub(crate) fn rendered(value: &Value) -> Arc<RawValue> {
    // A `Value` always writes as valid JSON; the fallback is never taken.
    serde_json::value::to_raw_value(value)
        .unwrap_or_else(|_| RawValue::NULL.to_owned())
        .into()
}

/// An object's creation time, when it is an integer that compares the same as a number.
pub(crate) fn created_at(object: &Value) -> Option<i64> {
    object
        .get(CREATED)
        .and_then(Value::as_i64)
        .filter(|t| exact(*t))
}

/// Whether `t` compares the same as an integer and as an `f64`.
pub(crate) fn exact(t: i64) -> bool {
    t.unsigned_abs() <= EXACT
}

impl Index {
    /// The index of the objects of `list` that `shows`, or `None` when it cannot stand for a
    /// scan: an object without an integer `created_at`, out of newest-first order, or two
    /// objects with the same key (a scan finds the first of the page's, not of the list's).
    pub(crate) fn build(
        list: &[Value],
        shows: impl Fn(&Value) -> bool,
        cursor: &str,
    ) -> Option<Index> {
        let mut ix = Index {
            positions: Vec::new(),
            created: Vec::new(),
            keys: HashMap::new(),
            rendered: Vec::new(),
        };
        for (i, o) in list.iter().enumerate().filter(|(_, o)| shows(o)) {
            let t = created_at(o)?;
            if ix.created.last().is_some_and(|last| *last < t) {
                return None;
            }
            if let Some(key) = o.get(cursor).and_then(Value::as_str)
                && ix.keys.insert(key.to_owned(), ix.positions.len()).is_some()
            {
                return None;
            }
            ix.positions.push(i);
            ix.created.push(t);
        }
        ix.rendered = std::iter::repeat_with(OnceLock::new)
            .take(ix.positions.len())
            .collect();
        Some(ix)
    }

    /// How many objects the view shows.
    pub(crate) fn len(&self) -> usize {
        self.positions.len()
    }

    /// The place of the object with cursor `key`.
    pub(crate) fn by_key(&self, key: &str) -> Option<usize> {
        self.keys.get(key).copied()
    }

    /// The object at place `k`.
    pub(crate) fn object<'a>(&self, list: &'a [Value], k: usize) -> Option<&'a Value> {
        list.get(*self.positions.get(k)?)
    }

    /// The JSON of the object at place `k` as `show` shows it, written once per index.
    pub(crate) fn rendered(
        &self,
        list: &[Value],
        k: usize,
        show: impl Fn(&Value) -> Value,
    ) -> Option<Arc<RawValue>> {
        let object = self.object(list, k)?;
        let text = self
            .rendered
            .get(k)?
            .get_or_init(|| rendered(&show(object)));
        Some(Arc::clone(text))
    }

    /// The places from the first created at or before `t` (`at_most`).
    pub(crate) fn at_most(&self, t: i64) -> usize {
        self.created.partition_point(|c| *c > t)
    }

    /// The places up to the last created at or after `t` (`at_least`).
    pub(crate) fn at_least(&self, t: i64) -> usize {
        self.created.partition_point(|c| *c >= t)
    }

    /// The places of the objects created when `k` was, within `lo..hi`.
    fn tied(&self, k: usize, lo: usize, hi: usize) -> (usize, usize) {
        let t = self.created[k];
        (self.at_most(t).max(lo), self.at_least(t).min(hi))
    }
}

/// The places a page is cut from, in the answer's order: what a stable sort of the filtered
/// objects by `created_at` gives (ties keep the store's order), computed from the index.
pub(crate) enum Chosen {
    /// Every place in `lo..hi` (no filter but the `created_at` range).
    Range {
        lo: usize,
        hi: usize,
        oldest_first: bool,
    },
    /// Places picked by other filters, already in the answer's order.
    Picked {
        places: Vec<usize>,
        oldest_first: bool,
    },
}

impl Chosen {
    /// The places in `lo..hi` that `keep`, in the answer's order.
    pub(crate) fn new(
        ix: &Index,
        lo: usize,
        hi: usize,
        oldest_first: bool,
        keep: Option<&dyn Fn(usize) -> bool>,
    ) -> Chosen {
        let hi = hi.max(lo);
        let Some(keep) = keep else {
            return Chosen::Range {
                lo,
                hi,
                oldest_first,
            };
        };
        let mut places: Vec<usize> = (lo..hi).filter(|k| keep(*k)).collect();
        if oldest_first {
            // Reversed, with ties put back in the store's order, as a stable sort leaves them.
            places.reverse();
            let mut start = 0;
            while start < places.len() {
                let t = ix.created[places[start]];
                let run = places[start..]
                    .iter()
                    .take_while(|k| ix.created[**k] == t)
                    .count();
                places[start..start + run].reverse();
                start += run;
            }
        }
        Chosen::Picked {
            places,
            oldest_first,
        }
    }

    /// How many objects the answer's list holds (its `total`).
    pub(crate) fn len(&self) -> usize {
        match self {
            Chosen::Range { lo, hi, .. } => hi - lo,
            Chosen::Picked { places, .. } => places.len(),
        }
    }

    /// The place of the `n`th object of the answer's list.
    pub(crate) fn at(&self, ix: &Index, n: usize) -> Option<usize> {
        match *self {
            Chosen::Range {
                lo,
                hi,
                oldest_first,
            } => {
                let k = lo.checked_add(n).filter(|k| *k < hi)?;
                if !oldest_first {
                    return Some(k);
                }
                // The `n`th from the end, moved to its place among its ties.
                let mirror = hi - 1 - n;
                let (first, end) = ix.tied(mirror, lo, hi);
                Some(first + (n - (hi - end)))
            }
            Chosen::Picked { ref places, .. } => places.get(n).copied(),
        }
    }

    /// Where the object at place `k` is in the answer's list, when it is in it.
    pub(crate) fn position(&self, ix: &Index, k: usize) -> Option<usize> {
        match *self {
            Chosen::Range {
                lo,
                hi,
                oldest_first,
            } => {
                if !(lo..hi).contains(&k) {
                    return None;
                }
                if !oldest_first {
                    return Some(k - lo);
                }
                let (first, end) = ix.tied(k, lo, hi);
                Some((hi - end) + (k - first))
            }
            Chosen::Picked {
                ref places,
                oldest_first,
            } => {
                let found = if oldest_first {
                    places.binary_search_by_key(&(ix.created[k], k), |p| (ix.created[*p], *p))
                } else {
                    places.binary_search(&k)
                };
                found.ok()
            }
        }
    }
}

#[cfg(test)]
mod tests;

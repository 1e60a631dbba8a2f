//! Pages cut from an index against the same pages computed naively here (the visible objects
//! filtered, stably sorted, sliced at the cursor), for `created_at` ranges, cursors both
//! ways, both orders, another filter beside the range, and after creates and updates (ties in
//! `created_at`, and one out of order, which the index cannot stand for).

use serde_json::Value;

use crate::index::Items;
use crate::page;
use crate::store::Store;
use crate::table::{ApiTable, Collection, Kind, Route};
use crate::views;

const REWARDS: &str = "/api/v2/rewards";
const LIMIT: usize = 7;

fn store() -> Store {
    let sized = [("vendor".to_string(), REWARDS.to_string(), 120)];
    Store::seeded(crate::tables::APIS, 5, 10, &sized, None).unwrap()
}

fn view(name: &str) -> (&'static ApiTable, &'static Collection, &'static Route) {
    let api = crate::tables::APIS.iter().find(|a| a.name == name).unwrap();
    let route = api
        .routes
        .iter()
        .find(|r| matches!(r.kind, Kind::List(p) if p == REWARDS))
        .unwrap();
    (api, api.collection(REWARDS).unwrap(), route)
}

fn created(o: &Value) -> i64 {
    o["created_at"].as_i64().unwrap()
}

/// One list request's conditions.
#[derive(Debug, Clone, Copy)]
struct Ask<'a> {
    min: Option<i64>,
    max: Option<i64>,
    oldest_first: bool,
    /// The Partner API's `status`, on the field `reward_status`.
    status: Option<&'a str>,
}

impl Ask<'_> {
    fn query(&self, cursor: Option<(&str, &str)>) -> Vec<(String, String)> {
        let mut q = vec![("limit".to_string(), LIMIT.to_string())];
        let mut add = |n: &str, v: String| q.push((n.to_string(), v));
        if let Some(t) = self.min {
            add("min_created", t.to_string());
        }
        if let Some(t) = self.max {
            add("max_created", t.to_string());
        }
        if self.oldest_first {
            add("order_by", "created_at".into());
        }
        if let Some(s) = self.status {
            add("status", s.into());
        }
        if let Some((param, key)) = cursor {
            add(param, key.into());
        }
        q
    }

    /// The whole list the answers are pages of, computed naively.
    fn naive(&self, store: &Store, api: &ApiTable, c: &Collection) -> Vec<Value> {
        let signed_in = store.signed_in(api.name);
        let mut all: Vec<Value> = store
            .list(api.name, c.path)
            .iter()
            .filter(|o| views::visible(api, c, signed_in, o))
            .filter(|o| self.min.is_none_or(|t| created(o) >= t))
            .filter(|o| self.max.is_none_or(|t| created(o) <= t))
            .filter(|o| {
                self.status
                    .is_none_or(|s| o["reward_status"].as_str() == Some(s))
            })
            .cloned()
            .collect();
        // Stable: ties keep the store's order either way.
        if self.oldest_first {
            all.sort_by_key(created);
        } else {
            all.sort_by_key(|o| std::cmp::Reverse(created(o)));
        }
        all
    }
}

fn ask(
    store: &mut Store,
    name: &str,
    a: Ask<'_>,
    cursor: Option<(&str, &str)>,
) -> Option<(Vec<Value>, bool, usize)> {
    let (api, c, route) = view(name);
    let page = page::list(
        api,
        route,
        store.items(api, c),
        &a.query(cursor),
        Value::clone,
    )
    .ok()?;
    // As the client reads it: written, then read back.
    let page: Value = serde_json::from_slice(&serde_json::to_vec(&page).unwrap()).unwrap();
    let items = page["items"].as_array().unwrap().clone();
    Some((
        items,
        page["has_more"].as_bool().unwrap(),
        page["total"].as_u64().unwrap() as usize,
    ))
}

fn key(o: &Value) -> &str {
    o["key"].as_str().unwrap()
}

/// Walks the list forward and backward by cursor and checks every page against `naive`; a
/// cursor outside the list is refused.
fn check(store: &mut Store, name: &str, a: Ask<'_>) {
    let (api, c, _) = view(name);
    let want = a.naive(store, api, c);
    let at = |what: &str| format!("{name} {a:?} {what}");
    // Forward.
    let mut start = 0;
    let mut cursor: Option<String> = None;
    loop {
        let sent = cursor.as_deref().map(|k| ("starting_after", k));
        let (items, more, total) = ask(store, name, a, sent).unwrap();
        let end = (start + LIMIT).min(want.len());
        assert_eq!(total, want.len(), "{}", at("total"));
        assert_eq!(
            items,
            want[start..end],
            "{}",
            at(&format!("page at {start}"))
        );
        assert_eq!(more, end < want.len(), "{}", at("has_more"));
        if !more {
            break;
        }
        cursor = items.last().map(|o| key(o).to_string());
        start = end;
    }
    // Backward, from the last item.
    let mut end = want.len().saturating_sub(1);
    while let Some(last) = want.get(end) {
        let (items, more, total) = ask(store, name, a, Some(("ending_before", key(last)))).unwrap();
        let start = end.saturating_sub(LIMIT);
        assert_eq!(total, want.len(), "{}", at("total"));
        assert_eq!(
            items,
            want[start..end],
            "{}",
            at(&format!("page before {end}"))
        );
        assert_eq!(more, start > 0, "{}", at("has_more"));
        if start == 0 {
            break;
        }
        end = start;
    }
    // A key the list does not hold.
    let signed_in = store.signed_in(api.name);
    let outside = store
        .list(api.name, c.path)
        .iter()
        .find(|o| views::visible(api, c, signed_in, o) && !want.contains(o))
        .map(|o| key(o).to_string());
    for k in outside.iter().map(String::as_str).chain(["rew_none"]) {
        assert!(
            ask(store, name, a, Some(("starting_after", k))).is_none(),
            "{}",
            at(k)
        );
        assert!(
            ask(store, name, a, Some(("ending_before", k))).is_none(),
            "{}",
            at(k)
        );
    }
}

/// Every combination of conditions, with bounds on seeded times (ties included).
fn check_all(store: &mut Store) {
    for name in ["partner", "vendor"] {
        let (api, c, _) = view(name);
        let signed_in = store.signed_in(api.name);
        let times: Vec<i64> = store
            .list(api.name, c.path)
            .iter()
            .filter(|o| views::visible(api, c, signed_in, o))
            .map(created)
            .collect();
        assert!(times.len() > 3 * LIMIT, "{name}: {} rewards", times.len());
        let status = store
            .list(api.name, c.path)
            .iter()
            .find(|o| views::visible(api, c, signed_in, o))
            .and_then(|o| o["reward_status"].as_str())
            .map(str::to_string);
        let (newest, oldest) = (times[0], times[times.len() - 1]);
        let (a, b) = (times[times.len() / 4], times[times.len() * 3 / 4]);
        let bounds = [
            (None, None),
            (Some(b), None),
            (None, Some(a)),
            (Some(b), Some(a)),
            (Some(b + 1), Some(a - 1)),
            (Some(oldest), Some(newest)),
            (Some(newest + 1), None),
            (Some(a), Some(b)),
        ];
        let statuses = match name {
            "partner" => vec![None, status.as_deref()],
            _ => vec![None],
        };
        for (min, max) in bounds {
            for oldest_first in [false, true] {
                for &status in &statuses {
                    let a = Ask {
                        min,
                        max,
                        oldest_first,
                        status,
                    };
                    check(store, name, a);
                }
            }
        }
    }
}

fn indexed(store: &mut Store, name: &str) -> bool {
    let (api, c, _) = view(name);
    matches!(store.items(api, c), Items::Indexed(..))
}

#[test]
fn pages_from_the_index_are_the_naive_pages() {
    let mut store = store();
    assert!(indexed(&mut store, "partner") && indexed(&mut store, "vendor"));
    check_all(&mut store);

    // Ties: runs of equal times in the middle of the list (updates keep newest-first order).
    let len = store.list("vendor", REWARDS).len();
    for i in [10, 11, 12, 40, 41, len / 2] {
        let earlier = created(&store.list("vendor", REWARDS)[i - 1]);
        let o = store.get_mut("vendor", REWARDS, i).unwrap();
        o["created_at"] = earlier.into();
    }
    check_all(&mut store);

    // Creates in front, as new as the newest and tied with each other; the partner's too.
    let newest = created(&store.list("vendor", REWARDS)[0]);
    let partner_key = store.signed_in("partner").map(str::to_string);
    for n in 0..4 {
        let mut o = store.list("vendor", REWARDS)[n * 3].clone();
        o["key"] = format!("rew_created_{n}").into();
        o["created_at"] = newest.into();
        if let Some(k) = partner_key.as_ref().filter(|_| n % 2 == 0) {
            o["partnership_key"] = k.clone().into();
        }
        store.insert("vendor", REWARDS, o);
        check_all(&mut store);
    }

    // A time out of order: no index, the scan answers.
    let o = store.get_mut("vendor", REWARDS, len / 3).unwrap();
    o["created_at"] = (newest + 5).into();
    assert!(!indexed(&mut store, "vendor"));
    check_all(&mut store);
}

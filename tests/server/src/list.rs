//! A PartnerStack-like cursor list that fails a share of requests on purpose, chosen
//! deterministically from a seed (xorshift64*): for walks through faults.

use std::sync::Mutex;

use partnerstack_fake::Fault as FakeFault;

use crate::reply::{Fault, Reply};
use crate::seen::Seen;

/// The faults a walk can survive: everything but [`Fault::Oversized`], which is refused for
/// good.
pub const TRANSIENT: &[Fault] = &[
    Fault::Fake(FakeFault::RateLimited),
    Fault::Fake(FakeFault::ServerError),
    Fault::Fake(FakeFault::BadGateway),
    Fault::Fake(FakeFault::Unavailable),
    Fault::HtmlGateway,
    Fault::Fake(FakeFault::Dropped),
    Fault::Truncated,
    Fault::TruncatedJson,
    Fault::Trickle,
];

/// `n` Partner API customers, newest first, keyed `cus_00000`, `cus_00001`, ….
pub fn customers(n: usize) -> Vec<serde_json::Value> {
    (0..n)
        .map(|i| {
            serde_json::json!({
                "key": format!("cus_{i:05}"), "created_at": 1_698_765_432_000_i64 - i as i64,
                "updated_at": 1_698_765_432_000_i64, "archived": false,
                "company": {"key": "co_MCf1xvxSbKw35R", "name": "Acme Analytics"},
                "country_iso": if i % 3 == 0 { serde_json::Value::Null } else { "US".into() },
                "customer_key": format!("acme-user-{i}"), "has_paid": i % 2 == 0,
                "partnership_key": "part_FNiYCFmn1w3OHb", "shared_id": null, "sub_ids": []
            })
        })
        .collect()
}

/// A handler serving `items` (JSON objects with a `key`) as a cursor list at every path
/// (`limit`, default 10, and `starting_after`), failing a `rate` share of requests with one of
/// `faults`, chosen from `seed`.
pub fn faulty_list(
    items: Vec<serde_json::Value>,
    rate: f64,
    faults: &[Fault],
    seed: u64,
) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    // Each item serialized once, with its key.
    let items: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            (
                i["key"].as_str().unwrap_or_default().to_string(),
                i.to_string(),
            )
        })
        .collect();
    let faults = faults.to_vec();
    let rng = Mutex::new(seed.max(1));
    move |seen| {
        let body = page(&items, seen);
        let reply = Reply::raw(200, "application/json", body);
        let mut rng = rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match pick(&mut rng, rate, &faults) {
            Some(fault) => reply.with_fault(fault),
            None => reply,
        }
    }
}

fn next_random(rng: &mut u64) -> u64 {
    *rng ^= *rng >> 12;
    *rng ^= *rng << 25;
    *rng ^= *rng >> 27;
    rng.wrapping_mul(0x2545_f491_4f6c_dd1d)
}

fn pick(rng: &mut u64, rate: f64, faults: &[Fault]) -> Option<Fault> {
    let roll = (next_random(rng) >> 11) as f64 / (1u64 << 53) as f64;
    if roll >= rate || faults.is_empty() {
        return None;
    }
    let i = (next_random(rng) % faults.len() as u64) as usize;
    Some(faults[i])
}

/// The page the request's cursor asks for, in PartnerStack's envelope.
fn page(items: &[(String, String)], seen: &Seen) -> String {
    let limit: usize = seen
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(10);
    let start = match seen.param("starting_after") {
        Some(key) => items
            .iter()
            .position(|(k, _)| k == key)
            .map_or(items.len(), |i| i + 1),
        None => 0,
    };
    let end = (start + limit).min(items.len());
    let listed: Vec<&str> = items[start..end]
        .iter()
        .map(|(_, json)| json.as_str())
        .collect();
    format!(
        r#"{{"data": {{"has_more": {}, "items": [{}], "total": {}}}, "message": "Page returned successfully", "status": 200}}"#,
        end < items.len(),
        listed.join(","),
        items.len()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(query: &[(&str, &str)]) -> Seen {
        Seen {
            method: "GET".into(),
            target: "/".into(),
            path: "/".into(),
            query: query
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            headers: hyper::HeaderMap::new(),
            body: Vec::new(),
        }
    }

    fn keys(reply: &Reply) -> (Vec<String>, bool) {
        let page: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let keys = page["data"]["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_string())
            .collect();
        (keys, page["data"]["has_more"].as_bool().unwrap())
    }

    #[test]
    fn pages_follow_the_cursor_to_the_end() {
        let list = faulty_list(customers(5), 0.0, TRANSIENT, 1);
        let first = list(&get(&[("limit", "2")]));
        assert_eq!(first.fault, None);
        assert_eq!(
            keys(&first),
            (vec!["cus_00000".into(), "cus_00001".into()], true)
        );
        let last = list(&get(&[("limit", "3"), ("starting_after", "cus_00001")]));
        assert_eq!(
            keys(&last),
            (
                vec!["cus_00002".into(), "cus_00003".into(), "cus_00004".into()],
                false
            )
        );
    }

    #[test]
    fn the_same_seed_faults_the_same_requests() {
        let faults = |seed| {
            let list = faulty_list(customers(3), 0.5, TRANSIENT, seed);
            (0..40).map(|_| list(&get(&[])).fault).collect::<Vec<_>>()
        };
        let run = faults(7);
        assert_eq!(run, faults(7));
        let share = run.iter().filter(|f| f.is_some()).count();
        assert!(
            (8..=32).contains(&share),
            "{share} of 40 faulted at rate 0.5"
        );
    }
}

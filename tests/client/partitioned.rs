//! `items_partitioned`: a list walked as disjoint creation-time windows at once, against the
//! fake and against a server whose items crowd onto a few milliseconds.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use partnerstack::{Error, RetryPolicy, Timestamp};
use partnerstack_fake::{Config, Fault, Faults, Inject, Server};

use crate::support::{Reply, Server as TestServer};

const REWARDS: &str = "/api/v2/rewards";

fn client(url: &str, key: &str) -> partnerstack::partner::ClientBuilder {
    partnerstack::partner::Client::builder()
        .api_key(key)
        .base_url(url)
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
}

async fn fake(rewards: usize, faults: Faults) -> Server {
    let config = Config::default()
        .items(5)
        .seed(23)
        .list_items("partner", REWARDS, rewards)
        .faults(faults);
    Server::start(config).await.unwrap()
}

/// How many of `rewards` seeded rewards the Partner API shows: the signed-in partner's share
/// (the same seed gives the same share), counted by a fake of its own without faults.
async fn partner_share(rewards: usize) -> usize {
    let server = fake(rewards, Faults::default()).await;
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let page = c.rewards().list().limit(1).send().await.unwrap();
    usize::try_from(page.total.unwrap()).unwrap()
}

/// Every key once: the keys, and the ones repeated.
fn keys_once(keys: Vec<String>) -> (HashSet<String>, Vec<String>) {
    let mut seen = HashSet::new();
    let repeated = keys
        .into_iter()
        .filter(|k| !seen.insert(k.clone()))
        .collect();
    (seen, repeated)
}

#[tokio::test]
async fn every_reward_once_as_a_sequential_walk_finds_them() {
    let server = fake(3_000, Faults::default()).await;
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let all: Vec<String> = c
        .rewards()
        .list()
        .limit(250)
        .items()
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), partner_share(3_000).await);
    for windows in [1, 3, 8] {
        let got: Vec<String> = c
            .rewards()
            .list()
            .limit(40)
            .items_partitioned(windows)
            .map_ok(|r| r.key)
            .try_collect()
            .await
            .unwrap();
        let (got, repeated) = keys_once(got);
        assert!(
            repeated.is_empty(),
            "{windows} windows repeated {repeated:?}"
        );
        assert_eq!(got, all.iter().cloned().collect(), "{windows} windows");
    }
    // A range of the caller's own, and the order the caller asked for, are both kept to.
    let mid = Timestamp::from_millis(1_750_000_000_000);
    let newer: Vec<String> = c
        .rewards()
        .list()
        .min_created(mid)
        .order_by(partnerstack::partner::models::RewardOrder::AmountAsc)
        .limit(100)
        .items()
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    let got: Vec<String> = c
        .rewards()
        .list()
        .min_created(mid)
        .order_by(partnerstack::partner::models::RewardOrder::AmountAsc)
        .items_partitioned(4)
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    let (got, repeated) = keys_once(got);
    assert!(repeated.is_empty());
    assert_eq!(got, newer.into_iter().collect());
}

#[tokio::test]
async fn a_tenth_of_the_answers_failing_loses_and_repeats_nothing() {
    let faults = Faults {
        every: 10,
        kinds: vec![
            Fault::ServerError,
            Fault::Dropped,
            Fault::Unavailable,
            Fault::RateLimited,
        ],
        retry_after_secs: 1,
        ..Faults::default()
    };
    let server = fake(2_000, faults).await;
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let got: Vec<String> = c
        .rewards()
        .list()
        .limit(50)
        .items_partitioned(6)
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    let (got, repeated) = keys_once(got);
    assert!(repeated.is_empty());
    assert_eq!(got.len(), partner_share(2_000).await);
    assert!(
        server
            .requests()
            .iter()
            .any(|r| r.status == 429 || r.status >= 500),
        "the faults happened"
    );
}

#[tokio::test]
async fn within_a_rate_limit_the_walk_completes_without_a_429() {
    let server = fake(1_000, Faults::default()).await;
    server.inject(Inject::route("partner.rewards.list").rate_limit(20));
    let c = client(&server.url(), server.partner_key())
        .max_requests_per_second(16)
        .build()
        .unwrap();
    let got: Vec<String> = c
        .rewards()
        .list()
        .limit(50)
        .items_partitioned(8)
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys_once(got).0.len(), partner_share(1_000).await);
    let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    // Without the client's limit, 429s slow the walk down, and it still completes.
    server.clear_requests();
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let got: Vec<String> = c
        .rewards()
        .list()
        .limit(50)
        .items_partitioned(8)
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys_once(got).0.len(), partner_share(1_000).await);
    assert!(server.requests().iter().any(|r| r.status == 429));
}

#[test]
fn a_rate_of_zero_is_refused_when_the_client_is_built() {
    let built = partnerstack::partner::Client::builder()
        .api_key("k")
        .base_url("http://127.0.0.1:9")
        .max_requests_per_second(0)
        .build();
    assert!(matches!(built, Err(Error::InvalidArgument { .. })));
}

#[tokio::test]
async fn dropping_the_stream_stops_every_request() {
    let server = fake(2_000, Faults::default()).await;
    server.inject(Inject::route("partner.rewards.list").latency(Duration::from_millis(20)));
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let mut items = c.rewards().list().limit(10).items_partitioned(8);
    for _ in 0..25 {
        items.try_next().await.unwrap();
    }
    drop(items);
    let at_drop = server.requests().len();
    // Requests under way when it was dropped may still arrive (a page and the next one's per
    // window, at most); nothing is sent after.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let after = server.requests().len();
    assert!(
        after <= at_drop + 16,
        "{at_drop} at the drop, {after} after"
    );
    assert!(after < 60, "{after} requests for 25 items");
}

#[tokio::test]
async fn a_failure_says_which_windows_to_walk_again_and_they_finish_the_export() {
    let server = fake(1_500, Faults::default()).await;
    let c = client(&server.url(), server.partner_key())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let mut got = Vec::new();
    let mut items = c.rewards().list().limit(25).items_partitioned(4);
    let error = loop {
        match items.next().await {
            Some(Ok(r)) => {
                got.push(r.key);
                if got.len() == 300 {
                    server.inject(
                        Inject::route("partner.rewards.list")
                            .fault(Fault::ServerError)
                            .times(1),
                    );
                }
            }
            Some(Err(e)) => break e,
            None => panic!("the walk ended without the error"),
        }
    };
    assert!(items.next().await.is_none(), "ended after the error");
    let Error::PartitionedWalkStopped {
        source, unfinished, ..
    } = &error
    else {
        panic!("{error}");
    };
    assert_eq!(source.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert!(!unfinished.is_empty());
    let text = error.to_string();
    assert!(
        text.contains("window(s) unfinished") && text.contains("created-time filters"),
        "{text}"
    );
    // Walking the unfinished windows again finishes the export (the newest millisecond of a
    // window under way may come twice: kept by key).
    for (from, to) in unfinished {
        let rest: Vec<String> = c
            .rewards()
            .list()
            .min_created(*from)
            .max_created(*to)
            .limit(250)
            .items()
            .map_ok(|r| r.key)
            .try_collect()
            .await
            .unwrap();
        got.extend(rest);
    }
    assert_eq!(keys_once(got).0.len(), partner_share(1_500).await);
}

#[tokio::test]
async fn a_cursor_or_no_window_is_refused_before_sending() {
    let server = fake(10, Faults::default()).await;
    let c = client(&server.url(), server.partner_key()).build().unwrap();
    let e = c
        .rewards()
        .list()
        .starting_after("rwrd_x")
        .items_partitioned(2)
        .try_next()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
    let e = c
        .rewards()
        .list()
        .items_partitioned(0)
        .try_next()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
    // More windows than a walk takes would be as many requests at once.
    for windows in [65, usize::MAX] {
        let e = c
            .rewards()
            .list()
            .items_partitioned(windows)
            .try_next()
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument { .. }), "{e}");
        assert!(e.to_string().contains("1 to 64 windows"), "{e}");
    }
    assert!(server.requests().is_empty());
}

// A server whose rewards crowd onto a few milliseconds, window edges included.

/// The list: `(created_at, key)`, newest first, ties in key order.
type Rows = Arc<Vec<(i64, String)>>;

fn reward_json(template: &serde_json::Value, created: i64, key: &str) -> serde_json::Value {
    let mut r = template.clone();
    r["key"] = key.into();
    r["created_at"] = created.into();
    r
}

/// The shared test server answering the list `rows` as PartnerStack pages it: `min_created`
/// and `max_created` inclusive, newest first (`order_by=created_at`: oldest first), cursors
/// by key, `limit` items a page.
async fn crowded_server(rows: Rows) -> TestServer {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/payloads/partner/rewards.json"
    );
    let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let template = fixture["data"]["items"][0].clone();
    TestServer::start(move |seen| {
        let num = |k: &str| seen.param(k).and_then(|v| v.parse::<i64>().ok());
        let (min, max) = (
            num("min_created").unwrap_or(i64::MIN),
            num("max_created").unwrap_or(i64::MAX),
        );
        let mut sel: Vec<&(i64, String)> = rows
            .iter()
            .filter(|(t, _)| (min..=max).contains(t))
            .collect();
        if seen.param("order_by") == Some("created_at") {
            sel.reverse();
        }
        let start = match seen.param("starting_after") {
            Some(k) => sel
                .iter()
                .position(|(_, key)| key == k)
                .map_or(sel.len(), |i| i + 1),
            None => 0,
        };
        let limit = num("limit").unwrap_or(10) as usize;
        let end = (start + limit).min(sel.len());
        let items: Vec<serde_json::Value> = sel[start..end]
            .iter()
            .map(|(t, k)| reward_json(&template, *t, k))
            .collect();
        Reply::json(
            200,
            serde_json::json!({
                "data": {"items": items, "has_more": end < sel.len(), "total": sel.len()},
                "message": "ok", "status": 200
            }),
        )
    })
    .await
}

/// Many items on the same milliseconds, on window edges and everywhere else, uneven in time,
/// small pages, many windows: every item exactly once, whatever the splits.
#[tokio::test]
async fn items_on_the_same_millisecond_at_window_edges_come_exactly_once() {
    let mut rng = fastrand::Rng::with_seed(2323);
    for case in 0..12 {
        let span = rng.i64(1..2_000);
        let windows = rng.usize(1..12);
        // Crowded milliseconds: the range's ends, where even splits fall, and random ones.
        let mut spots: Vec<i64> = (0..=windows as i64)
            .map(|i| span * i / windows as i64)
            .collect();
        spots.extend((0..5).map(|_| rng.i64(0..=span)));
        let mut rows: Vec<(i64, String)> = Vec::new();
        for i in 0..rng.usize(50..600) {
            let t = if rng.bool() {
                spots[rng.usize(..spots.len())]
            } else {
                rng.i64(0..=span)
            };
            // Uneven: most items in the newest tenth of the range.
            let t = if rng.u8(0..3) == 0 { t } else { span - t / 10 };
            rows.push((t, format!("rwrd_{case}_{i:05}")));
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let want: HashSet<String> = rows.iter().map(|(_, k)| k.clone()).collect();
        let server = crowded_server(Arc::new(rows)).await;
        let c = client(&server.url, "k").build().unwrap();
        let limit = rng.u32(1..20);
        let got: Vec<String> = c
            .rewards()
            .list()
            .limit(limit)
            .items_partitioned(windows)
            .map_ok(|r| r.key)
            .try_collect()
            .await
            .unwrap();
        let (got, repeated) = keys_once(got);
        assert!(repeated.is_empty(), "case {case}: repeated {repeated:?}");
        assert_eq!(got, want, "case {case}: {windows} windows, limit {limit}");
    }
}

/// A server that keeps to neither the time bounds nor the order: every window gets the whole
/// list, in no order, on one page. An item older than a window before that window's own items
/// must not end it: each item comes exactly once.
#[tokio::test]
async fn a_server_ignoring_the_bounds_and_the_order_loses_nothing_on_a_page() {
    let mut rng = fastrand::Rng::with_seed(77);
    let mut rows: Vec<(i64, String)> = (0..60)
        .map(|i| (rng.i64(1_000..100_000), format!("rwrd_{i:03}")))
        .collect();
    rng.shuffle(&mut rows);
    let want: HashSet<String> = rows.iter().map(|(_, k)| k.clone()).collect();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/payloads/partner/rewards.json"
    );
    let fixture: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let template = fixture["data"]["items"][0].clone();
    let items: Vec<serde_json::Value> = rows
        .iter()
        .map(|(t, k)| reward_json(&template, *t, k))
        .collect();
    let server = TestServer::start(move |_| {
        Reply::json(
            200,
            serde_json::json!({
                "data": {"items": items, "has_more": false, "total": items.len()},
                "message": "ok", "status": 200
            }),
        )
    })
    .await;
    let c = client(&server.url, "k").build().unwrap();
    let got: Vec<String> = c
        .rewards()
        .list()
        .min_created(Timestamp::from_millis(1_000))
        .max_created(Timestamp::from_millis(100_000))
        .limit(250)
        .items_partitioned(4)
        .map_ok(|r| r.key)
        .try_collect()
        .await
        .unwrap();
    let (got, repeated) = keys_once(got);
    assert!(repeated.is_empty(), "repeated {repeated:?}");
    assert_eq!(got, want);
}

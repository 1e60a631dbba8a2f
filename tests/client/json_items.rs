//! `json_pages()`, `json_items()` and `json_items_partitioned(n)`: each item as the JSON text
//! the server sent, walked as `.pages()` walks the decoded models. The tests run on two
//! workers, where a walk makes its quick pass over each page (on one thread it skips it), so
//! the pass reads each item's cursor as the walk does.

use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use partnerstack::{Error, JsonItem, RetryPolicy};
use partnerstack_fake::{Config, Faults};
use serde_json::{Value, json};

use crate::support::{Reply, Server, partner, payload};

/// The texts of six rewards as a server might write them: pretty-printed, fields in its own
/// order, numbers spelt its way, fields the spec does not know, and keys `r0` … `r5` (one with
/// an escape in it, `r\u0033`, which is `r3`).
fn texts() -> Vec<String> {
    let reward = payload("partner/rewards.json")["data"]["items"][0].clone();
    let mut texts = Vec::new();
    for i in 0..6 {
        let mut r = reward.clone();
        r["key"] = json!(format!("r{i}"));
        let body = serde_json::to_string_pretty(&r).unwrap();
        // Move `key` to the front, in the server's spelling, and add an unknown field.
        let key = if i == 3 {
            r#""r\u0033""#.to_string()
        } else {
            format!("\"r{i}\"")
        };
        let rest = body
            .trim_start_matches('{')
            .replace(&format!("\"key\": \"r{i}\","), "");
        texts.push(format!(
            "{{\n  \"key\" :{key}, \"big\": 123456789012345678901234567890, \"amount_f\": 1.50,{rest}"
        ));
    }
    texts
}

/// A page of `items` (texts) in PartnerStack's envelope, written by hand.
fn page(items: &[String], has_more: bool) -> Reply {
    let body = format!(
        "{{\"data\": {{\"items\": [{}], \"has_more\": {has_more}, \"total\": 6}}, \"status\": 200}}",
        items.join(" ,\n")
    );
    Reply::raw(200, "application/json", body)
}

/// Serves `texts` by `starting_after`, `limit` at a time.
fn serve(texts: Vec<String>) -> impl Fn(&partnerstack_test_server::Seen) -> Reply {
    move |seen| {
        let limit: usize = seen.param("limit").map_or(10, |l| l.parse().unwrap());
        let start = match seen.param("starting_after") {
            Some(after) => after[1..].parse::<usize>().unwrap() + 1,
            None => 0,
        };
        let end = (start + limit).min(texts.len());
        page(&texts[start..end], end < texts.len())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_item_is_the_servers_text_across_pages() {
    let texts = texts();
    let server = Server::start(serve(texts.clone())).await;
    let got: Vec<JsonItem> = partner(&server)
        .rewards()
        .list()
        .limit(2)
        .json_items()
        .try_collect()
        .await
        .unwrap();
    let got_texts: Vec<&str> = got.iter().map(JsonItem::as_str).collect();
    assert_eq!(
        got_texts, texts,
        "byte for byte, whitespace and field order kept"
    );
    // The cursors are the items' keys, the escaped one read as what it stands for.
    let cursors: Vec<_> = server
        .requests()
        .iter()
        .map(|s| s.param("starting_after").map(str::to_owned))
        .collect();
    assert_eq!(cursors, [None, Some("r1".into()), Some("r3".into())]);
    // Serialized, each is its text again; parsed, the model `.items()` gives.
    assert_eq!(serde_json::to_string(&got[0]).unwrap(), texts[0]);
    let reward: partnerstack::partner::models::Reward = got[3].parse().unwrap();
    assert_eq!(reward.key, "r3");
    assert_eq!(reward.extra["big"].get(), "123456789012345678901234567890");
    assert_eq!(got[4].to_value().unwrap()["key"], "r4");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_keep_has_more_and_total_and_obey_max_pages() {
    let server = Server::start(serve(texts())).await;
    let mut pages = partner(&server)
        .rewards()
        .list()
        .limit(4)
        .json_pages()
        .max_pages(1);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(
        (first.items.len(), first.has_more, first.total),
        (4, true, Some(6))
    );
    let end = pages.next().await.unwrap();
    assert!(
        matches!(end, Err(Error::PageLimitReached { limit: 1, .. })),
        "{end:?}"
    );
    assert!(pages.next().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_repeating_a_page_ends_the_walk_with_a_loop_error() {
    let texts = texts();
    // Whatever the cursor, the first page again, saying more follow.
    let first = texts[..2].to_vec();
    let server = Server::start(move |_| page(&first, true)).await;
    let mut items = partner(&server).rewards().list().limit(2).json_items();
    let mut delivered = Vec::new();
    let end = loop {
        match items.next().await {
            Some(Ok(item)) => delivered.push(item.as_str().to_owned()),
            Some(Err(e)) => break e,
            None => panic!("the walk ended as if complete"),
        }
    };
    assert!(
        matches!(end, Error::PaginationLoop { pages: 1, .. }),
        "{end}"
    );
    assert_eq!(
        delivered,
        texts[..2],
        "the first page once, the repeat not delivered"
    );
    assert!(items.next().await.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_without_its_cursor_ends_the_walk_with_a_decode_error() {
    // Without a key, or with one that is not a string.
    for odd in [r#"{"name": "no key"}"#, r#"{"key": 5}"#] {
        let items = vec![r#"{"key": "r0"}"#.to_string(), odd.to_string()];
        let server = Server::start(move |_| page(&items, true)).await;
        let walked: Vec<_> = partner(&server)
            .rewards()
            .list()
            .json_items()
            .collect()
            .await;
        assert_eq!(walked.len(), 1, "{walked:?}");
        let Err(error @ Error::Decode { path, .. }) = &walked[0] else {
            panic!("{walked:?}");
        };
        assert_eq!(
            path, "data.items[1].key",
            "the path a typed decode error gives"
        );
        assert!(
            error
                .to_string()
                .contains("at `data.items[1].key`: missing, or not a string"),
            "{error}"
        );
        assert_eq!(
            server.requests().len(),
            1,
            "nothing asked past a page it cannot walk on"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partitioned_walk_gives_the_texts_a_sequential_walk_gives() {
    let config = Config::default()
        .items(5)
        .seed(23)
        .list_items("partner", "/api/v2/rewards", 1_500)
        .faults(Faults::default());
    let server = partnerstack_fake::Server::start(config).await.unwrap();
    let client = partnerstack::partner::Client::builder()
        .api_key(server.partner_key())
        .base_url(server.url())
        .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let mut sequential: Vec<String> = client
        .rewards()
        .list()
        .limit(250)
        .json_items()
        .map_ok(|item| item.as_str().to_owned())
        .try_collect()
        .await
        .unwrap();
    let mut partitioned: Vec<String> = client
        .rewards()
        .list()
        .limit(50)
        .json_items_partitioned(8)
        .map_ok(|item| item.as_str().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert!(sequential.len() > 100, "{}", sequential.len());
    sequential.sort();
    partitioned.sort();
    assert_eq!(partitioned, sequential, "the same texts, each once");
    // And what the decoded walk gives, field for field.
    let typed: Vec<Value> = client
        .rewards()
        .list()
        .limit(250)
        .items()
        .map_ok(|r| serde_json::to_value(r).unwrap())
        .try_collect()
        .await
        .unwrap();
    let mut typed: Vec<String> = typed.iter().map(Value::to_string).collect();
    let mut raw: Vec<String> = sequential
        .iter()
        .map(|t| serde_json::from_str::<Value>(t).unwrap().to_string())
        .collect();
    typed.sort();
    raw.sort();
    assert_eq!(raw, typed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_without_its_creation_time_ends_a_partitioned_walk_with_a_decode_error() {
    let items = vec![r#"{"key": "r0", "amount": 1}"#.to_string()];
    let server = Server::start(move |_| page(&items, false)).await;
    let walked: Vec<_> = partner(&server)
        .rewards()
        .list()
        .json_items_partitioned(4)
        .collect()
        .await;
    let Some(Err(error @ Error::Decode { path, .. })) = walked.last() else {
        panic!("{walked:?}");
    };
    assert_eq!(
        path, "data.items[].created_at",
        "the path a typed decode error gives"
    );
    assert!(
        error
            .to_string()
            .contains("missing, or not a time in milliseconds"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_without_its_creation_time_in_a_window_stops_the_walk_with_a_decode_error() {
    // With both bounds given nothing is probed: the window meets the item.
    let items = vec![r#"{"key": "r0", "amount": 1}"#.to_string()];
    let server = Server::start(move |_| page(&items, false)).await;
    let walked: Vec<_> = partner(&server)
        .rewards()
        .list()
        .min_created(partnerstack::Timestamp::from_millis(0))
        .max_created(partnerstack::Timestamp::from_millis(1_000_000))
        .json_items_partitioned(2)
        .collect()
        .await;
    let Some(Err(Error::PartitionedWalkStopped { source, .. })) = walked.last() else {
        panic!("{walked:?}");
    };
    let Error::Decode { path, .. } = source.as_ref() else {
        panic!("{source:?}");
    };
    assert_eq!(path, "data.items[].created_at");
}

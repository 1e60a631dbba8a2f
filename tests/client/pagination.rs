//! Walking lists: forward, backward, and every way a walk stops.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::{StreamExt, TryStreamExt};
use partnerstack_test_server::Seen;
use serde_json::{Value, json};

use crate::support::{Reply, Server, envelope, partner, payload};

/// `n` rewards, newest first, keyed `rwrd_000`, `rwrd_001`, ….
fn rewards(n: usize) -> Vec<Value> {
    let template = payload("partner/rewards.json")["data"]["items"][0].clone();
    (0..n)
        .map(|i| {
            let mut r = template.clone();
            r["key"] = json!(format!("rwrd_{i:03}"));
            r
        })
        .collect()
}

/// A server-side cursor list like PartnerStack's: `starting_after` returns the items after a
/// key, `ending_before` those just before it; `has_more` says whether more lie that way.
fn serve(items: &[Value], seen: &Seen) -> Reply {
    let limit: usize = seen.param("limit").map_or(10, |l| l.parse().unwrap());
    let pos = |key: &str| items.iter().position(|i| i["key"] == key).unwrap();
    let (page, has_more) = if let Some(after) = seen.param("starting_after") {
        let start = pos(after) + 1;
        let end = (start + limit).min(items.len());
        (&items[start..end], end < items.len())
    } else if let Some(before) = seen.param("ending_before") {
        let end = pos(before);
        let start = end.saturating_sub(limit);
        (&items[start..end], start > 0)
    } else {
        let end = limit.min(items.len());
        (&items[..end], end < items.len())
    };
    Reply::json(
        200,
        envelope(json!({"has_more": has_more, "items": page, "total": items.len()})),
    )
}

fn keys<'a>(
    items: impl IntoIterator<Item = &'a partnerstack::partner::models::Reward>,
) -> Vec<String> {
    items.into_iter().map(|r| r.key.clone()).collect()
}

#[tokio::test]
async fn items_walk_forward_across_pages() {
    let all = rewards(8);
    let data = all.clone();
    let server = Server::start(move |seen| serve(&data, seen)).await;
    let got: Vec<_> = partner(&server)
        .rewards()
        .list()
        .limit(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..8).map(|i| format!("rwrd_{i:03}")).collect();
    assert_eq!(keys(&got), expected);
    let cursors: Vec<_> = server
        .requests()
        .iter()
        .map(|s| s.param("starting_after").map(str::to_owned))
        .collect();
    assert_eq!(
        cursors,
        [None, Some("rwrd_002".into()), Some("rwrd_005".into())]
    );
    assert!(
        server
            .requests()
            .iter()
            .all(|s| s.param("limit") == Some("3"))
    );
}

#[tokio::test]
async fn pages_walk_forward_and_keep_filters() {
    let all = rewards(7);
    let data = all.clone();
    let server = Server::start(move |seen| serve(&data, seen)).await;
    let pages: Vec<_> = partner(&server)
        .rewards()
        .list()
        .currency("USD")
        .limit(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [3, 3, 1]);
    assert_eq!(
        pages.iter().map(|p| p.has_more).collect::<Vec<_>>(),
        [true, true, false]
    );
    assert!(pages.iter().all(|p| p.total == Some(7)));
    assert!(
        server
            .requests()
            .iter()
            .all(|s| s.param("currency") == Some("USD"))
    );
}

#[tokio::test]
async fn a_walk_can_start_after_a_key() {
    let all = rewards(6);
    let data = all.clone();
    let server = Server::start(move |seen| serve(&data, seen)).await;
    let got: Vec<_> = partner(&server)
        .rewards()
        .list()
        .starting_after("rwrd_001")
        .limit(2)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(keys(&got), ["rwrd_002", "rwrd_003", "rwrd_004", "rwrd_005"]);
}

#[tokio::test]
async fn ending_before_walks_backward_with_the_first_key_of_each_page() {
    let all = rewards(10);
    let data = all.clone();
    let server = Server::start(move |seen| serve(&data, seen)).await;
    let pages: Vec<_> = partner(&server)
        .rewards()
        .list()
        .ending_before("rwrd_009")
        .limit(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let got: Vec<Vec<String>> = pages.iter().map(|p| keys(&p.items)).collect();
    assert_eq!(
        got,
        [
            vec!["rwrd_006", "rwrd_007", "rwrd_008"],
            vec!["rwrd_003", "rwrd_004", "rwrd_005"],
            vec!["rwrd_000", "rwrd_001", "rwrd_002"],
        ]
    );
    let cursors: Vec<_> = server
        .requests()
        .iter()
        .map(|s| s.param("ending_before").unwrap().to_owned())
        .collect();
    assert_eq!(cursors, ["rwrd_009", "rwrd_006", "rwrd_003"]);
    assert!(
        server
            .requests()
            .iter()
            .all(|s| s.param("starting_after").is_none())
    );
}

/// Drains a stream: the items it delivered, and the error it ended with.
async fn drain<T>(
    mut stream: impl futures::Stream<Item = partnerstack::Result<T>> + Unpin,
) -> (Vec<T>, Option<partnerstack::Error>) {
    let mut got = Vec::new();
    let mut end = None;
    while let Some(next) = stream.next().await {
        match next {
            Ok(item) => got.push(item),
            Err(e) => {
                assert!(end.is_none(), "more after an error: {e:?}");
                end = Some(e);
            }
        }
    }
    (got, end)
}

#[tokio::test]
async fn a_server_repeating_a_page_ends_the_walk_with_an_error_not_duplicates() {
    let page = rewards(2);
    let server = Server::start(move |_| {
        Reply::json(
            200,
            envelope(json!({"has_more": true, "items": page, "total": 2})),
        )
    })
    .await;
    let (got, end) = drain(partner(&server).rewards().list().items()).await;
    assert_eq!(keys(&got), ["rwrd_000", "rwrd_001"], "each item once");
    let end = end.expect("a loop is an error, not the end of the list");
    assert!(end.is_pagination_loop(), "{end:?}");
    assert!(!end.is_retryable());
    assert_eq!(end.request().unwrap().operation, "rewards.list");
    assert_eq!(server.requests().len(), 2);
}

#[tokio::test]
async fn a_cursor_cycle_delivers_each_item_once_then_fails() {
    // a → b → c → a → …: the server's cursors go round in a circle.
    let all = rewards(3);
    let server = Server::start(move |seen| {
        let next = match seen.param("starting_after") {
            None => 0,
            Some(key) => (all.iter().position(|i| i["key"] == key).unwrap() + 1) % 3,
        };
        Reply::json(
            200,
            envelope(json!({"has_more": true, "items": [all[next].clone()]})),
        )
    })
    .await;
    let (got, end) = drain(partner(&server).rewards().list().limit(1).items()).await;
    assert_eq!(keys(&got), ["rwrd_000", "rwrd_001", "rwrd_002"]);
    assert!(
        end.as_ref().is_some_and(|e| e.is_pagination_loop()),
        "{end:?}"
    );
    assert_eq!(server.requests().len(), 4);

    // Pages: the repeated page is not delivered either.
    let (pages, end) = drain(partner(&server).rewards().list().limit(1).pages()).await;
    assert_eq!(pages.len(), 3);
    let Some(partnerstack::Error::PaginationLoop { pages: before, .. }) = end else {
        panic!("{end:?}")
    };
    assert_eq!(before, 3);
}

#[tokio::test]
async fn a_page_holding_the_starting_cursor_is_not_delivered() {
    let server = Server::start(|_| {
        // Whatever is asked, answer with an item keyed like the cursor the walk started from.
        let mut item = rewards(1).remove(0);
        item["key"] = json!("rwrd_start");
        Reply::json(200, envelope(json!({"has_more": true, "items": [item]})))
    })
    .await;
    let (got, end) = drain(
        partner(&server)
            .rewards()
            .list()
            .starting_after("rwrd_start")
            .items(),
    )
    .await;
    assert!(got.is_empty(), "{:?}", keys(&got));
    assert!(end.is_some_and(|e| e.is_pagination_loop()));
    assert_eq!(server.requests().len(), 1);
}

/// A server whose list never ends: every page has one new item and `has_more`.
async fn endless() -> Server {
    Server::start(|seen| {
        let next = seen.param("starting_after").map_or(0, |k| {
            k.trim_start_matches("rwrd_").parse::<u32>().unwrap() + 1
        });
        let mut item = rewards(1).remove(0);
        item["key"] = json!(format!("rwrd_{next}"));
        Reply::json(200, envelope(json!({"has_more": true, "items": [item]})))
    })
    .await
}

#[tokio::test]
async fn a_page_limit_bounds_a_walk_and_says_it_stopped_early() {
    let server = endless().await;
    let (got, end) = drain(partner(&server).rewards().list().items().max_pages(3)).await;
    assert_eq!(keys(&got), ["rwrd_0", "rwrd_1", "rwrd_2"]);
    let Some(partnerstack::Error::PageLimitReached { limit: 3, .. }) = end else {
        panic!("{end:?}")
    };
    assert_eq!(server.requests().len(), 3);

    let (pages, end) = drain(partner(&server).rewards().list().pages().max_pages(0)).await;
    assert!(pages.is_empty() && end.is_some());
    assert_eq!(server.requests().len(), 3, "a limit of 0 fetches nothing");
}

#[tokio::test]
async fn a_walk_that_ends_within_its_page_limit_ends_cleanly() {
    let all = rewards(5);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let got: Vec<_> = partner(&server)
        .rewards()
        .list()
        .limit(2)
        .items()
        .max_pages(3)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 5);
}

#[tokio::test]
async fn an_empty_page_ends_the_walk_even_if_has_more() {
    let server =
        Server::start(|_| Reply::json(200, envelope(json!({"has_more": true, "items": []})))).await;
    let pages: Vec<_> = partner(&server)
        .rewards()
        .list()
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert!(pages[0].items.is_empty());
    assert_eq!(pages[0].total, None);
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_error_ends_the_stream_after_the_items_before_it() {
    let all = rewards(5);
    let server = Server::start(move |seen| match seen.param("starting_after") {
        None => serve(&all, seen),
        Some(_) => Reply::json(500, json!({"message": "boom", "status": 500})),
    })
    .await;
    let mut items = partner(&server).rewards().list().limit(2).items();
    let mut seen_keys = Vec::new();
    let mut error = None;
    while let Some(next) = items.next().await {
        match next {
            Ok(r) => seen_keys.push(r.key),
            Err(e) => error = Some(e),
        }
    }
    assert_eq!(seen_keys, ["rwrd_000", "rwrd_001"]);
    let error = error.expect("the failure is delivered");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(
        error.request().unwrap().attempts,
        4,
        "the page was retried before giving up"
    );
    assert!(items.next().await.is_none(), "the stream stays ended");
    assert_eq!(server.requests().len(), 1 + 4);
}

#[tokio::test]
async fn invalid_arguments_end_a_walk_before_any_request() {
    let server = Server::start(|_| Reply::json(500, json!({}))).await;
    let results: Vec<_> = partner(&server)
        .rewards()
        .list()
        .limit(0)
        .items()
        .collect()
        .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(
        results[0],
        Err(partnerstack::Error::InvalidArgument { .. })
    ));
    assert!(server.requests().is_empty());
}

/// The page's keys come from the spec's `pagination` block: a client generated from a spec that
/// names them otherwise (the `runtime_type_names` fixture: `results`, `more`, `count`) reads
/// pages under those keys.
#[tokio::test]
async fn page_keys_come_from_the_spec() {
    use partnerstack_fixtures::runtime_type_names_api::Client;

    let server = Server::start(|seen| {
        let after = seen.param("starting_after").map(str::to_string);
        let (keys, more) = match after.as_deref() {
            None => (vec!["a", "b"], true),
            Some("b") => (vec!["c"], false),
            Some(other) => panic!("unexpected cursor {other}"),
        };
        let items: Vec<Value> = keys.iter().map(|k| json!({"key": k})).collect();
        Reply::json(
            200,
            json!({"data": {"results": items, "more": more, "count": 3, "items": "ignored"}, "status": 200}),
        )
    })
    .await;
    let client = Client::builder()
        .public_key("pk")
        .secret_key("sk")
        .base_url(&server.url)
        .build()
        .unwrap();
    let page = client.widgets().list().send().await.unwrap();
    assert_eq!(
        (page.items.len(), page.has_more, page.total),
        (2, true, Some(3))
    );
    let all: Vec<_> = client.widgets().list().items().try_collect().await.unwrap();
    let keys: Vec<_> = all.iter().map(|p| p.key.as_str()).collect();
    assert_eq!(keys, ["a", "b", "c"]);
}

/// Waits (up to 10 s, never a timing assertion) until the server has seen `n` requests.
async fn until_requests(server: &Server, n: usize) -> usize {
    for _ in 0..1_000 {
        if server.requests().len() >= n {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    server.requests().len()
}

/// The cursor each request carried, in order.
fn cursors(server: &Server) -> Vec<Option<String>> {
    server
        .requests()
        .iter()
        .map(|s| s.param("starting_after").map(str::to_owned))
        .collect()
}

async fn the_next_page_is_requested_before_the_caller_asks() {
    let all = rewards(9);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let mut pages = partner(&server).rewards().list().limit(3).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(keys(&first.items), ["rwrd_000", "rwrd_001", "rwrd_002"]);
    // The stream is not polled again: the second request must already be under way.
    assert_eq!(until_requests(&server, 2).await, 2);
    assert_eq!(cursors(&server)[1].as_deref(), Some("rwrd_002"));
    let second = pages.try_next().await.unwrap().unwrap();
    assert_eq!(keys(&second.items), ["rwrd_003", "rwrd_004", "rwrd_005"]);
    assert_eq!(until_requests(&server, 3).await, 3);
    let rest: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(
        cursors(&server),
        [None, Some("rwrd_002".into()), Some("rwrd_005".into())],
        "no request past the last page"
    );
}

#[tokio::test]
async fn prefetch_on_a_current_thread_runtime() {
    the_next_page_is_requested_before_the_caller_asks().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prefetch_on_a_multi_thread_runtime() {
    the_next_page_is_requested_before_the_caller_asks().await;
}

#[tokio::test]
async fn items_prefetch_while_the_caller_takes_items() {
    let all = rewards(9);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let mut items = partner(&server).rewards().list().limit(3).items();
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(items.try_next().await.unwrap().unwrap());
    }
    // Two items of the first page taken: the second page is on its way.
    assert_eq!(until_requests(&server, 2).await, 2);
    got.extend(items.try_collect::<Vec<_>>().await.unwrap());
    let expected: Vec<String> = (0..9).map(|i| format!("rwrd_{i:03}")).collect();
    assert_eq!(keys(&got), expected);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn nothing_is_requested_after_the_stream_is_dropped() {
    let all = rewards(30);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let mut items = partner(&server).rewards().list().limit(3).items();
    let first = items.try_next().await.unwrap().unwrap();
    assert_eq!(first.key, "rwrd_000");
    assert_eq!(until_requests(&server, 2).await, 2, "one page ahead");
    drop(items);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(server.requests().len(), 2, "no request after the drop");

    // Dropped while the prefetched page is still in flight (the server is slow).
    let all = rewards(30);
    let slow =
        Server::start(move |seen| serve(&all, seen).after(std::time::Duration::from_millis(100)))
            .await;
    let mut pages = partner(&slow).rewards().list().limit(3).pages();
    pages.try_next().await.unwrap().unwrap();
    assert_eq!(until_requests(&slow, 2).await, 2);
    drop(pages);
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(slow.requests().len(), 2, "no request after the drop");
}

#[tokio::test]
async fn without_prefetch_each_request_waits_for_the_caller() {
    let all = rewards(9);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let mut pages = partner(&server)
        .rewards()
        .list()
        .limit(3)
        .pages()
        .prefetch(false);
    pages.try_next().await.unwrap().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(server.requests().len(), 1, "nothing sent ahead");
    pages.try_next().await.unwrap().unwrap();
    assert_eq!(server.requests().len(), 2);

    let mut items = partner(&server)
        .rewards()
        .list()
        .limit(3)
        .items()
        .prefetch(false);
    items.try_next().await.unwrap().unwrap();
    drop(items);
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert_eq!(
        server.requests().len(),
        3,
        "a stopped walk sent nothing more"
    );
}

#[tokio::test]
async fn a_prefetching_walk_stops_at_its_page_limit() {
    // Pages 1..=3 delivered, then the error; the prefetch never asks for a fourth.
    let server = endless().await;
    let (got, end) = drain(partner(&server).rewards().list().pages().max_pages(3)).await;
    assert_eq!(got.len(), 3);
    assert!(matches!(
        end,
        Some(partnerstack::Error::PageLimitReached { .. })
    ));
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    assert_eq!(server.requests().len(), 3);
}

/// A client that counts the requests it starts (the hook runs as each one is built, before
/// anything is sent), whether or not they reach the server.
fn counting(server: &Server) -> (partnerstack::partner::Client, Arc<AtomicUsize>) {
    let started = Arc::new(AtomicUsize::new(0));
    let count = started.clone();
    let client = partnerstack::partner::Client::builder()
        .api_key(crate::support::KEY)
        .base_url(&server.url)
        .on_request(move |_, _| {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .build()
        .unwrap();
    (client, started)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn the_next_page_is_requested_before_this_one_is_decoded() {
    // The first page's JSON is sound but one of its rewards does not fit the model: it fails
    // to decode, and by then its scan has already sent the request for the second page. (The
    // walk runs on the runtime's one worker, where the yield before decoding runs the second
    // page's task first; on two, that task's start would race the decoding.)
    let mut all = rewards(6);
    all[1]["withdrawn"] = json!("not a boolean");
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let (client, started) = counting(&server);
    let pages = client.rewards().list().limit(3).pages();
    let (got, end) = tokio::spawn(drain(pages)).await.unwrap();
    assert!(got.is_empty());
    let Some(partnerstack::Error::Decode { path, .. }) = &end else {
        panic!("{end:?}")
    };
    assert_eq!(path, "data.items[1].withdrawn");
    assert_eq!(
        started.load(Ordering::SeqCst),
        2,
        "the second page was requested"
    );

    // Without prefetch, the walk asks for nothing it has not decoded its way to.
    let (got, end) = drain(client.rewards().list().limit(3).pages().prefetch(false)).await;
    assert!(got.is_empty());
    assert!(
        matches!(end, Some(partnerstack::Error::Decode { .. })),
        "{end:?}"
    );
    assert_eq!(started.load(Ordering::SeqCst), 3);
}

#[tokio::test]
async fn on_one_thread_the_next_page_is_requested_once_this_one_decodes() {
    // A current-thread runtime has no second thread for the quick pass to save time on: the
    // page after one is requested as soon as that one decodes, while the caller holds it, and
    // never after a page that does not decode.
    let mut all = rewards(6);
    let server = {
        let all = all.clone();
        Server::start(move |seen| serve(&all, seen)).await
    };
    let (client, started) = counting(&server);
    let mut pages = client.rewards().list().limit(3).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 3);
    // The caller holds page 1 and waits for something else: the next page's task runs.
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(
        started.load(Ordering::SeqCst),
        2,
        "asked while the caller holds page 1"
    );
    let rest: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(
        started.load(Ordering::SeqCst),
        2,
        "nothing asked past the last page"
    );

    all[1]["withdrawn"] = json!("not a boolean");
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let (client, started) = counting(&server);
    let (got, end) = drain(client.rewards().list().limit(3).pages()).await;
    assert!(got.is_empty());
    assert!(
        matches!(end, Some(partnerstack::Error::Decode { .. })),
        "{end:?}"
    );
    assert_eq!(
        started.load(Ordering::SeqCst),
        1,
        "nothing asked past a page that failed"
    );
}

// Two workers: a current-thread runtime skips the quick pass this is about.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_holding_a_used_cursor_anywhere_is_not_prefetched_past() {
    // The second page repeats the first page's last key between two new ones: the walk must
    // not deliver it, nor ask for the page after it from its new last key.
    let all = rewards(4);
    let server = Server::start(move |seen| {
        let page = match seen.param("starting_after") {
            None => vec![all[0].clone(), all[1].clone()],
            Some(_) => vec![all[2].clone(), all[1].clone(), all[3].clone()],
        };
        Reply::json(200, envelope(json!({"has_more": true, "items": page})))
    })
    .await;
    let (client, started) = counting(&server);
    let (got, end) = drain(client.rewards().list().items()).await;
    assert_eq!(keys(&got), ["rwrd_000", "rwrd_001"]);
    assert!(end.is_some_and(|e| e.is_pagination_loop()));
    assert_eq!(
        started.load(Ordering::SeqCst),
        2,
        "nothing asked past the loop"
    );
    assert_eq!(cursors(&server), [None, Some("rwrd_001".into())]);
}

#[test]
fn a_walk_driven_from_the_only_blocking_thread_completes() {
    // The walk runs on tokio's only blocking-task thread (as code bridging sync and async
    // does), with one worker for the page requests' own tasks: nothing it needs may wait for
    // another blocking thread.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let handle = runtime.handle().clone();
    runtime.block_on(async move {
        let all = rewards(9);
        let server = Server::start(move |seen| serve(&all, seen)).await;
        let items = partner(&server).rewards().list().limit(3).items();
        let walk =
            tokio::task::spawn_blocking(move || handle.block_on(items.try_collect::<Vec<_>>()));
        let got = tokio::time::timeout(std::time::Duration::from_secs(20), walk)
            .await
            .expect("the walk finished")
            .unwrap()
            .unwrap();
        assert_eq!(got.len(), 9);
        assert_eq!(server.requests().len(), 3);
    });
}

#[tokio::test]
async fn a_prefetched_page_does_not_time_out_while_the_caller_holds_the_one_before() {
    // The next page's request runs to its end by itself: a caller that keeps a page for longer
    // than the per-attempt timeout does not make it time out unread and be sent again.
    let all = rewards(9);
    let server = Server::start(move |seen| serve(&all, seen)).await;
    let client = partnerstack::partner::Client::builder()
        .api_key(crate::support::KEY)
        .base_url(&server.url)
        .timeout(std::time::Duration::from_millis(300))
        .retry_policy(crate::support::quick_retries())
        .build()
        .unwrap();
    let mut pages = client.rewards().list().limit(3).pages();
    let first = pages.try_next().await.unwrap().unwrap();
    assert_eq!(first.items.len(), 3);
    tokio::time::sleep(std::time::Duration::from_millis(900)).await;
    let rest: Vec<_> = pages.try_collect().await.unwrap();
    assert_eq!(rest.len(), 2);
    assert_eq!(
        cursors(&server),
        [None, Some("rwrd_002".into()), Some("rwrd_005".into())],
        "each page asked for once"
    );
}

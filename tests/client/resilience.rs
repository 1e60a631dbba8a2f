//! Retries, deadlines, hooks and hostile answers, against real local servers.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use partnerstack::{Error, RetryPolicy};
use serde_json::json;

use crate::support::{KEY, Reply, Server, envelope, partner, quick_retries, vendor};
use partnerstack_test_server::{
    FakeFault, Fault, Unanswered, customers, faulty_list, in_turn, refused_url,
};

fn empty_page() -> serde_json::Value {
    envelope(json!({"has_more": false, "items": []}))
}

/// A Vendor API client for `url` with quick retries, to finish and build.
fn vendor_at(url: &str) -> partnerstack::vendor::ClientBuilder {
    partnerstack::vendor::Client::builder()
        .public_key("pk")
        .secret_key("sk")
        .base_url(url)
        .retry_policy(quick_retries())
}

/// A customer to create: a POST, which may not be sent twice.
fn new_customer() -> partnerstack::vendor::models::CustomerCreate {
    partnerstack::vendor::models::CustomerCreate::builder()
        .email("a@b.co")
        .partner_key("gstest")
        .build()
}

/// Answers `failure` `n` times, then an empty page.
fn fails_first(
    n: usize,
    failure: Reply,
) -> impl Fn(&partnerstack_test_server::Seen) -> Reply + Send + Sync {
    let mut script = vec![failure; n];
    script.push(Reply::json(200, empty_page()));
    in_turn(script)
}

#[tokio::test]
async fn transient_failures_are_retried_until_success() {
    let server = Server::start(fails_first(
        3,
        Reply::json(503, json!({"message": "busy", "status": 503})),
    ))
    .await;
    let page = partner(&server).rewards().list().send().await.unwrap();
    assert!(page.items.is_empty());
    assert_eq!(server.requests().len(), 4);
}

#[tokio::test]
async fn the_error_after_the_last_attempt_says_how_many_were_made() {
    let server = Server::start(|_| {
        Reply::json(502, json!({"message": "upstream down", "status": 502}))
            .header("x-request-id", "req_7f3a")
    })
    .await;
    let err = partner(&server).payouts().list().send().await.unwrap_err();
    let info = err.request().unwrap();
    assert_eq!(
        (info.attempts, info.request_id.as_deref()),
        (4, Some("req_7f3a"))
    );
    assert!(err.is_retryable());
    let text = err.to_string();
    for part in [
        "payouts.list",
        "GET /api/v2/payouts",
        "4 attempts",
        "request id req_7f3a",
        "502",
        "upstream down",
    ] {
        assert!(text.contains(part), "`{part}` missing from: {text}");
    }
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    let server =
        Server::start(|_| Reply::json(404, json!({"message": "Not found", "status": 404}))).await;
    let err = partner(&server)
        .marketplace_programs()
        .get("co_x")
        .send()
        .await
        .unwrap_err();
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let server = Server::start(|_| Reply::json(503, json!({"message": "busy"}))).await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    client.rewards().list().send().await.unwrap_err();
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn retry_after_is_honoured_and_never_waited_past_the_deadline() {
    // Retry-After: 0 → retried at once.
    let server = Server::start(fails_first(
        1,
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "0"),
    ))
    .await;
    partner(&server).rewards().list().send().await.unwrap();
    assert_eq!(server.requests().len(), 2);

    // Retry-After beyond the deadline → no point waiting: the 429 is returned at once.
    let server = Server::start(|_| {
        Reply::json(429, json!({"message": "slow down"})).header("retry-after", "3600")
    })
    .await;
    let err = partner(&server).rewards().list().send().await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn a_post_is_not_retried_once_it_may_have_been_received() {
    // An error status: the server got it.
    let server = Server::start(|_| Reply::json(503, json!({"message": "busy"}))).await;
    let body = new_customer();
    let err = vendor(&server)
        .customers()
        .create(body.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.request().unwrap().attempts, 1);
    assert_eq!(server.requests().len(), 1);

    // A connection dropped after the request was sent: it may have been processed.
    let faults = Server::start(|_| Reply::fault(FakeFault::Dropped)).await;
    let client = vendor_at(&faults.url).build().unwrap();
    let err = client.customers().create(body).send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(faults.requests().len(), 1, "the POST was sent once");
}

#[tokio::test]
async fn a_request_that_never_left_is_retried_whatever_its_method() {
    let client = vendor_at(&refused_url()).build().unwrap();
    let err = client
        .customers()
        .create(new_customer())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.request().unwrap().attempts,
        4,
        "connection refused: retried even for a POST"
    );
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_get_is_retried_after_a_dropped_connection_or_a_body_cut_short() {
    let items: Vec<_> = (0..3)
        .map(|i| {
            json!({"key": format!("grup_{i}"), "created_at": 1, "updated_at": 1,
        "name": null, "slug": null, "archived": null, "default": null, "features": null})
        })
        .collect();
    for fault in [
        Fault::Fake(FakeFault::Dropped),
        Fault::Truncated,
        Fault::TruncatedJson,
        Fault::HtmlGateway,
    ] {
        // A fault on every other request (rate 0.5 from this seed): the walk still finishes.
        let server = Server::start(faulty_list(items.clone(), 0.5, &[fault], 11)).await;
        let client = vendor_at(&server.url)
            .retry_policy(quick_retries().max_attempts(10))
            .build()
            .unwrap();
        let got: Vec<_> = client
            .groups()
            .list()
            .limit(1)
            .items()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(got.len(), 3, "{fault:?}");
        assert!(
            server.stats().faults.values().sum::<usize>() > 0,
            "{fault:?} was injected"
        );
    }
}

#[tokio::test]
async fn a_slow_answer_or_a_trickled_body_hits_the_timeout() {
    let slow =
        Server::start(|_| Reply::json(200, empty_page()).after(Duration::from_secs(5))).await;
    let items = vec![json!({"key": "x".repeat(200)})];
    // 200-odd bytes at one every 50 ms: about ten seconds.
    let trickled = Server::start(faulty_list(items, 1.0, &[Fault::Trickle], 3)).await;
    for (what, server, timeout_ms) in [("slow", &slow, 100), ("trickled", &trickled, 300)] {
        let client = partnerstack::partner::Client::builder()
            .api_key(KEY)
            .base_url(&server.url)
            .timeout(Duration::from_millis(timeout_ms))
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let err = client.customers().list().send().await.unwrap_err();
        assert!(err.is_timeout(), "{what}: {err:?}");
    }
}

#[tokio::test]
async fn a_call_deadline_bounds_retries_and_their_waits() {
    let server = Server::start(|_| {
        Reply::json(503, json!({"message": "busy"})).after(Duration::from_millis(30))
    })
    .await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(1000)
                .base_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap();
    let err = client
        .rewards()
        .list()
        .deadline(Duration::from_millis(400))
        .send()
        .await
        .unwrap_err();
    // Far fewer than 1000 attempts: the deadline stopped the retries.
    let attempts = err.request().unwrap().attempts;
    assert!(attempts < 100, "{attempts} attempts");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_walk_deadline_ends_the_stream() {
    let server = Server::start(|seen| {
        let next = seen.param("starting_after").map_or(0, |k| {
            k.trim_start_matches("rwrd_").parse::<u32>().unwrap() + 1
        });
        let mut item = crate::support::payload("partner/rewards.json")["data"]["items"][0].clone();
        item["key"] = json!(format!("rwrd_{next}"));
        Reply::json(200, envelope(json!({"has_more": true, "items": [item]})))
            .after(Duration::from_millis(40))
    })
    .await;
    let mut items = partner(&server)
        .rewards()
        .list()
        .deadline(Duration::from_millis(300))
        .items();
    let mut delivered = 0;
    let mut end = None;
    while let Some(next) = items.next().await {
        match next {
            Ok(_) => delivered += 1,
            Err(e) => end = Some(e),
        }
    }
    let end = end.expect("the walk ends with an error, not silently");
    assert!(end.is_timeout(), "{end:?}");
    assert!((1..100).contains(&delivered), "{delivered}");
}

#[tokio::test]
async fn hooks_add_headers_and_see_every_attempt() {
    let server = Server::start(fails_first(2, Reply::json(500, json!({"message": "oops"})))).await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(quick_retries())
        .on_request(|info, headers| {
            headers.insert(
                "x-trace-id",
                format!("trace-{}", info.attempts).parse().unwrap(),
            );
            headers.insert("authorization", "Bearer stolen".parse().unwrap());
        })
        .on_response(move |r| {
            log.lock().unwrap().push((
                r.request.operation,
                r.request.attempts,
                r.status.map(|s| s.as_u16()),
            ));
        })
        .build()
        .unwrap();
    client.customers().list().send().await.unwrap();
    let requests = server.requests();
    let traces: Vec<_> = requests
        .iter()
        .map(|r| r.header("x-trace-id").unwrap().to_string())
        .collect();
    assert_eq!(traces, ["trace-1", "trace-2", "trace-3"]);
    assert!(
        requests
            .iter()
            .all(|r| r.header("authorization") == Some(&format!("Bearer {KEY}"))),
        "a hook cannot replace the credentials"
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [
            ("customers.list", 1, Some(500)),
            ("customers.list", 2, Some(500)),
            ("customers.list", 3, Some(200))
        ]
    );
}

#[tokio::test]
async fn oversized_bodies_are_refused_whether_announced_or_not() {
    // Announced: Content-Length above the limit.
    let server = Server::start(|_| Reply::fault(Fault::Oversized)).await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .build()
        .unwrap();
    let err = client.rewards().list().send().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::ResponseTooLarge {
                limit: 8_388_608,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert_eq!(server.requests().len(), 1, "not retried");

    // Unannounced (no Content-Length): a body that grows past a small limit over several small
    // chunks, or in one large chunk (read in the client's first read, of 8 KiB or more).
    for piece in [1000, 20_000] {
        let big = "x".repeat(10_000);
        let server = Server::start(move |_| {
            Reply::json(
                200,
                envelope(json!({"has_more": false, "items": [], "pad": big})),
            )
            .in_pieces(piece)
        })
        .await;
        let client = partnerstack::partner::Client::builder()
            .api_key(KEY)
            .base_url(&server.url)
            .max_response_bytes(4096)
            .build()
            .unwrap();
        let err = client.rewards().list().send().await.unwrap_err();
        assert!(
            matches!(err, Error::ResponseTooLarge { limit: 4096, .. }),
            "pieces of {piece}: {err:?}"
        );
        assert!(err.to_string().contains("4096 bytes"), "{err}");
    }
}

#[tokio::test]
async fn a_body_read_in_many_chunks_decodes_whole() {
    // Pages sent 7 bytes at a time, with no length announced: the client joins the chunks (a
    // body that arrives in one chunk is kept as it is).
    let list = faulty_list(customers(30), 0.0, &[], 1);
    let server = Server::start(move |req| list(req).in_pieces(7)).await;
    let walked: Vec<String> = partner(&server)
        .customers()
        .list()
        .limit(10)
        .items()
        .map_ok(|c| c.key)
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..30).map(|i| format!("cus_{i:05}")).collect();
    assert_eq!(walked, expected);
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn deeply_nested_or_garbage_json_is_a_decode_error() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bodies = [
        format!(r#"{{"data": {deep}}}"#),
        "\u{0}\u{1}garbage\u{7f}".to_string(),
        r#"{"data": {"has_more": false, "items": [], "total": 1e999}}"#.to_string(),
        "{\"data\": {\"has_more\": false, \"items\": []}} trailing".to_string(),
    ];
    for body in bodies {
        let b = body.clone();
        let server = Server::start(move |_| Reply::raw(200, "application/json", b.clone())).await;
        let err = partner(&server).rewards().list().send().await.unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{:.60}: {err:?}", body);
        assert!(!err.is_retryable());
    }
}

#[tokio::test]
async fn hostile_keys_are_percent_encoded() {
    let server = Server::start(|_| Reply::json(200, json!({"message": "ok"}))).await;
    let client = vendor(&server);
    for (key, encoded) in [
        ("a/b", "a%2Fb"),
        ("a?b=1", "a%3Fb%3D1"),
        ("a#frag", "a%23frag"),
        ("100%", "100%25"),
        ("with space", "with%20space"),
        ("Zürich✓", "Z%C3%BCrich%E2%9C%93"),
        ("%2e%2e", "%252e%252e"),
    ] {
        client.customers().delete(key).send().await.unwrap();
        assert_eq!(
            server.requests().pop().unwrap().path,
            format!("/api/v2/customers/{encoded}"),
            "{key}"
        );
    }
}

#[tokio::test]
async fn a_post_whose_success_answer_was_cut_short_is_not_retried() {
    let faults = Server::start(faulty_list(Vec::new(), 1.0, &[Fault::TruncatedJson], 7)).await;
    let client = vendor_at(&faults.url).build().unwrap();
    let err = client
        .customers()
        .create(new_customer())
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    assert!(err.is_truncated() && err.is_retryable(), "{err:?}");
    assert_eq!(
        faults.requests().len(),
        1,
        "it may have been created: sent once"
    );

    // The same answer to a GET is retried until the attempts run out.
    let err = client.groups().list().send().await.unwrap_err();
    assert!(err.is_truncated(), "{err:?}");
    assert_eq!(err.request().unwrap().attempts, 4);
    assert_eq!(faults.requests().len(), 1 + 4);
}

#[tokio::test]
async fn a_post_whose_connection_could_not_be_opened_in_time_is_retried() {
    let unanswered = Unanswered::start().await;
    let client = vendor_at(&unanswered.url)
        .connect_timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let err = client
        .customers()
        .create(new_customer())
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        err.transport_kind(),
        Some(partnerstack::TransportErrorKind::ConnectTimedOut),
        "{err:?}"
    );
    assert!(err.is_timeout() && err.is_retryable());
    assert_eq!(
        err.request().unwrap().attempts,
        4,
        "never sent: retried even for a POST"
    );
}

#[tokio::test]
async fn a_huge_retry_after_is_not_waited_for_even_without_a_deadline() {
    let server = Server::start(|_| {
        Reply::json(503, json!({"message": "maintenance"})).header("retry-after", "99999999")
    })
    .await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .retry_policy(quick_retries().deadline(None))
        .build()
        .unwrap();
    // A guard against the old behaviour (sleeping for years), not a timing assertion.
    let err = tokio::time::timeout(Duration::from_secs(60), client.rewards().list().send())
        .await
        .expect("the client slept on a Retry-After beyond its policy")
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(err.is_retryable());
    assert_eq!(server.requests().len(), 1);
}

#[tokio::test]
async fn an_error_body_over_the_size_limit_keeps_its_status_and_is_retried() {
    let big = "x".repeat(10_000);
    let server = Server::start(move |_| Reply::raw(503, "text/html", big.clone())).await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .max_response_bytes(4096)
        .retry_policy(quick_retries())
        .build()
        .unwrap();
    let err = client.rewards().list().send().await.unwrap_err();
    let Error::Api {
        status, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 503);
    assert!(message.contains("4096-byte limit"), "{message}");
    assert!(err.is_retryable());
    assert_eq!(
        server.requests().len(),
        4,
        "a 503 is retried whatever its body"
    );
}

#[tokio::test]
async fn the_longest_durations_are_accepted_everywhere() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    let client = partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .timeout(Duration::MAX)
        .connect_timeout(Duration::MAX)
        .retry_policy(
            RetryPolicy::default()
                .max_attempts(u32::MAX)
                .base_delay(Duration::MAX)
                .max_delay(Duration::MAX)
                .max_retry_after(Duration::MAX)
                .deadline(Duration::MAX),
        )
        .build()
        .unwrap();
    client
        .rewards()
        .list()
        .deadline(Duration::MAX)
        .send()
        .await
        .unwrap();
    let items: Vec<_> = client
        .rewards()
        .list()
        .deadline(Duration::MAX)
        .items()
        .max_pages(u64::MAX)
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    client
        .rewards()
        .list()
        .deadline(Duration::ZERO)
        .send()
        .await
        .unwrap_err();
}

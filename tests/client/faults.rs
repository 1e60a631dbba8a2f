//! Walking a long list through a server that fails a fifth of its requests: every item arrives
//! exactly once and in order; when retries run out, the caller resumes from the last key.

use std::collections::HashSet;
use std::time::Duration;

use futures::StreamExt;
use partnerstack::partner::models::Customer;

use crate::support::{KEY, quick_retries};
use partnerstack_test_server::{Server, TRANSIENT, customers, faulty_list};

fn client(url: &str, policy: partnerstack::RetryPolicy) -> partnerstack::partner::Client {
    partnerstack::partner::Client::builder()
        .api_key(KEY)
        .base_url(url)
        // Short enough that a trickled body times out quickly, long enough for a real page.
        .timeout(Duration::from_millis(500))
        .retry_policy(policy)
        .build()
        .unwrap()
}

fn assert_exactly_once_in_order(got: &[Customer], n: usize) {
    let unique: HashSet<&str> = got.iter().map(|c| c.key.as_str()).collect();
    assert_eq!(unique.len(), got.len(), "duplicates delivered");
    assert_eq!(got.len(), n, "items lost");
    assert!(
        got.iter()
            .enumerate()
            .all(|(i, c)| c.key == format!("cus_{i:05}")),
        "items out of order"
    );
}

#[tokio::test]
async fn ten_thousand_items_through_a_fifth_of_requests_failing() {
    let n = 10_000;
    let server = Server::start(faulty_list(customers(n), 0.2, TRANSIENT, 0x5eed)).await;
    let walk = client(&server.url, quick_retries().max_attempts(10))
        .customers()
        .list()
        .limit(100)
        .items();
    let got: Vec<Customer> = walk.map(|r| r.unwrap()).collect().await;
    assert_exactly_once_in_order(&got, n);

    let stats = server.stats();
    let faulted: usize = stats.faults.values().sum();
    assert!(stats.requests >= 100 + faulted, "{stats:?}");
    assert!(
        faulted * 100 >= stats.requests * 10,
        "about a fifth of requests faulted: {stats:?}"
    );
    assert!(
        stats.faults.len() >= 6,
        "most kinds of fault were injected: {stats:?}"
    );
}

#[tokio::test]
async fn when_retries_run_out_the_caller_resumes_from_the_last_key() {
    let n = 2_000;
    let server = Server::start(faulty_list(customers(n), 0.3, TRANSIENT, 0xbad5eed)).await;
    let client = client(&server.url, partnerstack::RetryPolicy::never());
    let mut got: Vec<Customer> = Vec::new();
    let mut failures = 0;
    while got.len() < n {
        let mut list = client.customers().list().limit(100);
        if let Some(last) = got.last() {
            list = list.starting_after(last.key.clone());
        }
        let mut items = list.items();
        while let Some(next) = items.next().await {
            match next {
                Ok(c) => got.push(c),
                Err(e) => {
                    assert!(e.is_retryable(), "{e}");
                    failures += 1;
                }
            }
        }
        assert!(failures < 1_000, "no progress");
    }
    assert!(failures > 0, "faults ended some walks");
    assert_exactly_once_in_order(&got, n);
}

#[tokio::test]
async fn prefetched_pages_arrive_exactly_once_in_order_while_the_caller_works() {
    let n = 3_000;
    let server = Server::start(faulty_list(customers(n), 0.2, TRANSIENT, 0xfe7c4)).await;
    let mut pages = client(&server.url, quick_retries().max_attempts(10))
        .customers()
        .list()
        .limit(100)
        .pages();
    let mut got: Vec<Customer> = Vec::new();
    while let Some(page) = pages.next().await {
        // The caller's work on a page, during which the next one is fetched (or fails).
        tokio::time::sleep(Duration::from_millis(2)).await;
        got.extend(page.unwrap().items);
    }
    assert_exactly_once_in_order(&got, n);
    let stats = server.stats();
    assert!(stats.faults.values().sum::<usize>() > 0, "{stats:?}");
}

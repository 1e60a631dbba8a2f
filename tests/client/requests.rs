//! What goes on the wire: auth, headers, query parameters, paths, base URLs.

use partnerstack::Timestamp;
use partnerstack::partner::Client;
use partnerstack::partner::models::{HasSubIdFilter, OrderByCreated, PaymentStatus, RewardOrder};

use crate::support::{KEY, Reply, Server, envelope, partner};

fn empty_page() -> serde_json::Value {
    envelope(serde_json::json!({"has_more": false, "items": [], "total": 0}))
}

#[tokio::test]
async fn sends_bearer_key_accept_and_user_agent() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    partner(&server).rewards().list().send().await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.method, "GET");
    assert_eq!(seen.path, "/api/v2/rewards");
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(seen.header("accept"), Some("application/json"));
    let ua = seen.header("user-agent").unwrap();
    assert!(ua.starts_with("partnerstack-rust/"), "{ua}");
}

#[tokio::test]
async fn custom_user_agent_replaces_the_default() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .user_agent("my-service/2.1")
        .build()
        .unwrap();
    client.payouts().list().send().await.unwrap();
    assert_eq!(
        server.requests()[0].header("user-agent"),
        Some("my-service/2.1")
    );
}

#[tokio::test]
async fn query_parameters_use_wire_forms() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    let client = partner(&server);
    client
        .rewards()
        .list()
        .payment_status(PaymentStatus::Available)
        .order_by(RewardOrder::AmountDesc)
        .min_created(Timestamp::from_millis(1_700_000_000_000))
        .hide_archived_rewards(true)
        .keywords("Jane & Co")
        .limit(250)
        .starting_after("rwrd_abc")
        .send()
        .await
        .unwrap();
    client
        .partnerships()
        .list()
        .has_sub_id(HasSubIdFilter::Null)
        .include_offers(false)
        .send()
        .await
        .unwrap();
    client
        .actions()
        .list()
        .order_by(OrderByCreated::CreatedAtAsc)
        .ending_before("act_xyz")
        .send()
        .await
        .unwrap();
    let seen = server.requests();
    let rewards = &seen[0];
    assert_eq!(rewards.param("payment_status"), Some("available"));
    assert_eq!(rewards.param("order_by"), Some("-amount"));
    assert_eq!(rewards.param("min_created"), Some("1700000000000"));
    assert_eq!(rewards.param("hide_archived_rewards"), Some("true"));
    assert_eq!(rewards.param("keywords"), Some("Jane & Co"));
    assert_eq!(rewards.param("limit"), Some("250"));
    assert_eq!(rewards.param("starting_after"), Some("rwrd_abc"));
    assert_eq!(rewards.param("ending_before"), None);
    assert_eq!(seen[1].param("has_sub_id"), Some("null"));
    assert_eq!(seen[1].param("include_offers"), Some("false"));
    assert_eq!(seen[2].param("order_by"), Some("created_at"));
    assert_eq!(seen[2].param("ending_before"), Some("act_xyz"));
}

#[tokio::test]
async fn a_setter_called_twice_sends_the_last_value_once() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    partner(&server)
        .customers()
        .list()
        .order_by(OrderByCreated::CreatedAtAsc)
        .order_by(OrderByCreated::CreatedAtDesc)
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    let values: Vec<_> = seen.query.iter().filter(|(k, _)| k == "order_by").collect();
    assert_eq!(values.len(), 1);
    assert_eq!(values[0].1, "-created_at");
}

#[tokio::test]
async fn unknown_enum_values_can_be_sent() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    partner(&server)
        .rewards()
        .list()
        .payment_status(PaymentStatus::from("on_hold_for_review"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].param("payment_status"),
        Some("on_hold_for_review")
    );
}

#[tokio::test]
async fn path_parameters_are_percent_encoded() {
    let program = serde_json::json!({
        "id": 1, "key": "co_x", "name": "X", "category": null, "country": null,
        "created_at": null, "description": null, "has_sub_id": null, "logo": null,
        "website": null, "offers": null, "promotions": null
    });
    let server = Server::start(move |_| Reply::json(200, envelope(program.clone()))).await;
    let client = partner(&server);
    for (key, encoded) in [
        ("co_MCf1xvxSbKw35R", "co_MCf1xvxSbKw35R"),
        ("../customers", "..%2Fcustomers"),
        ("a/b?c#d %e", "a%2Fb%3Fc%23d%20%25e"),
        ("café", "caf%C3%A9"),
        ("...", "..."),
    ] {
        client.marketplace_programs().get(key).send().await.unwrap();
        let seen = server.requests().pop().unwrap();
        assert_eq!(
            seen.path,
            format!("/api/v2/marketplace/programs/{encoded}"),
            "key {key:?}"
        );
    }
}

#[tokio::test]
async fn path_parameters_that_would_change_the_path_are_refused() {
    let server = Server::start(|_| Reply::json(500, serde_json::json!({}))).await;
    let client = partner(&server);
    for key in ["", ".", ".."] {
        let err = client
            .marketplace_programs()
            .get(key)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                partnerstack::Error::InvalidArgument {
                    operation: Some("marketplace_programs.get"),
                    ..
                }
            ),
            "{key:?}: {err}"
        );
    }
    assert!(server.requests().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn base_url_with_a_path_prefix() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    let client = Client::builder()
        .api_key(KEY)
        .base_url(format!("{}/proxy/partnerstack/", server.url))
        .build()
        .unwrap();
    client.transactions().list().send().await.unwrap();
    assert_eq!(
        server.requests()[0].path,
        "/proxy/partnerstack/api/v2/transactions"
    );
}

#[tokio::test]
async fn a_callers_own_http_client_is_used() {
    let server = Server::start(|_| Reply::json(200, empty_page())).await;
    let http = partnerstack::reqwest_builder()
        .unwrap()
        .user_agent("shared-pool/1")
        .build()
        .unwrap();
    let client = Client::builder()
        .api_key(KEY)
        .base_url(&server.url)
        .http_client(http)
        .build()
        .unwrap();
    client.transactions().list().send().await.unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.header("user-agent"), Some("shared-pool/1"));
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
}

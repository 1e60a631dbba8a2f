//! Every kind of error, and that none of them (nor any `Debug`) shows the key.

use partnerstack::Error;
use partnerstack::partner::Client;

use crate::support::{KEY, Reply, Server, envelope, partner};

fn api_error(status: u16, message: &str) -> Reply {
    Reply::json(
        status,
        serde_json::json!({"message": message, "status": status}),
    )
}

#[tokio::test]
async fn error_statuses_carry_status_message_and_request() {
    for (status, message) in [
        (401, "Invalid API key"),
        (404, "Resource not found"),
        (429, "Too many requests"),
        (500, "Internal server error"),
    ] {
        let server = Server::start(move |_| api_error(status, message)).await;
        let err = partner(&server).rewards().list().send().await.unwrap_err();
        let Error::Api {
            status: got,
            message: got_message,
            request,
            ..
        } = &err
        else {
            panic!("expected an API error, got {err:?}")
        };
        assert_eq!(got.as_u16(), status);
        assert_eq!(got_message, message);
        assert_eq!(request.operation, "rewards.list");
        assert_eq!(request.method, "GET");
        assert_eq!(request.path, "/api/v2/rewards");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let text = err.to_string();
        assert!(
            text.contains("rewards.list") && text.contains(message),
            "{text}"
        );
    }
}

#[tokio::test]
async fn html_from_a_proxy_is_an_api_error_with_an_excerpt() {
    let page = "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center></body></html>";
    let server = Server::start(move |_| Reply::raw(502, "text/html", page)).await;
    let err = partner(&server)
        .customers()
        .list()
        .send()
        .await
        .unwrap_err();
    let Error::Api {
        status, message, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(status.as_u16(), 502);
    assert!(
        message.starts_with("non-JSON body: <html> <head><title>502 Bad Gateway"),
        "{message}"
    );
    assert!(!message.contains('\n'));
}

#[tokio::test]
async fn an_empty_error_body_gives_the_status_text() {
    let server = Server::start(|_| Reply::raw(503, "text/plain", "")).await;
    let err = partner(&server).payouts().list().send().await.unwrap_err();
    let Error::Api { message, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(message, "Service Unavailable");
}

#[tokio::test]
async fn json_cut_short_is_a_retryable_decode_error_with_a_scrubbed_excerpt() {
    let server = Server::start(|_| {
        Reply::raw(
            200,
            "application/json",
            r#"{"data": {"has_more": false, "items": [{"key": "rwrd_1", "#,
        )
    })
    .await;
    let err = partner(&server).rewards().list().send().await.unwrap_err();
    let Error::Decode {
        excerpt, request, ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert!(excerpt.contains(r#""key": "…""#), "{excerpt}");
    assert!(!format!("{err} {err:?}").contains("rwrd_1"), "{err:?}");
    assert_eq!(request.operation, "rewards.list");
    assert!(err.is_truncated() && err.is_retryable(), "{err:?}");
    assert_eq!(server.requests().len(), 4, "a GET cut short is retried");
}

#[tokio::test]
async fn a_field_of_the_wrong_type_names_its_json_path_but_not_the_value() {
    let mut page = crate::support::payload("partner/transactions.json");
    page["data"]["items"][1]["amount"] = serde_json::json!("jane.doe@example.com");
    let server = Server::start(move |_| Reply::json(200, page.clone())).await;
    let err = partner(&server)
        .transactions()
        .list()
        .send()
        .await
        .unwrap_err();
    let Error::Decode {
        path,
        excerpt,
        source,
        ..
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(path, "data.items[1].amount");
    assert!(excerpt.contains(r#""amount":"…""#), "{excerpt}");
    let text = format!("{err} | {err:?} | {err:#?}");
    assert!(text.contains("data.items[1].amount"), "{text}");
    assert!(text.contains("invalid type: string"), "{text}");
    assert!(
        !text.contains("jane"),
        "a value from the body was printed: {text}"
    );
    assert!(
        std::error::Error::source(&err).is_none(),
        "serde's message quotes the value"
    );
    assert!(
        source.to_string().contains("jane.doe@example.com"),
        "still there for code that asks"
    );
    assert!(!err.is_retryable() && !err.is_truncated());
    assert_eq!(server.requests().len(), 1, "complete JSON is not retried");
}

#[tokio::test]
async fn a_missing_required_field_names_its_path() {
    let mut page = crate::support::payload("partner/customers.json");
    page["data"]["items"][0]
        .as_object_mut()
        .unwrap()
        .remove("partnership_key");
    let server = Server::start(move |_| Reply::json(200, page.clone())).await;
    let err = partner(&server)
        .customers()
        .list()
        .send()
        .await
        .unwrap_err();
    let Error::Decode { path, source, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "data.items[0]");
    assert!(source.to_string().contains("partnership_key"), "{source}");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    let client = Client::builder()
        .api_key(KEY)
        .base_url(partnerstack_test_server::refused_url())
        .build()
        .unwrap();
    let err = client.rewards().list().send().await.unwrap_err();
    let Error::Transport { request, kind, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(request.operation, "rewards.list");
    assert_eq!(*kind, partnerstack::TransportErrorKind::ConnectionRefused);
    assert!(err.to_string().ends_with("connection refused"), "{err}");
    assert!(err.is_retryable());
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn limit_outside_the_range_fails_before_sending() {
    let server = Server::start(|_| Reply::json(200, envelope(serde_json::json!({})))).await;
    let client = partner(&server);
    for limit in [0, 251, u32::MAX] {
        let err = client
            .rewards()
            .list()
            .limit(limit)
            .send()
            .await
            .unwrap_err();
        let Error::InvalidArgument {
            message, operation, ..
        } = &err
        else {
            panic!("{err:?}")
        };
        assert_eq!(*operation, Some("rewards.list"));
        assert!(message.contains("between 1 and 250"), "{message}");
    }
    for limit in [1, 250] {
        // Valid limits get past validation (the empty body then fails to decode).
        let err = client
            .rewards()
            .list()
            .limit(limit)
            .send()
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{err:?}");
    }
    assert_eq!(
        server.requests().len(),
        2,
        "only the valid limits were sent"
    );
}

#[tokio::test]
async fn both_cursors_at_once_fail_before_sending() {
    let server = Server::start(|_| Reply::json(500, serde_json::json!({}))).await;
    let err = partner(&server)
        .payouts()
        .list()
        .starting_after("pay_a")
        .ending_before("pay_b")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidArgument { .. }), "{err:?}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn builder_errors_are_clear_and_keyless() {
    let missing = Client::builder().build().unwrap_err();
    assert!(
        missing.to_string().contains("`api_key` is required"),
        "{missing}"
    );

    let bad_key = Client::builder()
        .api_key("line\nbreak-secret")
        .build()
        .unwrap_err();
    assert!(
        bad_key
            .to_string()
            .contains("not allowed in an HTTP header"),
        "{bad_key}"
    );
    assert!(!format!("{bad_key}{bad_key:?}").contains("break-secret"));

    let insecure = Client::builder()
        .api_key(KEY)
        .base_url("http://api.example.com")
        .build()
        .unwrap_err();
    assert!(insecure.to_string().contains("clear text"), "{insecure}");
    Client::builder()
        .api_key(KEY)
        .base_url("http://api.example.com")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    for local in ["http://localhost:1", "http://127.0.0.1:1", "http://[::1]:1"] {
        Client::builder()
            .api_key(KEY)
            .base_url(local)
            .build()
            .unwrap();
    }
    let with_query = Client::builder()
        .api_key(KEY)
        .base_url("https://api.example.com/?x=1")
        .build()
        .unwrap_err();
    assert!(with_query.to_string().contains("query"), "{with_query}");
}

#[tokio::test]
async fn a_bad_key_given_to_new_fails_the_first_request_without_sending() {
    let server = Server::start(|_| Reply::json(200, serde_json::json!({}))).await;
    // `new` cannot fail; the bad key surfaces at the first request.
    let client = Client::new("");
    let err = client.rewards().list().send().await.unwrap_err();
    assert!(err.to_string().contains("is empty"), "{err}");
    assert!(server.requests().is_empty());
}

#[tokio::test]
async fn no_error_or_debug_output_contains_the_key() {
    let secret = "sk_live_DO_NOT_LEAK_4242";
    let server = Server::start(|seen| match seen.path.as_str() {
        "/api/v2/rewards" => api_error(401, "bad key"),
        "/api/v2/customers" => Reply::raw(200, "application/json", "{"),
        _ => Reply::raw(502, "text/html", "<html>oops</html>"),
    })
    .await;
    let client = Client::builder()
        .api_key(secret)
        .base_url(&server.url)
        .build()
        .unwrap();
    let builder = Client::builder().api_key(secret);
    let mut outputs = vec![format!("{client:?}"), format!("{builder:?}")];
    outputs.push(format!("{:?}", client.rewards().list()));
    outputs.push(format!("{:?}", client.rewards()));
    for err in [
        client.rewards().list().send().await.unwrap_err(),
        client.customers().list().send().await.unwrap_err(),
        client.payouts().list().send().await.unwrap_err(),
        client.rewards().list().limit(0).send().await.unwrap_err(),
    ] {
        outputs.push(format!("{err}"));
        outputs.push(format!("{err:?}"));
        outputs.push(format!("{err:#?}"));
        let mut source = std::error::Error::source(&err);
        while let Some(s) = source {
            outputs.push(format!("{s} {s:?}"));
            source = s.source();
        }
    }
    for text in outputs {
        assert!(!text.contains(secret), "the key leaked: {text}");
    }
}

#[tokio::test]
async fn vendor_and_conversion_secrets_never_show() {
    let (public, secret, token) = (
        "pk_live_PUBLIC_777",
        "sk_live_SECRET_888",
        "trk_live_TOKEN_999",
    );
    let server = Server::start(|_| api_error(401, "bad credentials")).await;
    let vendor = partnerstack::vendor::Client::builder()
        .public_key(public)
        .secret_key(secret)
        .base_url(&server.url)
        .build()
        .unwrap();
    let conversion = partnerstack::conversion::Client::builder()
        .tracking_token(token)
        .base_url(&server.url)
        .build()
        .unwrap();
    let mut outputs = vec![
        format!("{vendor:?}"),
        format!("{conversion:?}"),
        format!(
            "{:?}",
            partnerstack::vendor::Client::builder()
                .public_key(public)
                .secret_key(secret)
        ),
        format!("{:?}", vendor.customers().delete("x")),
    ];
    let errors = [
        vendor.customers().get("cus_1").send().await.unwrap_err(),
        conversion
            .conversions()
            .create(
                partnerstack::conversion::models::Conversion::builder()
                    .xid("xid")
                    .customer_key("c")
                    .build(),
            )
            .send()
            .await
            .unwrap_err(),
        partnerstack::vendor::Client::builder()
            .public_key("pk:colon")
            .secret_key(secret)
            .build()
            .unwrap_err(),
    ];
    for err in &errors {
        outputs.push(format!("{err} {err:?}"));
    }
    for text in outputs {
        for s in [public, secret, token] {
            assert!(!text.contains(s), "a secret leaked: {text}");
        }
    }
    assert!(
        errors[2]
            .to_string()
            .contains("public key cannot contain `:`"),
        "{}",
        errors[2]
    );
}

//! Raw requests the client would never send: bad limits, both cursors, bad JSON, missing or
//! mistyped fields, path tricks, wrong auth schemes, huge bodies. Every answer is PartnerStack's
//! error envelope with a message naming what is wrong.

use crate::support::{Raw, basic, bearer, raw, start};

fn error(r: &Raw, status: u16) -> String {
    assert_eq!(r.status, status, "{}", r.json);
    assert_eq!(r.json["status"], status);
    assert!(r.json.get("data").is_none(), "{}", r.json);
    r.json["message"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn limits_and_cursors_are_checked() {
    let server = start(3).await;
    let auth = bearer(server.partner_key());
    for limit in ["0", "251", "-1", "abc", "99999999999999999999", "1.5", ""] {
        let r = raw(
            &server,
            "GET",
            &format!("/api/v2/rewards?limit={limit}"),
            Some(&auth),
            None,
        )
        .await;
        assert!(
            error(&r, 400).contains("'limit' must be an integer from 1 to 250"),
            "{limit}"
        );
    }
    // Payouts: the partner's own, every seeded one.
    let r = raw(
        &server,
        "GET",
        "/api/v2/payouts?limit=250",
        Some(&auth),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json["data"]["items"].as_array().unwrap().len(), 3);
    assert_eq!(r.json["data"]["has_more"], false);
    assert_eq!(r.json["message"], "Page returned successfully");

    let r = raw(
        &server,
        "GET",
        "/api/v2/rewards?starting_after=a&ending_before=b",
        Some(&auth),
        None,
    )
    .await;
    assert!(error(&r, 400).contains("cannot be used together"));
    let r = raw(
        &server,
        "GET",
        "/api/v2/rewards?starting_after=rwrd_nope",
        Some(&auth),
        None,
    )
    .await;
    assert!(error(&r, 400).contains("'starting_after'"));
    let r = raw(
        &server,
        "GET",
        "/api/v2/rewards?min_created=yesterday",
        Some(&auth),
        None,
    )
    .await;
    assert!(error(&r, 400).contains("'min_created' must be an integer"));
    let r = raw(
        &server,
        "GET",
        "/api/v2/rewards?limit=1&limit=2",
        Some(&auth),
        None,
    )
    .await;
    assert!(error(&r, 400).contains("once"));
}

#[tokio::test]
async fn bodies_are_validated_against_the_spec() {
    let server = start(1).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let post = |body: &'static str| {
        let (server, auth) = (&server, auth.clone());
        async move { raw(server, "POST", "/api/v2/customers", Some(&auth), Some(body)).await }
    };
    let r = post(r#"{"customer_key": null, "partner_key": "gstest"}"#).await;
    assert_eq!(error(&r, 400), "'email' is a required property");
    let r = post(r#"{"customer_key": "k", "email": 42, "partner_key": "gstest"}"#).await;
    assert_eq!(error(&r, 400), "'email' must be a string, not an integer");
    let r = post(r#"{"customer_key": "k", "email": "a@b.c", "partner_key": null}"#).await;
    assert_eq!(error(&r, 400), "'partner_key' may not be null");
    let r = post(r#"{"customer_key": "k", "email": "a@b.c""#).await;
    assert!(error(&r, 400).contains("not valid JSON"));
    let r = post("[]").await;
    assert!(error(&r, 400).contains("must be an object"));
    let r = post("").await;
    assert!(error(&r, 400).contains("JSON request body is required"));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&auth),
        Some(&deep),
    )
    .await;
    assert_eq!(r.status, 400);

    // exactly one of the `one_of` group
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&auth),
        Some(r#"{"amount": 100, "currency": "USD"}"#),
    )
    .await;
    assert!(error(&r, 400).contains("exactly one of"), "{}", r.json);

    let huge = format!("{{\"email\": \"{}\"}}", "a".repeat(2 << 20));
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&auth),
        Some(&huge),
    )
    .await;
    assert!(error(&r, 413).contains("larger than"));
}

#[tokio::test]
async fn keys_cannot_walk_the_path() {
    let server = start(2).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    for path in [
        "/api/v2/customers/..%2F..%2Fpartnerships",
        "/api/v2/customers/%2e%2e",
        "/api/v2/customers/%00",
        "/api/v2/customers/%FF%FE",
        "/api/v2/customers//",
        "/api/v2/customers/",
        "/api/v2//customers",
        "/etc/passwd",
        "/api/v2/customers/a/b/c/d",
    ] {
        let r = raw(&server, "GET", path, Some(&auth), None).await;
        assert_eq!(r.status, 404, "{path}: {}", r.json);
        assert_eq!(r.json["status"], 404, "{path}");
    }
    let r = raw(&server, "PUT", "/api/v2/customers", Some(&auth), Some("{}")).await;
    assert!(error(&r, 405).contains("PUT"));
}

#[tokio::test]
async fn wrong_credentials_are_401_envelopes() {
    let server = start(1).await;
    let vendor = basic(server.vendor_public_key(), server.vendor_secret_key());
    let cases = [
        None,
        Some("Bearer".to_string()),
        Some("Bearer ".to_string()),
        Some(bearer("nope")),
        Some(bearer(server.tracking_token())),
        Some(format!("Token {}", server.partner_key())),
        Some("Basic !!!not-base64!!!".to_string()),
        Some(basic(server.partner_key(), "")),
        Some(basic(server.vendor_public_key(), "sk_wrong")),
        Some(vendor.replace("Basic", "Bearer")),
    ];
    for auth in &cases {
        let r = raw(&server, "GET", "/api/v2/rewards", auth.as_deref(), None).await;
        error(&r, 401);
    }
    // The partner key does not open the Vendor API's own paths, nor the vendor key the
    // conversion call.
    let r = raw(
        &server,
        "DELETE",
        "/api/v2/customers/x",
        Some(&bearer(server.partner_key())),
        None,
    )
    .await;
    error(&r, 401);
    let r = raw(
        &server,
        "POST",
        "/conversion/xid",
        Some(&vendor),
        Some("{}"),
    )
    .await;
    error(&r, 401);
    // Scheme names are case-insensitive.
    let r = raw(
        &server,
        "GET",
        "/api/v2/rewards",
        Some(&vendor.replace("Basic", "bAsIc")),
        None,
    )
    .await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn the_conversion_call_validates_and_answers_empty() {
    let server = start(1).await;
    let auth = bearer(server.tracking_token());
    let r = raw(
        &server,
        "POST",
        "/conversion/xid",
        Some(&auth),
        Some(r#"{"xid": "a"}"#),
    )
    .await;
    assert_eq!(error(&r, 400), "'customer_key' is a required property");
    let r = raw(
        &server,
        "POST",
        "/conversion/xid",
        Some(&auth),
        Some(r#"{"xid": "a", "customer_key": "b"}"#),
    )
    .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.json, serde_json::Value::Null, "empty body");
    assert_eq!(r.headers["x-fake-operation"], "conversions.create");
}

#[tokio::test]
async fn a_body_repeating_a_key_is_refused_naming_it() {
    let server = start(1).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&auth),
        Some(r#"{"customer_key": "k", "email": "a@example.com", "email": "b@example.com", "partner_key": "gstest"}"#),
    )
    .await;
    assert!(error(&r, 400).contains("'email' is repeated"), "{}", r.json);
}

#[tokio::test]
async fn hostile_queries_and_bodies_get_envelopes_never_a_500() {
    let server = start(5).await;
    let partner = bearer(server.partner_key());
    let vendor = basic(server.vendor_public_key(), server.vendor_secret_key());
    let long = format!("/api/v2/rewards?keywords={}", "a".repeat(10_000));
    let r = raw(&server, "GET", &long, Some(&partner), None).await;
    assert!(error(&r, 414).contains("longer than"));
    for query in [
        "payment_status=%FF%FE",
        "min_created=1e99",
        "min_created=-9223372036854775809",
        "order_by=-",
        "order_by=",
        "status=&status=",
        "customer_key=%00",
        "limit=%2B5",
        "starting_after=",
        "description=%25%25%25",
        "a=b&&&&=&=c",
    ] {
        let r = raw(
            &server,
            "GET",
            &format!("/api/v2/rewards?{query}"),
            Some(&partner),
            None,
        )
        .await;
        assert!(
            [200, 400].contains(&r.status),
            "{query}: {} {}",
            r.status,
            r.json
        );
        assert_eq!(r.json["status"], r.status, "{query}");
    }
    for body in [
        "null",
        "\"text\"",
        "12",
        "{\"customer_key\": \"k\", \"email\": \"a@b.c\", \"partner_key\": \"nobody\u{0}\"}",
        "{\"customer_key\": {\"nested\": true}, \"email\": \"a@b.c\", \"partner_key\": \"gstest\"}",
        "{\"customer_key\": \"k\", \"email\": \"a@b.c\", \"partner_key\": \"gstest\", \"meta\": [1]}",
        "{\"email\": 1e400}",
        "\u{feff}{}",
    ] {
        let r = raw(
            &server,
            "POST",
            "/api/v2/customers",
            Some(&vendor),
            Some(body),
        )
        .await;
        assert!(
            [200, 400].contains(&r.status),
            "{body}: {} {}",
            r.status,
            r.json
        );
        assert_eq!(r.json["status"], r.status, "{body}");
    }
    // Updates and deletes of keys that do not exist, or are hostile.
    for path in [
        "/api/v2/customers/nope",
        "/api/v2/customers/%E2%80%AE",
        "/api/v2/webhooks/x",
    ] {
        let r = raw(&server, "PATCH", path, Some(&vendor), Some("{}")).await;
        error(&r, 404);
        let r = raw(&server, "DELETE", path, Some(&vendor), None).await;
        error(&r, 404);
    }
}

#[tokio::test]
async fn lengths_and_bounds_are_checked_naming_the_field() {
    let server = start(2).await;
    let auth = basic(server.vendor_public_key(), server.vendor_secret_key());
    let post = |path: &'static str, body: String| {
        let (server, auth) = (&server, auth.clone());
        async move { raw(server, "POST", path, Some(&auth), Some(&body)).await }
    };
    let customer = |email: &str, name: &str| {
        format!(
            r#"{{"customer_key": null, "email": "{email}", "partner_key": "gstest", "name": "{name}"}}"#
        )
    };
    let r = post("/api/v2/customers", customer("a@b", "Jane")).await;
    assert_eq!(
        error(&r, 400),
        "'email' is too short: at least 4 characters"
    );
    let r = post(
        "/api/v2/customers",
        customer("jane@example.com", &"n".repeat(101)),
    )
    .await;
    assert_eq!(error(&r, 400), "'name' is too long: at most 100 characters");
    let r = post(
        "/api/v2/customers",
        customer("jane@example.com", &"n".repeat(100)),
    )
    .await;
    assert_eq!(r.status, 200);
    let key = r.json["data"]["key"].as_str().unwrap().to_string();
    let tx = |amount: i64, currency: &str| {
        format!(r#"{{"customer_key": "{key}", "amount": {amount}, "currency": "{currency}"}}"#)
    };
    let r = post("/api/v2/transactions", tx(100, "EURO")).await;
    assert_eq!(
        error(&r, 400),
        "'currency' is too long: at most 3 characters"
    );
    let r = post("/api/v2/transactions", tx(50_000_000_001, "EUR")).await;
    assert_eq!(error(&r, 400), "'amount' must be at most 50000000000");
    let r = post("/api/v2/transactions", tx(-50_000_000_000, "EUR")).await;
    assert_eq!(r.status, 200, "{}", r.json);
    let r = post(
        "/api/v2/actions",
        r#"{"target_type": "customer", "target_key": "k", "type": "sign_up", "value": 0}"#.into(),
    )
    .await;
    assert_eq!(error(&r, 400), "'value' must be at least 1");
}

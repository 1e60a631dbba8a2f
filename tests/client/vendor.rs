//! The Vendor API client: Basic auth, bodies, updates with three states, deletes, converts,
//! one-of bodies and list pagination.

#![allow(
    deprecated,
    reason = "one test writes the deprecated `meta` map on purpose"
)]

use futures::TryStreamExt;
use partnerstack::vendor::models::{
    ActionCreate, ActionTargetType, CustomerCreate, CustomerUpdate, DealConvert, DealCreate,
    DealCreateOwner, FieldInput, PartnershipCreate, TransactionCreate, TransactionCreateCustomer,
};
use serde_json::{Value, json};

use crate::support::{Reply, Server, envelope, vendor};

fn customer(key: &str) -> Value {
    json!({
        "key": key, "created_at": 1_698_765_432_000_i64, "updated_at": 1_698_765_432_000_i64,
        "customer_key": "acme-user-81723", "email": "jane@example.com", "name": "Jane Doe",
        "partner_key": "gstest", "partnership_key": "part_FNiYCFmn1w3OHb",
        "provider_key": null, "source_key": null, "source_type": "api", "test": true,
        "fields": [], "field_data": {}, "meta": {}, "mdata": {}, "external_key": "acme-user-81723"
    })
}

#[tokio::test]
async fn basic_auth_header_is_exact() {
    let server =
        Server::start(|_| Reply::json(200, envelope(json!({"has_more": false, "items": []}))))
            .await;
    vendor(&server).groups().list().send().await.unwrap();
    // base64("pk_test_123:sk_test_456"), computed independently.
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some("Basic cGtfdGVzdF8xMjM6c2tfdGVzdF80NTY=")
    );
}

#[tokio::test]
async fn create_sends_the_body_as_json() {
    let server =
        Server::start(|seen| Reply::json(200, envelope(customer(&format!("cus_{}", seen.method)))))
            .await;
    let created = vendor(&server)
        .customers()
        .create(
            CustomerCreate::builder()
                .email("jane@example.com")
                .partner_key("gstest")
                .build()
                .name("Jane Doe"),
        )
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/api/v2/customers")
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(
        seen.json(),
        json!({"customer_key": null, "email": "jane@example.com", "partner_key": "gstest", "name": "Jane Doe"}),
        "required fields always, a required nullable one as null, optional ones only when set"
    );
    assert_eq!(created.key, "cus_POST");
    assert_eq!(created.test, Some(true));
}

#[tokio::test]
async fn an_update_tells_unchanged_cleared_and_set_apart_on_the_wire() {
    let server = Server::start(|_| Reply::json(200, envelope(customer("cus_1")))).await;
    let customers = vendor(&server);
    for update in [
        CustomerUpdate::new(),
        CustomerUpdate::new().clear_provider_key(),
        CustomerUpdate::new().provider_key("cus_stripe_9"),
    ] {
        customers
            .customers()
            .update("acme-user-81723", update)
            .send()
            .await
            .unwrap();
    }
    let bodies: Vec<String> = server
        .requests()
        .iter()
        .map(|s| String::from_utf8(s.body.clone()).unwrap())
        .collect();
    assert_eq!(
        bodies,
        [
            r#"{}"#,
            r#"{"provider_key":null}"#,
            r#"{"provider_key":"cus_stripe_9"}"#
        ]
    );
    assert!(server.requests().iter().all(|s| s.method == "PATCH"));
    assert_eq!(
        server.requests()[0].path,
        "/api/v2/customers/acme-user-81723"
    );
}

#[tokio::test]
async fn delete_returns_the_message_and_accepts_an_empty_answer() {
    let server = Server::start(|seen| match seen.path.as_str() {
        "/api/v2/customers/with-message" => {
            Reply::json(200, json!({"message": "Customer deleted", "status": 200}))
        }
        _ => Reply::raw(200, "application/json", ""),
    })
    .await;
    let client = vendor(&server);
    let said = client
        .customers()
        .delete("with-message")
        .send()
        .await
        .unwrap();
    assert_eq!(said, "Customer deleted");
    let silent = client.customers().delete("silent").send().await.unwrap();
    assert_eq!(silent, "");
    assert!(
        server
            .requests()
            .iter()
            .all(|s| s.method == "DELETE" && s.body.is_empty())
    );
}

#[tokio::test]
async fn convert_posts_and_returns_the_new_customer() {
    let server = Server::start(|_| Reply::json(200, envelope(customer("cus_new")))).await;
    let customer = vendor(&server)
        .deals()
        .convert(
            "deal/ext 1",
            DealConvert::new("buyer@example.com").customer_key("crm-77"),
        )
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    assert_eq!(seen.method, "POST");
    assert_eq!(seen.path, "/api/v2/deals/deal%2Fext%201/convert");
    assert_eq!(
        seen.json(),
        json!({"email": "buyer@example.com", "customer_key": "crm-77"})
    );
    assert_eq!(customer.key, "cus_new");
}

#[tokio::test]
async fn one_of_bodies_send_exactly_the_chosen_field() {
    let server = Server::start(|seen| {
        let body = seen.json();
        Reply::json(200, envelope(json!({
            "key": body["key"], "created_at": 1, "updated_at": 1, "amount": body["amount"],
            "amount_usd": null, "approved": null, "archived": false, "category_key": null,
            "product_key": null, "currency": body["currency"], "customer": null,
            "customer_key": "cus_1", "company": null, "extension": null, "metadata": null, "test": false
        })))
    })
    .await;
    let client = vendor(&server);
    for (customer, wire) in [
        (
            TransactionCreateCustomer::CustomerKey("cus_8Hq2".into()),
            json!({"customer_key": "cus_8Hq2"}),
        ),
        (
            TransactionCreateCustomer::CustomerExternalKey("acme-1".into()),
            json!({"customer_external_key": "acme-1"}),
        ),
        (
            TransactionCreateCustomer::CustomerEmail("a@b.co".into()),
            json!({"customer_email": "a@b.co"}),
        ),
    ] {
        let created = client
            .transactions()
            .create(
                TransactionCreate::builder()
                    .amount(-4000)
                    .currency("EUR")
                    .customer(customer)
                    .build()
                    .key("refund-1")
                    .clear_product_key(),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(created.amount, Some(-4000));
        let mut expected =
            json!({"amount": -4000, "currency": "EUR", "key": "refund-1", "product_key": null});
        expected
            .as_object_mut()
            .unwrap()
            .extend(wire.as_object().unwrap().clone());
        assert_eq!(server.requests().last().unwrap().json(), expected);
    }
}

#[tokio::test]
async fn deal_owner_is_a_partner_or_a_group() {
    let server = Server::start(|_| Reply::json(200, envelope(json!({"key": "deal_1", "created_at": 1, "updated_at": 1,
        "partner_key": null, "group_key": "grup_1", "account_name": null, "amount": null, "close_date": null,
        "contact_first_name": null, "contact_last_name": null, "external_key": null, "stage": null, "source": "vendor",
        "lost_reason": null, "mold_key": null, "fields": null, "field_data": null, "meta": null, "team": null, "team_member": null}))))
    .await;
    let deal = vendor(&server)
        .deals()
        .create(
            DealCreate::new(DealCreateOwner::GroupKey("grup_1".into()))
                .amount(500_000)
                .close_date("2026-12-31"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(deal.group_key.as_deref(), Some("grup_1"));
    assert_eq!(
        server.requests()[0].json(),
        json!({"group_key": "grup_1", "amount": 500000, "close_date": "2026-12-31"})
    );
}

#[tokio::test]
async fn deprecated_fields_can_still_be_sent() {
    let server = Server::start(|seen| {
        let mut p = seen.json();
        p["key"] = json!("part_1");
        p["created_at"] = json!(1);
        p["updated_at"] = json!(1);
        p["partner_key"] = json!("jane");
        for k in [
            "first_name",
            "last_name",
            "joined_at",
            "group",
            "manager",
            "m_data",
            "stats",
            "tags",
            "team",
        ] {
            p[k] = Value::Null;
        }
        Reply::json(200, envelope(p))
    })
    .await;
    let mut meta = partnerstack::JsonMap::new();
    meta.insert("company_size".into(), json!("11-50").into());
    let body = PartnershipCreate::new("jane@example.com")
        .fields([FieldInput::builder()
            .api_name("company_size")
            .value(json!("11-50"))
            .build()])
        .meta(meta.clone());
    let created = vendor(&server)
        .partnerships()
        .create(body)
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.requests()[0].json(),
        json!({"email": "jane@example.com", "fields": [{"api_name": "company_size", "value": "11-50"}], "meta": meta})
    );
    assert!(matches!(created.meta, partnerstack::Nullable::Value(_)));
    assert_eq!(created.email.as_deref(), Some("jane@example.com"));
}

#[tokio::test]
async fn assigning_a_deal_uses_three_path_parameters_outside_v2() {
    let server =
        Server::start(|_| Reply::json(200, json!({"message": "Deal assigned", "status": 200})))
            .await;
    let said = vendor(&server)
        .deals()
        .assign("deal_1", "part_FNiYCFmn1w3OHb", "stck_PHPFhrDgpNf468")
        .send()
        .await
        .unwrap();
    assert_eq!(said, "Deal assigned");
    let seen = &server.requests()[0];
    assert_eq!(
        seen.path,
        "/api/deals/deal_1/assignment/part_FNiYCFmn1w3OHb/stck_PHPFhrDgpNf468"
    );
    assert!(
        seen.body.is_empty() && seen.header("content-type").is_none(),
        "no body is sent"
    );
}

#[tokio::test]
async fn open_json_answers_tolerate_a_missing_data() {
    let server = Server::start(|seen| match seen.path.as_str() {
        "/api/v2/partner-team/stck_1" => {
            Reply::json(200, envelope(json!({"members": [{"email": "a@b.co"}]})))
        }
        _ => Reply::json(200, json!({"message": "Queued", "status": 200})),
    })
    .await;
    let client = vendor(&server);
    let team = client
        .partner_teams()
        .members("stck_1")
        .send()
        .await
        .unwrap();
    assert_eq!(team.to_value().unwrap()["members"][0]["email"], "a@b.co");
    let queued = client
        .exports()
        .base_records(Default::default())
        .send()
        .await
        .unwrap();
    assert_eq!(queued, Value::Null);
}

#[tokio::test]
async fn an_action_create_echo_decodes() {
    let server = Server::start(|seen| {
        let mut echo = seen.json();
        echo["key"] = json!("act_1");
        echo["created_at"] = json!(1);
        echo["updated_at"] = json!(1);
        for k in ["archived", "partnership_key", "customer", "company"] {
            echo[k] = Value::Null;
        }
        Reply::json(200, envelope(echo))
    })
    .await;
    let action = vendor(&server)
        .actions()
        .create(
            ActionCreate::builder()
                .target_type(ActionTargetType::Customer)
                .target_key("acme-user-81723")
                .r#type("sign_up")
                .value(1)
                .build(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(
        action.target_type,
        partnerstack::Nullable::Value(ActionTargetType::Customer)
    );
    assert_eq!(action.value, Some(1));
    assert_eq!(
        server.requests()[0].json(),
        json!({"target_type": "customer", "target_key": "acme-user-81723", "type": "sign_up", "value": 1})
    );
}

#[tokio::test]
async fn vendor_lists_paginate() {
    let items: Vec<Value> = (0..7)
        .map(|i| json!({"key": format!("grup_{i}"), "created_at": 1, "updated_at": 1, "name": format!("Group {i}"),
            "slug": null, "archived": false, "default": i == 0, "features": {"deals_enabled": true}}))
        .collect();
    let server = Server::start(move |seen| {
        let start = match seen.param("starting_after") {
            Some(k) => items.iter().position(|i| i["key"] == k).unwrap() + 1,
            None => 0,
        };
        let end = (start + 3).min(items.len());
        Reply::json(
            200,
            envelope(json!({"has_more": end < items.len(), "items": &items[start..end]})),
        )
    })
    .await;
    let groups: Vec<_> = vendor(&server)
        .groups()
        .list()
        .limit(3)
        .items()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(groups.len(), 7);
    assert_eq!(groups[6].key, "grup_6");
    assert_eq!(
        groups[0].features.as_ref().unwrap().deals_enabled,
        Some(true)
    );
    assert_eq!(server.requests().len(), 3);
}

#[tokio::test]
async fn array_query_parameters_repeat_the_name() {
    let server =
        Server::start(|_| Reply::json(200, envelope(json!({"has_more": false, "items": []}))))
            .await;
    vendor(&server)
        .deals()
        .list()
        .customer_key(["cus_1", "cus_2"])
        .send()
        .await
        .unwrap();
    let seen = &server.requests()[0];
    let values: Vec<_> = seen
        .query
        .iter()
        .filter(|(k, _)| k == "customer_key")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(values, ["cus_1", "cus_2"]);
}

#[tokio::test]
async fn a_list_in_data_decodes_as_a_vec() {
    let server = Server::start(|_| {
        Reply::json(200, envelope(json!([
            {"key": "mold_FQtNofBlctKiMx", "created_at": 1, "updated_at": 2, "name": "Deal form", "title": "Register a deal",
             "description": null, "type": "deal", "groups": [], "fields": [
                {"api_name": "company_size", "internal_name": "f_1", "field_key": "fld_1", "name": "Company size",
                 "type": "picklist", "external_type": null, "help_text": null, "placeholder_text": null,
                 "hidden": false, "required": true, "position": 0, "options": {"choices": ["1-10", "11-50"]},
                 "protected": true}
             ]}
        ])))
    })
    .await;
    let templates = vendor(&server)
        .deals()
        .form_templates()
        .partner_key("jane")
        .send()
        .await
        .unwrap();
    assert_eq!(templates.len(), 1);
    let field = &templates[0].fields.as_ref().unwrap()[0];
    assert_eq!(field.api_name.as_deref(), Some("company_size"));
    assert_eq!(field.protected, partnerstack::Nullable::Value(true));
    assert!(field.value.is_absent(), "absent stays absent");
    assert_eq!(server.requests()[0].param("partner_key"), Some("jane"));
    let round_trip = serde_json::to_value(&templates[0]).unwrap();
    assert_eq!(round_trip["fields"][0]["options"]["choices"][1], "11-50");
    assert!(round_trip["fields"][0].get("value").is_none());
}

/// Embedded groups may be abbreviated to `{id, name, slug}` (the reference's webhook
/// examples): a partnership carrying one decodes, and writes back the same JSON.
#[tokio::test]
async fn an_abbreviated_embedded_group_decodes() {
    let partnership = json!({
        "key": "part_mGXzJol7h633Ft", "created_at": 1, "updated_at": 2, "partner_key": "jane",
        "email": "jane@example.com", "first_name": "Jane", "last_name": "Doe", "joined_at": null,
        "group": {"id": 8812, "name": "Agencies", "slug": "agencies"},
        "manager": null, "m_data": null, "stats": null, "tags": [], "team": null
    });
    let body = partnership.clone();
    let server = Server::start(move |_| Reply::json(200, envelope(body.clone()))).await;
    let got = vendor(&server)
        .partnerships()
        .get("jane")
        .send()
        .await
        .unwrap();
    let group = got.group.as_ref().unwrap();
    assert_eq!(
        (group.id, group.key.as_deref(), group.slug.as_deref()),
        (Some(8812), None, Some("agencies"))
    );
    assert!(group.features.is_absent());
    assert_eq!(serde_json::to_value(&got).unwrap(), partnership);
}

/// Deal files come from one source: an answer without the list still decodes.
#[tokio::test]
async fn deal_files_tolerate_an_answer_without_the_list() {
    let server = Server::start(|_| Reply::json(200, envelope(json!({})))).await;
    let files = vendor(&server)
        .deals()
        .files("deal_1")
        .send()
        .await
        .unwrap();
    assert!(files.deal_files.is_absent());
}

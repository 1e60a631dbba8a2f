//! Receiving: postbacks and webhooks, written from the reference's E.5/E.5b (real captures and
//! the official examples), parse into their typed events in either name spelling, keep what
//! they do not describe, and serialize back to the JSON received.

use partnerstack::{LooseBool, partner, vendor};
use serde_json::{Value, json};

fn file(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/payloads/events/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Serializing gives back the JSON received, key for key.
fn round_trips(body: &[u8], event: &impl serde::Serialize) {
    let sent: Value = serde_json::from_slice(body).unwrap();
    assert_eq!(serde_json::to_value(event).unwrap(), sent);
}

/// The same body with the event's name spelled the other way (dots ↔ underscores).
fn respelled(body: &[u8]) -> (Vec<u8>, String) {
    let mut value: Value = serde_json::from_slice(body).unwrap();
    let name = value["event"].as_str().unwrap().to_string();
    let other = if name.contains('.') {
        name.replacen('.', "_", 1)
    } else {
        name.replacen('_', ".", 1)
    };
    value["event"] = json!(other);
    (serde_json::to_vec(&value).unwrap(), other)
}

#[test]
fn postbacks_parse_in_both_spellings_and_round_trip() {
    for (name, variant) in [
        ("postback_customer_created.json", "CustomerCreated"),
        ("postback_transaction_created.json", "TransactionCreated"),
        ("postback_reward_created.json", "RewardCreated"),
        ("postback_test.json", "Test"),
    ] {
        let body = file(name);
        let mut bodies = vec![body.clone()];
        if variant != "Test" {
            bodies.push(respelled(&body).0);
        }
        for body in bodies {
            let event =
                partner::events::Event::from_slice(&body).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                format!("{event:?}").starts_with(variant),
                "{name}: {event:?}"
            );
            assert!(!event.is_unknown());
            let sent: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(event.name(), sent["event"], "the name as received");
            round_trips(&body, &event);
        }
    }
}

#[test]
fn postback_payloads_keep_loose_values() {
    use partner::events::Event;
    use partner::models::{PaymentStatus, RewardStatus};

    let Event::CustomerCreated(p) =
        Event::from_slice(&file("postback_customer_created.json")).unwrap()
    else {
        panic!("not a customer")
    };
    assert!(!p.is_test());
    assert!(
        p.data.customer_name.is_null(),
        "null is kept apart from absent"
    );
    assert!(p.data.customer_key.value().is_some() && p.data.key.value().is_some());
    assert_eq!(
        p.data.country_iso.value().map(String::as_str),
        Some("Germany"),
        "a name, not a code"
    );
    assert_eq!(
        p.data.has_paid.value().and_then(LooseBool::get),
        Some(false)
    );
    assert_eq!(
        p.data.extra["signup_source"], "trial",
        "unknown fields kept"
    );
    assert!(
        p.data.updated_at.value() < p.data.created_at.value(),
        "not validated"
    );

    let Event::TransactionCreated(t) =
        Event::from_slice(&file("postback_transaction_created.json")).unwrap()
    else {
        panic!("not a transaction")
    };
    assert_eq!(t.event, "transaction_created");
    assert_eq!(
        t.data.key.value().map(String::as_str),
        Some("in_1OBxYz2eZvKYlo2C")
    );
    assert_eq!(
        t.data.archived.value(),
        Some(&LooseBool::Text("false".into())),
        "a boolean sent as a string"
    );
    assert_eq!(
        t.data.archived.value().and_then(LooseBool::get),
        Some(false)
    );

    let Event::RewardCreated(r) = Event::from_slice(&file("postback_reward_created.json")).unwrap()
    else {
        panic!("not a reward")
    };
    assert_eq!(
        r.data.reward_status.value(),
        Some(&RewardStatus::Unknown("under_review".into())),
        "a status the docs do not list"
    );
    assert_eq!(r.data.payment_status.value(), Some(&PaymentStatus::Pending));
    assert!(r.data.payment_date.is_null() && r.data.amount_usd.is_absent());
    assert_eq!(
        r.data.company.value().and_then(|c| c.id.value().copied()),
        Some(4821)
    );
}

#[test]
fn the_test_postback_and_the_test_flag() {
    use partner::events::Event;
    let event = Event::from_slice(&file("postback_test.json")).unwrap();
    assert!(event.is_test());
    let Event::Test(p) = &event else {
        panic!("not the test event")
    };
    assert_eq!(
        p.data.message.value().map(String::as_str),
        Some("This is a test postback from PartnerStack.")
    );
    // A real event sent with the flag set, the flag as a string, and an unknown one.
    let flagged = br#"{"event": "reward.created", "data": {}, "test": "true"}"#;
    assert!(Event::from_slice(flagged).unwrap().is_test());
    let unknown = br#"{"event": "deal.won", "data": {"key": "deal_1"}, "test": true}"#;
    let event = Event::from_slice(unknown).unwrap();
    assert!(event.is_unknown() && event.is_test());
}

#[test]
fn unknown_events_keep_the_whole_body() {
    let body = br#"{"event": "payout.sent", "data": {"amount": 5000, "nested": {"a": [1, 2]}}, "test": false, "extra": 1}"#;
    let event = partner::events::Event::from_slice(body).unwrap();
    assert!(event.is_unknown());
    assert!(!event.is_test());
    assert_eq!(event.name(), "payout.sent");
    round_trips(body, &event);
    let partner::events::Event::Unknown(u) = event else {
        panic!("known?")
    };
    assert_eq!(u.body()["data"]["nested"]["a"][1], 2);

    let body = br#"{"event": "deal_won", "amount": 1}"#;
    let event = vendor::events::Event::from_slice(body).unwrap();
    assert!(event.is_unknown());
    round_trips(body, &event);
}

#[test]
fn webhooks_are_flat_and_tolerant() {
    use vendor::events::Event;
    let body = file("webhook_partnership_created.json");
    for body in [body.clone(), respelled(&body).0] {
        let event = Event::from_slice(&body).unwrap();
        let Event::PartnershipCreated(w) = &event else {
            panic!("not a partnership: {event:?}")
        };
        assert_eq!(w.data.id.value(), Some(&183_245), "an integer id");
        assert_eq!(
            w.data.archived.value().and_then(LooseBool::get),
            Some(false)
        );
        let group = w.data.group.value().unwrap();
        assert_eq!(group.id.value(), Some(&912));
        assert!(group.key.is_absent(), "an abbreviated group");
        round_trips(&body, &event);
    }
    let body = file("webhook_customer_updated.json");
    let event = Event::from_slice(&body).unwrap();
    let Event::CustomerUpdated(w) = &event else {
        panic!("not a customer")
    };
    assert_eq!(w.event, "customer.updated");
    assert_eq!(w.data.extra["plan"], "pro");
    round_trips(&body, &event);
}

/// Every event the spec declares parses from a minimal delivery in both spellings: the list
/// here is the reference's (E.5, E.5b), so a kind dropped from the spec fails.
#[test]
fn every_declared_event_in_both_spellings() {
    let postbacks = [
        "customer.created",
        "customer.updated",
        "transaction.created",
        "reward.created",
        "action.created",
        "action.updated",
    ];
    for name in postbacks {
        for spelling in [name.to_string(), name.replace('.', "_")] {
            let body = json!({"event": spelling, "data": {}, "test": false}).to_string();
            let event = partner::events::Event::from_slice(body.as_bytes()).unwrap();
            assert!(!event.is_unknown(), "{spelling}");
            assert_eq!(event.name(), spelling);
        }
    }
    let webhooks = [
        "agreement.accepted",
        "partnership.created",
        "partnership.updated",
        "partnership.tags_updated",
        "partnership.deleted",
        "partnership.group_updated",
        "customer.created",
        "customer.updated",
        "customer.deleted",
        "application.created",
        "application.approved",
        "application.declined",
    ];
    for name in webhooks {
        for spelling in [name.to_string(), name.replace('.', "_")] {
            let body = json!({"event": spelling, "id": 1}).to_string();
            let event = vendor::events::Event::from_slice(body.as_bytes()).unwrap();
            assert!(!event.is_unknown(), "{spelling}");
            round_trips(body.as_bytes(), &event);
        }
    }
}

#[test]
fn bodies_that_are_not_deliveries_are_decode_errors_with_a_path() {
    use partner::events::Event;
    let decode_path = |body: &[u8]| match Event::from_slice(body) {
        Err(partnerstack::Error::Decode { path, .. }) => path,
        other => panic!("{other:?}"),
    };
    assert_eq!(decode_path(b"<html>502</html>"), "");
    assert_eq!(decode_path(br#"{"data": {}}"#), "event");
    assert_eq!(decode_path(br#"{"event": 7}"#), "event");
    assert_eq!(decode_path(b"[1, 2]"), "event");
    // A known event whose body does not fit its type names where.
    assert_eq!(
        decode_path(br#"{"event": "reward.created", "data": {"amount": "lots"}}"#),
        "data.amount"
    );
    assert_eq!(
        decode_path(br#"{"event": "customer.created", "data": {"has_paid": 3}}"#),
        "data.has_paid"
    );
    assert_eq!(
        decode_path(br#"{"event": "customer.created"}"#),
        "",
        "no `data`"
    );
    // The error names no value from the body.
    let err = Event::from_slice(
        br#"{"event": "reward.created", "data": {"amount": "jane@example.com"}}"#,
    )
    .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("jane@"), "{err}");
}

//! Receiving: postbacks and webhooks, written from the reference's E.5/E.5b (real captures and
//! the official examples), parse into their typed events in either name spelling, keep what
//! they do not describe, and serialize back to the JSON received.

use partnerstack::{Loose, LooseBool, partner, vendor};
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
        p.data.updated_at.value().and_then(Loose::get)
            < p.data.created_at.value().and_then(Loose::get),
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
        r.data.company.value().and_then(|c| c.id.value()?.get()),
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
    assert_eq!(u.body().to_value().unwrap()["data"]["nested"]["a"][1], 2);

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
        assert_eq!(
            w.data.id.value(),
            Some(&Loose::Value(183_245)),
            "an integer id"
        );
        assert_eq!(
            w.data.archived.value().and_then(LooseBool::get),
            Some(false)
        );
        let group = w.data.group.value().unwrap();
        assert_eq!(group.id.value().and_then(Loose::get), Some(912));
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
fn bodies_that_are_not_deliveries_are_errors_that_say_what_where_and_why() {
    use partner::events::Event;
    let error = |body: &[u8]| match Event::from_slice(body) {
        Err(e @ partnerstack::Error::Delivery { .. }) => e,
        other => panic!("{other:?}"),
    };
    for (body, path, display) in [
        (
            &b"<html>502</html>"[..],
            "",
            "could not read a postback: the body is not JSON: expected value (line 1, column 1)",
        ),
        (
            br#"{"event": "test", "#,
            "",
            "could not read a postback: the body ends before its JSON does (line 1, column 18)",
        ),
        (
            br#"{"data": {}}"#,
            "",
            "could not read a postback: the object has no `event` with the event's name",
        ),
        (
            br#"{"event": 7}"#,
            "event",
            "could not read a postback at `event`: the event's name is a number, not a string",
        ),
        (
            br#"{"event": "a", "event": "b"}"#,
            "event",
            "could not read a postback at `event`: the event's name is given twice (which one \
             is meant is ambiguous)",
        ),
        (
            b"[1,2,3]",
            "",
            "could not read a postback: the body is an array, not a JSON object with the \
             event's name in `event`",
        ),
        (
            b"123456789012345678901234567890",
            "",
            "could not read a postback: the body is a number, not a JSON object with the \
             event's name in `event`",
        ),
    ] {
        let err = error(body);
        assert_eq!(err.to_string(), display);
        let partnerstack::Error::Delivery { path: at, .. } = &err else {
            unreachable!()
        };
        assert_eq!(at, path);
        assert!(err.request().is_none() && !err.is_retryable());
    }
    let err = vendor::events::Event::from_slice(b"{}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "could not read a webhook: the object has no `event` with the event's name"
    );
}

/// The error inside a malformed event.
fn malformed(body: &[u8]) -> (partner::events::Event, String, String) {
    let event = partner::events::Event::from_slice(body).unwrap();
    let partner::events::Event::Malformed(m) = &event else {
        panic!("not malformed: {event:?}")
    };
    let partnerstack::Error::Delivery { path, .. } = m.error() else {
        panic!("{:?}", m.error())
    };
    let (path, text) = (path.clone(), m.error().to_string());
    (event, path, text)
}

#[test]
fn a_known_event_that_does_not_fit_is_kept_whole_with_why() {
    let body = br#"{"event": "reward.created", "data": {"amount": {"cents": 1000}, "key": "jane@example.com"}, "test": false}"#;
    let (event, path, text) = malformed(body);
    assert_eq!(path, "data.amount");
    assert_eq!(
        text,
        "could not read a postback at `data.amount`: invalid type: an object, expected i64, or \
         one sent as a string"
    );
    assert!(event.is_malformed() && !event.is_unknown() && !event.is_test());
    assert_eq!(event.name(), "reward.created");
    round_trips(body, &event);
    // No value from the body in what a log would show.
    let partner::events::Event::Malformed(m) = &event else {
        unreachable!()
    };
    assert!(!format!("{text} {:?}", m.error()).contains("jane@"));

    for (body, path, why) in [
        (
            &br#"{"event": "customer.created", "data": {"has_paid": [true]}}"#[..],
            "data.has_paid",
            "invalid type: an array, expected bool, or one sent as a string",
        ),
        (
            br#"{"event": "customer.created", "data": {"key": 17}}"#,
            "data.key",
            "invalid type: integer `…`, expected a string",
        ),
        (
            br#"{"event": "customer.created", "data": {"key": "a", "key": "b"}}"#,
            "data.key",
            "duplicate field `key`",
        ),
        (
            br#"{"event": "customer.created", "data": {"x": 1, "x": 2}}"#,
            "data.x",
            "duplicate field `x`",
        ),
        (
            br#"{"event": "customer.created", "data": {}, "data": {}}"#,
            "data",
            "duplicate field `data`",
        ),
        (
            br#"{"event": "customer.created", "test": true}"#,
            "",
            "missing field `data`",
        ),
    ] {
        let (event, at, text) = malformed(body);
        assert_eq!(at, path, "{text}");
        assert!(text.ends_with(why), "{text}");
        round_trips(body, &event);
    }
    // A malformed test delivery still says it is a test.
    let (event, ..) = malformed(br#"{"event": "reward.created", "data": [], "test": "true"}"#);
    assert!(event.is_test());
}

#[test]
fn numbers_and_booleans_in_another_form_are_received() {
    use partner::events::Event;
    let body = br#"{"event": "reward.created", "data": {"amount": "1000", "payout_id": 7.0, "created_at": "1700000000000", "withdrawn": 1, "company": {"id": "4821"}}, "test": 0}"#;
    let event = Event::from_slice(body).unwrap();
    let Event::RewardCreated(r) = &event else {
        panic!("{event:?}")
    };
    assert_eq!(r.data.amount.value().and_then(Loose::get), Some(1000));
    assert_eq!(r.data.amount.value(), Some(&Loose::Text("1000".into())));
    assert_eq!(
        r.data.payout_id.value().and_then(Loose::get),
        None,
        "7.0 is not an integer as written"
    );
    assert_eq!(
        r.data.created_at.value().and_then(Loose::get),
        Some(partnerstack::Timestamp::from_millis(1_700_000_000_000))
    );
    assert_eq!(
        r.data.withdrawn.value().and_then(LooseBool::get),
        Some(true)
    );
    assert_eq!(
        r.data.company.value().and_then(|c| c.id.value()?.get()),
        Some(4821)
    );
    assert!(!event.is_test(), "`test: 0` is false");
    round_trips(body, &event);
}

#[test]
fn what_the_receiver_gets_back_is_exact() {
    // Nulls, huge and precise numbers, in typed fields, `extra` and unknown events.
    for body in [
        &br#"{"event": "reward.created", "data": {"amount": 123456789012345678901234567890, "big": -123456789012345678901234567890, "rate": 0.1000000000000000000001, "far": 1e400}, "test": null}"#[..],
        br#"{"event": "reward.created", "data": {"key": null, "amount": null}, "test": null, "sent_at": 1.50}"#,
        br#"{"event": "payout.sent", "data": {"amount": 123456789012345678901234567890, "x": null}, "test": null}"#,
        br#"{"event": "action.created", "data": {"value": 0.30000000000000004441, "n": null}}"#,
    ] {
        let event = partner::events::Event::from_slice(body).unwrap();
        assert!(!event.is_malformed(), "{event:?}");
        assert_eq!(exact(&serde_json::to_vec(&event).unwrap()), exact(body));
    }
    let body = br#"{"event": "partnership.created", "id": 123456789012345678901234567890, "archived": null, "score": 2.50}"#;
    let event = vendor::events::Event::from_slice(body).unwrap();
    assert!(matches!(
        event,
        vendor::events::Event::PartnershipCreated(_)
    ));
    assert_eq!(exact(&serde_json::to_vec(&event).unwrap()), exact(body));
}

/// A JSON value with every number kept as written, for comparing JSON exactly: objects compare
/// as maps (a repeated key keeps its last value, as `serde_json::Value` does), numbers as text.
#[derive(Debug, PartialEq)]
enum Exact {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Exact>),
    Object(std::collections::BTreeMap<String, Exact>),
}

fn exact(text: &[u8]) -> Exact {
    let raw: Box<serde_json::value::RawValue> = serde_json::from_slice(text).unwrap();
    exact_raw(&raw)
}

fn exact_raw(raw: &serde_json::value::RawValue) -> Exact {
    use serde_json::value::RawValue;
    let text = raw.get();
    match text.as_bytes()[0] {
        b'{' => {
            let map: std::collections::BTreeMap<String, Box<RawValue>> =
                serde_json::from_str(text).unwrap();
            Exact::Object(map.into_iter().map(|(k, v)| (k, exact_raw(&v))).collect())
        }
        b'[' => {
            let items: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap();
            Exact::Array(items.iter().map(|v| exact_raw(v)).collect())
        }
        b'"' => Exact::String(serde_json::from_str(text).unwrap()),
        b't' | b'f' => Exact::Bool(text == "true"),
        b'n' => Exact::Null,
        _ => Exact::Number(text.to_string()),
    }
}

/// Random deliveries, written as JSON text so that every number's form is chosen.
mod random {
    use fastrand::Rng;

    pub fn string(rng: &mut Rng) -> String {
        let pool = [
            "",
            "a",
            "jane@example.com",
            "é\u{1F600}",
            "q\"uo\\te",
            "line\nbreak\u{1}",
            "\u{202e}x",
        ];
        serde_json::to_string(pool[rng.usize(..pool.len())]).unwrap()
    }

    pub fn number(rng: &mut Rng) -> String {
        match rng.u8(..8) {
            0 => rng.i64(..).to_string(),
            1 => rng.u64(..).to_string(),
            2 => {
                let digits: String = (0..rng.usize(19..45))
                    .map(|_| char::from(b'0' + rng.u8(0..10)))
                    .collect();
                format!("{}{}{digits}", ["", "-"][rng.usize(..2)], rng.u8(1..10))
            }
            3 => format!(
                "0.{}",
                (0..rng.usize(1..30))
                    .map(|_| char::from(b'0' + rng.u8(0..10)))
                    .collect::<String>()
            ),
            4 => {
                ["1e400", "-2E-5", "1.50", "-0", "0.0", "1E+2", "12.5"][rng.usize(..7)].to_string()
            }
            _ => rng.i32(-1000..1000).to_string(),
        }
    }

    pub fn value(rng: &mut Rng, depth: u32) -> String {
        match rng.u8(..if depth == 0 { 4 } else { 6 }) {
            0 => "null".into(),
            1 => ["true", "false"][rng.usize(..2)].into(),
            2 => number(rng),
            3 => string(rng),
            4 => format!(
                "[{}]",
                (0..rng.usize(..4))
                    .map(|_| value(rng, depth - 1))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            _ => object(rng, depth - 1, &[]),
        }
    }

    /// An object with unique keys, none of `taken`.
    pub fn object(rng: &mut Rng, depth: u32, taken: &[&str]) -> String {
        let keys = [
            "x", "extra", "nested", "tier", "ready_at", "ünï", "a b", "amount2",
        ];
        let mut fields = Vec::new();
        for k in keys {
            if !taken.contains(&k) && rng.bool() {
                fields.push(format!(
                    "{}: {}",
                    serde_json::to_string(k).unwrap(),
                    value(rng, depth)
                ));
            }
        }
        format!("{{{}}}", fields.join(", "))
    }

    /// A value of a known field in a form a delivery may send.
    pub fn field(rng: &mut Rng, kind: &str) -> String {
        if rng.u8(..5) == 0 {
            return "null".into();
        }
        match kind {
            "int" => match rng.u8(..4) {
                0 => format!("\"{}\"", rng.i64(..)),
                1 => number(rng),
                _ => rng.i64(..).to_string(),
            },
            "bool" => [
                "true",
                "false",
                "\"true\"",
                "\"FALSE\"",
                "1",
                "0",
                "\"yes\"",
            ][rng.usize(..7)]
            .into(),
            "string" => string(rng),
            "enum" => ["\"approved\"", "\"under_review\"", "\"\""][rng.usize(..3)].into(),
            "strings" => format!(
                "[{}]",
                (0..rng.usize(..3))
                    .map(|_| string(rng))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "list" => format!(
                "[{}]",
                (0..rng.usize(..3))
                    .map(|_| value(rng, 2))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            "object" => object(rng, 2, &[]),
            _ => value(rng, 2),
        }
    }

    /// An object of the known `fields` (each present or not) and unknown ones.
    pub fn payload(rng: &mut Rng, fields: &[(&str, &str)]) -> String {
        let mut parts = Vec::new();
        let names: Vec<&str> = fields.iter().map(|f| f.0).collect();
        for (name, kind) in fields {
            if rng.bool() {
                parts.push(format!("\"{name}\": {}", field(rng, kind)));
            }
        }
        let unknown = object(rng, 2, &names);
        let unknown = unknown[1..].strip_suffix('}').unwrap();
        if !unknown.is_empty() {
            parts.push(unknown.to_string());
        }
        format!("{{{}}}", parts.join(", "))
    }
}

const REWARD_FIELDS: &[(&str, &str)] = &[
    ("key", "string"),
    ("amount", "int"),
    ("amount_usd", "int"),
    ("created_at", "int"),
    ("reward_status", "enum"),
    ("withdrawn", "bool"),
    ("payout_id", "int"),
    ("transaction", "object"),
];
const CUSTOMER_FIELDS: &[(&str, &str)] = &[
    ("key", "string"),
    ("has_paid", "bool"),
    ("updated_at", "int"),
    ("fields", "list"),
];
const PARTNERSHIP_FIELDS: &[(&str, &str)] = &[
    ("id", "int"),
    ("email", "string"),
    ("archived", "bool"),
    ("tags", "strings"),
    ("created_at", "int"),
];

/// Every generated delivery, known or unknown, with loose forms, nulls, huge and precise
/// numbers and unknown fields at every level, decodes without loss and serializes back to the
/// same JSON, number for number; so do the captured payloads.
#[test]
fn generated_deliveries_come_back_exactly() {
    let mut checked = 0;
    for seed in 0..1500_u64 {
        let mut rng = fastrand::Rng::with_seed(seed);
        let names = [
            "reward.created",
            "reward_created",
            "customer.updated",
            "action_created",
            "test",
            "payout.sent",
            "deal.won",
        ];
        let name = names[rng.usize(..names.len())];
        let data = match name {
            "reward.created" | "reward_created" => random::payload(&mut rng, REWARD_FIELDS),
            "customer.updated" => random::payload(&mut rng, CUSTOMER_FIELDS),
            _ => random::payload(&mut rng, &[]),
        };
        let test = [
            "",
            ", \"test\": true",
            ", \"test\": null",
            ", \"test\": \"false\"",
            ", \"test\": 1",
        ][rng.usize(..5)];
        let extra = random::object(&mut rng, 1, &["event", "data", "test"]);
        let extra = extra[1..].strip_suffix('}').unwrap();
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!(", {extra}")
        };
        let body = format!("{{\"event\": \"{name}\", \"data\": {data}{test}{extra}}}");
        let event = partner::events::Event::from_slice(body.as_bytes())
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{body}"));
        // Only "yes" as a boolean (kept, read as None) and nothing else is loose beyond reading.
        assert!(!event.is_malformed(), "seed {seed}: {event:?}\n{body}");
        assert_eq!(event.name(), name);
        assert_eq!(
            exact(&serde_json::to_vec(&event).unwrap()),
            exact(body.as_bytes()),
            "seed {seed}: {body}"
        );
        // `to_value` agrees too (it holds big numbers as `f64`, on both sides alike).
        assert_eq!(
            serde_json::to_value(&event).ok(),
            serde_json::from_str::<Value>(&body).ok(),
            "seed {seed}"
        );

        let data = random::payload(&mut rng, PARTNERSHIP_FIELDS);
        let name = ["partnership.created", "partnership_updated", "lead.won"][rng.usize(..3)];
        let body = format!("{{\"event\": \"{name}\", {}", &data[1..]);
        let body = body.replace(", }", "}");
        let event = vendor::events::Event::from_slice(body.as_bytes())
            .unwrap_or_else(|e| panic!("seed {seed}: {e}\n{body}"));
        assert!(!event.is_malformed(), "seed {seed}: {event:?}\n{body}");
        assert_eq!(
            exact(&serde_json::to_vec(&event).unwrap()),
            exact(body.as_bytes()),
            "seed {seed}: {body}"
        );
        checked += 2;
    }
    assert_eq!(checked, 3000);
    for name in [
        "postback_customer_created.json",
        "postback_transaction_created.json",
        "postback_reward_created.json",
        "postback_test.json",
    ] {
        let body = file(name);
        let event = partner::events::Event::from_slice(&body).unwrap();
        assert_eq!(
            exact(&serde_json::to_vec(&event).unwrap()),
            exact(&body),
            "{name}"
        );
    }
    for name in [
        "webhook_customer_updated.json",
        "webhook_partnership_created.json",
    ] {
        let body = file(name);
        let event = vendor::events::Event::from_slice(&body).unwrap();
        assert_eq!(
            exact(&serde_json::to_vec(&event).unwrap()),
            exact(&body),
            "{name}"
        );
    }
}

/// Events are built in tests as models are: constructors and setters, no JSON. What is built
/// serializes to a delivery that parses back into the same event.
#[test]
fn every_event_can_be_built_without_json() {
    use partner::models::{PostbackReward, TestPostback};
    use partnerstack::{Postback, UnknownEvent, Webhook};
    use vendor::models::WebhookPartnership;

    let reward = partner::events::Event::RewardCreated(
        Postback::new(
            "reward.created",
            PostbackReward::new()
                .key("rwrd_1")
                .amount(Loose::from(2500))
                .withdrawn(LooseBool::from(false)),
        )
        .test(true),
    );
    let test =
        partner::events::Event::Test(Postback::new("test", TestPostback::new().message("hello")));
    let mut with_null_flag = Postback::new("action.created", partnerstack::JsonMap::new());
    with_null_flag = with_null_flag.clear_test();
    with_null_flag
        .extra
        .insert("sent_by".into(), json!("dashboard").into());
    let action = partner::events::Event::ActionCreated(with_null_flag);
    let unknown = partner::events::Event::Unknown(UnknownEvent::new(
        "payout.sent",
        json!({"event": "payout.sent", "data": {"amount": 5000}}),
    ));
    for event in [reward, test, action, unknown] {
        let body = serde_json::to_vec(&event).unwrap();
        let again = partner::events::Event::from_slice(&body).unwrap();
        assert_eq!(again, event, "{}", String::from_utf8_lossy(&body));
    }
    assert!(
        partner::events::Event::from_slice(br#"{"event":"test","data":{}}"#)
            .unwrap()
            .is_test()
    );

    let webhook = vendor::events::Event::PartnershipCreated(Webhook::new(
        "partnership.created",
        WebhookPartnership::new()
            .id(Loose::from(183_245))
            .email("jane@example.com"),
    ));
    let body = serde_json::to_vec(&webhook).unwrap();
    assert_eq!(vendor::events::Event::from_slice(&body).unwrap(), webhook);
}

/// What a hostile sender can put in a delivery: nesting far past serde_json's recursion limit,
/// a huge body of unknown fields, control characters and private values. None of it panics or
/// overflows the stack (kept JSON is never recursed into), and no value reaches an error's text.
#[test]
fn hostile_deliveries_are_refused_or_kept_without_leaking() {
    use partner::events::Event;
    // 100,000 levels in an unknown field: kept as text, byte for byte.
    let deep = format!(
        r#"{{"event":"reward.created","data":{{"x":{}1{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let event = Event::from_slice(deep.as_bytes()).unwrap();
    assert!(!event.is_malformed());
    assert_eq!(serde_json::to_vec(&event).unwrap(), deep.as_bytes());
    // Where a type is expected, serde_json's limit holds: malformed, not a crash.
    let deep_typed = format!(
        r#"{{"event":"reward.created","data":{{"company":{}1{}}}}}"#,
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(
        Event::from_slice(deep_typed.as_bytes())
            .unwrap()
            .is_malformed()
    );

    // Deep enough to be JSON, in an unknown field of a known event: kept.
    let nested = format!(
        r#"{{"event": "reward.created", "data": {{"x": {}1{}}}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    let event = Event::from_slice(nested.as_bytes()).unwrap();
    assert!(!event.is_malformed());
    assert_eq!(
        exact(&serde_json::to_vec(&event).unwrap()),
        exact(nested.as_bytes())
    );

    let many: String = (0..20_000)
        .map(|i| format!(r#","f{i}": {i}.000000000000000000001"#))
        .collect();
    let body = format!(r#"{{"event": "deal.won"{many}}}"#);
    let event = Event::from_slice(body.as_bytes()).unwrap();
    assert_eq!(
        exact(&serde_json::to_vec(&event).unwrap()),
        exact(body.as_bytes())
    );

    let secret = "jane.doe@example.com\u{1b}[31m\r\nFAKE LOG LINE";
    for body in [
        json!({"event": "reward.created", "data": {"amount": {"v": secret}}}),
        json!({"event": "reward.created", "data": {"reward_status": [secret]}}),
        json!({"event": "customer.created", "data": {"key": {"k": secret}}}),
        json!({"event": "customer.created", "data": {"has_paid": secret, "sub_ids": secret}}),
        json!({"event": "reward.created", "data": {"payment_status": 7e300}}),
    ] {
        let body = serde_json::to_vec(&body).unwrap();
        let event = Event::from_slice(&body).unwrap();
        let Event::Malformed(m) = &event else {
            panic!("{event:?}")
        };
        let shown = format!("{} {:?}", m.error(), m.error());
        assert!(
            !shown.contains("jane") && !shown.contains('\n') && !shown.contains("7e300"),
            "{shown}"
        );
        round_trips(&body, &event);
    }
    let name = format!("evil\r\n{secret}");
    let body = serde_json::to_vec(&json!({"event": name, "data": 1})).unwrap();
    let event = Event::from_slice(&body).unwrap();
    assert_eq!(event.name(), name, "kept as sent");
    let err =
        Event::from_slice(format!(r#"{{"event": "{}"#, "x".repeat(100)).as_bytes()).unwrap_err();
    assert!(!err.to_string().contains("xxx"), "{err}");
}

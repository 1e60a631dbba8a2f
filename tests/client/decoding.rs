//! Models decode with a written-out visitor (not `#[derive(Deserialize)]` with a flattened
//! `extra`, which buffered every field): these check it decodes exactly what the derive did.
//!
//! Each model is compared with a derived twin carrying the attributes the generator used to
//! write (`rename`, `default`, `flatten`), on the same JSON: the same value, or the same error
//! message (with its line and column), through every way the crate decodes (a byte slice, a
//! `serde_json::Value`, a flattened wrapper, `serde_path_to_error`).

use partnerstack::Webhook;
use partnerstack::partner::models::Reward;
use partnerstack_fixtures::clashing_names_api::models::A;
use partnerstack_fixtures::everything_api::models::{Bare, Embedded};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::support::payload;

/// The models as the generator used to write them: derived, with `flatten`. Same names, so
/// that errors ("expected struct Reward") read the same.
mod derived {
    use partnerstack::partner::models::{
        Company, PaymentStatus, RewardCustomer, RewardSource, RewardStatus, RewardTransaction,
    };
    use partnerstack::{Nullable, Timestamp};
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Value};

    #[derive(Debug, Serialize, Deserialize)]
    pub struct Reward {
        pub key: String,
        pub created_at: Timestamp,
        pub updated_at: Timestamp,
        pub amount: Option<i64>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub amount_usd: Nullable<i64>,
        pub currency: Option<String>,
        pub decline_reason: Option<String>,
        pub description: Option<String>,
        pub reward_status: Option<RewardStatus>,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub status: Nullable<String>,
        pub company: Company,
        pub customer: Option<RewardCustomer>,
        pub partnership_key: Option<String>,
        pub payment_date: Option<Timestamp>,
        pub payment_status: Option<PaymentStatus>,
        pub payout_id: Option<i64>,
        pub source: Option<RewardSource>,
        pub transaction: Option<RewardTransaction>,
        pub withdrawn: bool,
        pub created_by: Option<Value>,
        pub created_by_name: Option<Value>,
        pub creation_source: Option<Value>,
        #[serde(flatten)]
        pub extra: Map<String, Value>,
    }

    /// The fixture model `A`: a required field, one always present but nullable, an optional
    /// one, and a JSON key that is not its Rust name.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct A {
        pub map: i64,
        pub map_: Option<bool>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub extra_: Option<String>,
        #[serde(rename = "extra ")]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub spaced_extra: Option<String>,
        #[serde(flatten)]
        pub extra: Map<String, Value>,
    }

    /// The fixture model `Embedded`: a required field and a `Nullable`.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct Embedded {
        pub id: i64,
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        pub name: Nullable<String>,
        #[serde(flatten)]
        pub extra: Map<String, Value>,
    }

    /// A model without fields.
    #[derive(Debug, Serialize, Deserialize)]
    pub struct Bare {
        #[serde(flatten)]
        pub extra: Map<String, Value>,
    }
}

/// What decoding gave: the value written back as JSON, or the error's message.
fn outcome<T: Serialize>(result: Result<T, impl std::fmt::Display>) -> Result<Value, String> {
    result
        .map(|v| serde_json::to_value(v).unwrap())
        .map_err(|e| e.to_string())
}

/// Decodes `json` as `T` and as its derived twin `D` every way the crate decodes; both must
/// come out the same. Returns the outcome from a byte slice.
fn same<T, D>(json: &str) -> Result<Value, String>
where
    T: Serialize + DeserializeOwned,
    D: Serialize + DeserializeOwned,
{
    let slice = outcome(serde_json::from_str::<T>(json));
    assert_eq!(slice, outcome(serde_json::from_str::<D>(json)), "{json}");
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        assert_eq!(
            outcome(serde_json::from_value::<T>(value.clone())),
            outcome(serde_json::from_value::<D>(value.clone())),
            "from a Value: {json}"
        );
        // Inside a flattened wrapper (a vendor webhook), where serde buffers the fields first.
        if let Value::Object(mut fields) = value {
            fields.insert("event".into(), json!("x.y"));
            let body = Value::Object(fields).to_string();
            assert_eq!(
                outcome(serde_json::from_str::<Webhook<T>>(&body).map(|w| w.data)),
                outcome(serde_json::from_str::<Webhook<D>>(&body).map(|w| w.data)),
                "in a webhook: {body}"
            );
        }
    }
    let tracked = |json: &str| {
        let mut de = serde_json::Deserializer::from_str(json);
        let (path, result) = match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(v) => (String::new(), outcome::<_>(Ok::<_, String>(v))),
            Err(e) => (e.path().to_string(), Err(e.into_inner().to_string())),
        };
        let mut de = serde_json::Deserializer::from_str(json);
        let derived = match serde_path_to_error::deserialize::<_, D>(&mut de) {
            Ok(v) => (String::new(), outcome::<_>(Ok::<_, String>(v))),
            Err(e) => (e.path().to_string(), Err(e.into_inner().to_string())),
        };
        assert_eq!((path, result), derived, "with paths: {json}");
    };
    tracked(json);
    slice
}

fn reward() -> Value {
    payload("partner/rewards.json")["data"]["items"][0].clone()
}

/// `reward()` with `change` applied, as JSON text.
fn reward_with(change: impl FnOnce(&mut Map<String, Value>)) -> String {
    let mut json = reward();
    change(json.as_object_mut().unwrap());
    json.to_string()
}

#[test]
fn rewards_decode_as_the_derive_did() {
    let cases = [
        reward().to_string(),
        // Unknown keys, also one called `extra`, and unknown keys in nested models.
        reward_with(|r| {
            r.insert("extra".into(), json!({"a": 1}));
            r.insert("tier".into(), json!(["gold", 1.5, null, true]));
            r["company"]["logo"] = json!("x.png");
        }),
        // `Nullable`: null, and a value (absent is the fixture's own case).
        reward_with(|r| {
            r.insert("amount_usd".into(), Value::Null);
            r.insert("status".into(), json!("approved"));
        }),
        // Missing: a required field, then an `Option` that is "always present".
        reward_with(|r| drop(r.remove("key"))),
        reward_with(|r| drop(r.remove("created_at"))),
        reward_with(|r| drop(r.remove("currency"))),
        reward_with(|r| drop(r.remove("company"))),
        // Null where a value is required; wrong types, known and nested.
        reward_with(|r| drop(r.insert("withdrawn".into(), Value::Null))),
        reward_with(|r| drop(r.insert("amount".into(), json!("lots")))),
        reward_with(|r| r["company"]["key"] = json!(7)),
        // Not an object.
        "[]".into(),
        r#"["rwrd_1"]"#.into(),
        r#""rwrd_1""#.into(),
        "null".into(),
        "7".into(),
        "{}".into(),
    ];
    for json in cases {
        let _ = same::<Reward, derived::Reward>(&json);
    }
}

#[test]
fn duplicate_keys_are_errors() {
    let body = reward().to_string();
    let inner = body.strip_prefix('{').unwrap();
    // A known key twice is an error naming it, as with the derive.
    let twice_known = format!(r#"{{"key": "rwrd_0", {inner}"#);
    let err = serde_json::from_str::<Reward>(&twice_known)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("duplicate field `key`"), "{err}");
    // An unknown key twice too, where the derive's `flatten` kept the last: which copy is
    // meant is ambiguous. A delivery is read by the same decoder (tests/client/events.rs).
    let twice_unknown = format!(r#"{{"tier": 1, "tier": 2, {inner}"#);
    let err = serde_json::from_str::<Reward>(&twice_unknown)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("duplicate field `tier`"), "{err}");
    let twice_nested = reward_with(|r| r["company"]["logo"] = json!("x.png"))
        .replace(r#""logo":"x.png""#, r#""logo":"x.png","logo":"y.png""#);
    let err = serde_json::from_str::<Reward>(&twice_nested)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("duplicate field `logo`"), "{err}");
    // A duplicate `Nullable`, even when the first was null.
    let twice_nullable = format!(r#"{{"amount_usd": null, "amount_usd": 1, {inner}"#);
    let err = serde_json::from_str::<Reward>(&twice_nullable)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("duplicate field `amount_usd`"), "{err}");
}

#[test]
fn renamed_and_escaped_keys_decode_as_the_derive_did() {
    for json in [
        r#"{"map": 1, "map_": null, "extra_": "a", "extra ": "b"}"#,
        // The Rust name of a renamed field is not its key: it is an unknown field.
        r#"{"map": 1, "map_": true, "spaced_extra": "b"}"#,
        // A key written with an escape is the same key.
        r#"{"m\u0061p": 1, "map_": false, "extra\u0020": "b"}"#,
        // "Always present; may be null" was never enforced: absent is `None`.
        r#"{"map": 1}"#,
        r#"{"map_": true}"#,
        r#"{"map": 1, "map_": true, "extra_": null}"#,
        r#"{"map": 1, "map_": true, "extra": "kept", "": 0}"#,
    ] {
        let _ = same::<A, derived::A>(json);
    }
    // A key written with an escape repeats the key it spells.
    let err = serde_json::from_str::<A>(r#"{"map": 1, "m\u0061p": 2, "map_": false}"#).unwrap_err();
    assert!(
        err.to_string().starts_with("duplicate field `map`"),
        "{err}"
    );
    for json in [
        r#"{"id": 1}"#,
        r#"{"id": 1, "name": null}"#,
        r#"{"id": 1, "name": "n", "more": {}}"#,
        r#"{"name": "n"}"#,
    ] {
        let _ = same::<Embedded, derived::Embedded>(json);
    }
    for json in ["{}", r#"{"a": 1, "b": [2]}"#, "[]"] {
        let _ = same::<Bare, derived::Bare>(json);
    }
}

#[test]
fn what_is_decoded_is_written_back() {
    let mut json = reward();
    let fields = json.as_object_mut().unwrap();
    fields.insert("tier".into(), json!({"name": "Gold"}));
    fields.insert("amount_usd".into(), Value::Null);
    let decoded: Reward = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(decoded.extra["tier"].to_value().unwrap()["name"], "Gold");
    assert_eq!(decoded.extra["ready_at"], 1_701_357_432_000_i64);
    assert!(decoded.amount_usd.is_null());
    assert!(decoded.status.is_absent());
    assert_eq!(serde_json::to_value(&decoded).unwrap(), json);

    let a: A =
        serde_json::from_str(r#"{"map": 1, "map_": null, "extra ": "b", "x": [1]}"#).unwrap();
    assert_eq!((a.map, a.map_, a.extra_.as_deref()), (1, None, None));
    assert_eq!(a.spaced_extra.as_deref(), Some("b"));
    assert_eq!(
        serde_json::to_value(&a).unwrap(),
        json!({"map": 1, "map_": null, "extra ": "b", "x": [1]})
    );
}

#[test]
fn errors_say_what_was_expected() {
    let err = serde_json::from_str::<Reward>("[1]").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid type: sequence, expected struct Reward at line 1 column 0"
    );
    let json = reward_with(|r| drop(r.remove("key")));
    let err = serde_json::from_str::<Reward>(&json).unwrap_err();
    assert!(err.to_string().starts_with("missing field `key`"), "{err}");
    let err = serde_json::from_str::<A>(r#"{"map": 1, "map": 2}"#).unwrap_err();
    // Reported after the repeated value (so a tracked path ends in the key), not before it as
    // the derive did.
    assert_eq!(err.to_string(), "duplicate field `map` at line 1 column 20");
}

//! Realistic payloads of every Partner API model decode (nulls, unknown fields, unknown enum
//! values) and serialize back to the same JSON.

use partnerstack::Timestamp;
use partnerstack::partner::models::{
    MarketplaceProgram, PaymentStatus, Reward, RewardSourceType, RewardStatus,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::support::{Reply, Server, partner, payload};

/// Serves `file` and returns its items both as sent and as decoded by `fetch`.
async fn served<T, F, Fut>(file: &str, fetch: F) -> (Vec<Value>, Vec<T>)
where
    F: FnOnce(partnerstack::partner::Client) -> Fut,
    Fut: std::future::Future<Output = partnerstack::Result<partnerstack::Page<T>>>,
{
    let body = payload(file);
    let items = body["data"]["items"].as_array().unwrap().clone();
    let server = Server::start(move |_| Reply::json(200, body.clone())).await;
    let page = fetch(partner(&server))
        .await
        .unwrap_or_else(|e| panic!("{file}: {e}"));
    (items, page.items)
}

fn round_trips<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    sent: &[Value],
    decoded: &[T],
) {
    assert_eq!(sent.len(), decoded.len());
    for (json, value) in sent.iter().zip(decoded) {
        assert_eq!(
            &serde_json::to_value(value).unwrap(),
            json,
            "serializes back to what was received"
        );
        let again: T = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(&again, value);
    }
}

#[tokio::test]
async fn rewards() {
    let (sent, rewards) = served("partner/rewards.json", |c| async move {
        c.rewards().list().send().await
    })
    .await;
    round_trips(&sent, &rewards);
    let [paid_out, declined, split] = &rewards[..] else {
        panic!("three rewards")
    };

    assert_eq!(paid_out.key, "rwrd_JiquWSZIPLGEXx");
    assert_eq!(paid_out.amount, Some(2500));
    assert_eq!(
        paid_out.created_at,
        Timestamp::from_millis(1_698_765_432_000)
    );
    assert_eq!(paid_out.payment_status, Some(PaymentStatus::Available));
    assert_eq!(paid_out.reward_status, Some(RewardStatus::Approved));
    assert_eq!(paid_out.company.id, Some(4512));
    let customer = paid_out.customer.as_ref().unwrap();
    assert_eq!(customer.email.as_deref(), Some("jane@example.com"));
    assert_eq!(
        customer.sub_ids.as_deref(),
        Some(&["spring-campaign".to_string()][..])
    );
    assert_eq!(
        paid_out.source.as_ref().unwrap().r#type,
        Some(RewardSourceType::Transaction)
    );
    assert_eq!(
        paid_out
            .transaction
            .as_ref()
            .unwrap()
            .product_key
            .as_deref(),
        Some("pro-annual")
    );
    assert_eq!(
        paid_out.extra["ready_at"], 1_701_357_432_000_i64,
        "unknown fields are kept"
    );

    assert_eq!(declined.amount, None);
    assert_eq!(declined.payment_status, None);
    assert_eq!(declined.customer, None);
    assert_eq!(
        declined.decline_reason.as_deref(),
        Some("Customer refunded within 30 days")
    );
    assert_eq!(
        declined.source.as_ref().unwrap().r#type,
        Some(RewardSourceType::Unknown("loyalty_bonus".into())),
        "unknown enum values are kept"
    );

    assert_eq!(
        split.payment_status,
        Some(PaymentStatus::Unknown("split_payout".into()))
    );
    assert_eq!(
        split.payment_status.as_ref().unwrap().as_str(),
        "split_payout"
    );
    assert!(split.withdrawn);
    assert!(
        split.amount_usd.is_absent(),
        "a field outside the samples stays absent"
    );
}

/// Where the reference does not establish a type, plausible variants decode instead of
/// failing the whole page: a reward source with null fields, `amount_usd` and `status` sent
/// as null.
#[test]
fn a_reward_source_with_null_fields_decodes() {
    let mut json = payload("partner/rewards.json")["data"]["items"][0].clone();
    json["source"] = serde_json::json!({"key": null, "type": null});
    json["amount_usd"] = Value::Null;
    json["status"] = Value::Null;
    let reward: Reward = serde_json::from_value(json.clone()).unwrap();
    let source = reward.source.as_ref().unwrap();
    assert_eq!(
        (source.key.as_deref(), source.r#type.as_ref()),
        (None, None)
    );
    assert!(reward.amount_usd.is_null());
    assert!(reward.status.is_null());
    assert_eq!(
        serde_json::to_value(&reward).unwrap(),
        json,
        "null stays null"
    );
}

#[tokio::test]
async fn actions() {
    let (sent, actions) = served("partner/actions.json", |c| async move {
        c.actions().list().send().await
    })
    .await;
    round_trips(&sent, &actions);
    assert_eq!(actions[0].r#type, "sign_up");
    assert_eq!(actions[0].value, 1);
    assert_eq!(actions[0].customer.as_ref().unwrap().shared_id, None);
    assert_eq!(actions[1].customer, None);
    assert_eq!(actions[1].extra["source_ip_country"], "CA");
}

#[tokio::test]
async fn customers() {
    let (sent, customers) = served("partner/customers.json", |c| async move {
        c.customers().list().send().await
    })
    .await;
    round_trips(&sent, &customers);
    assert_eq!(customers[0].country_iso.as_deref(), Some("US"));
    assert!(customers[0].has_paid);
    assert_eq!(customers[1].customer_key, None);
    assert_eq!(customers[1].sub_ids, ["newsletter", "q4"]);
    assert_eq!(
        customers[1].company.id, None,
        "company id is absent outside rewards and partnerships"
    );
}

#[tokio::test]
async fn marketplace_programs() {
    let (sent, programs) = served("partner/marketplace_programs.json", |c| async move {
        c.marketplace_programs().list().send().await
    })
    .await;
    round_trips(&sent, &programs);
    assert_eq!(
        programs[0].category.as_deref(),
        Some(&["IT".to_string(), "artificial-intelligence".into()][..])
    );
    let offer = &programs[0].offers.as_ref().unwrap()[0];
    assert_eq!(offer.type_.as_deref(), Some("revenue_share"));
    assert_eq!(offer.r#type, None);
    assert_eq!(
        programs[1].promotions.as_ref().unwrap()[0].value,
        Some(serde_json::json!(5000).into())
    );
    assert_eq!(programs[1].created_at, None);
    assert_eq!(offer.base_rate, Some(serde_json::json!("20").into()));
}

#[test]
fn a_marketplace_offer_rate_may_be_a_number() {
    let mut json = payload("partner/marketplace_programs.json")["data"]["items"][0].clone();
    json["offers"][0]["base_rate"] = serde_json::json!(20.5);
    let program: MarketplaceProgram = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(
        program.offers.as_ref().unwrap()[0].base_rate,
        Some(serde_json::json!(20.5).into())
    );
    assert_eq!(serde_json::to_value(&program).unwrap(), json);
}

#[tokio::test]
async fn one_marketplace_program_is_unwrapped_from_the_envelope() {
    let list = payload("partner/marketplace_programs.json");
    let program = list["data"]["items"][0].clone();
    let body = serde_json::json!({"data": program, "message": "ok", "status": 200});
    let server = Server::start(move |_| Reply::json(200, body.clone())).await;
    let got = partner(&server)
        .marketplace_programs()
        .get("co_MCf1xvxSbKw35R")
        .send()
        .await
        .unwrap();
    assert_eq!(got.name, "Acme Analytics");
    assert_eq!(serde_json::to_value(&got).unwrap(), program);
}

#[tokio::test]
async fn partnerships() {
    let (sent, partnerships) = served("partner/partnerships.json", |c| async move {
        c.partnerships().list().send().await
    })
    .await;
    round_trips(&sent, &partnerships);
    let offers = partnerships[0].offers.value().unwrap();
    assert_eq!(offers[0].base_rate, Some(serde_json::json!(20.5).into()));
    assert_eq!(offers[1].base_rate, Some(serde_json::json!("5000").into()));
    assert_eq!(partnerships[0].is_archived, Some(false));
    assert!(
        partnerships[1].offers.is_absent(),
        "offers are sent only when asked for"
    );
    assert_eq!(partnerships[1].is_archived, None);
    assert_eq!(partnerships[1].has_sub_id, None);
    assert_eq!(
        partnerships[1].extra["tier"].to_value().unwrap()["name"],
        "Gold"
    );
}

#[tokio::test]
async fn payouts() {
    let (sent, payouts) = served("partner/payouts.json", |c| async move {
        c.payouts().list().send().await
    })
    .await;
    round_trips(&sent, &payouts);
    assert_eq!(payouts[0].amount, Some(125_000));
    assert_eq!(
        payouts[0]
            .provider
            .as_ref()
            .unwrap()
            .external_key
            .as_deref(),
        Some("po_1NqXyZ")
    );
    assert_eq!(payouts[1].provider, None);
    assert_eq!(payouts[1].sent_at, None);
}

#[tokio::test]
async fn transactions() {
    let (sent, transactions) = served("partner/transactions.json", |c| async move {
        c.transactions().list().send().await
    })
    .await;
    round_trips(&sent, &transactions);
    assert_eq!(transactions[1].amount, -4000, "refunds are negative");
    assert_eq!(transactions[1].currency, "EUR");
    assert_eq!(
        transactions[0].customer.as_ref().unwrap().key.as_deref(),
        Some("cus_8Hq2LzP0aTn4Qe")
    );
}

#[test]
fn open_enums_round_trip_known_and_unknown_values() {
    for wire in ["available", "paid_and_refunded", "something_new"] {
        let status: PaymentStatus = serde_json::from_value(serde_json::json!(wire)).unwrap();
        assert_eq!(status.as_str(), wire);
        assert_eq!(status.to_string(), wire);
        assert_eq!(serde_json::to_value(&status).unwrap(), wire);
        assert_eq!(PaymentStatus::from(wire), status);
    }
    assert_eq!(PaymentStatus::from("available"), PaymentStatus::Available);
}

#[test]
fn timestamps_are_epoch_milliseconds() {
    let t: Timestamp = serde_json::from_value(serde_json::json!(1_698_765_432_000_i64)).unwrap();
    assert_eq!(t.as_millis(), 1_698_765_432_000);
    let system = t.to_system_time().unwrap();
    assert_eq!(Timestamp::from(system), t);
    assert_eq!(
        Timestamp::from_millis(-1)
            .to_system_time()
            .map(Timestamp::from),
        Some(Timestamp::from_millis(-1))
    );
    assert!(serde_json::from_value::<Timestamp>(serde_json::json!("2023-10-31")).is_err());
}

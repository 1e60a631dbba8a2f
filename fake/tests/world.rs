//! One consistent world: what an object refers to exists, creates take their links from what
//! they name, and the same seed gives the same data.

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{basic, bearer, raw, start};
use partnerstack_fake::{Config, Server};

async fn all(server: &Server, auth: &str, list: &str) -> Vec<Value> {
    let r = raw(
        server,
        "GET",
        &format!("/api/v2/{list}?limit=250"),
        Some(auth),
        None,
    )
    .await;
    r.json["data"]["items"].as_array().unwrap().clone()
}

fn keys(items: &[Value]) -> HashSet<String> {
    items
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn what_seeded_objects_refer_to_exists() {
    let server = start(30).await;
    let vendor = basic(server.vendor_public_key(), server.vendor_secret_key());
    let customers = all(&server, &vendor, "customers").await;
    let partnerships = all(&server, &vendor, "partnerships").await;
    let transactions = all(&server, &vendor, "transactions").await;
    let rewards = all(&server, &vendor, "rewards").await;
    let (c, p, t) = (keys(&customers), keys(&partnerships), keys(&transactions));
    for customer in &customers {
        let pk = customer["partnership_key"].as_str().unwrap();
        assert!(pk.starts_with("part_") && p.contains(pk), "{customer}");
        let partnership = partnerships.iter().find(|x| x["key"] == pk).unwrap();
        assert_eq!(customer["partner_key"], partnership["partner_key"]);
    }
    for tx in &transactions {
        assert!(c.contains(tx["customer_key"].as_str().unwrap()), "{tx}");
        if tx["customer"].is_object() {
            assert_eq!(tx["customer"]["key"], tx["customer_key"]);
        }
    }
    for reward in &rewards {
        let ck = reward["customer"]["key"].as_str().unwrap();
        let tk = reward["transaction"]["key"].as_str().unwrap();
        assert!(c.contains(ck) && t.contains(tk), "{reward}");
        assert!(p.contains(reward["partnership"]["key"].as_str().unwrap()));
        // The reward's transaction is its customer's.
        let tx = transactions.iter().find(|x| x["key"] == tk).unwrap();
        assert_eq!(tx["customer_key"].as_str(), Some(ck), "{reward}");
        // Its action, when it has one, is its customer's too.
        if let Some(action) = reward["action"]["key"].as_str() {
            let actions = all(&server, &vendor, "actions").await;
            let a = actions.iter().find(|x| x["key"] == action).unwrap();
            assert_eq!(a["customer"]["key"].as_str(), Some(ck), "{reward}");
        }
    }

    let partner = bearer(server.partner_key());
    let programs = keys(&all(&server, &partner, "marketplace/programs").await);
    let p_partnerships = keys(&all(&server, &partner, "partnerships").await);
    let p_customers = keys(&all(&server, &partner, "customers").await);
    for reward in all(&server, &partner, "rewards").await {
        assert!(
            programs.contains(reward["company"]["key"].as_str().unwrap()),
            "{reward}"
        );
        assert!(p_partnerships.contains(reward["partnership_key"].as_str().unwrap()));
        assert!(p_customers.contains(reward["customer"]["key"].as_str().unwrap()));
    }
}

#[tokio::test]
async fn a_create_takes_its_links_from_what_it_names() {
    let server = start(5).await;
    let vendor = basic(server.vendor_public_key(), server.vendor_secret_key());
    let gstest = all(&server, &vendor, "partnerships")
        .await
        .into_iter()
        .find(|p| p["partner_key"] == "gstest")
        .unwrap();
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&vendor),
        Some(r#"{"customer_key": "acme-1", "email": "jane@example.com", "partner_key": "gstest"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    let customer = &r.json["data"];
    assert_eq!(customer["partnership_key"], gstest["key"]);
    // Only what was sent, and what the server adds.
    for (field, value) in customer.as_object().unwrap() {
        let sent = ["customer_key", "email", "partner_key"].contains(&field.as_str());
        let server_side =
            ["key", "created_at", "updated_at", "partnership_key"].contains(&field.as_str());
        assert!(
            sent || server_side || value.is_null(),
            "{field} = {value} was invented"
        );
    }
    let r = raw(
        &server,
        "POST",
        "/api/v2/customers",
        Some(&vendor),
        Some(r#"{"customer_key": "acme-2", "email": "x@example.com", "partner_key": "nobody"}"#),
    )
    .await;
    assert_eq!(r.status, 400);
    assert_eq!(
        r.json["message"],
        "'partner_key': no partnership has the partner_key 'nobody'"
    );
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&vendor),
        Some(r#"{"customer_external_key": "acme-1", "amount": 2500, "currency": "USD"}"#),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.json);
    assert_eq!(r.json["data"]["customer_key"], customer["key"]);
    let r = raw(
        &server,
        "POST",
        "/api/v2/transactions",
        Some(&vendor),
        Some(r#"{"customer_email": "nobody@example.com", "amount": 2500, "currency": "USD"}"#),
    )
    .await;
    assert_eq!(r.status, 400);
    assert!(
        r.json["message"]
            .as_str()
            .unwrap()
            .starts_with("'customer_email'")
    );
}

#[tokio::test]
async fn the_same_seed_gives_the_same_data() {
    let a = Server::start(Config::default().items(8).seed(42))
        .await
        .unwrap();
    let b = Server::start(Config::default().items(8).seed(42))
        .await
        .unwrap();
    let c = Server::start(Config::default().items(8).seed(43))
        .await
        .unwrap();
    for list in ["rewards", "customers", "partnerships", "transactions"] {
        let (x, y, z) = (
            get(&a, list).await,
            get(&b, list).await,
            get(&c, list).await,
        );
        assert_eq!(x, y, "{list}");
        assert_ne!(x, z, "{list}");
    }
}

async fn get(s: &Server, list: &str) -> Vec<Value> {
    let auth = basic(s.vendor_public_key(), s.vendor_secret_key());
    all(s, &auth, list).await
}

#[tokio::test]
async fn seeded_data_looks_like_partnerstacks() {
    let server = start(40).await;
    let partner = bearer(server.partner_key());
    let rewards = all(&server, &partner, "rewards").await;
    let statuses = ["hold", "pending", "approved", "declined", "paid"];
    let mut nulls = 0;
    for r in &rewards {
        assert!(r["key"].as_str().unwrap().starts_with("rwrd_"));
        if let Some(c) = r["currency"].as_str() {
            assert!(
                c.len() == 3 && c.chars().all(|c| c.is_ascii_uppercase()),
                "{r}"
            );
        }
        if let Some(s) = r["reward_status"].as_str() {
            assert!(statuses.contains(&s), "{r}");
        }
        if let Some(d) = r["decline_reason"].as_str() {
            assert!(
                d.starts_with(char::is_uppercase) && !d.chars().any(|c| c.is_ascii_digit()),
                "{d}"
            );
        }
        if let Some(a) = r["amount"].as_i64() {
            assert!((500..=250_000).contains(&a), "{r}");
        }
        nulls += usize::from(r["payment_date"].is_null());
    }
    assert!(
        nulls > 0 && nulls < rewards.len(),
        "nullable fields are sometimes null"
    );
    let vendor = basic(server.vendor_public_key(), server.vendor_secret_key());
    for p in all(&server, &vendor, "partnerships").await {
        if let Some(e) = p["email"].as_str() {
            assert!(e.contains('@') && e.ends_with("example.com"), "{p}");
        }
    }
    // Created over the past year.
    let times: Vec<i64> = rewards
        .iter()
        .map(|r| r["created_at"].as_i64().unwrap())
        .collect();
    let span = times.iter().max().unwrap() - times.iter().min().unwrap();
    assert!(span > 100 * 86_400_000, "spread over months, not hours");
}

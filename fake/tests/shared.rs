//! One world seen through two APIs: the fake plays one vendor, whose Vendor API sees every
//! object, and the Partner API's key acts as one partner of it (the test partner `gstest` by
//! default). An object of both APIs is one object, with one key and one set of times; the
//! partner sees its own objects only, and its postbacks are of those.

use std::collections::HashSet;
use std::time::Duration;

use futures::TryStreamExt;
use partnerstack::vendor::models::{
    CustomerCreate, CustomerUpdate, PartnershipCreate, RewardCreate, RewardTarget,
    RewardTargetType, TransactionCreate, TransactionCreateCustomer,
};
use partnerstack_fake::{Config, DeliveryPolicy, Server, TEST_PARTNER_KEY};

use crate::support::{partner, start, vendor};

#[tokio::test]
async fn an_object_made_through_the_vendor_api_is_the_partners_same_object() {
    let server = start(10).await;
    let (p, v) = (partner(&server), vendor(&server));
    let mine = server.partnership_key().unwrap();

    // A customer the vendor creates for the signed-in partner.
    let created = v
        .customers()
        .create(
            CustomerCreate::builder()
                .email("grace@example.com")
                .partner_key(TEST_PARTNER_KEY)
                .build()
                .customer_key("acme-shared"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(created.partnership_key.as_deref(), Some(mine.as_str()));
    let seen: Vec<_> = p.customers().list().items().try_collect().await.unwrap();
    let same = seen.iter().find(|c| c.key == created.key).unwrap();
    assert_eq!(same.created_at, created.created_at);
    assert_eq!(same.updated_at, created.updated_at);
    assert_eq!(same.customer_key.as_deref(), Some("acme-shared"));
    assert_eq!(same.partnership_key, mine);
    // Fields only the partner's type has: the server's defaults, and the vendor company of
    // the partnership.
    assert!(!same.has_paid && !same.archived && same.sub_ids.is_empty());
    let partnership = p.partnerships().list().send().await.unwrap().items;
    assert_eq!(partnership.len(), 1, "the partner's own partnership");
    assert_eq!(partnership[0].key, mine);
    assert_eq!(same.company.key, partnership[0].company.key);

    // An update through the vendor is the partner's update.
    let updated = v
        .customers()
        .update(
            "acme-shared",
            CustomerUpdate::new().customer_key("acme-renamed"),
        )
        .send()
        .await
        .unwrap();
    let seen: Vec<_> = p.customers().list().items().try_collect().await.unwrap();
    let same = seen.iter().find(|c| c.key == created.key).unwrap();
    assert_eq!(same.customer_key.as_deref(), Some("acme-renamed"));
    assert_eq!(same.updated_at, updated.updated_at);
    assert_eq!(same.created_at, created.created_at);

    // The customer's transaction, recorded by the vendor, is the partner's.
    let tx = v
        .transactions()
        .create(
            TransactionCreate::builder()
                .amount(4_900)
                .currency("EUR")
                .customer(TransactionCreateCustomer::CustomerKey(created.key.clone()))
                .build()
                .key("order-4711"),
        )
        .send()
        .await
        .unwrap();
    let seen: Vec<_> = p.transactions().list().items().try_collect().await.unwrap();
    let same = seen.iter().find(|t| t.key == "order-4711").unwrap();
    assert_eq!(same.created_at, tx.created_at);
    assert_eq!((same.amount, same.currency.as_str()), (4_900, "EUR"));
    assert_eq!(same.partnership_key, mine);
    assert_eq!(
        same.customer.as_ref().and_then(|c| c.key.clone()),
        Some(created.key.clone())
    );

    // A reward the vendor creates for that transaction is the partner's reward.
    let reward = v
        .rewards()
        .create(
            RewardCreate::builder()
                .amount(1_250)
                .target(
                    RewardTarget::builder()
                        .key("order-4711")
                        .r#type(RewardTargetType::Transaction)
                        .build(),
                )
                .build()
                .description("Sign-up bonus"),
        )
        .send()
        .await
        .unwrap();
    let seen: Vec<_> = p.rewards().list().items().try_collect().await.unwrap();
    let same = seen.iter().find(|r| r.key == reward.key).unwrap();
    assert_eq!(same.created_at, reward.created_at);
    assert_eq!(same.amount, Some(1_250));
    assert_eq!(same.description.as_deref(), Some("Sign-up bonus"));
    assert_eq!(same.partnership_key.as_deref(), Some(mine.as_str()));
    assert_eq!(
        same.customer.as_ref().and_then(|c| c.key.clone()),
        Some(created.key.clone())
    );
    // The partner's reward shows its transaction without a key: its amount and currency.
    let shown = same.transaction.as_ref().unwrap();
    assert_eq!(
        (shown.amount, shown.currency.as_deref()),
        (Some(4_900), Some("EUR"))
    );
    assert_eq!(shown.created_at, Some(tx.created_at));
    let owner = reward
        .partnership
        .as_ref()
        .and_then(|x| x.key.clone().into_option());
    assert_eq!(owner.as_deref(), Some(mine.as_str()));
    // A target that does not exist is PartnerStack's 400, naming the field.
    let err = v
        .rewards()
        .create(
            RewardCreate::builder()
                .amount(1)
                .target(
                    RewardTarget::builder()
                        .key("cus_nobody")
                        .r#type(RewardTargetType::Customer)
                        .build(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(400));
    assert!(err.to_string().contains("'target.key'"), "{err}");
    // So does a target of a kind the enum does not list, even one the fake stores.
    for kind in ["bogus", "partnership"] {
        let err = v
            .rewards()
            .create(
                RewardCreate::builder()
                    .amount(1)
                    .target(
                        RewardTarget::builder()
                            .key(mine.as_str())
                            .r#type(RewardTargetType::from(kind))
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{kind}");
        assert!(err.to_string().contains("'target.type'"), "{err}");
    }

    // A seeded reward of the partner's: one object, each API showing its own fields.
    let vendor_rewards: Vec<_> = v.rewards().list().items().try_collect().await.unwrap();
    let partner_rewards: Vec<_> = p.rewards().list().items().try_collect().await.unwrap();
    assert!(!partner_rewards.is_empty());
    for r in &partner_rewards {
        let there = vendor_rewards.iter().find(|x| x.key == r.key).unwrap();
        assert_eq!(there.created_at, r.created_at);
        assert_eq!(there.updated_at, r.updated_at);
        assert_eq!(there.amount, r.amount);
        assert_eq!(there.description, r.description);
        assert_eq!(
            there.reward_status.as_ref().map(|s| s.as_str()),
            r.reward_status.as_ref().map(|s| s.as_str())
        );
        let owner = there
            .partnership
            .as_ref()
            .and_then(|x| x.key.clone().into_option());
        assert_eq!(owner.as_deref(), Some(mine.as_str()));
        assert_eq!(r.partnership_key.as_deref(), Some(mine.as_str()));
        let customer = |c: Option<&partnerstack::partner::models::RewardCustomer>| {
            c.and_then(|c| c.key.clone())
        };
        assert_eq!(
            customer(r.customer.as_ref()),
            there
                .customer
                .as_ref()
                .and_then(|c| c.key.clone().into_option())
        );
    }
}

#[tokio::test]
async fn the_partner_never_sees_another_partners_objects() {
    let server = start(30).await;
    let (p, v) = (partner(&server), vendor(&server));
    let mine = server.partnership_key().unwrap();

    // Another partner's customer and transaction, made through the vendor.
    let ada = v
        .partnerships()
        .create(PartnershipCreate::new("ada@example.com").partner_key("ada"))
        .send()
        .await
        .unwrap();
    let theirs = v
        .customers()
        .create(
            CustomerCreate::builder()
                .email("babbage@example.com")
                .partner_key("ada")
                .build()
                .customer_key("engine-1"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(theirs.partnership_key.as_deref(), Some(ada.key.as_str()));
    v.transactions()
        .create(
            TransactionCreate::builder()
                .amount(100)
                .currency("USD")
                .customer(TransactionCreateCustomer::CustomerKey(theirs.key.clone()))
                .build()
                .key("order-ada"),
        )
        .send()
        .await
        .unwrap();

    // The vendor sees every partner's customers; the partner exactly its own.
    let all: Vec<_> = v.customers().list().items().try_collect().await.unwrap();
    let others = all
        .iter()
        .filter(|c| c.partnership_key.as_deref() != Some(mine.as_str()))
        .count();
    assert!(others > 1, "the seeded world has other partners' customers");
    let own: HashSet<_> = all
        .iter()
        .filter(|c| c.partnership_key.as_deref() == Some(mine.as_str()))
        .map(|c| c.key.clone())
        .collect();
    let seen: Vec<_> = p.customers().list().items().try_collect().await.unwrap();
    let seen_keys: HashSet<_> = seen.iter().map(|c| c.key.clone()).collect();
    assert_eq!(seen_keys, own);
    assert!(!seen_keys.contains(&theirs.key));

    // Transactions: those of the partner's customers.
    let txs: Vec<_> = v.transactions().list().items().try_collect().await.unwrap();
    let own_txs: HashSet<_> = txs
        .iter()
        .filter(|t| t.customer_key.as_ref().is_some_and(|k| own.contains(k)))
        .map(|t| t.key.clone())
        .collect();
    assert!(!own_txs.is_empty());
    let seen: Vec<_> = p.transactions().list().items().try_collect().await.unwrap();
    let seen_txs: HashSet<_> = seen.iter().map(|t| t.key.clone()).collect();
    assert_eq!(seen_txs, own_txs);
    assert!(!seen_txs.contains("order-ada"));
    assert!(seen.iter().all(|t| t.partnership_key == mine));

    // Rewards and actions: those of the partner's partnership.
    let rewards: Vec<_> = v.rewards().list().items().try_collect().await.unwrap();
    let own_rewards: HashSet<_> = rewards
        .iter()
        .filter(|r| {
            r.partnership
                .as_ref()
                .and_then(|x| x.key.clone().into_option())
                .as_deref()
                == Some(mine.as_str())
        })
        .map(|r| r.key.clone())
        .collect();
    assert!(!own_rewards.is_empty() && own_rewards.len() < rewards.len());
    let seen: Vec<_> = p.rewards().list().items().try_collect().await.unwrap();
    assert_eq!(
        seen.iter().map(|r| r.key.clone()).collect::<HashSet<_>>(),
        own_rewards
    );
    let actions: Vec<_> = v.actions().list().items().try_collect().await.unwrap();
    let own_actions: HashSet<_> = actions
        .iter()
        .filter(|a| a.partnership_key.as_deref() == Some(mine.as_str()))
        .map(|a| a.key.clone())
        .collect();
    assert!(!own_actions.is_empty());
    let seen: Vec<_> = p.actions().list().items().try_collect().await.unwrap();
    assert_eq!(
        seen.iter().map(|a| a.key.clone()).collect::<HashSet<_>>(),
        own_actions
    );

    // Its partnerships: its own only.
    let seen = p.partnerships().list().send().await.unwrap().items;
    assert_eq!(
        seen.iter().map(|x| x.key.as_str()).collect::<Vec<_>>(),
        [mine.as_str()]
    );
}

#[tokio::test]
async fn a_vendor_change_sends_the_postback_of_the_partner_it_belongs_to() {
    // A receiver that never answers: the deliveries are queued (and dropped) all the same.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/postbacks", silent.local_addr().unwrap());
    let policy = DeliveryPolicy {
        attempts: 1,
        timeout: Duration::from_millis(50),
        ..DeliveryPolicy::default()
    };
    let server = Server::start(
        Config::default()
            .items(5)
            .postback_url(url)
            .delivery(policy),
    )
    .await
    .unwrap();
    let v = vendor(&server);
    v.partnerships()
        .create(PartnershipCreate::new("ada@example.com").partner_key("ada"))
        .send()
        .await
        .unwrap();
    let theirs = v
        .customers()
        .create(
            CustomerCreate::builder()
                .email("babbage@example.com")
                .partner_key("ada")
                .build(),
        )
        .send()
        .await
        .unwrap();
    let mine = v
        .customers()
        .create(
            CustomerCreate::builder()
                .email("grace@example.com")
                .partner_key(TEST_PARTNER_KEY)
                .build(),
        )
        .send()
        .await
        .unwrap();
    // Rewards for each: the partner hears of its own.
    for customer in [&theirs, &mine] {
        v.rewards()
            .create(
                RewardCreate::builder()
                    .amount(500)
                    .target(
                        RewardTarget::builder()
                            .key(customer.key.as_str())
                            .r#type(RewardTargetType::Customer)
                            .build(),
                    )
                    .build(),
            )
            .send()
            .await
            .unwrap();
    }
    let postbacks: Vec<_> = server
        .deliveries()
        .into_iter()
        .filter(|d| d.api == "partner")
        .collect();
    let events: Vec<_> = postbacks.iter().map(|d| d.event.as_str()).collect();
    assert_eq!(events, ["customer.created", "reward.created"]);
    assert_eq!(
        postbacks[1].body["data"]["customer"]["key"],
        mine.key.as_str()
    );
    assert_eq!(postbacks[0].body["data"]["key"], mine.key.as_str());
    assert_eq!(
        postbacks[0].body["data"]["partnership_key"],
        server.partnership_key().unwrap().as_str()
    );
    // Nothing of the other partner's customer went to this partner.
    assert!(
        postbacks
            .iter()
            .all(|d| !d.body.to_string().contains(theirs.key.as_str()))
    );
}

#[tokio::test]
async fn the_partner_api_can_act_as_another_seeded_partner() {
    let first = start(6).await;
    let partnerships: Vec<_> = vendor(&first)
        .partnerships()
        .list()
        .items()
        .try_collect()
        .await
        .unwrap();
    let other = partnerships
        .iter()
        .find(|x| x.partner_key != TEST_PARTNER_KEY)
        .unwrap();
    assert_eq!(
        first.partnership_key().as_deref(),
        partnerships
            .iter()
            .find(|x| x.partner_key == TEST_PARTNER_KEY)
            .map(|x| x.key.as_str())
    );
    // The same seed, signed in as another partner (by its partner key, or its key).
    for by in [other.partner_key.as_str(), other.key.as_str()] {
        let server = Server::start(Config::default().items(6).signed_in_partner(by))
            .await
            .unwrap();
        assert_eq!(
            server.partnership_key().as_deref(),
            Some(other.key.as_str())
        );
        let seen = partner(&server).partnerships().list().send().await.unwrap();
        assert_eq!(seen.items.len(), 1);
        assert_eq!(seen.items[0].key, other.key);
    }
    let err = Server::start(Config::default().signed_in_partner("nobody"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("'nobody'"), "{err}");
}

#[tokio::test]
async fn list_counts_name_a_list_once() {
    use partnerstack_fake::{Config, Server};
    for config in [
        Config::default().list_items("partner", "/api/v2/nothing", 5),
        // The Partner and the Vendor API show one list of rewards.
        Config::default()
            .list_items("partner", "/api/v2/rewards", 5)
            .list_items("vendor", "/api/v2/rewards", 7),
    ] {
        let Err(err) = Server::start(config).await else {
            panic!("started");
        };
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput, "{err}");
        assert!(err.to_string().starts_with("list items:"), "{err}");
    }
}

//! A fake PartnerStack for tests: the Partner, Vendor and conversion APIs on one port of
//! 127.0.0.1, generated from the same spec as the client.
//!
//! Routes, request validation and the shapes of stored objects come from `spec/` through
//! `partnerstack-codegen` (the tables in `fake/generated/`); this crate's hand-written core
//! serves them:
//!
//! - **Auth** as the real API: `Bearer <partner key>` opens the Partner API, HTTP Basic
//!   `public:secret` the Vendor API, `Bearer <tracking token>` the conversion call. They share
//!   paths (`GET /api/v2/rewards`): the credential says which API answers. Anything else is a
//!   401 error envelope.
//! - **Envelope**: `{data, message, status}` on success, `{message, status}` on errors; the
//!   conversion call answers an empty 200.
//! - **Pagination**: `limit` 1..=250 (default 10), `starting_after`, `ending_before`, never both,
//!   `has_more` and `total`; every other query parameter of a list does what the spec's
//!   `filter:` says (a filter on a named field, the sort order, or accepted and not applied).
//! - **Store**: create, read, update (only the fields sent; `null` clears), delete, over
//!   deterministic seeded data (key prefixes such as `rwrd_`, epoch-ms times, nulls where
//!   nullable), with the test partner `gstest` among the Vendor API's partnerships.
//! - **One world**: the fake plays one vendor, whose Vendor API sees every object; the Partner
//!   API's key acts as one partner of it (`gstest` unless [`Config::signed_in_partner`] names
//!   another; [`Server::partnership_key`]) and sees only that partner's objects. An object of
//!   both APIs (a customer, a reward, …) is stored once: what one API creates or changes, the
//!   other shows, with the same key and times, each with its own type's fields; the partner's
//!   postbacks fire for changes to its objects made through either API.
//! - **Faults** (off by default): latency, a rate limit (429 with `Retry-After`), 429 and 5xx
//!   answers, dropped connections; for the whole server ([`Faults`]) or for chosen operations
//!   while it runs ([`Inject`]).
//!
//! # In your own tests
//!
//! Start one in-process on port 0 (any free port) with a seed and credentials of your own,
//! add latency, rate limits (429 with `Retry-After`) or faults to chosen operations for one
//! test with [`Server::inject`], inspect what it received with [`Server::requests`], and let it
//! stop when dropped. This is a real test of this crate (`tests/example.rs`), run as written:
//!
//! ```no_run
//! use std::time::Duration;
//!
//! use partnerstack::RetryPolicy;
//! use partnerstack_fake::{Config, Fault, Inject, Server};
//!
//! #[tokio::test]
//! async fn a_walk_survives_a_slow_flaky_rate_limited_list() {
//!     // Port 0, a seed of its own, and credentials of its own.
//!     let mut config = Config::default().items(30).seed(7);
//!     config.vendor_secret_key = "sk_test_secret".into();
//!     let server = Server::start(config).await.unwrap();
//!
//!     // For this test only: the rewards list is slow, fails twice, and takes 20 requests a second.
//!     server.inject(
//!         Inject::route("vendor.rewards.list")
//!             .latency(Duration::from_millis(20))
//!             .rate_limit(20),
//!     );
//!     server.inject(
//!         Inject::route("rewards.list")
//!             .fault(Fault::ServerError)
//!             .times(2),
//!     );
//!
//!     let client = partnerstack::vendor::Client::builder()
//!         .public_key(server.vendor_public_key())
//!         .secret_key("sk_test_secret")
//!         .base_url(server.url())
//!         .retry_policy(RetryPolicy::default().base_delay(Duration::from_millis(1)))
//!         .build()
//!         .unwrap();
//!     let rewards = client.rewards().list().limit(5).items();
//!     let rewards: Vec<_> = futures::TryStreamExt::try_collect(rewards).await.unwrap();
//!     assert_eq!(rewards.len(), 30);
//!
//!     // What the fake received: every request, its operation and its answer.
//!     let statuses: Vec<u16> = server.requests().iter().map(|r| r.status).collect();
//!     assert_eq!(statuses[..2], [500, 500]);
//!     assert_eq!(statuses.iter().filter(|s| **s == 200).count(), 6);
//!     // The server stops when dropped.
//! }
//! ```
//!
//! The binary `partnerstack-fake` takes the same settings (`--seed`, `--latency-ms`,
//! `--rate-limit N`, `--fault-every`, …); see `--help`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod clock;
mod config;
mod deliver;
mod fault;
mod handle;
mod index;
mod inject;
mod json;
mod limit;
mod lock;
mod object;
mod page;
mod record;
mod reply;
mod seed;
mod server;
mod store;
mod table;
mod validate;
mod views;
mod world;

#[rustfmt::skip]
#[path = "../generated/mod.rs"]
mod tables;

pub use config::{
    Config, DEFAULT_ITEMS, DEFAULT_PARTNER_KEY, DEFAULT_SEED, DEFAULT_TRACKING_TOKEN,
    DEFAULT_VENDOR_PUBLIC_KEY, DEFAULT_VENDOR_SECRET_KEY, MAX_ITEMS, MAX_LIST_ITEMS,
};
pub use deliver::{
    Delivery, DeliveryPolicy, Outcome, TriggerError, Triggered, event_apis, trigger,
};
pub use fault::{Fault, Faults};
pub use inject::Inject;
pub use page::DEFAULT_LIMIT;
pub use record::{MAX_RECORDED, Received};
pub use server::{MAX_BODY_BYTES, MAX_QUERY_BYTES, Server};
pub use store::TEST_PARTNER_KEY;

/// The README's example test, compiled as a doctest so that it cannot drift from the crate.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

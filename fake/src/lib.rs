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
//!   `has_more` and `total`; `min_created` / `max_created` / `min_updated` / `max_updated`,
//!   `order_by` and equality filters on fields the items have.
//! - **Store**: create, read, update (only the fields sent; `null` clears), delete, over
//!   deterministic seeded data (key prefixes such as `rwrd_`, epoch-ms times, nulls where
//!   nullable), with the test partner `gstest` among the Vendor API's partnerships.
//! - **Faults** (off by default): latency, 429 with `Retry-After`, 5xx, dropped connections.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use partnerstack_fake::{Config, Server};
//!
//! let server = Server::start(Config::default().items(30)).await?;
//! let base_url = server.url(); // http://127.0.0.1:PORT
//! let key = server.partner_key();
//! // … point a client at base_url; the server stops when `server` is dropped.
//! # Ok(())
//! # }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod auth;
mod config;
mod fault;
mod handle;
mod page;
mod seed;
mod server;
mod store;
mod table;
mod validate;

#[rustfmt::skip]
#[path = "../generated/mod.rs"]
mod tables;

pub use config::{
    Config, DEFAULT_ITEMS, DEFAULT_PARTNER_KEY, DEFAULT_SEED, DEFAULT_TRACKING_TOKEN,
    DEFAULT_VENDOR_PUBLIC_KEY, DEFAULT_VENDOR_SECRET_KEY, MAX_ITEMS,
};
pub use fault::{Fault, Faults};
pub use page::DEFAULT_LIMIT;
pub use server::Server;
pub use store::TEST_PARTNER_KEY;

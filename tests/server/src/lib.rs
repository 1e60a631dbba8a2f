//! The one local HTTP server of this repository's tests (the client's, the command line's and
//! the fake's): a real HTTP/1.1 server on 127.0.0.1, on a port of its own, that
//!
//! - answers every request with what the test's handler returns ([`Reply`]): a status,
//!   headers, a body, after a delay if asked;
//! - records every request as it arrived ([`Seen`]: method, raw path, decoded query, headers,
//!   body), in order ([`Server::requests`]);
//! - misbehaves on purpose when a reply carries a [`Fault`]: an error status, a dropped
//!   connection, a body cut short, a body trickled too slowly, a length too large to accept.
//!
//! Two handlers are ready made: [`in_turn`] answers from a list of replies, one per request;
//! [`faulty_list`] serves a cursor list and fails a share of requests, chosen from a seed (the
//! walks of `tests/client/faults.rs` and `benches/faults.rs`).
//!
//! For failures before any answer: [`refused_url`] (nothing listens) and [`Unanswered`] (a
//! connection is never accepted).
//!
//! It is built on hyper (already in every test build through reqwest and the fake), serving
//! each connection with keep-alive as a real server does; faults that no well-behaved server
//! sends are made by ending the connection (a handler error, a body stream that stops).
//!
//! ```no_run
//! # async fn example() {
//! use partnerstack_test_server::{Reply, Server};
//! let server = Server::start(|seen| match seen.path.as_str() {
//!     "/api/v2/rewards" => Reply::json(200, serde_json::json!({"data": {"items": []}})),
//!     _ => Reply::json(404, serde_json::json!({"message": "Not found"})),
//! })
//! .await;
//! // … point a client at `server.url`, then:
//! assert_eq!(server.requests().len(), 1);
//! # }
//! ```

mod body;
mod list;
mod nowhere;
mod reply;
mod script;
mod seen;
mod serve;

pub use list::{TRANSIENT, customers, faulty_list};
pub use nowhere::{Unanswered, refused_url};
pub use partnerstack_fake::Fault as FakeFault;
pub use reply::{Fault, Reply};
pub use script::in_turn;
pub use seen::Seen;
pub use serve::{Server, Stats};

//! A small receiver for PartnerStack postbacks (partners) and webhooks (vendors).
//!
//! ```sh
//! PARTNERSTACK_HOOK_SECRET=$(openssl rand -hex 16) cargo run --example receive_events
//! # then, from another terminal:
//! curl -X POST "http://127.0.0.1:3000/partnerstack/partner/$PARTNERSTACK_HOOK_SECRET" \
//!      -H 'Content-Type: application/json' \
//!      -d '{"event": "test", "data": {"message": "hello"}, "test": true}'
//! ```
//!
//! # Authenticity
//!
//! PartnerStack does not sign deliveries: no signature or HMAC header is documented, and none
//! appears in captured deliveries, so a receiver cannot check cryptographically who sent a
//! body. What it can do, and what this example shows:
//!
//! - register a URL that carries an **unguessable secret** (at least 128 random bits) and refuse
//!   any request without it, comparing it in **constant time** (so response times do not leak it
//!   byte by byte);
//! - receive over **HTTPS** only (terminate TLS in front of this server), so the secret and the
//!   bodies are not readable on the way;
//! - treat every delivery as a hint: re-read the object from the API by its key before acting on
//!   money, and make handling idempotent (the same event may arrive twice).
//!
//! It also caps the body size, parses with [`Event::from_slice`](partnerstack::partner::events::Event::from_slice),
//! answers `200` at once and does the work afterwards: a slow receiver gets retried or dropped.
//! Every delivery that is a JSON object with an event name is answered `200`, also one this
//! version does not know (`Event::Unknown`) or cannot fit into its type (`Event::Malformed`):
//! both carry the whole body, numbers exact, to store and look at later.
//!
//! Try it against the fake PartnerStack, which sends real deliveries:
//!
//! ```sh
//! cargo run -p partnerstack-fake -- trigger customer.created \
//!     --url "http://127.0.0.1:3000/partnerstack/vendor/$PARTNERSTACK_HOOK_SECRET"
//! ```
//!
//! `app` is the whole receiver as an axum `Router`; `tests/client/deliveries.rs` runs it
//! against the fake's webhooks and postbacks.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::StatusCode;
use axum::routing::post;
use partnerstack::prelude::*;
use partnerstack::{partner, vendor};
use subtle::ConstantTimeEq;

/// Deliveries are small JSON objects; anything larger is not PartnerStack's.
const MAX_BODY: usize = 256 * 1024;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let secret = std::env::var("PARTNERSTACK_HOOK_SECRET")
        .map_err(|_| "set PARTNERSTACK_HOOK_SECRET to a long random string")?;
    if secret.len() < 32 {
        return Err("PARTNERSTACK_HOOK_SECRET must be at least 32 characters".into());
    }
    let handlers = Handlers {
        postback: Arc::new(|event| {
            tokio::spawn(handle_postback(event));
        }),
        webhook: Arc::new(|event| {
            tokio::spawn(handle_webhook(event));
        }),
    };
    let addr = SocketAddr::from(([127, 0, 0, 1], 3000));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    println!("receiving on http://{addr}/partnerstack/{{partner|vendor}}/<secret>");
    axum::serve(listener, app(secret, handlers)).await?;
    Ok(())
}

/// What to do with each delivery once it is read (quickly: the answer waits for it).
#[derive(Clone)]
pub struct Handlers {
    /// A partner's postback.
    pub postback: Arc<dyn Fn(partner::events::Event) + Send + Sync>,
    /// A vendor's webhook.
    pub webhook: Arc<dyn Fn(vendor::events::Event) + Send + Sync>,
}

/// The receiver: `POST /partnerstack/{partner|vendor}/{secret}`.
pub fn app(secret: String, handlers: Handlers) -> Router {
    Router::new()
        .route("/partnerstack/{api}/{secret}", post(receive))
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .with_state(Arc::new((secret, handlers)))
}

async fn receive(
    State(state): State<Arc<(String, Handlers)>>,
    Path((api, given)): Path<(String, String)>,
    body: Bytes,
) -> StatusCode {
    let (secret, handlers) = &*state;
    // Constant time: the comparison takes as long however many leading bytes match.
    if !bool::from(given.as_bytes().ct_eq(secret.as_bytes())) {
        return StatusCode::NOT_FOUND;
    }
    match api.as_str() {
        "partner" => match partner::events::Event::from_slice(&body) {
            Ok(event) => {
                (handlers.postback)(event);
                StatusCode::OK
            }
            // Not a delivery at all (not JSON, no event name): the error says what was read,
            // where and why, without a value from the body.
            Err(e) => {
                eprintln!("{e}");
                StatusCode::BAD_REQUEST
            }
        },
        "vendor" => match vendor::events::Event::from_slice(&body) {
            Ok(event) => {
                (handlers.webhook)(event);
                StatusCode::OK
            }
            Err(e) => {
                eprintln!("{e}");
                StatusCode::BAD_REQUEST
            }
        },
        _ => StatusCode::NOT_FOUND,
    }
}

async fn handle_postback(event: partner::events::Event) {
    use partner::events::Event;
    if event.is_test() {
        println!("test postback `{}`: the URL works", event.name());
        return;
    }
    match event {
        Event::RewardCreated(p) => {
            let key = p.data.key.value().map_or("?", String::as_str);
            // `Loose`: sent as a number or as a string ("1000"); `get` reads either.
            let amount = p
                .data
                .amount
                .value()
                .and_then(Loose::get)
                .unwrap_or_default();
            println!("reward {key}: {amount} cents");
        }
        Event::CustomerCreated(p) | Event::CustomerUpdated(p) => {
            println!("customer {:?} ({})", p.data.key.value(), p.event);
        }
        Event::TransactionCreated(p) => println!("transaction {:?}", p.data.key.value()),
        // Kept whole, numbers exact: store it, look at it later. Nothing is lost. (The body may
        // hold personal data: store it where such data belongs, not in a shared log.)
        Event::Unknown(u) => store(u.name(), u.body()),
        // A known event whose payload did not fit its type: the error says where and why (and
        // holds no value from the body, so it can be logged); the body is kept whole.
        Event::Malformed(m) => {
            eprintln!("{}", m.error());
            store(m.name(), m.body());
        }
        other => println!("postback `{}`", other.name()),
    }
}

async fn handle_webhook(event: vendor::events::Event) {
    use vendor::events::Event;
    match event {
        Event::PartnershipCreated(w) => {
            println!(
                "new partner {:?} <{:?}>",
                w.data.partner_key.value(),
                w.data.email.value()
            );
        }
        Event::Unknown(u) => store(u.name(), u.body()),
        Event::Malformed(m) => {
            eprintln!("{}", m.error());
            store(m.name(), m.body());
        }
        other => println!("webhook `{}`", other.name()),
    }
}

/// Where a delivery this version cannot read in full goes: a database row, a queue, a file.
fn store(name: &str, body: &RawJson) {
    println!("kept `{name}` for later ({} bytes)", body.get().len());
}

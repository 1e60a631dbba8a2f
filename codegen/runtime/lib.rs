//! The runtime as a crate of its own (package `partnerstack-runtime`, manifest in
//! `tests/runtime/`), so the files of this directory are checked as real Rust where they are
//! written. The generator does not emit this file: it writes each module into `generated/`
//! beside the emitted code, with the crate root of `codegen/src/emit/mod.rs`, which re-exports
//! the same items (a test in `codegen/src/runtime.rs` keeps the two lists equal).

#![forbid(unsafe_code)]
// `rustfmt::skip` for now: the files predate this crate and are not yet in rustfmt's layout;
// formatting them is its own change (their copies in `generated/` change with them).
#![allow(
    dead_code,
    reason = "the runtime serves every spec; without one, much of it is unused"
)]

#[rustfmt::skip]
mod auth;
#[rustfmt::skip]
mod builder;
#[rustfmt::skip]
mod config;
#[rustfmt::skip]
mod decode;
#[rustfmt::skip]
mod error;
#[rustfmt::skip]
mod events;
#[rustfmt::skip]
mod json;
#[rustfmt::skip]
mod json_item;
#[rustfmt::skip]
mod nullable;
#[rustfmt::skip]
mod observe;
#[rustfmt::skip]
mod open_enum;
#[rustfmt::skip]
mod pace;
#[rustfmt::skip]
mod page;
#[rustfmt::skip]
mod pagination;
#[rustfmt::skip]
mod partition;
#[rustfmt::skip]
mod request;
#[rustfmt::skip]
mod retry;
#[rustfmt::skip]
mod timestamp;
#[rustfmt::skip]
mod transport;

pub use auth::{PublicKey, SecretKey};
pub use builder::{IsSet, Missing};
pub use config::reqwest_builder;
pub use error::{Error, RequestInfo, Result, TransportErrorKind};
pub use events::{Loose, LooseBool, LooseValue, MalformedEvent, Postback, UnknownEvent, Webhook};
pub use json::{JsonMap, RawJson};
pub use json_item::JsonItem;
pub use nullable::Nullable;
pub use observe::ResponseInfo;
pub use page::Page;
pub use pagination::{Items, Pages};
pub use partition::PartitionedItems;
pub use reqwest;
pub use retry::{Decision, Outcome, RetryPolicy};
pub use timestamp::Timestamp;

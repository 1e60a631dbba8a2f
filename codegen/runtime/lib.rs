//! The runtime as a crate of its own (package `partnerstack-runtime`, manifest in
//! `tests/runtime/`), so the files of this directory are checked as real Rust where they are
//! written. The generator does not emit this file: it writes each module into `generated/`
//! beside the emitted code, with the crate root of `codegen/src/emit/mod.rs`, which re-exports
//! the same items (a test in `codegen/src/runtime.rs` keeps the two lists equal).

#![forbid(unsafe_code)]
#![allow(
    dead_code,
    reason = "the runtime serves every spec; without one, much of it is unused"
)]

mod auth;
mod builder;
mod config;
mod decode;
mod error;
mod events;
mod json;
mod json_item;
mod nullable;
mod observe;
mod open_enum;
mod pace;
mod page;
mod pagination;
mod partition;
mod request;
mod retry;
mod timestamp;
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

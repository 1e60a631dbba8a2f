//! Empty on purpose: see `Cargo.toml`. Being a default member of the workspace that depends on
//! `partnerstack` with its `regenerate` feature is all this crate does.

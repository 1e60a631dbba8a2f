//! Behaviour of the generated client against a real HTTP server on 127.0.0.1.

mod conversion;
mod decoding;
mod deliveries;
mod error_text;
mod errors;
mod events;
mod fake;
mod faults;
mod first_hour;
mod json_items;
mod models;
mod pagination;
mod partitioned;
mod privacy;
mod proxy;
mod redirects;
mod requests;
mod resilience;
mod support;
mod timestamps;
mod tls;
mod vendor;

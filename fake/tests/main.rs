//! The fake PartnerStack over real HTTP on 127.0.0.1: through the generated client, as raw
//! (and hostile) requests, and as a process.

mod client;
mod example;
mod filters;
mod hostile;
mod identity;
mod limits;
mod process;
mod shared;
mod support;
mod world;

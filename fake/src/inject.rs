//! Latency, rate limits and faults for chosen operations, added and removed while a server
//! runs: what one test needs without restarting the fake.

use std::time::{Duration, Instant};

use crate::fault::Fault;
use crate::limit::RateLimiter;

/// Something to do to the requests of some operations, from now on: added with
/// [`Server::inject`](crate::Server::inject), removed with
/// [`Server::clear_injections`](crate::Server::clear_injections).
///
/// ```
/// use std::time::Duration;
/// use partnerstack_fake::{Fault, Inject};
///
/// // The next two creates of a customer fail with a 500, then they work again.
/// let flaky = Inject::route("customers.create").fault(Fault::ServerError).times(2);
/// // Every rewards list waits 200 ms and takes at most 5 requests a second.
/// let slow = Inject::route("partner.rewards.list")
///     .latency(Duration::from_millis(200))
///     .rate_limit(5);
/// # let _ = (flaky, slow);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inject {
    route: Option<String>,
    latency: Duration,
    fault: Option<Fault>,
    rate_limit: Option<u32>,
    times: Option<u32>,
}

impl Inject {
    /// For the operation `id`, as the `x-fake-operation` header names it (`customers.get`,
    /// in every API that has it), or with its API in front (`vendor.customers.get`).
    pub fn route(id: impl Into<String>) -> Inject {
        Inject {
            route: Some(id.into()),
            latency: Duration::ZERO,
            fault: None,
            rate_limit: None,
            times: None,
        }
    }

    /// For every operation of every API.
    pub fn all() -> Inject {
        Inject {
            route: None,
            ..Inject::route("")
        }
    }

    /// Waits this long before answering.
    pub fn latency(mut self, latency: Duration) -> Inject {
        self.latency = latency;
        self
    }

    /// Answers with this fault instead of the operation's answer.
    pub fn fault(mut self, fault: Fault) -> Inject {
        self.fault = Some(fault);
        self
    }

    /// Answers 429 with `Retry-After` beyond `per_second` requests in any one-second window
    /// (counted over the requests this injection applies to).
    pub fn rate_limit(mut self, per_second: u32) -> Inject {
        self.rate_limit = Some(per_second);
        self
    }

    /// Applies to the next `n` matching requests only, then to none.
    pub fn times(mut self, n: u32) -> Inject {
        self.times = Some(n);
        self
    }

    fn applies(&self, api: &str, op: &str) -> bool {
        match &self.route {
            None => true,
            Some(r) => r == op || r.strip_prefix(api).and_then(|r| r.strip_prefix('.')) == Some(op),
        }
    }
}

/// What the injections say about one request.
#[derive(Debug, Default)]
pub(crate) struct Effect {
    pub latency: Duration,
    /// A 429's `Retry-After`, when a rate limit refuses it.
    pub limited: Option<u64>,
    pub fault: Option<Fault>,
}

/// The active injections, each with its limiter and remaining count.
#[derive(Debug, Default)]
pub(crate) struct Injections {
    active: Vec<(Inject, Option<RateLimiter>)>,
}

impl Injections {
    pub(crate) fn add(&mut self, inject: Inject) {
        let limiter = inject.rate_limit.map(RateLimiter::new);
        self.active.push((inject, limiter));
    }

    pub(crate) fn clear(&mut self) {
        self.active.clear();
    }

    /// The effect on a request to `api`'s operation `op` arriving `now`; uses up one of each
    /// matching injection's `times`.
    pub(crate) fn effect(&mut self, api: &str, op: &str, now: Instant) -> Effect {
        let mut effect = Effect::default();
        for (inject, limiter) in &mut self.active {
            if !inject.applies(api, op) || inject.times == Some(0) {
                continue;
            }
            if let Some(n) = &mut inject.times {
                *n -= 1;
            }
            effect.latency = effect.latency.saturating_add(inject.latency);
            if let Some(l) = limiter
                && let Err(secs) = l.admit(now)
            {
                effect.limited.get_or_insert(secs);
            }
            if effect.fault.is_none() {
                effect.fault = inject.fault;
            }
        }
        self.active.retain(|(i, _)| i.times != Some(0));
        effect
    }
}

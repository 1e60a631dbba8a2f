//! What a fake server is started with.

use crate::deliver::DeliveryPolicy;
use crate::fault::Faults;

/// The Partner API key the fake accepts by default.
pub const DEFAULT_PARTNER_KEY: &str = "fake_partner_key";
/// The Vendor API public key (Basic user name) the fake accepts by default.
pub const DEFAULT_VENDOR_PUBLIC_KEY: &str = "pk_fake_public";
/// The Vendor API secret key (Basic password) the fake accepts by default.
pub const DEFAULT_VENDOR_SECRET_KEY: &str = "sk_fake_secret";
/// The conversion API tracking token the fake accepts by default.
pub const DEFAULT_TRACKING_TOKEN: &str = "fake_tracking_token";
/// Seeded objects per list by default.
pub const DEFAULT_ITEMS: usize = 25;
/// The most objects a list is seeded with; more are cut to this (memory stays bounded).
pub const MAX_ITEMS: usize = 10_000;
/// The most objects a list given its own count (`Config::list_items`) is seeded with (a large
/// export to walk): 100,000 rewards take about half a gigabyte of memory, and the list is one
/// for every API that shows it (each API that lists them keeps their JSON too, about 1 KiB
/// each, until the list changes).
pub const MAX_LIST_ITEMS: usize = 250_000;
/// The seed by default.
pub const DEFAULT_SEED: u64 = 1;

/// How a fake server is started. `Config::default()` gives the documented defaults: any free
/// port, 25 objects per list, seed 1, the `DEFAULT_*` credentials and no faults.
///
/// ```
/// let config = partnerstack_fake::Config::default().items(3).seed(7);
/// assert_eq!(config.items, 3);
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Config {
    /// The port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Seeded objects in every list (at most [`MAX_ITEMS`]).
    pub items: usize,
    /// The seed of the data: the same seed gives the same objects.
    pub seed: u64,
    /// The Partner API key (Bearer).
    pub partner_key: String,
    /// The Vendor API public key (the Basic user name).
    pub vendor_public_key: String,
    /// The Vendor API secret key (the Basic password).
    pub vendor_secret_key: String,
    /// The conversion API tracking token (Bearer).
    pub tracking_token: String,
    /// Latency and fault injection (none by default).
    pub faults: Faults,
    /// Where the Partner API's postbacks go (an `http://` URL on 127.0.0.1 or localhost):
    /// one for each change made through the fake that the spec says fires one (customer
    /// created or updated, transaction, reward and action created, …). None by default.
    pub postback_url: Option<String>,
    /// How webhooks and postbacks are retried.
    pub delivery: DeliveryPolicy,
    /// Lists seeded with a count of their own instead of `items`: `(api, path, count)`, such as
    /// `("partner", "/api/v2/rewards", 100_000)` (at most [`MAX_LIST_ITEMS`]), spread over the
    /// same year. Lists they refer to keep `items`.
    pub list_items: Vec<(String, String, usize)>,
    /// The partner the Partner API's key acts as: the partner key (or `part_…` key) of a
    /// seeded partnership of the vendor the fake plays. `None`: the first seeded partnership,
    /// the test partner `gstest`. The Partner API shows that partner's objects only.
    pub signed_in_partner: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 0,
            items: DEFAULT_ITEMS,
            seed: DEFAULT_SEED,
            partner_key: DEFAULT_PARTNER_KEY.into(),
            vendor_public_key: DEFAULT_VENDOR_PUBLIC_KEY.into(),
            vendor_secret_key: DEFAULT_VENDOR_SECRET_KEY.into(),
            tracking_token: DEFAULT_TRACKING_TOKEN.into(),
            faults: Faults::default(),
            postback_url: None,
            delivery: DeliveryPolicy::default(),
            list_items: Vec::new(),
            signed_in_partner: None,
        }
    }
}

impl Config {
    /// Sets the port (0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Sets how many objects every list is seeded with.
    pub fn items(mut self, items: usize) -> Self {
        self.items = items;
        self
    }

    /// Seeds the list at `path` of `api` (`"partner"`, `"vendor"`) with `count` objects (at
    /// most [`MAX_LIST_ITEMS`]) instead of `items`. The list is the one every API that shows
    /// those objects shares. [`Server::start`](crate::Server::start) refuses a list no API
    /// has, or two counts for one list.
    pub fn list_items(mut self, api: &str, path: &str, count: usize) -> Self {
        self.list_items
            .push((api.to_owned(), path.to_owned(), count));
        self
    }

    /// Sets the seed of the data.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Sends the Partner API's postbacks to `url` (an `http://` URL on this machine).
    pub fn postback_url(mut self, url: impl Into<String>) -> Self {
        self.postback_url = Some(url.into());
        self
    }

    /// Sets how webhooks and postbacks are retried.
    pub fn delivery(mut self, policy: DeliveryPolicy) -> Self {
        self.delivery = policy;
        self
    }

    /// Sets the fault and latency injection.
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// The value of `api`'s credential `name`, as the spec names both. The fields above are
    /// the fake's public API, named for the people who set them; this is the one place that
    /// ties them to the spec (a test checks that every credential the spec declares has one).
    pub(crate) fn credential(&self, api: &str, name: &str) -> Option<&str> {
        let value = match (api, name) {
            ("partner", "api_key") => &self.partner_key,
            ("vendor", "public_key") => &self.vendor_public_key,
            ("vendor", "secret_key") => &self.vendor_secret_key,
            ("conversion", "tracking_token") => &self.tracking_token,
            _ => return None,
        };
        Some(value)
    }

    /// Makes the Partner API's key act as the partner with this partner key (or partnership
    /// key) among the seeded partnerships.
    pub fn signed_in_partner(mut self, key: impl Into<String>) -> Self {
        self.signed_in_partner = Some(key.into());
        self
    }
}

/// Credentials are left out: a test's log should not carry them, even fake ones.
impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("port", &self.port)
            .field("items", &self.items)
            .field("seed", &self.seed)
            .field("faults", &self.faults)
            .field("postback_url", &self.postback_url)
            .field("delivery", &self.delivery)
            .field("signed_in_partner", &self.signed_in_partner)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::Config;

    /// A credential the spec adds (or renames) must be given a field here, or no request to
    /// its API could authenticate.
    #[test]
    fn every_credential_the_spec_declares_has_a_value() {
        let config = Config::default();
        for api in crate::tables::APIS {
            assert!(
                !api.credentials.is_empty(),
                "{} takes no credential",
                api.name
            );
            for name in api.credentials {
                assert!(
                    config.credential(api.name, name).is_some(),
                    "Config has no value for the {} API's credential {name}",
                    api.name
                );
            }
        }
    }
}

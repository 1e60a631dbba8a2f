//! Client settings shared by every API; each generated `ClientBuilder` wraps one.

use std::net::IpAddr;
use std::time::Duration;

use reqwest::header::HeaderValue;

use crate::auth::Credentials;
use crate::error::{Error, Result};
use crate::observe::Hooks;
use crate::retry::RetryPolicy;
use crate::transport::{Envelope, Settings, Transport};

/// Default time allowed for one request, from sending to the last byte of the body.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// Default time allowed to open a connection.
pub(crate) const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Default largest response body accepted; a page of 250 items is far below this.
pub(crate) const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 * 1024 * 1024;
/// The `User-Agent` sent unless the caller sets one.
pub(crate) const DEFAULT_USER_AGENT: &str =
    concat!("partnerstack-rust/", env!("CARGO_PKG_VERSION"));

/// Settings collected by a client builder.
#[derive(Debug, Clone)]
pub(crate) struct Config {
    pub base_url: String,
    pub http: Option<reqwest::Client>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Duration,
    pub user_agent: Option<String>,
    pub max_response_bytes: usize,
    pub allow_insecure_http: bool,
    pub retry: RetryPolicy,
    pub hooks: Hooks,
    /// The client-wide request rate, if any.
    pub max_requests_per_second: Option<u32>,
}

impl Config {
    /// Defaults, with the API's own base URL.
    pub fn new(base_url: &str) -> Self {
        Config {
            base_url: base_url.to_string(),
            http: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            user_agent: None,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            allow_insecure_http: false,
            retry: RetryPolicy::default(),
            hooks: Hooks::default(),
            max_requests_per_second: None,
        }
    }

    /// Checks every setting, credentials included, and builds the transport.
    pub fn build(self, credentials: Credentials, envelope: Envelope) -> Result<Transport> {
        let auth = credentials.header().map_err(|m| Error::invalid(None, m))?;
        // A client of the caller's own brings its TLS (its reqwest's features), if any.
        if let Some(reason) = missing_tls(&self.base_url).filter(|_| self.http.is_none()) {
            return Err(Error::invalid(None, reason));
        }
        self.build_with(Ok(auth), envelope)
    }

    /// Like [`Config::build`], but credentials that cannot be sent, and an https base URL in a
    /// build without TLS, are reported by every request instead (for `Client::new`, which
    /// cannot return an error).
    pub fn build_deferred(self, credentials: Credentials, envelope: Envelope) -> Result<Transport> {
        let auth = match missing_tls(&self.base_url) {
            Some(reason) => Err(reason.to_string()),
            None => credentials.header(),
        };
        self.build_with(auth, envelope)
    }

    fn build_with(
        self,
        auth: std::result::Result<HeaderValue, String>,
        envelope: Envelope,
    ) -> Result<Transport> {
        let url = self.checked_base_url()?;
        if self.max_requests_per_second == Some(0) {
            return Err(Error::invalid(
                None,
                "`max_requests_per_second` must be at least 1",
            ));
        }
        // The environment's proxy (HTTPS_PROXY, ALL_PROXY) only ever carries https, and never
        // to a loopback host: through a CONNECT tunnel the proxy sees the host name, never
        // the request or its key. Plain http (loopback, or `allow_insecure_http`) goes direct.
        let env_proxy = url.scheme() == "https" && !is_loopback(&url);
        let base_url = url.as_str().trim_end_matches('/').to_string();
        let user_agent = match &self.user_agent {
            Some(ua) => Some(HeaderValue::from_str(ua).map_err(|_| {
                Error::invalid(
                    None,
                    "the user agent contains characters not allowed in a header",
                )
            })?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = tls(base_builder())?.connect_timeout(self.connect_timeout);
                let builder = if env_proxy {
                    builder
                } else {
                    builder.no_proxy()
                };
                builder.build().map_err(|e| {
                    Error::invalid(None, format!("cannot build the HTTP client: {e}"))
                })?
            }
        };
        Ok(Transport::new(Settings {
            http,
            base_url,
            auth,
            envelope,
            timeout: self.timeout,
            user_agent,
            max_response_bytes: self.max_response_bytes,
            retry: self.retry,
            hooks: self.hooks,
            pacer: self.max_requests_per_second.map(crate::pace::Pacer::new),
            throttled: crate::pace::Throttled::default(),
        }))
    }

    /// The base URL, refusing anything that could send a key in clear text over a network:
    /// `http://` is accepted for loopback hosts only, unless the caller opted in with
    /// `allow_insecure_http`.
    fn checked_base_url(&self) -> Result<reqwest::Url> {
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| {
            Error::invalid(
                None,
                format!("base URL {:?} is not a URL: {e}", self.base_url),
            )
        })?;
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return Err(Error::invalid(
                None,
                format!(
                    "base URL {:?} must not have a query or fragment",
                    self.base_url
                ),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::invalid(
                None,
                "base URL must not carry credentials; use the builder's key setters",
            ));
        }
        match url.scheme() {
            "https" => {}
            "http" if self.allow_insecure_http || is_loopback(&url) => {}
            "http" => {
                return Err(Error::invalid(
                    None,
                    format!(
                        "base URL {:?} is plain http to a non-loopback host, which would send the \
                         key in clear text; use https, or call `allow_insecure_http(true)`",
                        self.base_url
                    ),
                ));
            }
            other => {
                return Err(Error::invalid(
                    None,
                    format!("base URL scheme {other:?} is not http or https"),
                ));
            }
        }
        Ok(url)
    }
}

/// A `reqwest::ClientBuilder` to start the `reqwest::Client` you hand to a client builder's
/// `http_client(…)`: with the TLS backend the crate's features chose, following no redirects,
/// its `User-Agent`, a 10-second connect timeout, and no proxy from the environment (the
/// crate's own client takes the environment's proxy for remote https only, a decision this
/// builder cannot make without the URL; add one with `.proxy(…)`).
///
/// With the `rustls-ring` feature (not the default), reqwest is built without a process-wide
/// crypto provider: every `reqwest::Client` in the program built any other way
/// (`reqwest::Client::new()`, or one inside another library) panics when built, unless the
/// program installs a provider first (`rustls::crypto::ring::default_provider()
/// .install_default()`) or its own reqwest dependency enables reqwest's `rustls` feature.
/// This builder never does. Its TLS is a finished rustls config, so reqwest's TLS setters
/// (`add_root_certificate`, `identity`, `min_tls_version`, `danger_accept_invalid_certs`, …)
/// have no effect on it: for those, pass your own `rustls::ClientConfig` with
/// `tls_backend_preconfigured`, or choose the `rustls-aws-lc` or `native-tls` feature, whose
/// builders take them.
///
/// ```
/// let http = partnerstack::reqwest_builder()?
///     .pool_max_idle_per_host(4)
///     .build()?;
/// let client = partnerstack::partner::Client::builder()
///     .api_key("pk_live_123")
///     .http_client(http)
///     .build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reqwest_builder() -> Result<reqwest::ClientBuilder> {
    Ok(tls(base_builder())?
        .connect_timeout(DEFAULT_CONNECT_TIMEOUT)
        .no_proxy())
}

/// The settings every HTTP client of the crate starts from.
fn base_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(DEFAULT_USER_AGENT)
        // PartnerStack does not redirect; a 3xx is reported as `Error::Redirect`, so neither
        // the key nor a body is ever sent where it was not addressed.
        .redirect(reqwest::redirect::Policy::none())
}

/// The TLS backend the crate's features chose. It is set even for plain http: reqwest built
/// for rustls without a provider (`rustls-ring`) panics when it builds a client
/// without a TLS config. Cargo features add up, so when several are on
/// the one a dependent must have asked for by name wins over the default: `native-tls`, then
/// `rustls-aws-lc`, then `rustls-ring`.
#[cfg(feature = "native-tls")]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    Ok(builder.tls_backend_native())
}

/// reqwest's own rustls setup, with the aws-lc-rs provider.
#[cfg(all(feature = "rustls-aws-lc", not(feature = "native-tls")))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    Ok(builder.tls_backend_rustls())
}

/// rustls with the ring provider, handed to reqwest as a finished config: reqwest (built with
/// `rustls-no-provider`) would otherwise need a process-wide default provider, and installing
/// one is not a library's call. Certificates are checked by the platform's verifier, as
/// reqwest's own rustls setup does; only HTTP/1.1 is offered, the one version the client speaks.
#[cfg(all(
    feature = "rustls-ring",
    not(feature = "rustls-aws-lc"),
    not(feature = "native-tls")
))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    use rustls_platform_verifier::BuilderVerifierExt;
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|b| b.with_platform_verifier())
        .map_err(|e| Error::invalid(None, format!("cannot set up TLS: {e}")))?
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(builder.tls_backend_preconfigured(config))
}

/// Built without a TLS feature: plain http only ([`missing_tls`] refuses https).
#[cfg(not(any(
    feature = "rustls-ring",
    feature = "rustls-aws-lc",
    feature = "native-tls"
)))]
fn tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder> {
    Ok(builder)
}

/// Why an https base URL cannot work in this build (one without a TLS feature): refused by
/// `build()`, and by every request of a client from `new(…)`, rather than by a connection
/// error at the first request.
fn missing_tls(base_url: &str) -> Option<&'static str> {
    let tls = cfg!(any(
        feature = "rustls-ring",
        feature = "rustls-aws-lc",
        feature = "native-tls"
    ));
    let https = base_url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"));
    (!tls && https).then_some(
        "an https base URL needs TLS, and this build of the crate has none: enable one of its \
         features `rustls-aws-lc` (the default), `rustls-ring` or `native-tls`",
    )
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::missing_tls;

    #[test]
    fn https_is_refused_only_without_a_tls_feature() {
        let tls = cfg!(any(
            feature = "rustls-ring",
            feature = "rustls-aws-lc",
            feature = "native-tls"
        ));
        for url in [
            "https://api.partnerstack.com",
            "HTTPS://api.partnerstack.com/",
        ] {
            assert_eq!(missing_tls(url).is_none(), tls, "{url}");
        }
        for url in ["http://127.0.0.1:8080", "", "https:/", "ftp://x"] {
            assert_eq!(missing_tls(url), None, "{url}");
        }
    }
}

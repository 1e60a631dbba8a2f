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
        }
    }

    /// Checks every setting, credentials included, and builds the transport.
    pub fn build(self, credentials: Credentials, envelope: Envelope) -> Result<Transport> {
        let auth = credentials.header().map_err(|m| Error::invalid(None, m))?;
        self.build_with(Ok(auth), envelope)
    }

    /// Like [`Config::build`], but credentials that cannot be sent are reported by the first
    /// request instead (for `Client::new`, which cannot return an error).
    pub fn build_deferred(self, credentials: Credentials, envelope: Envelope) -> Result<Transport> {
        self.build_with(credentials.header(), envelope)
    }

    fn build_with(
        self,
        auth: std::result::Result<HeaderValue, String>,
        envelope: Envelope,
    ) -> Result<Transport> {
        let url = self.checked_base_url()?;
        // The environment's proxy (HTTPS_PROXY, ALL_PROXY) only ever carries https, and never
        // to a loopback host: through a CONNECT tunnel the proxy sees the host name, never
        // the request or its key. Plain http (loopback, or `allow_insecure_http`) goes direct.
        let env_proxy = url.scheme() == "https" && !is_loopback(&url);
        let base_url = url.as_str().trim_end_matches('/').to_string();
        let user_agent = match &self.user_agent {
            Some(ua) => Some(HeaderValue::from_str(ua).map_err(|_| {
                Error::invalid(None, "the user agent contains characters not allowed in a header")
            })?),
            None => None,
        };
        let http = match self.http {
            Some(http) => http,
            None => {
                let builder = reqwest::Client::builder()
                    .connect_timeout(self.connect_timeout)
                    .user_agent(DEFAULT_USER_AGENT)
                    // PartnerStack does not redirect; a 3xx is reported as `Error::Redirect`,
                    // so neither the key nor a body is ever sent where it was not addressed.
                    .redirect(reqwest::redirect::Policy::none());
                let builder = if env_proxy { builder } else { builder.no_proxy() };
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
        }))
    }

    /// The base URL, refusing anything that could send a key in clear text over a network:
    /// `http://` is accepted for loopback hosts only, unless the caller opted in with
    /// `allow_insecure_http`.
    fn checked_base_url(&self) -> Result<reqwest::Url> {
        let url = reqwest::Url::parse(&self.base_url).map_err(|e| {
            Error::invalid(None, format!("base URL {:?} is not a URL: {e}", self.base_url))
        })?;
        if url.query().is_some() || url.fragment().is_some() || url.cannot_be_a_base() {
            return Err(Error::invalid(
                None,
                format!("base URL {:?} must not have a query or fragment", self.base_url),
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

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

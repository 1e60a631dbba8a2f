//! Credentials: which API a request's `Authorization` header opens.

use base64::Engine as _;

use crate::config::Config;
use crate::table::{ApiTable, Auth};

/// The credentials the fake accepts: each API's, under the names its spec gives them.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    /// `(api, credential, value)`, such as `("partner", "api_key", "…")`.
    values: Vec<(&'static str, &'static str, String)>,
}

impl Credentials {
    /// The value `config` gives each credential the tables declare; a credential it has no
    /// value for opens nothing.
    pub(crate) fn from_config(apis: &[&ApiTable], config: &Config) -> Self {
        let values = apis
            .iter()
            .flat_map(|api| api.credentials.iter().map(move |name| (api.name, *name)))
            .filter_map(|(api, name)| Some((api, name, config.credential(api, name)?.to_owned())))
            .collect();
        Credentials { values }
    }

    fn get(&self, api: &str, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(a, n, _)| *a == api && *n == name)
            .map(|(_, _, value)| value.as_str())
    }
}

/// What a request presented.
#[derive(Debug)]
pub(crate) enum Presented {
    None,
    Bearer(String),
    Basic(String, String),
    /// A header the fake cannot read (another scheme, bad base64, no colon).
    Malformed,
}

/// Reads an `Authorization` header. Scheme names are case-insensitive, as HTTP says.
pub(crate) fn presented(header: Option<&[u8]>) -> Presented {
    let Some(header) = header else {
        return Presented::None;
    };
    let Ok(text) = std::str::from_utf8(header) else {
        return Presented::Malformed;
    };
    let Some((scheme, rest)) = text.trim().split_once(' ') else {
        return Presented::Malformed;
    };
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") && !rest.is_empty() {
        return Presented::Bearer(rest.to_string());
    }
    if scheme.eq_ignore_ascii_case("basic") {
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(rest)
            .ok()
            .and_then(|b| String::from_utf8(b).ok());
        if let Some((user, pass)) = decoded.as_deref().and_then(|d| d.split_once(':')) {
            return Presented::Basic(user.to_string(), pass.to_string());
        }
    }
    Presented::Malformed
}

/// Whether `presented` opens `api`: the API's own credentials, in its own scheme (the partner
/// key opens the Partner API, the vendor key pair the Vendor API, the tracking token the
/// conversion API), and nothing else.
pub(crate) fn opens(credentials: &Credentials, api: &ApiTable, presented: &Presented) -> bool {
    let value = |i: usize| {
        api.credentials
            .get(i)
            .and_then(|name| credentials.get(api.name, name))
    };
    match (api.auth, presented) {
        (Auth::Bearer, Presented::Bearer(token)) => value(0).is_some_and(|t| same(token, t)),
        (Auth::Basic, Presented::Basic(user, pass)) => {
            let (Some(expected_user), Some(expected_pass)) = (value(0), value(1)) else {
                return false;
            };
            // Both compared, always, so the time taken does not say which one was wrong.
            let user_ok = same(user, expected_user);
            let pass_ok = same(pass, expected_pass);
            user_ok & pass_ok
        }
        _ => false,
    }
}

/// Compares in time that depends on the lengths only.
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    diff == 0 && a.len() == b.len()
}

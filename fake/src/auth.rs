//! Credentials: which API a request's `Authorization` header opens.

use base64::Engine as _;

use crate::table::{ApiTable, Auth};

/// The credentials the fake accepts.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Credentials {
    pub partner_key: String,
    pub vendor_public: String,
    pub vendor_secret: String,
    pub tracking_token: String,
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

/// Whether `presented` opens `api`: the partner key opens the Partner API, the vendor key
/// pair the Vendor API, the tracking token the conversion API, and nothing else opens them.
pub(crate) fn opens(credentials: &Credentials, api: &ApiTable, presented: &Presented) -> bool {
    match (api.auth, presented) {
        (Auth::Bearer(_), Presented::Bearer(token)) => {
            let expected = match api.name {
                "partner" => &credentials.partner_key,
                "conversion" => &credentials.tracking_token,
                _ => return false,
            };
            same(token, expected)
        }
        (Auth::Basic, Presented::Basic(user, pass)) => {
            // Both compared, always, so the time taken does not say which one was wrong.
            let user_ok = same(user, &credentials.vendor_public);
            let pass_ok = same(pass, &credentials.vendor_secret);
            api.name == "vendor" && user_ok & pass_ok
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

//! Credentials, kept out of every `Debug` output and error.

use std::fmt;

use base64::Engine as _;
use reqwest::header::HeaderValue;

/// A secret string (API key, secret key, token). Its `Debug` never shows the value.
#[derive(Clone)]
pub(crate) struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// The public half of an HTTP Basic key pair (`pk_…`), the user name.
///
/// A type of its own so that the two halves cannot be swapped unnoticed in
/// `Client::new(public, secret)`. Its `Debug` never shows the value.
///
/// ```
/// use partnerstack::{PublicKey, SecretKey};
///
/// let public = PublicKey::from("pk_example");
/// let secret = SecretKey::from(String::from("sk_example"));
/// assert_eq!(format!("{public:?} {secret:?}"), "PublicKey([redacted]) SecretKey([redacted])");
/// ```
#[derive(Clone)]
pub struct PublicKey(pub(crate) Secret);

/// The secret half of an HTTP Basic key pair (`sk_…`), the password. See [`PublicKey`].
#[derive(Clone)]
pub struct SecretKey(pub(crate) Secret);

macro_rules! key_type {
    ($name:ident) => {
        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name(Secret::new(value))
            }
        }

        impl From<String> for $name {
            fn from(value: String) -> Self {
                $name(Secret::new(value))
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([redacted])"))
            }
        }
    };
}

key_type!(PublicKey);
key_type!(SecretKey);

/// Reads a credential or setting from `lookup`: `None` when the variable is unset or empty.
pub(crate) fn env_value(lookup: &dyn Fn(&str) -> Option<String>, name: &str) -> Option<String> {
    lookup(name).filter(|v| !v.trim().is_empty())
}

/// Reads a required credential from `lookup`, naming the variable when it is missing.
pub(crate) fn env_required(
    lookup: &dyn Fn(&str) -> Option<String>,
    name: &str,
) -> crate::Result<Secret> {
    env_value(lookup, name).map(Secret::new).ok_or_else(|| {
        crate::Error::invalid(
            None,
            format!("the environment variable `{name}` is not set, empty or not valid Unicode"),
        )
    })
}

/// How a client proves who it is.
#[derive(Debug, Clone)]
pub(crate) enum Credentials {
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// HTTP Basic: user (public key) and password (secret key).
    Basic { user: Secret, password: Secret },
}

impl Credentials {
    /// The `Authorization` header value, marked sensitive so the HTTP stack never logs it.
    ///
    /// The error message names what is wrong without repeating the value.
    pub fn header(&self) -> Result<HeaderValue, String> {
        let (value, what) = match self {
            Credentials::Bearer(token) => (format!("Bearer {}", token.0), "the API key"),
            Credentials::Basic { user, password } => {
                if user.0.contains(':') {
                    return Err("the public key cannot contain `:`".into());
                }
                let pair = format!("{}:{}", user.0, password.0);
                (
                    format!(
                        "Basic {}",
                        base64::engine::general_purpose::STANDARD.encode(pair)
                    ),
                    "the keys",
                )
            }
        };
        let empty = match self {
            Credentials::Bearer(t) => t.0.trim().is_empty(),
            Credentials::Basic { user, password } => {
                user.0.trim().is_empty() || password.0.trim().is_empty()
            }
        };
        if empty {
            return Err(format!("{what} is empty"));
        }
        let mut header = HeaderValue::from_str(&value)
            .map_err(|_| format!("{what} contains characters not allowed in an HTTP header"))?;
        header.set_sensitive(true);
        Ok(header)
    }
}

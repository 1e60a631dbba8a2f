//! Credentials, read from the environment only: never from a flag (which would land in shell
//! history and `ps`), never printed.

use std::fmt;

use crate::exit::{CONFIG, Failure};

/// A credential's value. Its `Debug` shows nothing of it; only [`Secret::reveal`] hands it to
/// the client builder.
pub struct Secret(String);

impl Secret {
    /// The value, for the client builder only.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// The values of the environment variables `names`; fails naming every one that is unset,
/// empty or not UTF-8.
pub fn from_env<const N: usize>(names: [&'static str; N]) -> Result<[Secret; N], Failure> {
    from(names, |name| std::env::var_os(name))
}

/// [`from_env`] over any lookup, for tests.
fn from<const N: usize>(
    names: [&'static str; N],
    lookup: impl Fn(&str) -> Option<std::ffi::OsString>,
) -> Result<[Secret; N], Failure> {
    let values = names.map(|name| {
        lookup(name)
            .and_then(|v| v.into_string().ok())
            .filter(|v| !v.trim().is_empty())
    });
    let missing: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| *n)
        .collect();
    if !missing.is_empty() {
        return Err(Failure::new(
            CONFIG,
            format!(
                "missing credentials: set {} in the environment (unset, empty or not UTF-8 now)",
                missing.join(" and ")
            ),
        ));
    }
    Ok(values.map(|v| Secret(v.unwrap_or_default())))
}

/// `text` with the value of every variable in `names` replaced by `<redacted>`: a server that
/// echoes the `Authorization` header back in its error message does not get a key printed.
/// Values shorter than 4 characters are left alone (they would redact ordinary words).
pub fn redact<'a>(text: &str, names: impl IntoIterator<Item = &'a str>) -> String {
    redact_values(
        text,
        names.into_iter().filter_map(|n| std::env::var(n).ok()),
    )
}

fn redact_values(text: &str, values: impl IntoIterator<Item = String>) -> String {
    let mut text = text.to_string();
    for value in values {
        let value = value.trim();
        if value.len() >= 4 {
            text = text.replace(value, "<redacted>");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_every_missing_variable_and_never_the_value() {
        let lookup = |name: &str| (name == "A").then(|| "s3cr3t".into());
        let failure = from(["A", "B", "C"], lookup).unwrap_err();
        assert_eq!(failure.code, CONFIG);
        assert!(failure.message.contains("set B and C"), "{failure}");
        assert!(!failure.message.contains("s3cr3t"));
        let [a] = from(["A"], lookup).unwrap();
        assert_eq!(a.reveal(), "s3cr3t");
        assert!(!format!("{a:?}").contains("s3cr3t"));
    }

    #[test]
    fn redacts_every_value_but_tiny_ones() {
        let text = "echo: Bearer k3y-value and pub:sec and a";
        let values = ["k3y-value", "pub", " a "].map(String::from);
        assert_eq!(
            redact_values(text, values),
            "echo: Bearer <redacted> and pub:sec and a"
        );
    }

    #[test]
    fn blank_is_missing() {
        let failure = from(["A"], |_| Some(" ".into())).unwrap_err();
        assert!(failure.message.contains("set A"));
    }
}

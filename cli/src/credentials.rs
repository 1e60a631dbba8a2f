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
    // An HTTP header carries visible ASCII and spaces only; a stray newline from a file is
    // the usual culprit.
    let unfit: Vec<&str> = names
        .iter()
        .zip(&values)
        .filter(|(_, v)| {
            v.as_deref()
                .is_some_and(|v| !v.bytes().all(|b| (0x20..0x7f).contains(&b)))
        })
        .map(|(n, _)| *n)
        .collect();
    if !unfit.is_empty() {
        return Err(Failure::new(
            CONFIG,
            format!(
                "{} must hold visible ASCII characters only (no newline or other control \
                 character), as an HTTP header carries it",
                unfit.join(" and ")
            ),
        ));
    }
    Ok(values.map(|v| Secret(v.unwrap_or_default())))
}

/// Checks that the public key of an HTTP Basic pair, read from `name`, can be a user name.
///
/// # Errors
///
/// Status 6 naming the variable when it holds a `:`.
pub fn user_name(secret: &Secret, name: &str) -> Result<(), Failure> {
    if secret.0.contains(':') {
        return Err(Failure::new(
            CONFIG,
            format!("{name} cannot contain `:` (it is the user name of HTTP Basic)"),
        ));
    }
    Ok(())
}

/// The values of the variables `names` that are set, for [`crate::redact`].
pub fn values<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names
        .into_iter()
        .filter_map(|n| std::env::var(n).ok())
        .collect()
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
    fn values_a_header_cannot_carry_are_refused_by_name() {
        let failure = from(["A", "B"], |n| Some(format!("{n}-key\n").into())).unwrap_err();
        assert_eq!(failure.code, CONFIG);
        assert!(
            failure.message.starts_with("A and B must hold"),
            "{failure}"
        );
        let [a] = from(["A"], |_| Some("pub:lic".into())).unwrap();
        assert!(
            user_name(&a, "A")
                .unwrap_err()
                .message
                .contains("A cannot contain `:`")
        );
    }

    #[test]
    fn blank_is_missing() {
        let failure = from(["A"], |_| Some(" ".into())).unwrap_err();
        assert!(failure.message.contains("set A"));
    }
}

//! Exit statuses scripts can rely on, and the failure every command returns.

use std::fmt;

/// Success; also when the reader of stdout went away (`| head`): what it read was whole.
pub const OK: u8 = 0;
/// The answer could not be read (not the JSON the spec describes, too large), or output could
/// not be written.
pub const UNEXPECTED: u8 = 1;
/// Bad arguments: an unknown command or flag, a flag value of the wrong type (clap's status),
/// a required body field given neither as a flag nor in `--data`, an unknown `--columns` field.
pub const USAGE: u8 = 2;
/// PartnerStack answered with an error status; the status and its message are on stderr.
pub const API: u8 = 3;
/// No answer: the connection failed, TLS failed, or the request timed out.
pub const NETWORK: u8 = 4;
/// The `--data` given is not readable, not JSON, or not the body the operation takes.
pub const DATA: u8 = 5;
/// Credentials are missing from the environment, or a setting (`--base-url`) is invalid.
pub const CONFIG: u8 = 6;

/// The exit statuses as `--help` and the README show them.
pub const HELP: &str = "\
Exit status (whatever becomes of stdout and stderr):
  0  success, or the reader of stdout went away (| head)
  1  the answer could not be read, or output could not be written
  2  usage error: unknown command or flag, invalid flag value, missing body field
  3  PartnerStack answered with an error status (the status and message are on stderr)
  4  network failure: no connection, TLS error, timeout
  5  invalid input data: --data unreadable, not JSON, or not the operation's body
  6  missing credentials, or an invalid setting such as --base-url";

/// Why a command failed: the message for stderr and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// The exit status.
    pub code: u8,
    /// What to print on stderr; empty for a quiet exit (a closed pipe).
    pub message: String,
}

impl Failure {
    /// A failure with this status and message.
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Failure {
            code,
            message: message.into(),
        }
    }

    /// A usage error (status 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(USAGE, message)
    }

    /// Invalid input data (status 5).
    pub fn data(message: impl Into<String>) -> Self {
        Self::new(DATA, message)
    }

    /// Stop without a message: the reader of stdout went away (`| head`).
    pub fn quiet() -> Self {
        Self::new(OK, "")
    }

    /// Writing the output failed.
    pub fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Self::quiet()
        } else {
            Self::new(UNEXPECTED, format!("cannot write the output: {e}"))
        }
    }
}

/// A message of the client's configuration in the command line's terms: its flags and the
/// environment variables the generated tables name, never the library's methods.
fn cli_terms(message: &str) -> String {
    // The HTTP Basic pair (the only API with two credentials): user name, then password.
    let basic = crate::generated::CREDENTIALS
        .iter()
        .find_map(|(_, vars)| match vars {
            [user, password] => Some((*user, *password)),
            _ => None,
        });
    let mut terms = vec![
        ("base URL", crate::args::base_url_source()),
        ("; use the builder's key setters", String::new()),
        (", or call `allow_insecure_http(true)`", String::new()),
        ("the API key", "the credential".to_string()),
    ];
    if let Some((user, password)) = basic {
        terms.push(("the keys", format!("{user} and {password}")));
        terms.push(("the public key", user.to_string()));
    }
    terms
        .iter()
        .fold(message.to_string(), |m, (from, to)| m.replace(from, to))
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<partnerstack::Error> for Failure {
    /// The client's error with its causes; the client never puts a key in one (and whatever
    /// a server echoed is hidden on the way out, see [`crate::redact`]).
    fn from(e: partnerstack::Error) -> Self {
        use partnerstack::Error as E;
        // A stopped partitioned walk exits as the error that stopped it would.
        let cause = match &e {
            E::PartitionedWalkStopped { source, .. } => &**source,
            other => other,
        };
        let code = match cause {
            E::Api { .. } => API,
            E::Transport { .. } | E::DeadlineExceeded { .. } => NETWORK,
            E::InvalidArgument {
                operation: None, ..
            } => CONFIG,
            E::InvalidArgument { .. } => USAGE,
            _ => UNEXPECTED,
        };
        let mut message = match &e {
            // The client's settings are the command line's flags and variables, checked before
            // the client is built; what is left speaks of them, not of builder methods.
            E::InvalidArgument {
                operation: None,
                message,
                ..
            } => format!("invalid setting: {}", cli_terms(message)),
            _ => e.to_string(),
        };
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            let text = cause.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            source = cause.source();
        }
        Failure::new(code, message)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn library_advice_becomes_the_command_lines() {
        let m = super::cli_terms(
            "base URL \"http://x\" is plain http to a non-loopback host, which would send the \
             key in clear text; use https, or call `allow_insecure_http(true)`",
        );
        assert!(
            m.starts_with("--base-url (or PARTNERSTACK_BASE_URL)"),
            "{m}"
        );
        assert!(!m.contains("allow_insecure_http"), "{m}");
    }
}

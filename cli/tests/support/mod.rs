//! Running the `partnerstack` binary against the workspace's test server (`tests/server/`,
//! re-exported here; the command line's tests start it with `Server::in_thread`), and checking
//! that no credential shows in its output.

#![allow(
    dead_code,
    unused_imports,
    reason = "each test binary uses a part of it"
)]

use std::process::{Command, Output, Stdio};

pub use partnerstack_test_server::{Reply, Seen, Server};
use serde_json::Value;

/// The Partner API key the tests use; it must never appear in any output.
pub const API_KEY: &str = "pk-test-API-KEY-7c1e9d";
/// The Vendor API key pair.
pub const PUBLIC_KEY: &str = "pub-test-PUBLIC-4b2a";
pub const SECRET_KEY: &str = "sec-test-SECRET-93fd";

/// `value` as a JSON answer.
pub fn json(status: u16, value: Value) -> Reply {
    Reply::json(status, value)
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Every 8-character run of every form a credential can take in output: as it is,
/// percent-encoded, base64 (standard and URL-safe) alone, and the HTTP Basic header's base64
/// of `public:secret`.
pub fn secret_runs(secrets: &[&str], basic: Option<(&str, &str)>) -> Vec<String> {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE};
    let mut forms: Vec<String> = Vec::new();
    for s in secrets {
        forms.push(s.to_string());
        let pct: String = s
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        forms.push(pct);
        forms.extend(base64_forms(s.as_bytes(), &[&STANDARD, &URL_SAFE]));
    }
    if let Some((user, password)) = basic {
        forms.extend(base64_forms(
            format!("{user}:{password}").as_bytes(),
            &[&STANDARD],
        ));
    }
    let mut runs: Vec<String> = forms
        .iter()
        .flat_map(|f| {
            let f = f.trim_end_matches('=');
            let chars: Vec<char> = f.chars().collect();
            chars
                .windows(8)
                .map(|w| w.iter().collect::<String>())
                .collect::<Vec<_>>()
        })
        .collect();
    runs.sort();
    runs.dedup();
    runs
}

/// The base64 of `value` wherever it starts in a longer text (after 0, 1 or 2 other bytes):
/// the characters that depend on its bytes only.
fn base64_forms(value: &[u8], engines: &[&base64::engine::GeneralPurpose]) -> Vec<String> {
    use base64::Engine;
    let mut out = Vec::new();
    for engine in engines {
        for lead in 0..3usize {
            let mut input = vec![0u8; lead];
            input.extend_from_slice(value);
            let encoded = engine.encode(&input);
            let (first, last) = ((lead * 8).div_ceil(6), (lead + value.len()) * 8 / 6);
            out.extend(encoded.get(first..last).map(str::to_string));
        }
    }
    out
}

/// The first secret run found in `text`, if any.
pub fn leak<'a>(text: &str, runs: &'a [String]) -> Option<&'a str> {
    runs.iter()
        .find(|r| text.contains(r.as_str()))
        .map(String::as_str)
}

impl Run {
    /// Fails the test if any credential shows anywhere in the output, in any form.
    pub fn check_no_secret(&self) {
        let runs = secret_runs(
            &[API_KEY, PUBLIC_KEY, SECRET_KEY],
            Some((PUBLIC_KEY, SECRET_KEY)),
        );
        for text in [&self.stdout, &self.stderr] {
            if let Some(run) = leak(text, &runs) {
                panic!("a credential leaked into the output ({run:?}): {self:?}");
            }
        }
    }

    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {self:?}"))
    }
}

/// What of the test's own environment would change what the binary does: every test starts
/// without it and sets what it means.
const INHERITED: &[&str] = &[
    "PARTNERSTACK_API_KEY",
    "PARTNERSTACK_PUBLIC_KEY",
    "PARTNERSTACK_SECRET_KEY",
    "PARTNERSTACK_TRACKING_TOKEN",
    "PARTNERSTACK_BASE_URL",
    "NO_COLOR",
    "CLICOLOR_FORCE",
    "COLUMNS",
];

/// The binary with `args`, no input, no credential and nothing of [`INHERITED`]: the one
/// place every test's command starts from.
pub fn binary(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_partnerstack"));
    cmd.args(args).stdin(Stdio::null());
    for var in INHERITED {
        cmd.env_remove(var);
    }
    cmd
}

/// [`binary`] with every credential of this module set.
pub fn partnerstack(args: &[&str]) -> Command {
    let mut cmd = binary(args);
    cmd.env("PARTNERSTACK_API_KEY", API_KEY)
        .env("PARTNERSTACK_PUBLIC_KEY", PUBLIC_KEY)
        .env("PARTNERSTACK_SECRET_KEY", SECRET_KEY)
        .env("PARTNERSTACK_TRACKING_TOKEN", API_KEY);
    cmd
}

/// Runs a command to its end, with `stdin` as its input when given; fails the test if a
/// credential of this module shows in the output.
pub fn run_with(cmd: Command, stdin: Option<&[u8]>) -> Run {
    let run = run_raw(cmd, stdin);
    run.check_no_secret();
    run
}

/// [`run_with`] without the check (for tests with credentials of their own).
pub fn run_raw(mut cmd: Command, stdin: Option<&[u8]>) -> Run {
    use std::io::Write;
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        // A thread, so a child that answers before reading everything cannot deadlock the
        // test; a child that stops reading (input too large) closes the pipe: not an error.
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        })
    });
    let Output {
        status,
        stdout,
        stderr,
    } = child.wait_with_output().unwrap();
    if let Some(writer) = writer {
        writer.join().unwrap();
    }
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

/// Runs the binary with these arguments against `server`.
pub fn run(server: &Server, args: &[&str]) -> Run {
    let mut cmd = partnerstack(args);
    cmd.arg("--base-url").arg(&server.url);
    run_with(cmd, None)
}

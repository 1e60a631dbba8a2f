//! Closed pipes, run as processes: whenever stdout or stderr goes away (closed before the
//! binary writes, or while it walks a list), it ends with its documented exit status, never
//! a panic (status 101).

mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};

use serde_json::{Value, json};
use support::{API_KEY, Seen, Server};

/// A Partner API with `total` rewards, in pages.
fn rewards(total: usize) -> Server {
    Server::in_thread(move |seen: &Seen| {
        if seen.param("payment_status") == Some("fail") {
            return support::json(403, json!({"message": "Forbidden", "status": 403}));
        }
        let limit: usize = seen.param("limit").map_or(10, |l| l.parse().unwrap_or(10));
        let start = seen
            .param("starting_after")
            .and_then(|k| k.strip_prefix("rwrd_"))
            .and_then(|n| n.parse::<usize>().ok())
            .map_or(0, |n| n + 1);
        let end = (start + limit).min(total);
        let items: Vec<Value> = (start..end)
            .map(|i| {
                json!({
                    "key": format!("rwrd_{i}"), "created_at": 1_700_000_000_000_i64,
                    "updated_at": 1, "withdrawn": false, "amount": 1250, "currency": "USD",
                    "company": {"key": "co_1", "name": "Acme"},
                    "description": "x".repeat(200),
                })
            })
            .collect();
        support::json(
            200,
            json!({"data": {"items": items, "has_more": end < total}, "message": "", "status": 200}),
        )
    })
}

fn cli(server: &Server, args: &[&str]) -> Command {
    let mut cmd = support::partnerstack(args);
    cmd.arg("--base-url").arg(&server.url);
    cmd
}

/// A pipe whose reading end is already closed: every write to it fails (`EPIPE`).
fn dead_pipe() -> Stdio {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    Stdio::from(writer)
}

/// Which streams are closed before the binary starts.
#[derive(Debug, Clone, Copy)]
enum Closed {
    Stdout,
    Stderr,
    Both,
}

/// Runs `cmd` with `closed` streams dead; the exit status, and stderr when it is alive.
fn run(mut cmd: Command, closed: Closed) -> (i32, String) {
    let (out, err) = match closed {
        Closed::Stdout => (dead_pipe(), Stdio::piped()),
        Closed::Stderr => (Stdio::piped(), dead_pipe()),
        Closed::Both => (dead_pipe(), dead_pipe()),
    };
    let output = cmd
        .stdout(out)
        .stderr(err)
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_closed_stdout_or_stderr_before_anything_is_written_never_panics() {
    let server = rewards(30);
    // (arguments, exit status) for every kind of ending.
    let cases: &[(&[&str], i32)] = &[
        (&["--help"], 0),
        (&["--version"], 0),
        (&["partner", "rewards", "list", "--help"], 0),
        (&["completions", "bash"], 0),
        (&["partner", "rewards", "list"], 0),
        (&["partner", "rewards", "list", "--all", "--limit", "7"], 0),
        (&["partner", "rewards", "list", "--all", "-f", "ndjson"], 0),
        (&["partner", "rewards", "list", "-f", "table"], 0),
        (&["partner", "rewards", "list", "-f", "csv"], 0),
        // A warning and a note on stderr, and success.
        (
            &["partner", "rewards", "list", "--payment-status", "avail"],
            0,
        ),
        (&["partner", "rewards", "list", "--no-such-flag"], 2),
        (&["partner", "rewards", "list", "--columns", "nope"], 2),
        (
            &["partner", "rewards", "list", "--payment-status", "fail"],
            3,
        ),
        (&["vendor", "customers", "create", "--name", "x"], 2),
    ];
    for closed in [Closed::Stdout, Closed::Stderr, Closed::Both] {
        for (args, code) in cases {
            let (got, stderr) = run(cli(&server, args), closed);
            assert_eq!(got, *code, "{closed:?} {args:?}: {stderr}");
            assert!(
                !stderr.contains("panicked"),
                "{closed:?} {args:?}: {stderr}"
            );
        }
    }
    // Missing credentials, a refused base URL.
    for closed in [Closed::Stdout, Closed::Stderr, Closed::Both] {
        let mut cmd = cli(&server, &["partner", "rewards", "list"]);
        cmd.env_remove("PARTNERSTACK_API_KEY");
        assert_eq!(run(cmd, closed).0, 6, "{closed:?}");
        let mut cmd = support::binary(&[
            "partner",
            "rewards",
            "list",
            "--base-url",
            "http://example.com",
        ]);
        cmd.env("PARTNERSTACK_API_KEY", API_KEY);
        assert_eq!(run(cmd, closed).0, 6, "{closed:?}");
    }
}

#[test]
fn a_reader_that_goes_away_during_a_walk_ends_it_quietly() {
    let server = rewards(20_000);
    for format in ["ndjson", "json", "csv", "table"] {
        let mut child = cli(
            &server,
            &["partner", "rewards", "list", "--all", "-f", format],
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        let mut line = String::new();
        stdout.read_line(&mut line).expect("a first line");
        assert!(!line.is_empty(), "{format}");
        drop(stdout);
        let mut stderr = String::new();
        if let Some(mut err) = child.stderr.take() {
            err.read_to_string(&mut stderr).expect("stderr");
        }
        let status = child.wait().expect("the binary ends");
        assert_eq!(status.code(), Some(0), "{format}: {stderr}");
        assert_eq!(stderr, "", "{format}");
    }
}

/// Descriptors closed outright (`>&-`, `2>&-`): the standard library reopens them on
/// `/dev/null`, so nothing else (a socket) can take their place.
#[test]
fn closed_descriptors_are_no_different() {
    let server = rewards(5);
    let bin = env!("CARGO_BIN_EXE_partnerstack");
    for (redirect, args, code) in [
        (">&-", "partner rewards list", 0),
        ("2>&-", "partner rewards list --payment-status fail", 3),
        (">&- 2>&-", "partner rewards list --no-such-flag", 2),
        (">&- 2>&-", "partner rewards list -f table --all", 0),
    ] {
        let script = format!("exec \"$0\" {args} --base-url {} {redirect}", server.url);
        let status = Command::new("sh")
            .arg("-c")
            .arg(&script)
            .arg(bin)
            .env("PARTNERSTACK_API_KEY", API_KEY)
            .stdin(Stdio::null())
            .status()
            .expect("sh runs");
        assert_eq!(status.code(), Some(code), "{script}");
    }
}

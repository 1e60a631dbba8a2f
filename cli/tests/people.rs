//! The binary as a person meets it: tables that fit the terminal (against the fake
//! PartnerStack), a flag per body field, warnings for values the spec does not know, errors in
//! the command line's own terms, colour only where it belongs, completion scripts.

mod support;

use std::process::{Command, Stdio};
use std::sync::mpsc;

use serde_json::{Value, json};
use support::{Run, Seen, Server, partnerstack, run, run_with};
use unicode_width::UnicodeWidthStr;

/// The fake PartnerStack on its own thread: its URL and keys (partner, public, secret).
fn fake(items: usize) -> (String, [String; 3]) {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async move {
            let config = partnerstack_fake::Config::default().items(items).seed(20);
            let server = partnerstack_fake::Server::start(config)
                .await
                .expect("fake");
            let keys = [
                server.partner_key().to_string(),
                server.vendor_public_key().to_string(),
                server.vendor_secret_key().to_string(),
            ];
            tx.send((server.url(), keys)).expect("send");
            std::future::pending::<()>().await;
        });
    });
    rx.recv().expect("the fake starts")
}

fn against_fake(fake: &(String, [String; 3]), args: &[&str], env: &[(&str, &str)]) -> Run {
    let (url, [partner, public, secret]) = fake;
    let mut cmd = support::binary(args);
    cmd.env("PARTNERSTACK_BASE_URL", url)
        .env("PARTNERSTACK_API_KEY", partner)
        .env("PARTNERSTACK_PUBLIC_KEY", public)
        .env("PARTNERSTACK_SECRET_KEY", secret);
    for (k, v) in env {
        cmd.env(k, v);
    }
    support::run_raw(cmd, None)
}

fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    s.len() == 20
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'Z'
}

#[test]
fn a_table_shows_the_summary_fitted_to_the_terminal() {
    let fake = fake(40);
    for columns in [60, 100, 160] {
        let width = columns.to_string();
        let out = against_fake(
            &fake,
            &["partner", "rewards", "list", "--all", "-f", "table"],
            &[("COLUMNS", &width)],
        );
        assert_eq!(out.code, 0, "{out:?}");
        let lines: Vec<&str> = out.stdout.lines().collect();
        // Header, rule, and a row for each of the partner's rewards (its share of the 40).
        assert!(lines.len() > 12, "{}", out.stdout);
        for line in &lines {
            assert!(line.width() <= columns, "{columns}: {line:?}");
        }
        if columns == 160 {
            let header: Vec<&str> = lines[0].split_whitespace().collect();
            assert_eq!(
                header,
                [
                    "key",
                    "customer.email",
                    "amount",
                    "reward_status",
                    "payment_status",
                    "created_at"
                ]
            );
            // Times as RFC 3339, money as an amount and its currency, nothing cut.
            let rows = &lines[2..];
            assert!(rows.iter().all(|r| !r.contains('…')), "{}", out.stdout);
            let times: Vec<&str> = rows
                .iter()
                .filter_map(|r| r.split_whitespace().last())
                .collect();
            assert!(times.iter().all(|t| is_rfc3339(t)), "{times:?}");
            assert!(
                rows.iter()
                    .any(|r| r.contains(".00 USD") || r.contains(" USD ")),
                "{}",
                out.stdout
            );
            let epoch_ms = |t: &str| t.len() == 13 && t.bytes().all(|b| b.is_ascii_digit());
            assert!(
                !out.stdout.split_whitespace().any(epoch_ms),
                "no epoch milliseconds"
            );
        } else {
            assert!(out.stdout.contains('…'), "{columns}: {}", out.stdout);
        }
    }
    // A pipe without a width gets every cell whole up to a bound.
    let out = against_fake(&fake, &["vendor", "customers", "list", "-f", "table"], &[]);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.starts_with("key "), "{}", out.stdout);
}

#[test]
fn columns_pick_any_field_nested_ones_too() {
    let fake = fake(5);
    let out = against_fake(
        &fake,
        &[
            "partner",
            "rewards",
            "list",
            "--columns",
            "key,company.name,amount_usd,withdrawn",
        ],
        &[],
    );
    // Without --format, --columns means a table (stdout is a pipe here).
    assert_eq!(out.code, 0, "{out:?}");
    let header: Vec<&str> = out
        .stdout
        .lines()
        .next()
        .unwrap_or("")
        .split_whitespace()
        .collect();
    assert_eq!(header, ["key", "company.name", "amount_usd", "withdrawn"]);

    let out = against_fake(
        &fake,
        &[
            "partner",
            "rewards",
            "list",
            "-f",
            "csv",
            "--columns",
            "key,created_at",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().next(), Some("key,created_at"));
    let first = out.stdout.lines().nth(1).unwrap_or("");
    assert!(
        first
            .split(',')
            .nth(1)
            .is_some_and(|t| t.parse::<i64>().is_ok()),
        "csv keeps epoch ms: {first}"
    );

    for (args, says) in [
        (
            &["partner", "rewards", "list", "--columns", "key,amonut"][..],
            "`Reward` has no field `amonut`; its fields are key, created_at",
        ),
        (
            &["partner", "rewards", "list", "--columns", "customer.mail"],
            "no field `mail`; its fields are key, name, email",
        ),
        (
            &["partner", "rewards", "list", "--columns", "key,,amount"],
            "separated by commas",
        ),
        (
            &[
                "partner",
                "rewards",
                "list",
                "--columns",
                "key",
                "-f",
                "ndjson",
            ],
            "-f table and -f csv",
        ),
    ] {
        let out = against_fake(&fake, args, &[]);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(says), "{args:?}: {out:?}");
    }
}

#[test]
fn piped_output_is_json_and_a_terminal_gets_a_table() {
    let fake = fake(3);
    let out = against_fake(&fake, &["partner", "rewards", "list"], &[]);
    assert_eq!(out.code, 0, "{out:?}");
    let items: Value = serde_json::from_str(&out.stdout).expect("json on a pipe");
    // The partner's share of the 3 seeded rewards: the newest at least.
    assert!(
        items
            .as_array()
            .is_some_and(|a| !a.is_empty() && a.len() <= 3)
    );

    // A real terminal, through `script` (util-linux), when the machine has it.
    let Ok(status) = Command::new("script").arg("--version").output() else {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    };
    if !status.status.success() {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let bin = env!("CARGO_BIN_EXE_partnerstack");
    for (no_color, wants_colour) in [(None, true), (Some("1"), false)] {
        let mut cmd = Command::new("script");
        cmd.args(["-qec", &format!("{bin} partner rewards list"), "/dev/null"])
            .env("PARTNERSTACK_BASE_URL", &fake.0)
            .env("PARTNERSTACK_API_KEY", &fake.1[0])
            .env("TERM", "xterm")
            .env("COLUMNS", "120")
            .env_remove("CLICOLOR_FORCE")
            .stdin(Stdio::null());
        match no_color {
            Some(v) => cmd.env("NO_COLOR", v),
            None => cmd.env_remove("NO_COLOR"),
        };
        let out = cmd.output().expect("script runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(text.contains("key "), "{text:?}");
        assert!(text.contains("-----"), "{text:?}");
        assert_eq!(
            text.contains("\u{1b}[1m"),
            wants_colour,
            "{no_color:?}: {text:?}"
        );
    }
}

#[test]
fn colour_only_where_it_belongs() {
    let server =
        Server::in_thread(|_: &Seen| support::json(404, json!({"message": "no", "status": 404})));
    let colour = |env: &[(&str, &str)]| {
        let mut cmd = partnerstack(&["partner", "rewards", "list", "--base-url", &server.url]);
        cmd.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = run_with(cmd, None);
        assert_eq!(out.code, 3, "{out:?}");
        out.stderr.contains("\u{1b}[")
    };
    assert!(!colour(&[]), "a pipe gets no colour");
    assert!(colour(&[("CLICOLOR_FORCE", "1")]));
    assert!(!colour(&[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "1")]));
    let mut cmd = partnerstack(&["partner", "rewards", "list", "--bad-flag"]);
    cmd.env("CLICOLOR_FORCE", "1").env_remove("NO_COLOR");
    let out = run_with(cmd, None);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("\u{1b}["), "usage errors too: {out:?}");
}

#[test]
fn completion_scripts_for_each_shell() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef partnerstack"),
        ("fish", "complete -c partnerstack"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = run_with(partnerstack(&["completions", shell]), None);
        assert_eq!(out.code, 0, "{shell}: {out:?}");
        assert!(out.stdout.contains(marker), "{shell}");
        assert!(
            out.stdout.contains("rewards"),
            "{shell}: subcommands complete too"
        );
    }
    let out = run_with(partnerstack(&["completions", "tcsh"]), None);
    assert_eq!(out.code, 2, "{out:?}");
}

/// A Vendor API that answers a create with what it was sent.
fn echo_server() -> Server {
    Server::in_thread(|seen: &Seen| {
        let mut data: Value = serde_json::from_slice(&seen.body).unwrap_or(json!({}));
        data["key"] = json!("k_new");
        data["created_at"] = json!(1_700_000_000_000_i64);
        data["updated_at"] = json!(1_700_000_000_000_i64);
        support::json(200, json!({"data": data, "message": "", "status": 200}))
    })
}

fn sent(server: &Server) -> Value {
    let seen = server.requests();
    let last = seen.last().expect("a request");
    serde_json::from_slice(&last.body).expect("a JSON body")
}

#[test]
fn body_fields_are_flags_over_data() {
    let server = echo_server();
    let out = run(
        &server,
        &[
            "vendor",
            "customers",
            "create",
            "--email",
            "jane@example.com",
            "--partner-key",
            "gstest",
            "--name",
            "Jane",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        sent(&server),
        json!({"email": "jane@example.com", "partner_key": "gstest", "name": "Jane", "customer_key": null})
    );

    // Flags override --data's fields; the rest of --data is sent as given.
    let out = run(
        &server,
        &[
            "vendor",
            "customers",
            "create",
            "--data",
            r#"{"email": "old@example.com", "partner_key": "p", "extra": [1]}"#,
            "--email",
            "new@example.com",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let body = sent(&server);
    assert_eq!(body["email"], "new@example.com");
    assert_eq!(body["extra"], json!([1]));

    // Typed: numbers, enums, timestamps, booleans, JSON.
    let out = run(
        &server,
        &[
            "vendor",
            "transactions",
            "create",
            "--amount",
            "12500",
            "--currency",
            "EUR",
            "--customer-email",
            "j@example.com",
            "--created-at",
            "2023-11-14T22:13:20Z",
            "--test",
            "--metadata",
            r#"{"plan": "pro"}"#,
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        sent(&server),
        json!({"amount": 12500, "currency": "EUR", "customer_email": "j@example.com",
               "created_at": 1_700_000_000_000_i64, "test": true, "metadata": {"plan": "pro"}})
    );

    // A one_of flag replaces the group's member in --data.
    let out = run(
        &server,
        &[
            "vendor",
            "transactions",
            "create",
            "--data",
            r#"{"amount": 1, "currency": "USD", "customer_key": "cus_1"}"#,
            "--customer-email",
            "j@example.com",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let body = sent(&server);
    assert_eq!(body["customer_email"], "j@example.com");
    assert!(body.get("customer_key").is_none(), "{body}");

    let before = server.requests().len();
    for (args, says) in [
        (
            &["vendor", "customers", "create", "--name", "x"][..],
            "missing --email, --partner-key",
        ),
        (
            &[
                "vendor",
                "customers",
                "create",
                "--data",
                r#"{"email": "e@x.com"}"#,
            ],
            "missing --partner-key",
        ),
        (
            &[
                "vendor",
                "transactions",
                "create",
                "--amount",
                "1",
                "--currency",
                "USD",
                "--customer-key",
                "a",
                "--customer-email",
                "b",
            ],
            "cannot be used with",
        ),
        (
            &[
                "vendor",
                "transactions",
                "create",
                "--amount",
                "1",
                "--currency",
                "USD",
            ],
            "give one of --customer-key, --customer-external-key, --customer-email",
        ),
        (
            &["vendor", "transactions", "create", "--amount", "ten"],
            "invalid value 'ten'",
        ),
    ] {
        let out = run(&server, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(out.stderr.contains(says), "{args:?}: {out:?}");
    }
    assert_eq!(server.requests().len(), before, "nothing invalid was sent");

    let out = run_with(
        partnerstack(&["vendor", "customers", "create", "--help"]),
        None,
    );
    for flag in [
        "--email <EMAIL>",
        "--partner-key <PARTNER_KEY>",
        "--data <JSON>",
        "Required",
    ] {
        assert!(out.stdout.contains(flag), "{flag}: {}", out.stdout);
    }
}

#[test]
fn an_unknown_enum_value_is_sent_with_a_warning() {
    let server = Server::in_thread(|_: &Seen| {
        support::json(
            200,
            json!({"data": {"items": [], "has_more": false}, "message": "", "status": 200}),
        )
    });
    let out = run(
        &server,
        &["partner", "rewards", "list", "--payment-status", "avail"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests()[0].param("payment_status"), Some("avail"));
    assert!(
        out.stderr
            .contains("warning: --payment-status `avail` is not one of the known values"),
        "{out:?}"
    );
    assert!(out.stderr.contains("available, in_transit"), "{out:?}");

    let out = run(
        &server,
        &[
            "partner",
            "rewards",
            "list",
            "--payment-status",
            "available",
        ],
    );
    assert_eq!(out.stderr, "", "{out:?}");

    let echo = echo_server();
    let out = run(
        &echo,
        &[
            "vendor",
            "actions",
            "create",
            "--target-type",
            "partnr",
            "--target-key",
            "p",
            "--type",
            "sign_up",
            "--value",
            "1",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(sent(&echo)["target_type"], "partnr");
    assert!(out.stderr.contains("--target-type `partnr`"), "{out:?}");
    assert!(out.stderr.contains("partnership, customer"), "{out:?}");
}

#[test]
fn errors_speak_of_flags_and_variables() {
    for (args, env, says) in [
        (
            &[
                "partner",
                "rewards",
                "list",
                "--base-url",
                "http://example.com",
            ][..],
            &[][..],
            "--base-url (or PARTNERSTACK_BASE_URL) `http://example.com` is plain http",
        ),
        (
            &["partner", "rewards", "list"],
            &[("PARTNERSTACK_BASE_URL", "https://x.example/?a=b")][..],
            "--base-url (or PARTNERSTACK_BASE_URL) must be a scheme, host and path",
        ),
        (
            &[
                "partner",
                "rewards",
                "list",
                "--base-url",
                "http://127.0.0.1:9",
            ],
            &[("PARTNERSTACK_API_KEY", "key\twith a tab")][..],
            "PARTNERSTACK_API_KEY must hold visible ASCII",
        ),
        (
            &[
                "vendor",
                "customers",
                "get",
                "c",
                "--base-url",
                "http://127.0.0.1:9",
            ],
            &[("PARTNERSTACK_PUBLIC_KEY", "pub:lic")][..],
            "PARTNERSTACK_PUBLIC_KEY cannot contain `:`",
        ),
    ] {
        let mut cmd = partnerstack(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = run_with(cmd, None);
        assert_eq!(out.code, 6, "{args:?}: {out:?}");
        assert!(out.stderr.contains(says), "{args:?}: {out:?}");
        for library in ["allow_insecure_http", "builder", "setter", "Client::"] {
            assert!(!out.stderr.contains(library), "{library}: {out:?}");
        }
    }
}

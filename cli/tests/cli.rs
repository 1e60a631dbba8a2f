//! The `partnerstack` binary end to end: run as a process against a real HTTP server on
//! 127.0.0.1. Every run also checks that no credential appears in stdout or stderr.

mod support;

use serde_json::{Value, json};
use support::{
    API_KEY, PUBLIC_KEY, Reply, SECRET_KEY, Seen, Server, json, partnerstack, run, run_with,
};

/// `n` rewards keyed `rwrd_000`, `rwrd_001`, …, from the realistic payload.
fn rewards(n: usize) -> Vec<Value> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/payloads/partner/rewards.json"
    );
    let payload: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let template = payload["data"]["items"][0].clone();
    (0..n)
        .map(|i| {
            let mut r = template.clone();
            r["key"] = json!(format!("rwrd_{i:03}"));
            r["amount"] = json!(100 * i);
            r
        })
        .collect()
}

/// A Partner API answering `GET /api/v2/rewards` with cursor pages over `all`, after checking
/// the bearer key; 401 otherwise.
fn reward_server(all: Vec<Value>) -> Server {
    Server::in_thread(move |seen: &Seen| {
        if seen.header("authorization") != Some(format!("Bearer {API_KEY}").as_str()) {
            return json(401, json!({"message": "Unauthorized", "status": 401}));
        }
        let limit: usize = seen.param("limit").map_or(10, |l| l.parse().unwrap());
        let start = match seen.param("starting_after") {
            Some(key) => all.iter().position(|r| r["key"] == key).unwrap() + 1,
            None => 0,
        };
        let end = (start + limit).min(all.len());
        json(
            200,
            json!({
                "data": {"items": all[start..end], "has_more": end < all.len(), "total": all.len()},
                "message": "Success",
                "status": 200,
            }),
        )
    })
}

fn keys(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn all_follows_every_page_in_every_format() {
    let all = rewards(7);
    let expected: Vec<String> = keys(&all);
    let server = reward_server(all);

    let out = run(
        &server,
        &["partner", "rewards", "list", "--all", "--limit", "3"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        out.stderr, "",
        "no progress bar when stderr is not a terminal"
    );
    let items = out.json();
    assert_eq!(keys(items.as_array().unwrap()), expected);
    assert_eq!(items[2]["company"]["name"], "Acme Analytics");
    let cursors: Vec<_> = server
        .requests()
        .iter()
        .map(|s| s.param("starting_after").map(str::to_string))
        .collect();
    assert_eq!(
        cursors,
        [None, Some("rwrd_002".into()), Some("rwrd_005".into())]
    );

    let out = run(
        &server,
        &[
            "partner", "rewards", "list", "--all", "--limit", "3", "--format", "ndjson",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<Value> = out
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(keys(&lines), expected);

    let out = run(
        &server,
        &[
            "partner", "rewards", "list", "--all", "--limit", "3", "-f", "csv",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let mut lines = out.stdout.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert!(
        header.contains(&"key") && header.contains(&"company"),
        "{header:?}"
    );
    assert_eq!(lines.clone().count(), 7);
    let first = lines.next().unwrap();
    assert!(first.contains("rwrd_000"), "{first}");
    // A nested object is one cell of JSON, quoted by the CSV writer.
    assert!(first.contains(r#""{""id"":4512"#), "{first}");

    let out = run(
        &server,
        &[
            "partner", "rewards", "list", "--all", "--limit", "3", "--format", "table",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 9, "header, rule, 7 rows: {}", out.stdout);
    assert!(lines[0].starts_with("key "), "{}", lines[0]);
    assert!(lines[1].starts_with("---"));
    assert!(lines[8].contains("rwrd_006"));
}

#[test]
fn all_without_limit_asks_for_the_largest_pages() {
    let server = reward_server(rewards(3));
    let out = run(&server, &["partner", "rewards", "list", "--all"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests()[0].param("limit"), Some("250"));
}

#[test]
fn one_page_without_all_and_a_note_when_more_follow() {
    let server = reward_server(rewards(5));
    let out = run(&server, &["partner", "rewards", "list", "--limit", "2"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(
        keys(out.json().as_array().unwrap()),
        ["rwrd_000", "rwrd_001"]
    );
    assert!(out.stderr.contains("--all"), "{out:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn query_flags_are_typed_and_sent() {
    let server = reward_server(rewards(1));
    let out = run(
        &server,
        &[
            "partner",
            "rewards",
            "list",
            "--payment-status",
            "available",
            "--order-by",
            "-created_at",
            "--min-created",
            "2023-11-14T22:13:20Z",
            "--max-created",
            "1700000000999",
            "--exclude-drip-rewards",
            "--hide-archived-rewards=false",
            "--status",
            "not_known_yet",
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let seen = &server.requests()[0];
    assert_eq!(seen.param("payment_status"), Some("available"));
    assert_eq!(seen.param("order_by"), Some("-created_at"));
    assert_eq!(seen.param("min_created"), Some("1700000000000"));
    assert_eq!(seen.param("max_created"), Some("1700000000999"));
    assert_eq!(seen.param("exclude_drip_rewards"), Some("true"));
    assert_eq!(seen.param("hide_archived_rewards"), Some("false"));
    // Enums are open: a value the spec does not know yet is sent as given.
    assert_eq!(seen.param("status"), Some("not_known_yet"));
}

#[test]
fn bad_arguments_are_usage_errors_before_anything_is_sent() {
    let server = reward_server(rewards(1));
    for args in [
        &["partner", "rewards", "list", "--min-created", "yesterday"][..],
        &["partner", "rewards", "list", "--limit", "0"],
        &["partner", "rewards", "list", "--limit", "251"],
        &["partner", "rewards", "list", "--no-such-flag"],
        &[
            "partner",
            "rewards",
            "list",
            "--starting-after",
            "a",
            "--ending-before",
            "b",
        ],
        &["partner", "rewards", "list", "--format", "xml"],
        &["partner", "rewards"],
        &["partner", "nothing"],
        &["vendor", "customers", "get"],
    ] {
        let out = run(&server, args);
        assert_eq!(out.code, 2, "{args:?}: {out:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
    assert!(server.requests().is_empty());
}

fn customer(key: &str, extra: Value) -> Value {
    let mut c = json!({
        "key": key,
        "created_at": 1_700_000_000_000_i64,
        "updated_at": 1_700_000_000_500_i64,
        "email": "jane@example.com",
    });
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(extra.clone());
    }
    c
}

/// A Vendor API: customers get/create and transactions create, behind HTTP Basic.
fn vendor_server() -> Server {
    use std::io::Write;
    let mut basic = Vec::new();
    {
        // base64 of "public:secret", done by hand to keep the tests' dependencies small.
        let raw = format!("{PUBLIC_KEY}:{SECRET_KEY}");
        let table = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for chunk in raw.as_bytes().chunks(3) {
            let b = [
                chunk[0],
                *chunk.get(1).unwrap_or(&0),
                *chunk.get(2).unwrap_or(&0),
            ];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..4 {
                if i <= chunk.len() {
                    basic
                        .write_all(&[table[((n >> (18 - 6 * i)) & 63) as usize]])
                        .unwrap();
                } else {
                    basic.write_all(b"=").unwrap();
                }
            }
        }
    }
    let expected = format!("Basic {}", String::from_utf8(basic).unwrap());
    Server::in_thread(move |seen: &Seen| {
        if seen.header("authorization") != Some(expected.as_str()) {
            return json(401, json!({"message": "Unauthorized", "status": 401}));
        }
        let data = match (seen.method.as_str(), seen.path.as_str()) {
            ("POST", "/api/v2/customers") => {
                let body: Value = serde_json::from_slice(&seen.body).unwrap();
                customer("cus_new", body)
            }
            ("POST", "/api/v2/transactions") => {
                let mut t: Value = serde_json::from_slice(&seen.body).unwrap();
                t["key"] = json!("txn_1");
                t["created_at"] = json!(1_700_000_000_000_i64);
                t["updated_at"] = json!(1_700_000_000_000_i64);
                t
            }
            ("GET", path) if path.starts_with("/api/v2/customers/") => {
                customer(&path["/api/v2/customers/".len()..], json!({}))
            }
            _ => return json(404, json!({"message": "Not found", "status": 404})),
        };
        json(
            200,
            json!({"data": data, "message": "Success", "status": 200}),
        )
    })
}

#[test]
fn get_takes_the_path_argument_and_encodes_it() {
    let server = vendor_server();
    let out = run(&server, &["vendor", "customers", "get", "cus_8Hq2"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["key"], "cus_8Hq2");
    assert_eq!(out.json()["email"], "jane@example.com");

    let out = run(&server, &["vendor", "customers", "get", "../x y"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests()[1].path, "/api/v2/customers/..%2Fx%20y");

    let out = run(
        &server,
        &["vendor", "customers", "get", "cus_1", "-f", "table"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 3, "{}", out.stdout);
    assert!(out.stdout.lines().next().unwrap().starts_with("key"));
}

#[test]
fn create_reads_data_inline_from_a_file_and_from_stdin() {
    let server = vendor_server();
    let body = json!({
        "customer_key": "acme-user-1",
        "email": "jane@example.com",
        "partner_key": "gstest",
        "name": "Jane",
        "not_in_the_spec": [1, 2],
    });
    let text = body.to_string();

    let out = run(&server, &["vendor", "customers", "create", "--data", &text]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json()["name"], "Jane");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("customer.json");
    std::fs::write(&file, &text).unwrap();
    let at_file = format!("@{}", file.display());
    let out = run(
        &server,
        &["vendor", "customers", "create", "--data", &at_file],
    );
    assert_eq!(out.code, 0, "{out:?}");

    let mut cmd = partnerstack(&["vendor", "customers", "create", "--data", "-"]);
    cmd.arg("--base-url").arg(&server.url);
    let out = run_with(cmd, Some(text.as_bytes()));
    assert_eq!(out.code, 0, "{out:?}");

    let seen = server.requests();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.method, "POST");
        let sent: Value = serde_json::from_slice(&s.body).unwrap();
        assert_eq!(sent, body, "the body is sent as given, unknown fields too");
    }
}

#[test]
fn a_body_with_exactly_one_of_is_read_field_by_field() {
    let server = vendor_server();
    let out = run(
        &server,
        &[
            "vendor",
            "transactions",
            "create",
            "--data",
            r#"{"amount": 12500, "currency": "USD", "customer_email": "j@example.com", "x": 1}"#,
        ],
    );
    assert_eq!(out.code, 0, "{out:?}");
    let sent: Value = serde_json::from_slice(&server.requests()[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"amount": 12500, "currency": "USD", "customer_email": "j@example.com", "x": 1})
    );

    for (data, code, says) in [
        (
            r#"{"amount": 1, "currency": "USD"}"#,
            2,
            "give one of --customer-key, --customer-external-key, --customer-email",
        ),
        (
            r#"{"amount": 1, "currency": "USD", "customer_key": "a", "customer_email": "b"}"#,
            5,
            "not customer_key and customer_email",
        ),
        (
            r#"{"currency": "USD", "customer_key": "a"}"#,
            2,
            "missing --amount",
        ),
        (
            r#"{"amount": "ten", "currency": "USD", "customer_key": "a"}"#,
            5,
            "`amount`",
        ),
        ("[1]", 5, "not a JSON object"),
    ] {
        let out = run(
            &server,
            &["vendor", "transactions", "create", "--data", data],
        );
        assert_eq!(out.code, code, "{data}: {out:?}");
        assert!(out.stderr.contains(says), "{data}: {out:?}");
    }
    assert_eq!(server.requests().len(), 1, "nothing invalid was sent");
}

#[test]
fn invalid_data_exits_5_without_sending() {
    let server = vendor_server();
    for data in [
        "{not json",
        "@/nonexistent/customer.json",
        r#"{"customer_key": 5, "email": "e", "partner_key": "p"}"#,
    ] {
        let out = run(&server, &["vendor", "customers", "create", "--data", data]);
        assert_eq!(out.code, 5, "{data}: {out:?}");
        assert!(out.stderr.starts_with("error: "), "{out:?}");
    }
    let mut cmd = partnerstack(&["vendor", "customers", "create", "--data", "-"]);
    cmd.arg("--base-url").arg(&server.url);
    let out = run_with(cmd, Some(&[0xff, 0xfe, b'{']));
    assert_eq!(out.code, 5, "{out:?}");
    assert!(out.stderr.contains("UTF-8"), "{out:?}");
    assert!(server.requests().is_empty());
}

#[test]
fn huge_data_is_refused_not_read_whole() {
    let server = vendor_server();
    let mut cmd = partnerstack(&["vendor", "customers", "create", "--data", "-"]);
    cmd.arg("--base-url").arg(&server.url);
    let huge = vec![b' '; 17 << 20];
    let out = run_with(cmd, Some(&huge));
    assert_eq!(out.code, 5, "{out:?}");
    assert!(out.stderr.contains("larger than 16 MiB"), "{out:?}");
}

#[test]
fn an_api_error_exits_3_with_status_and_message() {
    let server = reward_server(rewards(1));
    let mut cmd = partnerstack(&["partner", "rewards", "list"]);
    cmd.arg("--base-url")
        .arg(&server.url)
        .env("PARTNERSTACK_API_KEY", "wrong-key");
    let out = run_with(cmd, None);
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout, "");
    assert!(out.stderr.contains("401"), "{out:?}");
    assert!(out.stderr.contains("Unauthorized"), "{out:?}");
    assert!(!out.stderr.contains("wrong-key"), "{out:?}");
}

#[test]
fn a_server_echoing_the_key_does_not_get_it_printed() {
    let server = Server::in_thread(|seen: &Seen| {
        let auth = seen.header("authorization").unwrap_or_default();
        json(
            403,
            json!({"message": format!("bad credentials: {auth}"), "status": 403}),
        )
    });
    let out = run(&server, &["partner", "rewards", "list"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("<redacted>"), "{out:?}");
}

#[test]
fn garbage_answers_exit_1() {
    let server = Server::in_thread(|_: &Seen| Reply::raw(200, "text/html", "<html>hello</html>"));
    let out = run(&server, &["partner", "rewards", "list"]);
    assert_eq!(out.code, 1, "{out:?}");
    assert!(out.stderr.contains("decode"), "{out:?}");

    let server =
        Server::in_thread(|_: &Seen| Reply::raw(502, "text/html", "<html>Bad gateway</html>"));
    let out = run(&server, &["vendor", "customers", "get", "c"]);
    assert_eq!(out.code, 3, "{out:?}");
    assert!(out.stderr.contains("502"), "{out:?}");
}

#[test]
fn a_network_failure_exits_4() {
    let url = partnerstack_test_server::refused_url();
    let out = run_with(
        {
            let mut cmd = partnerstack(&["partner", "rewards", "list", "--base-url", &url]);
            cmd.env("PARTNERSTACK_BASE_URL", "http://ignored.invalid");
            cmd
        },
        None,
    );
    assert_eq!(out.code, 4, "{out:?}");
    assert!(out.stderr.contains("rewards.list"), "{out:?}");
}

#[test]
fn base_url_comes_from_the_environment_too() {
    let server = reward_server(rewards(2));
    let mut cmd = partnerstack(&["partner", "rewards", "list"]);
    cmd.env("PARTNERSTACK_BASE_URL", &server.url);
    let out = run_with(cmd, None);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn missing_credentials_name_the_variables() {
    let server = reward_server(rewards(1));
    let mut cmd = partnerstack(&["partner", "rewards", "list", "--base-url", &server.url]);
    cmd.env_remove("PARTNERSTACK_API_KEY");
    let out = run_with(cmd, None);
    assert_eq!(out.code, 6, "{out:?}");
    assert!(out.stderr.contains("PARTNERSTACK_API_KEY"), "{out:?}");

    let mut cmd = partnerstack(&["vendor", "customers", "get", "c", "--base-url", &server.url]);
    cmd.env_remove("PARTNERSTACK_PUBLIC_KEY")
        .env("PARTNERSTACK_SECRET_KEY", "");
    let out = run_with(cmd, None);
    assert_eq!(out.code, 6, "{out:?}");
    assert!(
        out.stderr
            .contains("PARTNERSTACK_PUBLIC_KEY and PARTNERSTACK_SECRET_KEY"),
        "{out:?}"
    );
    assert!(server.requests().is_empty());
}

#[test]
fn help_documents_exit_codes_and_never_shows_a_secret() {
    for args in [
        &["--help"][..],
        &["partner", "--help"],
        &["vendor", "customers", "create", "--help"],
        &["partner", "rewards", "list", "-h"],
    ] {
        let out = run_with(partnerstack(args), None);
        assert_eq!(out.code, 0, "{args:?}: {out:?}");
        assert!(out.stdout.contains("Usage"), "{args:?}");
    }
    let out = run_with(partnerstack(&["--help"]), None);
    for needle in [
        "Exit status",
        "PARTNERSTACK_API_KEY",
        "PARTNERSTACK_SECRET_KEY",
        "6  missing",
    ] {
        assert!(out.stdout.contains(needle), "{needle}: {}", out.stdout);
    }
}

#[test]
fn an_empty_walk_is_an_empty_array_and_a_failing_page_stops_it() {
    let server = reward_server(Vec::new());
    let out = run(&server, &["partner", "rewards", "list", "--all"]);
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.json(), json!([]));
    for format in ["csv", "ndjson"] {
        let out = run(
            &server,
            &["partner", "rewards", "list", "--all", "-f", format],
        );
        assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{format}");
    }
    // A person sees the columns and is told nothing matched.
    let out = run(
        &server,
        &["partner", "rewards", "list", "--all", "-f", "table"],
    );
    assert_eq!(out.code, 0, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 2, "header and rule: {out:?}");
    assert!(out.stdout.starts_with("key "), "{out:?}");
    assert!(out.stderr.contains("no items matched"), "{out:?}");

    // The second page is refused: the first page's items are out, and the status says so.
    let all = rewards(4);
    let server = Server::in_thread(move |seen: &Seen| {
        if seen.param("starting_after").is_some() {
            return json(403, json!({"message": "Forbidden", "status": 403}));
        }
        json(
            200,
            json!({"data": {"items": all[..2], "has_more": true}, "message": "", "status": 200}),
        )
    });
    let out = run(
        &server,
        &["partner", "rewards", "list", "--all", "-f", "ndjson"],
    );
    assert_eq!(out.code, 3, "{out:?}");
    assert_eq!(out.stdout.lines().count(), 2, "{out:?}");
    assert!(out.stderr.contains("403"), "{out:?}");
}

#[test]
fn an_error_message_with_escape_sequences_is_printed_escaped() {
    let server = Server::in_thread(|_: &Seen| {
        json(
            400,
            json!({"message": "bad \u{1b}]0;pwned\u{7} request", "status": 400}),
        )
    });
    let out = run(&server, &["partner", "rewards", "list"]);
    assert_eq!(out.code, 3, "{out:?}");
    // The client cleans server text, and the command line escapes what is left.
    assert!(!out.stderr.contains(['\u{1b}', '\u{7}']), "{out:?}");
    assert!(out.stderr.contains("pwned"), "{out:?}");
}

//! A hostile server against the `partnerstack` binary: it echoes the `Authorization` header it
//! got (raw, percent-encoded, base64, or the Basic pair decoded) in a JSON error message, an
//! HTML page, a response header, a message padded so the client cuts the echo short, a field
//! of a successful answer, and a body that is not JSON; for each API. No output, on any exit
//! path and in any format, may hold a credential in any of its forms, nor any run of 8 of its
//! characters. And nothing the server sends can drive the terminal or a spreadsheet.

mod support;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};
use support::{Reply, Run, Seen, Server, binary, leak, run_raw, secret_runs};

// Keys with characters that percent-encoding and base64 change, and long enough for runs.
const API_KEY: &str = "pk/live+API=KEY~7c1e 9d%4";
const PUBLIC_KEY: &str = "pub/live+PUBLIC=4b2a";
const SECRET_KEY: &str = "sec/live SECRET+93fd%x";
const TRACKING: &str = "trk+TRACKING/token=55aa";

fn runs() -> Vec<String> {
    secret_runs(
        &[API_KEY, PUBLIC_KEY, SECRET_KEY, TRACKING],
        Some((PUBLIC_KEY, SECRET_KEY)),
    )
}

/// How the server writes the header it got back.
#[derive(Debug, Clone, Copy)]
enum Encoding {
    Raw,
    Percent,
    Base64,
    /// The Basic pair decoded (`public:secret`), the Bearer token alone.
    Decoded,
}

fn encode(auth: &str, encoding: Encoding) -> String {
    match encoding {
        Encoding::Raw => auth.to_string(),
        Encoding::Percent => auth
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    char::from(b).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect(),
        Encoding::Base64 => STANDARD.encode(auth),
        Encoding::Decoded => match auth.split_once(' ') {
            Some(("Basic", b64)) => STANDARD
                .decode(b64)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default(),
            Some((_, token)) => token.to_string(),
            None => auth.to_string(),
        },
    }
}

/// Where the server puts the echo.
#[derive(Debug, Clone, Copy)]
enum Place {
    JsonMessage,
    Html,
    Header,
    /// A message padded with `n` characters first, so the client's cut falls inside the echo.
    Padded(usize),
    /// A text field of a successful answer.
    Data,
    /// A successful status with a body that is not JSON.
    Garbage,
}

fn reply(place: Place, echo: &str, page: bool) -> Reply {
    match place {
        Place::JsonMessage => Reply::json(
            401,
            json!({"message": format!("bad credentials: {echo}"), "status": 401}),
        ),
        // Statuses that are not retried, so the test does not wait for backoffs.
        Place::Html => Reply::raw(
            403,
            "text/html",
            format!("<html><body><h1>Forbidden</h1><p>Authorization: {echo}</p></body></html>"),
        ),
        Place::Header => Reply::raw(
            404,
            "application/json",
            br#"{"message": "not here", "status": 404}"#,
        )
        .header("x-request-id", echo),
        Place::Padded(n) => Reply::json(
            403,
            json!({"message": format!("{}{echo}", "x".repeat(n)), "status": 403}),
        ),
        Place::Data => {
            let item = json!({
                "key": "k_1", "created_at": 1_700_000_000_000_i64, "updated_at": 1,
                "email": echo, "description": echo, "withdrawn": false,
                "company": {"key": "co_1", "name": echo},
            });
            let data = if page {
                json!({"items": [item.clone(), item], "has_more": false})
            } else {
                item
            };
            Reply::json(200, json!({"data": data, "message": echo, "status": 200}))
        }
        Place::Garbage => Reply::raw(
            200,
            "text/html",
            format!("<html>welcome {echo} back</html>"),
        ),
    }
}

/// The binary with the hostile keys, against `server`.
fn cli(server: &Server, args: &[&str]) -> Run {
    let mut cmd = binary(args);
    cmd.arg("--base-url")
        .arg(&server.url)
        .env("PARTNERSTACK_API_KEY", API_KEY)
        .env("PARTNERSTACK_PUBLIC_KEY", PUBLIC_KEY)
        .env("PARTNERSTACK_SECRET_KEY", SECRET_KEY)
        .env("PARTNERSTACK_TRACKING_TOKEN", TRACKING);
    run_raw(cmd, None)
}

/// One operation of each API, and whether its answer can carry data.
const OPERATIONS: &[(&[&str], bool)] = &[
    (&["partner", "rewards", "list"], true),
    (&["vendor", "customers", "get", "cus_1"], true),
    (
        &[
            "conversion",
            "conversions",
            "create",
            "--xid",
            "x1",
            "--customer-key",
            "c1",
        ],
        false,
    ),
];

fn check(run: &Run, what: &str) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        if let Some(found) = leak(text, &runs()) {
            panic!("{what}: {stream} holds {found:?}: {run:?}");
        }
    }
}

#[test]
fn an_echoed_credential_is_never_printed_in_any_form() {
    let encodings = [
        Encoding::Raw,
        Encoding::Percent,
        Encoding::Base64,
        Encoding::Decoded,
    ];
    let mut places = vec![
        Place::JsonMessage,
        Place::Html,
        Place::Header,
        Place::Data,
        Place::Garbage,
    ];
    // The client keeps 500 characters of a message: cuts 3 to 26 characters into the echo.
    places.extend([3usize, 11, 16, 20, 26].map(|into| Place::Padded(500 - into)));
    let mut runs_made = 0;
    for encoding in encodings {
        for &place in &places {
            let server = Server::in_thread(move |seen: &Seen| {
                let auth = seen.header("authorization").unwrap_or_default();
                reply(
                    place,
                    &encode(auth, encoding),
                    seen.path == "/api/v2/rewards",
                )
            });
            for (args, carries_data) in OPERATIONS {
                if matches!(place, Place::Data | Place::Garbage) && !carries_data {
                    continue;
                }
                let formats: &[&str] = if matches!(place, Place::Data) {
                    &["json", "ndjson", "csv", "table"]
                } else {
                    &["json"]
                };
                for format in formats {
                    let mut args = args.to_vec();
                    args.extend(["-f", format]);
                    let run = cli(&server, &args);
                    let what = format!("{encoding:?} in {place:?}, {args:?}");
                    check(&run, &what);
                    assert!(run.code != 101 && run.code >= 0, "{what}: crashed: {run:?}");
                    if !matches!(place, Place::Data) {
                        assert_ne!(run.code, 0, "{what}: {run:?}");
                    }
                    runs_made += 1;
                }
            }
        }
    }
    assert!(runs_made > 100, "{runs_made}");
}

#[test]
fn the_echo_is_replaced_where_it_stood() {
    let server = Server::in_thread(|seen: &Seen| {
        let auth = seen.header("authorization").unwrap_or_default();
        reply(Place::JsonMessage, auth, false)
    });
    let run = cli(&server, &["vendor", "customers", "get", "cus_1"]);
    assert_eq!(run.code, 3, "{run:?}");
    assert!(
        run.stderr.contains("bad credentials: Basic <redacted>"),
        "{run:?}"
    );
}

/// A base URL's user info, query and fragment never show, whatever the path to the output.
#[test]
fn a_base_urls_hidden_parts_never_show() {
    for url in [
        "http://127.0.0.1:9/?token=s3cr3t-query-v4lue",
        "http://us3r-n4me-value:p4ss-w0rd-value@127.0.0.1:9/",
        "http://127.0.0.1:9/#fr4gment-v4lue-here",
        "http://api.example.com/?token=s3cr3t-query-v4lue",
    ] {
        let mut cmd = binary(&["partner", "rewards", "list", "--base-url", url]);
        cmd.env("PARTNERSTACK_API_KEY", API_KEY);
        let run = run_raw(cmd, None);
        assert_eq!(run.code, 6, "{url}: {run:?}");
        for hidden in ["s3cr3t", "query-v4lue", "us3r", "p4ss", "fr4gment"] {
            assert!(!run.stderr.contains(hidden), "{url}: {run:?}");
        }
        assert!(run.stderr.contains("--base-url"), "{run:?}");
        assert!(!run.stderr.contains("allow_insecure_http"), "{run:?}");
    }
}

/// What an answer's text holds reaches no terminal or spreadsheet as it is.
#[test]
fn text_from_the_server_cannot_drive_a_terminal_or_a_spreadsheet() {
    let evil = "=HYPERLINK(\"http://x\")\u{1b}]0;pwned\u{7}\u{9b}31m\u{202e}gnp.exe\u{85}\u{7f}";
    let server = Server::in_thread(move |_: &Seen| {
        let item = json!({
            "key": "rwrd_1", "created_at": 1_700_000_000_000_i64, "updated_at": 1,
            "description": evil, "currency": "+USD", "withdrawn": false,
            "company": {"key": "co_1", "name": "@SUM(A1)"},
            "customer": {"email": evil},
        });
        support::json(
            200,
            json!({"data": {"items": [item], "has_more": false}, "message": "", "status": 200}),
        )
    });
    let bad = |c: char| {
        (c.is_control() && c != '\n' && c != '\t')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    for format in ["json", "ndjson", "table", "csv"] {
        let run = support::run(&server, &["partner", "rewards", "list", "-f", format]);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(!run.stdout.chars().any(bad), "{format}: {:?}", run.stdout);
        if format.ends_with("json") {
            // The same text, escaped.
            let first: Value = serde_json::from_str(run.stdout.lines().next().unwrap_or(""))
                .or_else(|_| serde_json::from_str(&run.stdout))
                .unwrap();
            let item = if first.is_array() { &first[0] } else { &first };
            assert_eq!(item["description"], evil, "{format}");
        }
    }
    let run = support::run(
        &server,
        &[
            "partner",
            "rewards",
            "list",
            "-f",
            "csv",
            "--columns",
            "key,description,company.name,currency",
        ],
    );
    let row = run.stdout.lines().nth(1).unwrap_or_default();
    assert!(row.contains("\"'=HYPERLINK("), "{row}");
    assert!(row.contains(",'@SUM(A1),'+USD"), "{row}");
    assert!(row.contains("\\u{1b}]0;pwned"), "{row}");
    let run = support::run(
        &server,
        &[
            "partner",
            "rewards",
            "list",
            "-f",
            "csv",
            "--csv-formulas",
            "--columns",
            "description,company.name",
        ],
    );
    let row = run.stdout.lines().nth(1).unwrap_or_default();
    assert!(row.starts_with("\"=HYPERLINK("), "{row}");
    assert!(row.ends_with(",@SUM(A1)"), "{row}");
    assert!(!run.stdout.chars().any(bad), "{:?}", run.stdout);
}

/// `text` as a JSON string literal with every character `\u`-escaped.
fn all_escaped(text: &str) -> String {
    let mut out = String::from("\"");
    for unit in text.encode_utf16() {
        out.push_str(&format!("\\u{unit:04x}"));
    }
    out.push('"');
    out
}

/// `--all` writes each item as the server's text: pretty-printed items with CR LF line ends,
/// raw C1 and bidi characters in strings, and the credential echoed in item fields (as it is,
/// with `\/` escapes, and with every character escaped) come out as one JSON object per line,
/// the controls escaped, the credential hidden, everything else the server's.
#[test]
fn pretty_printed_items_with_controls_and_an_echoed_key_stream_as_one_safe_line_each() {
    let server = Server::in_thread(move |seen: &Seen| {
        let token = encode(
            seen.header("authorization").unwrap_or_default(),
            Encoding::Decoded,
        );
        let start: usize = match seen.param("starting_after") {
            Some(after) => {
                after
                    .trim_start_matches("rwrd_")
                    .parse::<usize>()
                    .unwrap_or(0)
                    + 1
            }
            None => 0,
        };
        let items: Vec<String> = (start..(start + 2).min(5))
            .map(|i| {
                format!(
                    "{{\r\n  \"zeta\": \"first\",\r\n  \"key\": \"rwrd_{i}\",\r\n  \
                     \"created_at\": 1700000000000,\r\n  \"note\": \"a\u{85}b\u{202e}c\\nd\",\r\n  \
                     \"echo\": \"{token}\",\r\n  \"echo_slash\": \"{slashed}\",\r\n  \
                     \"echo_escaped\": {escaped},\r\n  \"echo_surrogate\": \"{surrogate}\",\r\n  \
                     \"nested\": {{\r\n    \"big\": \
                     123456789012345678901234567890\r\n  }}\r\n}}",
                    slashed = token.replace('/', "\\/"),
                    escaped = all_escaped(&token),
                    // A lone surrogate: valid JSON, but no `String` decodes it.
                    surrogate = all_escaped(&token).replace('"', "") + "\\udc00",
                )
            })
            .collect();
        let more = start + 2 < 5;
        Reply::raw(
            200,
            "application/json",
            format!(
                "{{\"data\": {{\"items\": [\r\n{}\r\n], \"has_more\": {more}}}, \"status\": 200}}",
                items.join(",\r\n")
            ),
        )
    });
    let bad = |c: char| {
        (c.is_control() && c != '\n')
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    for format in ["ndjson", "json"] {
        let run = cli(
            &server,
            &["partner", "rewards", "list", "--all", "-f", format],
        );
        check(&run, format);
        assert_eq!(run.code, 0, "{format}: {run:?}");
        assert!(!run.stdout.chars().any(bad), "{format}: {:?}", run.stdout);
        let lines: Vec<&str> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with('{'))
            .map(|l| l.trim_end_matches(','))
            .collect();
        assert_eq!(
            lines.len(),
            5,
            "{format}: one line per item: {:?}",
            run.stdout
        );
        if format == "ndjson" {
            assert_eq!(run.stdout.lines().count(), 5, "{:?}", run.stdout);
        } else {
            let all: Value = serde_json::from_str(&run.stdout).unwrap();
            assert_eq!(all.as_array().map(Vec::len), Some(5));
        }
        for (i, line) in lines.iter().enumerate() {
            let item: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{format}: not one JSON object ({e}): {line:?}"));
            assert_eq!(item["key"], format!("rwrd_{i}"));
            assert_eq!(item["note"], "a\u{85}b\u{202e}c\nd", "the text, escaped");
            assert_eq!(item["zeta"], "first", "unknown fields kept");
            for echo in ["echo", "echo_slash", "echo_escaped"] {
                assert_eq!(item[echo], "<redacted>", "{format}: {echo}: {line}");
            }
            assert_eq!(
                item["echo_surrogate"], "<redacted>\u{fffd}",
                "{format}: the lone surrogate decoded as U+FFFD, the key hidden: {line}"
            );
            // The server's field order and number spelling, not the model's.
            assert!(
                line.starts_with(r#"{  "zeta": "first",  "key": "rwrd_"#),
                "{line}"
            );
            assert!(
                line.contains(r#""big": 123456789012345678901234567890"#),
                "{line}"
            );
        }
    }
    // One page without `--all` prints the server's texts the same way.
    let run = cli(&server, &["partner", "rewards", "list", "-f", "ndjson"]);
    check(&run, "one page");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{run:?}");
    assert!(
        lines[1].starts_with(r#"{  "zeta": "first",  "key": "rwrd_1","#),
        "{run:?}"
    );
    assert!(
        lines[1].contains(r#""echo_escaped": "<redacted>""#),
        "{run:?}"
    );
    assert!(run.stderr.contains("more items follow"), "{run:?}");
}

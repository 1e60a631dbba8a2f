//! The binary: prints its address once it accepts connections, serves, and refuses bad
//! arguments.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use partnerstack_test_server::{Reply, Server, refused_url};

const BIN: &str = env!("CARGO_BIN_EXE_partnerstack-fake");

/// Kills the child when the test ends, passing or not.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn the_binary_prints_its_address_and_serves() {
    let child = Command::new(BIN)
        .args([
            "--port",
            "0",
            "--items",
            "4",
            "--seed",
            "3",
            "--partner-key",
            "K1",
        ])
        .args(["--vendor-key", "pk_a:sk_b", "--tracking-token", "T1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut child = Child(child);
    let mut line = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .strip_suffix('\n')
        .and_then(|l| l.strip_prefix("listening on http://127.0.0.1:"))
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"));
    assert!(url.parse::<u16>().is_ok_and(|p| p != 0), "{line:?}");
    let base = format!("http://127.0.0.1:{url}");

    let client = partnerstack::partner::Client::builder()
        .api_key("K1")
        .base_url(&base)
        .build()
        .unwrap();
    let page = client.payouts().list().send().await.unwrap();
    assert_eq!(page.items.len(), 4);
    let vendor = partnerstack::vendor::Client::builder()
        .public_key("pk_a")
        .secret_key("sk_b")
        .base_url(&base)
        .build()
        .unwrap();
    assert_eq!(vendor.groups().list().send().await.unwrap().items.len(), 4);
}

#[test]
fn bad_arguments_exit_2() {
    for args in [
        &["--vendor-key", "no-colon"][..],
        &["--faults", "418"],
        &["--items", "-1"],
        &["--items", "10001"],
        &["--port", "65536"],
        &["--rate-limit", "-1"],
        &["--latency-ms", "soon"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty());
    }
    let help = Command::new(BIN).arg("--help").output().unwrap();
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for option in [
        "--port",
        "--items",
        "--seed",
        "--partner-key",
        "--vendor-key",
        "--tracking-token",
        "--fault-every",
        "--latency-ms",
        "--rate-limit",
    ] {
        assert!(text.contains(option), "{option}");
    }
}

/// Runs the binary with `args` off the runtime's threads.
async fn run(args: &[&str]) -> std::process::Output {
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    tokio::task::spawn_blocking(move || Command::new(BIN).args(&args).output().unwrap())
        .await
        .unwrap()
}

/// A receiver answering every request with `status`; its `/hook` URL.
async fn receiver(status: u16) -> (String, Server) {
    let server = Server::start(move |_| Reply::status(status)).await;
    (format!("{}/hook", server.url), server)
}

#[tokio::test]
async fn trigger_sends_one_delivery_and_exits_by_the_answer() {
    let (ok, got) = receiver(200).await;
    let out = run(&["trigger", "customer.created", "--url", &ok]).await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("webhook customer.created") && stdout.contains("200"),
        "{stdout}"
    );
    let body = got.requests()[0].json();
    assert_eq!(body["event"], "customer.created");
    assert!(body["key"].as_str().unwrap().starts_with("cus_"), "{body}");

    let out = run(&[
        "trigger",
        "reward_created",
        "--api",
        "partner",
        "--url",
        &ok,
    ])
    .await;
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("postback reward.created"), "{stdout}");
    let body = got.requests()[1].json();
    assert_eq!(
        (body["event"].as_str(), body["test"].as_bool()),
        (Some("reward.created"), Some(false))
    );
    assert!(
        body["data"]["key"].as_str().unwrap().starts_with("rwrd_"),
        "{body}"
    );

    let (failing, _) = receiver(500).await;
    let out = run(&["trigger", "customer.updated", "--url", &failing]).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("500"));

    // Nobody listens there.
    let gone = format!("{}/hook", refused_url());
    let out = run(&["trigger", "customer.updated", "--url", &gone]).await;
    assert_eq!(out.status.code(), Some(3));
    for args in [
        &["trigger", "customer.exploded", "--url", &ok][..],
        &[
            "trigger",
            "customer.created",
            "--url",
            "https://example.com/hook",
        ],
        &["trigger", "customer.created"],
        // Only the APIs whose spec has events are offered.
        &[
            "trigger",
            "customer.created",
            "--api",
            "conversion",
            "--url",
            &ok,
        ],
    ] {
        let out = run(args).await;
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

#[test]
fn a_postback_url_off_this_machine_is_refused() {
    let out = Command::new(BIN)
        .args(["--postback-url", "https://example.com/postbacks"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("this machine"));
}

//! The `partnerstack` binary end to end against the fake PartnerStack (`partnerstack-fake`),
//! which serves what the spec describes: the whole path a user takes with no account.

mod support;

use partnerstack_fake::{Config, Server};
use serde_json::Value;

fn partnerstack(server: &Server, args: &[&str]) -> (i32, String, String) {
    let out = support::binary(args)
        .arg("--base-url")
        .arg(server.url())
        .env("PARTNERSTACK_API_KEY", server.partner_key())
        .env("PARTNERSTACK_PUBLIC_KEY", server.vendor_public_key())
        .env("PARTNERSTACK_SECRET_KEY", server.vendor_secret_key())
        .output()
        .unwrap();
    let (stdout, stderr) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    for secret in [server.partner_key(), server.vendor_secret_key()] {
        assert!(
            !stdout.contains(secret) && !stderr.contains(secret),
            "a key leaked"
        );
    }
    (out.status.code().unwrap_or(-1), stdout, stderr)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn walks_and_reads_the_fake() {
    let server = Server::start(Config::default().items(100).seed(7))
        .await
        .unwrap();
    // The child process blocks this worker; the fake keeps serving on the other.
    let (code, stdout, stderr) = tokio::task::block_in_place(|| {
        partnerstack(
            &server,
            &[
                "partner", "rewards", "list", "--all", "--limit", "10", "--format", "ndjson",
            ],
        )
    });
    assert_eq!(code, 0, "{stderr}");
    let keys: Vec<String> = stdout
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["key"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(keys.iter().all(|k| k.starts_with("rwrd_")));
    // The partner's rewards are those of its partnership among the vendor's 100.
    let (code, stdout, stderr) = tokio::task::block_in_place(|| {
        partnerstack(
            &server,
            &[
                "vendor", "rewards", "list", "--all", "--limit", "250", "--format", "ndjson",
            ],
        )
    });
    assert_eq!(code, 0, "{stderr}");
    let mine = server.partnership_key().unwrap();
    let mut want: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|r| r["partnership"]["key"] == mine.as_str())
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect();
    assert!(want.len() > 20 && want.len() < 100, "{}", want.len());
    let mut got = keys.clone();
    got.sort();
    want.sort();
    assert_eq!(got, want, "every reward of the partner's, across pages");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_partner_key_does_not_open_the_vendor_api() {
    let server = Server::start(Config::default().items(3)).await.unwrap();
    let (code, _, stderr) = tokio::task::block_in_place(|| {
        let mut args = vec!["vendor", "customers", "list"];
        args.push("--format");
        args.push("json");
        // Swap the vendor keys for nonsense: the fake answers 401, the CLI exits 3 with it.
        let out = support::binary(&args)
            .arg("--base-url")
            .arg(server.url())
            .env("PARTNERSTACK_PUBLIC_KEY", "pk_wrong")
            .env("PARTNERSTACK_SECRET_KEY", server.partner_key())
            .output()
            .unwrap();
        (
            out.status.code().unwrap_or(-1),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    });
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains(server.partner_key()));
}

/// `--all --concurrency N` prints the same lines as `--all`, in another order; lists that
/// cannot be walked in windows do not take the flag, and `--help` says the order differs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_with_concurrency_prints_the_same_lines_in_another_order() {
    let config = Config::default()
        .items(7)
        .seed(9)
        .list_items("partner", "/api/v2/rewards", 1_200);
    let server = Server::start(config).await.unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec![
            "partner", "rewards", "list", "--all", "--limit", "50", "--format", "ndjson",
        ];
        args.extend_from_slice(extra);
        tokio::task::block_in_place(|| partnerstack(&server, &args))
    };
    let (code, sequential, stderr) = run(&[]);
    assert_eq!(code, 0, "{stderr}");
    let (code, partitioned, stderr) = run(&["--concurrency", "6"]);
    assert_eq!(code, 0, "{stderr}");
    let mut a: Vec<&str> = sequential.lines().collect();
    let mut b: Vec<&str> = partitioned.lines().collect();
    // The signed-in partner's share of the 1,200 (about half), and more than a few windows.
    assert!((400..1_200).contains(&a.len()), "{}", a.len());
    assert_ne!(a, b, "windows interleave");
    a.sort_unstable();
    b.sort_unstable();
    assert_eq!(a, b, "the same lines");

    let (code, _, stderr) = run(&["--concurrency", "2", "--starting-after", "rwrd_x"]);
    assert_eq!(code, 2, "a cursor and windows do not go together: {stderr}");
    let (code, _, stderr) = tokio::task::block_in_place(|| {
        partnerstack(
            &server,
            &[
                "partner",
                "marketplace-programs",
                "list",
                "--all",
                "--concurrency",
                "2",
            ],
        )
    });
    assert_eq!(
        code, 2,
        "no windows for a list without a creation-time range: {stderr}"
    );
    let (code, help, _) = tokio::task::block_in_place(|| {
        partnerstack(&server, &["partner", "rewards", "list", "--help"])
    });
    assert_eq!(code, 0);
    assert!(
        help.contains("--concurrency") && help.contains("in another order"),
        "{help}"
    );
}

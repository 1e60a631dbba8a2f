//! The `partnerstack-codegen` binary: `generate` writes only what changed, `check` exits 1 and
//! names each stale file, a broken spec exits 1 with every problem.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partnerstack-codegen"))
        .args(args)
        .output()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn generate_then_check_then_drift() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let out_dir = tempfile::tempdir().unwrap();
    let (spec, out) = (spec.to_str().unwrap(), out_dir.path().to_str().unwrap());

    let first = run(&["generate", "--spec", spec, "--out", out]);
    assert!(first.status.success(), "{}", text(&first));
    let again = run(&["--spec", spec, "--out", out]);
    assert!(
        text(&again).contains(" 0 written, 0 removed"),
        "{}",
        text(&again)
    );

    let clean = run(&["check", "--spec", spec, "--out", out]);
    assert!(clean.status.success(), "{}", text(&clean));

    std::fs::write(
        out_dir.path().join("page.rs"),
        "// @generated, then edited\n",
    )
    .unwrap();
    std::fs::remove_file(out_dir.path().join("error.rs")).unwrap();
    let stale = run(&["check", "--spec", spec, "--out", out]);
    assert_eq!(stale.status.code(), Some(1));
    let report = text(&stale);
    assert!(
        report.contains("stale: page.rs: differs from the spec"),
        "{report}"
    );
    assert!(report.contains("stale: error.rs: missing"), "{report}");
}

#[test]
fn a_broken_spec_exits_1_with_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let broken =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/broken/many_problems.yaml");
    std::fs::copy(broken, dir.path().join("broken.yaml")).unwrap();
    let out = run(&[
        "check",
        "--spec",
        dir.path().to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out);
    assert!(report.contains("unknown type `mony`"), "{report}");
    assert!(report.contains("unknown key `nulable`"), "{report}");
    assert!(report.contains("5 problems found"), "{report}");
}

#[test]
fn bad_arguments_exit_2() {
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["--spec"]).status.code(), Some(2));
}

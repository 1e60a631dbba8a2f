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

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partnerstack-codegen"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

#[test]
fn every_subcommand_has_help() {
    for args in [
        &["--help"][..],
        &["-h"],
        &["generate", "--help"],
        &["check", "--help"],
        &["openapi", "--help"],
        &["help", "check"],
    ] {
        let out = run(args);
        assert!(out.status.success(), "{args:?}: {}", text(&out));
        let help = text(&out);
        assert!(
            help.contains("Usage: partnerstack-codegen"),
            "{args:?}: {help}"
        );
        assert!(help.contains("--spec <DIR>"), "{args:?}: {help}");
    }
    let top = text(&run(&["--help"]));
    for sub in ["generate", "check", "openapi"] {
        assert!(top.contains(sub), "{top}");
    }
}

/// A minimal copy of the workspace: the root manifest's package name, the real specs, and a
/// place for the output.
fn fake_workspace() -> tempfile::TempDir {
    let ws = tempfile::tempdir().unwrap();
    std::fs::write(
        ws.path().join("Cargo.toml"),
        "[workspace]\nmembers = [\"codegen\"]\n\n[package] # the client\nname = \"partnerstack\"\n\n\
         [features]\ndefault = [\"conversion\", \"partner\", \"vendor\"]\nconversion = []\n\
         partner = []\nvendor = []\n",
    )
    .unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    std::fs::create_dir(ws.path().join("spec")).unwrap();
    for entry in std::fs::read_dir(spec).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(
            &path,
            ws.path().join("spec").join(path.file_name().unwrap()),
        )
        .unwrap();
    }
    ws
}

#[test]
fn finds_the_workspace_from_the_current_directory() {
    let ws = fake_workspace();
    // A decoy on the way up: spec/ beside a manifest of another package.
    let decoy = ws.path().join("vendor/other");
    std::fs::create_dir_all(decoy.join("spec")).unwrap();
    std::fs::write(decoy.join("Cargo.toml"), "[package]\nname = \"other\"\n").unwrap();
    let deep = decoy.join("src/deeper");
    std::fs::create_dir_all(&deep).unwrap();

    let generated = run_in(&deep, &[]);
    assert!(generated.status.success(), "{}", text(&generated));
    assert!(ws.path().join("generated/lib.rs").is_file());
    assert!(ws.path().join("generated/partner/mod.rs").is_file());
    assert!(!decoy.join("generated").exists());

    // One command wrote every output, and `check` looks at each.
    for written in [
        "openapi/partner.json",
        "cli/generated/mod.rs",
        "fake/generated/mod.rs",
    ] {
        assert!(ws.path().join(written).is_file(), "{written}");
    }
    let current = run_in(&deep, &["check"]);
    assert!(current.status.success(), "{}", text(&current));
    std::fs::remove_file(ws.path().join("fake/generated/mod.rs")).unwrap();
    let missing = run_in(&deep, &["check"]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
    assert!(
        text(&missing).contains("run `cargo run -p partnerstack-codegen` to regenerate"),
        "{}",
        text(&missing)
    );

    // --out overrides the default, relative to the current directory, and writes the client
    // alone.
    let elsewhere = run_in(&deep, &["generate", "--out", "here"]);
    assert!(elsewhere.status.success(), "{}", text(&elsewhere));
    assert!(deep.join("here/lib.rs").is_file());
    assert!(!ws.path().join("fake/generated/mod.rs").exists());
}

#[test]
fn an_api_without_its_cargo_feature_is_refused_naming_the_line() {
    let ws = fake_workspace();
    let manifest = ws.path().join("Cargo.toml");
    let text_of = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, text_of.replace("vendor = []\n", "")).unwrap();
    let out = run_in(ws.path(), &[]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out)
            .contains("API `vendor` has no Cargo feature: add `vendor = []` under [features]"),
        "{}",
        text(&out)
    );
    assert!(!ws.path().join("generated").exists(), "nothing is written");
}

#[test]
fn check_works_from_inside_this_checkout() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let out = run_in(&src, &["check"]);
    assert!(out.status.success(), "{}", text(&out));
}

#[test]
fn outside_a_workspace_it_says_what_it_looked_for() {
    let nowhere = tempfile::tempdir().unwrap();
    let out = run_in(nowhere.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let message = text(&out);
    assert!(
        message.contains("cannot find the partnerstack workspace"),
        "{message}"
    );
    assert!(message.contains("--spec DIR and --out DIR"), "{message}");
}

#[test]
fn an_empty_spec_directory_removes_nothing() {
    let ws = fake_workspace();
    let first = run_in(ws.path(), &[]);
    assert!(first.status.success(), "{}", text(&first));
    let before = std::fs::read_dir(ws.path().join("generated"))
        .unwrap()
        .count();

    let empty = tempfile::tempdir().unwrap();
    let out = run_in(
        ws.path(),
        &["generate", "--spec", empty.path().to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("no spec file"), "{}", text(&out));
    assert!(ws.path().join("generated/partner/mod.rs").is_file());
    let after = std::fs::read_dir(ws.path().join("generated"))
        .unwrap()
        .count();
    assert_eq!(before, after);
}

#[test]
fn openapi_writes_one_document_per_api_and_check_sees_drift() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let dir = tempfile::tempdir().unwrap();
    let (spec, out) = (spec.to_str().unwrap(), dir.path().to_str().unwrap());
    let first = run(&["openapi", "--spec", spec, "--out", out]);
    assert!(first.status.success(), "{}", text(&first));
    assert!(
        text(&first).contains("3 files, 3 written, 0 removed"),
        "{}",
        text(&first)
    );

    // Another tool's JSON stays; a stale document of ours goes.
    std::fs::write(
        dir.path().join("other.json"),
        r#"{"x-generated": "@generated by someone"}"#,
    )
    .unwrap();
    let mut stale: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("partner.json")).unwrap()).unwrap();
    stale["x-generated"] = "@generated by partnerstack-codegen from spec/gone.yaml. Do not edit: change the source and regenerate.".into();
    std::fs::write(dir.path().join("gone.json"), stale.to_string()).unwrap();
    // A hand-edited document of ours (here: another API's) is reported, then replaced.
    std::fs::copy(
        dir.path().join("partner.json"),
        dir.path().join("vendor.json"),
    )
    .unwrap();

    let drift = run(&["check", "--spec", spec, "--out", out, "--openapi", out]);
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    let report = text(&drift);
    assert!(
        report.contains("stale: vendor.json: differs from the spec"),
        "{report}"
    );
    assert!(
        report.contains("stale: gone.json: no longer generated"),
        "{report}"
    );
    assert!(!report.contains("other.json"), "{report}");

    let again = run(&["openapi", "--spec", spec, "--out", out]);
    assert!(again.status.success(), "{}", text(&again));
    assert!(
        text(&again).contains("wrote vendor.json"),
        "{}",
        text(&again)
    );
    assert!(
        text(&again).contains("removed gone.json"),
        "{}",
        text(&again)
    );
    assert!(dir.path().join("other.json").exists());
}

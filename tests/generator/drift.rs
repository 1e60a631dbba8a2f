//! Every output is exactly what the spec gives, and writing it is idempotent.

use std::fs;

use partnerstack_codegen::{Drift, output, targets};

use crate::root;

/// Every target of the generator (`targets::TARGETS`: the client, the OpenAPI documents, the
/// command line, the fake's tables) is exactly what the spec gives, and giving it is
/// deterministic.
#[test]
fn every_output_matches_spec_byte_for_byte() {
    let apis = partnerstack_codegen::load_specs(&root().join("spec")).unwrap();
    for target in targets::TARGETS {
        let files = (target.emit)(&apis).unwrap();
        assert_eq!(
            (target.emit)(&apis).unwrap(),
            files,
            "{}: deterministic",
            target.dir
        );
        let drift = output::check_marked(&root().join(target.dir), &files, target.marker).unwrap();
        assert_eq!(
            drift,
            [] as [Drift; 0],
            "{}/ is out of date with spec/: run `cargo run -p partnerstack-codegen`",
            target.dir
        );
    }
}

#[test]
fn writing_again_touches_nothing_and_stale_files_go() {
    let files = partnerstack_codegen::generate(&root().join("spec")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let first = output::write(tmp.path(), &files).unwrap();
    assert_eq!(first.written.len(), files.len());

    let lib = tmp.path().join("lib.rs");
    let mtime = fs::metadata(&lib).unwrap().modified().unwrap();
    let again = output::write(tmp.path(), &files).unwrap();
    assert!(
        again.written.is_empty() && again.removed.is_empty(),
        "{again:?}"
    );
    assert_eq!(fs::metadata(&lib).unwrap().modified().unwrap(), mtime);

    fs::create_dir_all(tmp.path().join("gone")).unwrap();
    fs::write(
        tmp.path().join("gone/old.rs"),
        partnerstack_codegen::format::header("spec/gone.yaml"),
    )
    .unwrap();
    fs::write(tmp.path().join("notes.txt"), "a file of the user's").unwrap();
    let cleaned = output::write(tmp.path(), &files).unwrap();
    assert_eq!(cleaned.removed, ["gone/old.rs"]);
    assert!(!tmp.path().join("gone").exists());
    assert!(
        tmp.path().join("notes.txt").exists(),
        "only generated files are removed"
    );
}

#[test]
fn check_names_each_stale_file() {
    let files = partnerstack_codegen::generate(&root().join("spec")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    output::write(tmp.path(), &files).unwrap();
    assert_eq!(output::check(tmp.path(), &files).unwrap(), []);

    fs::write(
        tmp.path().join("lib.rs"),
        "// @generated but edited by hand\n",
    )
    .unwrap();
    fs::remove_file(tmp.path().join("page.rs")).unwrap();
    fs::write(
        tmp.path().join("extra.rs"),
        partnerstack_codegen::format::header("spec/gone.yaml"),
    )
    .unwrap();
    let drift = output::check(tmp.path(), &files).unwrap();
    assert_eq!(
        drift,
        [
            Drift::Differs("lib.rs".into()),
            Drift::Missing("page.rs".into()),
            Drift::Extra("extra.rs".into()),
        ]
    );
}

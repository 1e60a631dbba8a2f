//! `generated/` is exactly what the spec gives, and writing it is idempotent.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use partnerstack_codegen::{Drift, output};

use crate::root;

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

#[test]
fn generated_matches_spec_byte_for_byte() {
    let files = partnerstack_codegen::generate(&root().join("spec")).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    output::write(tmp.path(), &files).unwrap();
    let fresh = tree(tmp.path());
    let committed = tree(&root().join("generated"));
    let differing: Vec<_> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .collect();
    assert!(
        differing.is_empty(),
        "generated/ is out of date with spec/ for {differing:?}: run `cargo run -p partnerstack-codegen`"
    );
}

#[test]
fn generation_is_deterministic() {
    let spec = root().join("spec");
    let a = partnerstack_codegen::generate(&spec).unwrap();
    let b = partnerstack_codegen::generate(&spec).unwrap();
    assert_eq!(a, b);
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

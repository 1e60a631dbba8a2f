//! Tests of the generator: snapshots of the IR, the emitted code and the diagnostics of broken
//! specs; drift between `spec/` and `generated/`; writing; robustness on hostile input.

mod cli;
mod diagnostics;
mod docs;
mod drift;
mod endpoint_index;
mod event_payloads;
mod fake_tables;
mod fixture_crate;
mod local_diff;
mod openapi;
mod output_safety;
mod robustness;
mod semver;
mod snapshots;

use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `(display name, text)` of every `*.yaml` under `tests/fixtures/<dir>`, sorted.
pub fn fixtures(dir: &str) -> Vec<(String, String)> {
    let path = root().join("tests/fixtures").join(dir);
    let mut found: Vec<_> = std::fs::read_dir(&path)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|p| (display(&p), std::fs::read_to_string(&p).unwrap()))
        .collect()
}

fn display(p: &Path) -> String {
    p.strip_prefix(root())
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}

/// The file stem of a fixture's display name (`tests/fixtures/ok/enum.yaml` → `enum`).
pub fn stem(name: &str) -> &str {
    let file = name.rsplit('/').next().unwrap();
    file.strip_suffix(".yaml").unwrap()
}

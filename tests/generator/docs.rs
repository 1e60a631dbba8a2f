//! The docs state only what is true today: the README's count of each API's operations comes
//! from the spec (a new endpoint fails here, naming the row and the number to write), and
//! every repository path the docs name exists.

use crate::root;

#[test]
fn readme_counts_each_apis_operations_from_the_spec() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let apis = partnerstack_codegen::load_specs(&root().join("spec")).unwrap();
    for api in &apis {
        let count: usize = api.resources.iter().map(|r| r.operations.len()).sum();
        let prefix = format!("| `partnerstack::{}` |", api.module);
        let row = readme
            .lines()
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| {
                panic!(
                    "README.md has no row for API `{}` in its table of modules",
                    api.module
                )
            });
        let stated = row
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .map(str::trim)
            .unwrap_or_default();
        assert_eq!(
            stated,
            count.to_string(),
            "README.md states {stated} operations for `{}`; the spec has {count}: write {count} \
             in the last column of its row",
            api.module
        );
    }
}

/// The documents whose paths are checked.
const DOCS: &[&str] = &[
    "README.md",
    "ARCHITECTURE.md",
    "CONTRIBUTING.md",
    "CHANGELOG.md",
    "benches/README.md",
    "cli/README.md",
    "fake/README.md",
    "docs/guarantees.md",
];

/// Top-level directories of this repository: a backticked path starting with one is a path.
const TOP: &[&str] = &[
    "benches/",
    "cli/",
    "codegen/",
    "examples/",
    "fake/",
    "fuzz/",
    "generated/",
    "openapi/",
    "regenerate/",
    "scripts/",
    "spec/",
    "tests/",
    ".ci/",
];

/// The repository paths a document names: relative link targets, and backticked paths that
/// start with a top-level directory (placeholders such as `spec/<api>.yaml` left out).
fn paths_named(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, _) in text.match_indices("](") {
        let rest = &text[i + 2..];
        let target = rest.split(')').next().unwrap_or_default();
        let target = target.split('#').next().unwrap_or_default();
        if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
            paths.push(target.to_string());
        }
    }
    for (n, piece) in text.split('`').enumerate() {
        let placeholder = piece.contains(['<', '>', '*', '…', '{', ' ', '$']);
        if n % 2 == 1 && !placeholder && TOP.iter().any(|top| piece.starts_with(top)) {
            paths.push(piece.trim_end_matches([':', ',', '.']).to_string());
        }
    }
    paths
}

#[test]
fn every_path_the_docs_name_exists() {
    let mut missing = Vec::new();
    for doc in DOCS {
        let Ok(text) = std::fs::read_to_string(root().join(doc)) else {
            missing.push(format!("{doc} itself"));
            continue;
        };
        let base = root().join(doc);
        let dir = base.parent().unwrap_or(&base);
        for path in paths_named(&text) {
            let linked = dir.join(&path);
            if !linked.exists() && !root().join(&path).exists() {
                missing.push(format!("{doc}: {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "paths the docs name that do not exist (fix the doc, or the path):\n{}",
        missing.join("\n")
    );
}

#[test]
fn paths_named_finds_links_and_backticked_paths() {
    let text = "See [the map](ARCHITECTURE.md#stages), `codegen/src/ir.rs`, `spec/<api>.yaml`, \
                [docs](https://docs.rs/x) and `cargo test`.";
    assert_eq!(paths_named(text), ["ARCHITECTURE.md", "codegen/src/ir.rs"]);
}

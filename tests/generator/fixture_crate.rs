//! Every valid fixture compiles: `tests/output` is a crate holding the client generated from all
//! of `tests/fixtures/ok/`, one API module per fixture, which `cargo test --workspace` builds
//! (and CI lints and documents with warnings denied). This test keeps it current.

use partnerstack_codegen::{names, output};

use crate::{fixtures, root, stem};

/// The fixtures as one crate: each fixture's API is renamed after its file (`enum.yaml` →
/// `enum_api`, clear of keywords and of the crate root's own modules).
fn fixture_crate() -> Vec<partnerstack_codegen::OutputFile> {
    let apis = fixtures("ok")
        .into_iter()
        .map(|(name, text)| {
            let mut api = partnerstack_codegen::load(&name, &text)
                .unwrap_or_else(|d| panic!("{name} should be valid:\n{d}"));
            let module = names::module_name(&format!("{}_api", stem(&name))).unwrap();
            assert!(
                !names::crate_root_holds(&module),
                "rename fixture {name}: `{module}` is taken at the crate root"
            );
            api.module = module;
            api
        })
        .collect();
    partnerstack_codegen::generate_apis(apis).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn fixture_crate_is_current() {
    let files = fixture_crate();
    let dir = root().join("tests/output/generated");
    if std::env::var_os("PARTNERSTACK_BLESS").is_some() {
        output::write(&dir, &files).unwrap();
        return;
    }
    let drift = output::check(&dir, &files).unwrap();
    assert!(
        drift.is_empty(),
        "tests/output/generated is out of date with tests/fixtures/ok ({drift:?}): run \
         `PARTNERSTACK_BLESS=1 cargo test --test generator fixture_crate` and review the diff"
    );
}

/// The fixture crate and the runtime crate (`tests/runtime`) compile the same runtime as the
/// client, so they need the same dependencies, with the same features (and then nothing is
/// compiled twice).
#[test]
fn fixture_crate_has_the_client_dependencies() {
    let section = |path: &str| {
        let text = std::fs::read_to_string(root().join(path)).unwrap();
        let start = text.find("[dependencies]").unwrap();
        let rest = &text[start..];
        let end = rest[1..].find("\n[").map_or(rest.len(), |i| i + 1);
        rest[..end].trim().to_string()
    };
    for manifest in ["tests/output/Cargo.toml", "tests/runtime/Cargo.toml"] {
        assert_eq!(
            section(manifest),
            section("Cargo.toml"),
            "copy the client's [dependencies] into {manifest}"
        );
    }
}

/// The names of a manifest's `[features]` that are API modules: those that turn on nothing
/// else (`name = []`); the others name dependencies or other features.
fn api_features(path: &str) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let start = text.find("\n[features]\n").unwrap();
    let rest = &text[start + 12..];
    let section = &rest[..rest.find("\n[").unwrap_or(rest.len())];
    section
        .lines()
        .filter_map(|l| l.split_once(" = "))
        .filter(|(name, value)| !name.starts_with('#') && value.trim() == "[]")
        .map(|(name, _)| name.trim().to_string())
        .collect()
}

/// The names in a manifest's `default = [...]`.
fn default_features(path: &str) -> std::collections::BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let line = text.lines().find(|l| l.starts_with("default = [")).unwrap();
    line.trim_start_matches("default = [")
        .trim_end_matches(']')
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect()
}

/// Every API in `spec/` has a Cargo feature of its name, on by default, and every API feature
/// names an API; the same for the fixture crate, whose `lib.rs` the same code emits.
#[test]
fn every_api_has_a_feature_of_its_name() {
    let spec: std::collections::BTreeSet<String> =
        partnerstack_codegen::load_specs(&root().join("spec"))
            .unwrap()
            .into_iter()
            .map(|api| api.module.to_string())
            .collect();
    assert_eq!(api_features("Cargo.toml"), spec);
    assert!(default_features("Cargo.toml").is_superset(&spec));
    let lib = std::fs::read_to_string(root().join("generated/lib.rs")).unwrap();
    for api in &spec {
        assert!(
            lib.contains(&format!("#[cfg(feature = \"{api}\")]")),
            "{api} is behind its feature in lib.rs"
        );
    }

    let fixtures: std::collections::BTreeSet<String> = fixture_crate()
        .iter()
        .filter_map(|f| f.path.split_once('/').map(|(dir, _)| dir.to_string()))
        .collect();
    assert_eq!(api_features("tests/output/Cargo.toml"), fixtures);
    assert!(default_features("tests/output/Cargo.toml").is_superset(&fixtures));
}

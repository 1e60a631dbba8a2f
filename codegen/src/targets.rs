//! What the generator writes from the spec: one row per backend, each a peer of the others.
//!
//! `build.rs`, every subcommand of `partnerstack-codegen` (`generate`, `check`, and the one
//! per target) and the drift tests loop over [`TARGETS`]; adding a backend means adding a row
//! here and its module. The client crate's Cargo features are checked here too
//! ([`missing_features`]): each API's module is behind a feature of its name, so a new spec
//! file is refused, naming the line to add, rather than compiled out without a word.

use std::path::Path;

use crate::ir::Api;
use crate::output::Marker;
use crate::{Error, OutputFile};

/// One backend's output.
pub struct Target {
    /// The subcommand that writes only this target (`client` writes `generated/`).
    pub name: &'static str,
    /// Its directory, relative to the workspace root.
    pub dir: &'static str,
    /// How its files say they are generated (which decides what may be overwritten).
    pub marker: Marker,
    /// What it is, for help and messages.
    pub what: &'static str,
    /// The backend: the files for these APIs.
    pub emit: fn(&[Api]) -> Result<Vec<OutputFile>, Error>,
}

/// Every target, in the order they are written and reported.
pub const TARGETS: &[Target] = &[
    Target {
        name: "client",
        dir: "generated",
        marker: Marker::RustHeader,
        what: "the client crate's source",
        emit: client,
    },
    Target {
        name: "openapi",
        dir: "openapi",
        marker: Marker::JsonField,
        what: "one OpenAPI 3.1 document per API",
        emit: crate::openapi::documents,
    },
    Target {
        name: "cli",
        dir: "cli/generated",
        marker: Marker::RustHeader,
        what: "the command line's subcommands",
        emit: crate::cli::files,
    },
    Target {
        name: "fake",
        dir: "fake/generated",
        marker: Marker::RustHeader,
        what: "the fake PartnerStack's tables",
        emit: crate::fake::files,
    },
];

/// The target named `name`.
pub fn target(name: &str) -> Option<&'static Target> {
    TARGETS.iter().find(|t| t.name == name)
}

fn client(apis: &[Api]) -> Result<Vec<OutputFile>, Error> {
    crate::generate_apis(apis.to_vec())
}

/// The client crate's manifest, relative to the workspace root.
pub const MANIFEST: &str = "Cargo.toml";

/// What the client crate's manifest (`Cargo.toml` at the workspace root, given as text) lacks
/// for these APIs: each API's module is emitted behind `#[cfg(feature = "<module>")]`, so it
/// needs a feature of that name, on by default. One message per missing line, naming it.
pub fn missing_features(manifest: &str, apis: &[Api]) -> Vec<String> {
    let features = section(manifest, "features");
    let declared = |name: &str| {
        features
            .iter()
            .any(|line| key(line).is_some_and(|k| k == name))
    };
    let default = features
        .iter()
        .find(|line| key(line) == Some("default"))
        .map(|line| line.split_once('=').map_or("", |(_, v)| v))
        .unwrap_or("");
    let mut missing = Vec::new();
    for api in apis {
        let module = &api.module;
        if !declared(module) {
            missing.push(format!(
                "{}: API `{module}` has no Cargo feature: add `{module} = []` under [features] in \
                 {MANIFEST} (its module is compiled only with that feature)",
                api.source
            ));
        }
        if !default.contains(&format!("\"{module}\"")) {
            missing.push(format!(
                "{}: API `{module}` is not among the default features: add \"{module}\" to \
                 `default = [...]` under [features] in {MANIFEST}",
                api.source
            ));
        }
    }
    missing
}

/// Reads the manifest at the workspace root and reports [`missing_features`] as one error.
pub fn check_features(root: &Path, apis: &[Api]) -> Result<(), String> {
    let path = root.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let missing = missing_features(&text, apis);
    if missing.is_empty() {
        Ok(())
    } else {
        Err(missing.join("\n"))
    }
}

/// The lines of a top-level `[name]` table of a manifest, comments and blank lines left out.
/// A line reading is enough for our own manifest, whose features are one line each.
fn section<'a>(manifest: &'a str, name: &str) -> Vec<&'a str> {
    let header = format!("[{name}]");
    let mut inside = false;
    let mut lines = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if line.starts_with('[') {
            inside = line.split('#').next().map(str::trim) == Some(header.as_str());
            continue;
        }
        if inside && !line.is_empty() && !line.starts_with('#') {
            lines.push(line);
        }
    }
    lines
}

/// The key of a `key = value` line.
fn key(line: &str) -> Option<&str> {
    line.split_once('=').map(|(k, _)| k.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(module: &str) -> Api {
        let text = format!(
            "api:\n  name: {module}\n  title: T\n  doc: D.\n  base_url: https://example.com\n  \
             auth: bearer\n  envelope: none\nresources: {{}}\n"
        );
        crate::load("spec/x.yaml", &text).unwrap_or_else(|d| panic!("{d}"))
    }

    #[test]
    fn a_declared_default_feature_is_enough() {
        let manifest = "[package]\nname = \"x\"\n\n[features]\n# APIs\ndefault = [\"a\", \"b\"]\na = []\nb = [] # b\n";
        assert!(missing_features(manifest, &[api("a"), api("b")]).is_empty());
    }

    #[test]
    fn a_new_api_is_refused_naming_the_lines_to_add() {
        let manifest = "[features]\ndefault = [\"a\"]\na = []\n[dependencies]\nc = \"1\"\n";
        let missing = missing_features(manifest, &[api("a"), api("c")]);
        assert_eq!(
            missing,
            [
                "spec/x.yaml: API `c` has no Cargo feature: add `c = []` under [features] in \
                 Cargo.toml (its module is compiled only with that feature)",
                "spec/x.yaml: API `c` is not among the default features: add \"c\" to \
                 `default = [...]` under [features] in Cargo.toml",
            ]
        );
    }

    #[test]
    fn the_workspace_manifest_has_every_api_of_the_spec() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let apis = crate::load_specs(&root.join("spec")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check_features(&root, &apis), Ok(()));
    }
}

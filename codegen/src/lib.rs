//! The PartnerStack client generator.
//!
//! A pipeline of pure stages, each callable on its own:
//!
//! ```text
//! spec/*.yaml ──yaml::parse──▶ Node tree ──spec::read──▶ RawSpec (with positions)
//!             ──validate──▶ ir::Api ──emit──▶ TokenStreams ──format──▶ OutputFile
//!             ──output::write / output::check──▶ generated/
//! ```
//!
//! Nothing after `spec::read` sees YAML; nothing before `emit` sees tokens. A broken spec gets
//! every problem reported at once as `file:line:col: message`; no input makes it panic.

#![warn(missing_docs)]

pub mod diag;
pub mod emit;
pub mod format;
pub mod ir;
pub mod names;
pub mod output;
pub mod runtime;
pub mod spec;
pub mod validate;
pub mod yaml;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use diag::{Diagnostic, Diagnostics};
pub use output::{Drift, OutputFile, WriteReport};

/// Why generation failed.
#[derive(Debug)]
pub enum Error {
    /// The spec has problems; every one is listed.
    Spec(Diagnostics),
    /// A spec file could not be read.
    Io(PathBuf, std::io::Error),
    /// An emitter produced invalid Rust: a bug in the generator, not in the spec.
    Internal(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec(d) => d.fmt(f),
            Error::Io(path, e) => write!(f, "{}: {e}", path.display()),
            Error::Internal(msg) => write!(f, "generator bug: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

/// Reads one spec file's text into the IR. `file` is the name diagnostics show.
pub fn load(file: &str, text: &str) -> Result<ir::Api, Diagnostics> {
    let root = yaml::parse(file, text).map_err(|d| Diagnostics(vec![d]))?;
    let mut reporter = diag::Reporter::new(file);
    let raw = spec::read(file, &root, &mut reporter);
    let api = validate::validate(&raw, &mut reporter);
    match api {
        Some(api) if !reporter.has_errors() => Ok(api),
        _ => Err(Diagnostics(reporter.into_diagnostics()).sorted()),
    }
}

/// Generates the client crate from spec sources given as `(file name, text)` pairs.
pub fn generate_sources(sources: &[(String, String)]) -> Result<Vec<OutputFile>, Error> {
    let mut apis = Vec::new();
    let mut problems = Vec::new();
    for (file, text) in sources {
        match load(file, text) {
            Ok(api) => apis.push(api),
            Err(d) => problems.extend(d.0),
        }
    }
    let mut modules: BTreeMap<&str, &str> = BTreeMap::new();
    for api in &apis {
        if let Some(first) = modules.insert(&api.module, &api.source) {
            problems.push(Diagnostic {
                file: api.source.clone(),
                loc: api.module_loc,
                message: format!("API name `{}` is also used by {first}", api.module),
                hint: Some("each spec file describes one API with its own `api.name`".into()),
            });
        }
    }
    if !problems.is_empty() {
        return Err(Error::Spec(Diagnostics(problems).sorted()));
    }
    generate_apis(apis)
}

/// Generates the client crate from validated APIs (each with its own module name), for callers
/// that build or adjust the IR themselves, like the test that compiles every fixture.
pub fn generate_apis(mut apis: Vec<ir::Api>) -> Result<Vec<OutputFile>, Error> {
    for api in &apis {
        if let Some(bad) = api.identifiers().into_iter().find(|n| !names::is_ident(n)) {
            return Err(Error::Internal(format!(
                "`{bad}` in {} is not a Rust identifier",
                api.source
            )));
        }
    }
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    emit::crate_files(&apis)
        .into_iter()
        .map(|file| match file {
            emit::Emitted::Tokens {
                path,
                source,
                tokens,
            } => {
                let body = format::rust_file(tokens)
                    .map_err(|e| Error::Internal(format!("{path}: {e}")))?;
                Ok(OutputFile {
                    contents: format!("{}{body}", format::header(&source)),
                    path,
                })
            }
            emit::Emitted::Verbatim(rt) => Ok(OutputFile {
                path: format!("{}.rs", rt.module),
                contents: format!(
                    "{}{}",
                    format::header(&format!("codegen/runtime/{}.rs", rt.module)),
                    rt.source
                ),
            }),
        })
        .collect()
}

/// Generates the client crate from every `*.yaml` file in `spec_dir` (sorted by name).
/// Diagnostics name files as `<dir name>/<file name>`, like `spec/partner.yaml`.
pub fn generate(spec_dir: &Path) -> Result<Vec<OutputFile>, Error> {
    generate_sources(&read_specs(spec_dir)?)
}

/// The `(display name, text)` of every `*.yaml` file in `spec_dir`, sorted by name.
pub fn read_specs(spec_dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let io = |e| Error::Io(spec_dir.to_path_buf(), e);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(spec_dir)
        .map_err(io)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
        .collect();
    paths.sort();
    let dir_name = spec_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::Io(p.clone(), e))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((format!("{dir_name}/{name}"), text))
        })
        .collect()
}

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

pub mod cli;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod fake;
pub mod format;
pub mod ir;
pub mod names;
pub mod openapi;
pub mod output;
pub mod runtime;
pub mod spec;
pub mod targets;
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
    generate_apis(load_sources(sources)?)
}

/// Loads spec sources given as `(file name, text)` pairs into the IR, sorted by module name;
/// every problem of every file is reported at once, and two files may not name the same API.
pub fn load_sources(sources: &[(String, String)]) -> Result<Vec<ir::Api>, Error> {
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
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    Ok(apis)
}

/// Generates the client crate from validated APIs (each with its own module name), for callers
/// that build or adjust the IR themselves, like the test that compiles every fixture.
pub fn generate_apis(mut apis: Vec<ir::Api>) -> Result<Vec<OutputFile>, Error> {
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

/// Loads every `*.yaml` file in `spec_dir` into the IR, sorted by module name (see
/// [`read_specs`] and [`load_sources`]).
pub fn load_specs(spec_dir: &Path) -> Result<Vec<ir::Api>, Error> {
    load_sources(&read_specs(spec_dir)?)
}

/// The largest spec file read; the real ones are a few tens of KiB.
const MAX_SPEC_BYTES: u64 = 8 << 20;

/// The `(display name, text)` of every `*.yaml` (or `*.yml`) file in `spec_dir`, sorted by name.
///
/// Refuses a directory without any spec (an empty or mistyped `--spec` would otherwise generate
/// a crate without a single API), naming files whose extension has the wrong case (`*.YAML`).
/// Names starting with `.` (editor and resource-fork files) are skipped. Every spec must be a
/// regular file (a symlink to one is fine): a FIFO or device named `x.yaml` is refused before it
/// is opened, so reading can never block.
pub fn read_specs(spec_dir: &Path) -> Result<Vec<(String, String)>, Error> {
    let io = |e| Error::Io(spec_dir.to_path_buf(), e);
    let mut paths = Vec::new();
    let mut wrong_case = Vec::new();
    for entry in std::fs::read_dir(spec_dir).map_err(io)? {
        let path = entry.map_err(io)?.path();
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if name.starts_with('.') {
            continue;
        }
        match path.extension().map(|x| x.to_string_lossy()) {
            Some(x) if x == "yaml" || x == "yml" => paths.push(path),
            Some(x) if x.eq_ignore_ascii_case("yaml") || x.eq_ignore_ascii_case("yml") => {
                wrong_case.push(name)
            }
            _ => {}
        }
    }
    if paths.is_empty() {
        wrong_case.sort();
        let mut message = "no spec file (`*.yaml`) in this directory".to_string();
        if !wrong_case.is_empty() {
            message.push_str(&format!(
                "; found {} whose extension has the wrong case: spec files must end in \
                 lowercase `.yaml`",
                wrong_case.join(", ")
            ));
        }
        return Err(io(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            message,
        )));
    }
    paths.sort();
    let dir_name = spec_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    paths
        .into_iter()
        .map(|p| {
            let text = read_spec_file(&p).map_err(|e| Error::Io(p.clone(), e))?;
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            Ok((format!("{dir_name}/{name}"), text))
        })
        .collect()
}

/// Reads one spec file after checking (following symlinks) that it is a regular file of a
/// sensible size.
fn read_spec_file(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let meta = std::fs::metadata(path)?;
    if !meta.is_file() {
        let what = if meta.is_dir() {
            "a directory"
        } else {
            "a special file (FIFO, socket or device)"
        };
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("is {what}, not a regular file; a spec must be a regular file"),
        ));
    }
    if meta.len() > MAX_SPEC_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            format!("is larger than {} MiB; not a spec", MAX_SPEC_BYTES >> 20),
        ));
    }
    let mut text = String::new();
    std::fs::File::open(path)?
        .take(MAX_SPEC_BYTES + 1)
        .read_to_string(&mut text)?;
    if text.len() as u64 > MAX_SPEC_BYTES {
        return Err(Error::new(
            ErrorKind::InvalidInput,
            "grew past the size limit while being read",
        ));
    }
    Ok(text)
}

//! `partnerstack-codegen [generate|check] [--spec DIR] [--out DIR]`
//!
//! `generate` (the default) writes the client crate's source from the spec, touching only files
//! whose contents change. `check` writes nothing and exits 1, naming each stale file, when the
//! generated source differs from what the spec gives.
//!
//! Without `--spec` / `--out`, the directories are found from the current directory: the first
//! ancestor (the directory itself included) that holds `spec/` and a `Cargo.toml` of the package
//! `partnerstack` is the workspace root, and `spec/`, `generated/` are taken there. So the
//! binary works from anywhere inside the checkout, wherever it was compiled.
//!
//! Exit codes: 0 success, 1 a broken spec, stale files or an I/O failure, 2 bad arguments or no
//! workspace found.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

/// Generates the partnerstack client crate (and its OpenAPI documents) from the YAML spec.
#[derive(Debug, Parser)]
#[command(
    name = "partnerstack-codegen",
    version,
    args_conflicts_with_subcommands = true,
    after_help = "Without --spec/--out, spec/ and generated/ are found at the workspace root: the \
                  nearest directory, from the current one upward, holding spec/ and the \
                  Cargo.toml of the `partnerstack` package."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    /// Without a subcommand: `generate` with these options.
    #[command(flatten)]
    generate: ClientPaths,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Write the client source from the spec (the default); only changed files are touched.
    ///
    /// Files the spec no longer gives are removed, but only those carrying this generator's
    /// header; nothing else in the output directory is touched.
    Generate(ClientPaths),
    /// Write nothing; exit 1, naming each stale file, when the client source differs from the
    /// spec.
    Check(ClientPaths),
}

/// Where the spec is read and the client source written.
#[derive(Debug, Args)]
struct ClientPaths {
    /// Directory of the spec files (`*.yaml`) [default: spec/ at the workspace root]
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
    /// Directory of the client source [default: generated/ at the workspace root]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

/// A failure: its message and exit code.
struct Failure(String, u8);

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        None => generate(&cli.generate),
        Some(Command::Generate(paths)) => generate(&paths),
        Some(Command::Check(paths)) => check(&paths),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message, code)) => {
            eprintln!("{message}");
            ExitCode::from(code)
        }
    }
}

/// The workspace root, found lazily: only when a default directory is needed.
struct Root(Option<Result<PathBuf, String>>);

impl Root {
    fn new() -> Self {
        Root(None)
    }

    /// `given`, or `name` under the workspace root.
    fn or_default(&mut self, given: &Option<PathBuf>, name: &str) -> Result<PathBuf, Failure> {
        if let Some(dir) = given {
            return Ok(dir.clone());
        }
        let root = self.0.get_or_insert_with(find_root_from_current_dir);
        match root {
            Ok(root) => Ok(root.join(name)),
            Err(e) => Err(Failure(e.clone(), 2)),
        }
    }
}

fn find_root_from_current_dir() -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    find_root(&cwd).ok_or_else(|| {
        format!(
            "cannot find the partnerstack workspace: neither {} nor any parent holds spec/ and \
             the Cargo.toml of package `partnerstack`.\nRun inside the checkout, or pass --spec \
             DIR and --out DIR.",
            cwd.display()
        )
    })
}

/// The first of `start` and its ancestors that holds `spec/` and a `Cargo.toml` whose
/// `[package]` is named `partnerstack`.
fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("spec").is_dir() && names_partnerstack(&dir.join("Cargo.toml")))
        .map(Path::to_path_buf)
}

/// Whether the manifest at `path` is a regular file whose `[package]` section says
/// `name = "partnerstack"`. A line-level reading is enough for our own manifest.
fn names_partnerstack(path: &Path) -> bool {
    let readable = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() < (1 << 20));
    let Some(text) = readable
        .then(|| std::fs::read_to_string(path).ok())
        .flatten()
    else {
        return false;
    };
    let mut in_package = false;
    for line in text.lines().map(str::trim) {
        if line.starts_with('[') {
            in_package = line.split('#').next().map(str::trim) == Some("[package]");
            continue;
        }
        if !in_package {
            continue;
        }
        if let Some((key, value)) = line.split_once('=')
            && key.trim() == "name"
        {
            let value = value.split('#').next().unwrap_or_default().trim();
            return value == "\"partnerstack\"" || value == "'partnerstack'";
        }
    }
    false
}

/// Loads the spec and generates the client's files.
fn client_files(spec: &Path) -> Result<Vec<partnerstack_codegen::OutputFile>, Failure> {
    partnerstack_codegen::generate(spec).map_err(|e| Failure(e.to_string(), 1))
}

fn generate(paths: &ClientPaths) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&paths.spec, "spec")?;
    let out = root.or_default(&paths.out, "generated")?;
    let files = client_files(&spec)?;
    let report = partnerstack_codegen::output::write(&out, &files)
        .map_err(|e| Failure(format!("{}: {e}", out.display()), 1))?;
    for p in &report.written {
        println!("wrote {p}");
    }
    for p in &report.removed {
        println!("removed {p}");
    }
    println!(
        "{} files, {} written, {} removed",
        files.len(),
        report.written.len(),
        report.removed.len()
    );
    Ok(())
}

fn check(paths: &ClientPaths) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&paths.spec, "spec")?;
    let out = root.or_default(&paths.out, "generated")?;
    let files = client_files(&spec)?;
    let drift = partnerstack_codegen::output::check(&out, &files)
        .map_err(|e| Failure(format!("{}: {e}", out.display()), 1))?;
    if drift.is_empty() {
        println!("{} is up to date ({} files)", out.display(), files.len());
        return Ok(());
    }
    for d in &drift {
        eprintln!("stale: {d}");
    }
    Err(Failure(
        format!(
            "{} stale file(s): run `cargo run -p partnerstack-codegen` to regenerate",
            drift.len()
        ),
        1,
    ))
}

//! `partnerstack-codegen [generate|check|openapi|cli|fake] [--spec DIR] [--out DIR]`
//! `partnerstack-codegen diff --base OLD_SPEC_DIR [--spec NEW_SPEC_DIR] [--changelog]`
//!
//! `generate` (the default) writes the client crate's source from the spec, touching only files
//! whose contents change. `check` writes nothing and exits 1, naming each stale file, when the
//! generated source or the OpenAPI documents differ from what the spec gives. `openapi` writes
//! one OpenAPI 3.1 document per API; `cli` the command line's subcommands (`cli/generated/`);
//! `fake` the fake PartnerStack's tables (`fake/generated/`).
//!
//! `diff` writes nothing: it prints what changed from the spec in `--base` (say, the last
//! release's `spec/`) to this one that users of the generated crate can see, one line per
//! change, `<level>: <api>: <what>` with level `major`, `minor` or `patch`, then
//! `semver: <level>`, the release the changes need (`none` when there is none). With
//! `--changelog` it prints Keep a Changelog sections (`### Added`, …) of `- <level>: …` bullets
//! instead, ending in `<!-- semver: <level> -->`. It exits 0 whether or not anything changed.
//! The rules are in `partnerstack_codegen::diff`.
//!
//! Without `--spec` / `--out`, the directories are found from the current directory: the first
//! ancestor (the directory itself included) that holds `spec/` and a `Cargo.toml` of the package
//! `partnerstack` is the workspace root, and `spec/`, `generated/`, `openapi/` are taken there.
//! So the binary works from anywhere inside the checkout, wherever it was compiled.
//!
//! Exit codes: 0 success, 1 a broken spec, stale files or an I/O failure, 2 bad arguments or no
//! workspace found.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use partnerstack_codegen::OutputFile;
use partnerstack_codegen::output::{self, Marker};

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
    /// Write nothing; exit 1, naming each stale file, when the client source or the OpenAPI
    /// documents differ from the spec.
    ///
    /// The OpenAPI documents are checked in --openapi DIR; without it, in openapi/ at the
    /// workspace root, unless --spec names another spec.
    Check(CheckArgs),
    /// Write one OpenAPI 3.1 document per API (`<api>.json`), touching only changed files.
    Openapi(OpenapiArgs),
    /// Write the command line's subcommands (`cli/generated/`), touching only changed files.
    Cli(OpenapiArgs),
    /// Write the fake PartnerStack's tables (`fake/generated/`: routes, collections, types),
    /// touching only changed files.
    Fake(OpenapiArgs),
    /// Print what changed from an older spec to this one that users of the generated crate can
    /// see, each change with its semver level, then the release they need; writes nothing.
    ///
    /// One line per change, `<level>: <api>: <what>` (level `major`, `minor` or `patch`), then
    /// `semver: <level>` (`none` when nothing changed). Exits 0 whether or not anything
    /// changed, 1 when a spec is broken or unreadable.
    Diff(DiffArgs),
}

/// Options of `diff`.
#[derive(Debug, Args)]
struct DiffArgs {
    /// Directory of the older spec, the one to compare against (for example the last release's
    /// spec/, checked out with `git worktree add`)
    #[arg(long, value_name = "OLD_SPEC_DIR")]
    base: PathBuf,
    /// Directory of the newer spec [default: spec/ at the workspace root]
    #[arg(long, value_name = "NEW_SPEC_DIR")]
    spec: Option<PathBuf>,
    /// Print Keep a Changelog sections (### Added, ### Changed, ### Deprecated, ### Removed)
    /// of `- <level>: …` bullets, ending in `<!-- semver: <level> -->`, instead of the lines
    #[arg(long)]
    changelog: bool,
}

/// Options of `check`.
#[derive(Debug, Args)]
struct CheckArgs {
    #[command(flatten)]
    paths: ClientPaths,
    /// Directory of the OpenAPI documents to check too [default: openapi/ at the workspace
    /// root, when --spec is not given]
    #[arg(long, value_name = "DIR")]
    openapi: Option<PathBuf>,
    /// Directory of the command line's generated source to check too [default: cli/generated/
    /// at the workspace root, when --spec is not given]
    #[arg(long, value_name = "DIR")]
    cli: Option<PathBuf>,
    /// Directory of the fake's tables to check too [default: fake/generated/ at the workspace
    /// root, when --spec is not given]
    #[arg(long, value_name = "DIR")]
    fake: Option<PathBuf>,
}

/// Options of `openapi`, `cli` and `fake`.
#[derive(Debug, Args)]
struct OpenapiArgs {
    /// Directory of the spec files (`*.yaml`) [default: spec/ at the workspace root]
    #[arg(long, value_name = "DIR")]
    spec: Option<PathBuf>,
    /// Output directory [default: openapi/, cli/generated/ for `cli`, fake/generated/ for
    /// `fake`, at the workspace root]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
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
        Some(Command::Check(args)) => check(&args),
        Some(Command::Openapi(args)) => openapi(&args),
        Some(Command::Cli(args)) => write_cli(&args),
        Some(Command::Fake(args)) => write_fake(&args),
        Some(Command::Diff(args)) => diff(&args),
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

/// Loads the spec (every problem at once, exit 1).
fn load(spec: &Path) -> Result<Vec<partnerstack_codegen::ir::Api>, Failure> {
    partnerstack_codegen::load_specs(spec).map_err(|e| Failure(e.to_string(), 1))
}

/// A generation failure that is the generator's or the file system's, not the arguments'.
fn failed(e: impl std::fmt::Display) -> Failure {
    Failure(e.to_string(), 1)
}

fn generate(paths: &ClientPaths) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&paths.spec, "spec")?;
    let out = root.or_default(&paths.out, "generated")?;
    let files = partnerstack_codegen::generate_apis(load(&spec)?).map_err(failed)?;
    write(&out, &files, Marker::RustHeader)
}

fn openapi(args: &OpenapiArgs) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&args.spec, "spec")?;
    let out = root.or_default(&args.out, "openapi")?;
    let files = partnerstack_codegen::openapi::documents(&load(&spec)?).map_err(failed)?;
    write(&out, &files, Marker::JsonField)
}

fn write_cli(args: &OpenapiArgs) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&args.spec, "spec")?;
    let out = root.or_default(&args.out, "cli/generated")?;
    let files = partnerstack_codegen::cli::files(&load(&spec)?).map_err(failed)?;
    write(&out, &files, Marker::RustHeader)
}

fn write_fake(args: &OpenapiArgs) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&args.spec, "spec")?;
    let out = root.or_default(&args.out, "fake/generated")?;
    let files = partnerstack_codegen::fake::files(&load(&spec)?).map_err(failed)?;
    write(&out, &files, Marker::RustHeader)
}

fn diff(args: &DiffArgs) -> Result<(), Failure> {
    let spec = Root::new().or_default(&args.spec, "spec")?;
    // Both specs' problems at once; the base's are introduced, as both may be named `spec/…`.
    let (old, new) = match (load(&args.base), load(&spec)) {
        (Ok(old), Ok(new)) => (old, new),
        (old, new) => {
            let mut problems = Vec::new();
            if let Err(Failure(e, _)) = old {
                problems.push(format!("in the base spec ({}):\n{e}", args.base.display()));
            }
            if let Err(Failure(e, _)) = new {
                problems.push(e);
            }
            return Err(Failure(problems.join("\n"), 1));
        }
    };
    let changes = partnerstack_codegen::diff::diff(&old, &new);
    let text = if args.changelog {
        partnerstack_codegen::diff::changelog(&changes)
    } else {
        partnerstack_codegen::diff::plain(&changes)
    };
    let mut stdout = std::io::stdout().lock();
    std::io::Write::write_all(&mut stdout, text.as_bytes())
        .and_then(|()| std::io::Write::flush(&mut stdout))
        .map_err(|e| failed(format!("cannot write the changes: {e}")))
}

fn write(out: &Path, files: &[OutputFile], marker: Marker) -> Result<(), Failure> {
    let report = output::write_marked(out, files, marker)
        .map_err(|e| failed(format!("{}: {e}", out.display())))?;
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

fn check(args: &CheckArgs) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&args.paths.spec, "spec")?;
    let out = root.or_default(&args.paths.out, "generated")?;
    let openapi_dir = match (&args.openapi, &args.paths.spec) {
        (Some(dir), _) => Some(dir.clone()),
        (None, None) => Some(root.or_default(&None, "openapi")?),
        (None, Some(_)) => None,
    };
    let cli_dir = match (&args.cli, &args.paths.spec) {
        (Some(dir), _) => Some(dir.clone()),
        (None, None) => Some(root.or_default(&None, "cli/generated")?),
        (None, Some(_)) => None,
    };
    let fake_dir = match (&args.fake, &args.paths.spec) {
        (Some(dir), _) => Some(dir.clone()),
        (None, None) => Some(root.or_default(&None, "fake/generated")?),
        (None, Some(_)) => None,
    };
    let apis = load(&spec)?;
    let files = partnerstack_codegen::generate_apis(apis.clone()).map_err(failed)?;
    let client_stale = stale_in(&out, &files, Marker::RustHeader)?;
    let openapi_stale = match &openapi_dir {
        Some(dir) => {
            let documents = partnerstack_codegen::openapi::documents(&apis).map_err(failed)?;
            stale_in(dir, &documents, Marker::JsonField)?
        }
        None => 0,
    };
    let cli_stale = match &cli_dir {
        Some(dir) => {
            let files = partnerstack_codegen::cli::files(&apis).map_err(failed)?;
            stale_in(dir, &files, Marker::RustHeader)?
        }
        None => 0,
    };
    let fake_stale = match &fake_dir {
        Some(dir) => {
            let tables = partnerstack_codegen::fake::files(&apis).map_err(failed)?;
            stale_in(dir, &tables, Marker::RustHeader)?
        }
        None => 0,
    };
    let mut fixes = Vec::new();
    if client_stale > 0 {
        fixes.push("cargo run -p partnerstack-codegen");
    }
    if openapi_stale > 0 {
        fixes.push("cargo run -p partnerstack-codegen -- openapi");
    }
    if cli_stale > 0 {
        fixes.push("cargo run -p partnerstack-codegen -- cli");
    }
    if fake_stale > 0 {
        fixes.push("cargo run -p partnerstack-codegen -- fake");
    }
    if fixes.is_empty() {
        return Ok(());
    }
    Err(failed(format!(
        "{} stale file(s): run `{}` to regenerate",
        client_stale + openapi_stale + cli_stale + fake_stale,
        fixes.join("` and `")
    )))
}

/// Reports each file of `dir` that differs from `files`; returns how many.
fn stale_in(dir: &Path, files: &[OutputFile], marker: Marker) -> Result<usize, Failure> {
    let drift = output::check_marked(dir, files, marker)
        .map_err(|e| failed(format!("{}: {e}", dir.display())))?;
    if drift.is_empty() {
        println!("{} is up to date ({} files)", dir.display(), files.len());
    }
    for d in &drift {
        eprintln!("stale: {d} (in {})", dir.display());
    }
    Ok(drift.len())
}

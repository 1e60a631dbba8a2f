//! `partnerstack-codegen [generate|check|openapi|cli|fake] [--spec DIR] [--out DIR]`
//! `partnerstack-codegen diff --base OLD_SPEC_DIR [--spec NEW_SPEC_DIR] [--changelog]`
//!
//! `generate` (the default) writes every output of the spec at the workspace root (the targets
//! of `partnerstack_codegen::targets`: `generated/`, `openapi/`, `cli/generated/`,
//! `fake/generated/`), touching only files whose contents change; with `--out DIR`, the client's
//! source alone into DIR. `check` writes nothing and exits 1, naming each stale file, when any
//! output differs from what the spec gives. `openapi`, `cli` and `fake` write one target each.
//! `generate` and `check` also refuse an API whose Cargo feature the root `Cargo.toml` lacks.
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
use partnerstack_codegen::ir::Api;
use partnerstack_codegen::output::{self, Marker};
use partnerstack_codegen::targets::{self, Target};

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
    /// Write every output from the spec (the default): generated/, openapi/, cli/generated/
    /// and fake/generated/ at the workspace root; with --out DIR, the client's source alone.
    ///
    /// Only changed files are touched. Files the spec no longer gives are removed, but only
    /// those carrying this generator's header; nothing else in an output directory is touched.
    Generate(ClientPaths),
    /// Write nothing; exit 1, naming each stale file, when any output differs from the spec.
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
    /// Directory of the client source; given, only the client is written [default: every
    /// output at the workspace root, the client in generated/]
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
        Some(Command::Openapi(args)) => write_one("openapi", &args),
        Some(Command::Cli(args)) => write_one("cli", &args),
        Some(Command::Fake(args)) => write_one("fake", &args),
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

    /// The workspace root.
    fn dir(&mut self) -> Result<PathBuf, Failure> {
        let root = self.0.get_or_insert_with(find_root_from_current_dir);
        root.clone().map_err(|e| Failure(e, 2))
    }

    /// `given`, or `name` under the workspace root.
    fn or_default(&mut self, given: &Option<PathBuf>, name: &str) -> Result<PathBuf, Failure> {
        match given {
            Some(dir) => Ok(dir.clone()),
            None => Ok(self.dir()?.join(name)),
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

/// `generate`: every target at the workspace root (one command rewrites every output), or
/// with `--out DIR` the client's source alone, into DIR.
fn generate(paths: &ClientPaths) -> Result<(), Failure> {
    let mut root = Root::new();
    let spec = root.or_default(&paths.spec, "spec")?;
    let apis = load(&spec)?;
    let client = targets::target("client").ok_or_else(|| failed("no client target"))?;
    if let Some(out) = &paths.out {
        return write_target(client, &apis, out);
    }
    let dir = root.dir()?;
    targets::check_features(&dir, &apis).map_err(failed)?;
    for target in targets::TARGETS {
        write_target(target, &apis, &dir.join(target.dir))?;
    }
    Ok(())
}

/// `openapi`, `cli`, `fake`: that target alone.
fn write_one(name: &str, args: &OpenapiArgs) -> Result<(), Failure> {
    let target = targets::target(name).ok_or_else(|| failed(format!("no target `{name}`")))?;
    let mut root = Root::new();
    let spec = root.or_default(&args.spec, "spec")?;
    let out = root.or_default(&args.out, target.dir)?;
    write_target(target, &load(&spec)?, &out)
}

fn write_target(target: &Target, apis: &[Api], out: &Path) -> Result<(), Failure> {
    let files = (target.emit)(apis).map_err(failed)?;
    write(out, &files, target.marker)
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
    let apis = load(&spec)?;
    let mut stale = 0;
    for target in targets::TARGETS {
        // The client is always checked; the others where given, or at the workspace root when
        // the spec is the workspace's own.
        let given = match target.name {
            "client" => Some(root.or_default(&args.paths.out, target.dir)?),
            "openapi" => args.openapi.clone(),
            "cli" => args.cli.clone(),
            "fake" => args.fake.clone(),
            _ => None,
        };
        let dir = match (given, &args.paths.spec) {
            (Some(dir), _) => dir,
            (None, None) => root.or_default(&None, target.dir)?,
            (None, Some(_)) => continue,
        };
        let files = (target.emit)(&apis).map_err(failed)?;
        stale += stale_in(&dir, &files, target.marker)?;
    }
    if args.paths.spec.is_none() && args.paths.out.is_none() {
        targets::check_features(&root.dir()?, &apis).map_err(failed)?;
    }
    if stale == 0 {
        return Ok(());
    }
    Err(failed(format!(
        "{stale} stale file(s): run `cargo run -p partnerstack-codegen` to regenerate every output"
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

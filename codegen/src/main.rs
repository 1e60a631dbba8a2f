//! `partnerstack-codegen [generate|check] [--spec DIR] [--out DIR]`
//!
//! `generate` (the default) writes the client crate's source from the spec, touching only files
//! whose contents change. `check` writes nothing and exits 1, naming each stale file, when the
//! generated source differs from what the spec gives.

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: partnerstack-codegen [generate|check] [--spec DIR] [--out DIR]
  generate  write generated/ from spec/ (default)
  check     exit 1 if generated/ differs from what spec/ gives";

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut command = "generate".to_string();
    let mut spec = root.join("spec");
    let mut out = root.join("generated");
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "generate" | "check" => command = arg,
            "--spec" | "--out" => {
                let Some(value) = args.next() else {
                    eprintln!("{arg} needs a directory\n{USAGE}");
                    return ExitCode::from(2);
                };
                if arg == "--spec" {
                    spec = value.into();
                } else {
                    out = value.into();
                }
            }
            "-h" | "--help" => {
                println!("{USAGE}");
                return ExitCode::SUCCESS;
            }
            other => {
                eprintln!("unknown argument `{other}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let files = match partnerstack_codegen::generate(&spec) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if command == "check" {
        match partnerstack_codegen::output::check(&out, &files) {
            Ok(drift) if drift.is_empty() => {
                println!("{} is up to date ({} files)", out.display(), files.len());
                ExitCode::SUCCESS
            }
            Ok(drift) => {
                for d in &drift {
                    eprintln!("stale: {d}");
                }
                eprintln!(
                    "{} stale file(s): run `cargo run -p partnerstack-codegen` to regenerate",
                    drift.len()
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("{}: {e}", out.display());
                ExitCode::FAILURE
            }
        }
    } else {
        match partnerstack_codegen::output::write(&out, &files) {
            Ok(report) => {
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
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{}: {e}", out.display());
                ExitCode::FAILURE
            }
        }
    }
}

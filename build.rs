//! Regenerates `generated/` (the client), `openapi/` (its OpenAPI documents), `cli/generated/`
//! (the command line's subcommands) and `fake/generated/` (the fake PartnerStack's tables) from
//! `spec/` when the spec, the generator or the generated files change.
//!
//! Only files whose bytes differ are written, so a build with nothing to do touches nothing and
//! Cargo does not recompile the crate; a hand edit under `generated/` or `openapi/` is undone
//! (with a warning) on the next build. An API whose Cargo feature `Cargo.toml` lacks fails the
//! build, naming the line to add. Without `spec/` (the published crate) or without the
//! `regenerate` feature (on in this repository through the workspace member `regenerate/`)
//! this does nothing.

fn main() {
    #[cfg(feature = "regenerate")]
    regenerate();
}

#[cfg(feature = "regenerate")]
fn regenerate() {
    use partnerstack_codegen::output::write_marked;
    use partnerstack_codegen::targets::{self, TARGETS};
    use std::path::PathBuf;

    println!("cargo::rerun-if-changed=spec");
    println!("cargo::rerun-if-changed={}", targets::MANIFEST);
    for target in TARGETS {
        println!("cargo::rerun-if-changed={}", target.dir);
    }
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let spec = root.join("spec");
    if !spec.is_dir() {
        return;
    }
    let result = partnerstack_codegen::load_specs(&spec)
        .map_err(|e| e.to_string())
        .and_then(|apis| {
            targets::check_features(&root, &apis)?;
            let mut written = Vec::new();
            for target in TARGETS {
                let files = (target.emit)(&apis).map_err(|e| e.to_string())?;
                let report = write_marked(&root.join(target.dir), &files, target.marker)
                    .map_err(|e| format!("writing {}/: {e}", target.dir))?;
                written.push((target.dir, report.written.len() + report.removed.len()));
            }
            Ok(written)
        });
    match result {
        Ok(written) => {
            for (dir, count) in written.into_iter().filter(|(_, count)| *count > 0) {
                println!("cargo::warning=regenerated {count} file(s) in {dir}/ from spec/");
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

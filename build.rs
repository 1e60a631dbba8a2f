//! Regenerates `generated/` from `spec/` when the spec, the generator or the generated files
//! change.
//!
//! Only files whose bytes differ are written, so a build with nothing to do touches nothing and
//! Cargo does not recompile the crate; a hand edit under `generated/` is undone (with a warning)
//! on the next build. Without `spec/` (the published crate) or without the `regenerate`
//! feature this does nothing.

fn main() {
    #[cfg(feature = "regenerate")]
    regenerate();
}

#[cfg(feature = "regenerate")]
fn regenerate() {
    use std::path::PathBuf;

    println!("cargo::rerun-if-changed=spec");
    println!("cargo::rerun-if-changed=generated");
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let spec = root.join("spec");
    if !spec.is_dir() {
        return;
    }
    let result = partnerstack_codegen::generate(&spec)
        .map_err(|e| e.to_string())
        .and_then(|files| {
            partnerstack_codegen::output::write(&root.join("generated"), &files)
                .map_err(|e| format!("writing generated/: {e}"))
        });
    match result {
        Ok(report) => {
            let changed = report.written.len() + report.removed.len();
            if changed > 0 {
                println!("cargo::warning=regenerated {changed} file(s) in generated/ from spec/");
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

//! Regenerates `generated/` from `spec/` when the spec or the generator changes.
//!
//! Only files whose bytes change are written, so a build with nothing to do touches nothing and
//! Cargo does not rebuild the crate. Without `spec/` (the published crate) or without the
//! `regenerate` feature this does nothing.

fn main() {
    #[cfg(feature = "regenerate")]
    regenerate();
}

#[cfg(feature = "regenerate")]
fn regenerate() {
    use std::path::PathBuf;

    println!("cargo::rerun-if-changed=spec");
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
    if let Err(e) = result {
        eprintln!("{e}");
        std::process::exit(1);
    }
}

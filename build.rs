//! Regenerates `generated/` (the client), `openapi/` (its OpenAPI documents), `cli/generated/`
//! (the command line's subcommands) and `fake/generated/` (the fake PartnerStack's tables) from
//! `spec/` when the spec, the generator or the generated files change.
//!
//! Only files whose bytes differ are written, so a build with nothing to do touches nothing and
//! Cargo does not recompile the crate; a hand edit under `generated/` or `openapi/` is undone
//! (with a warning) on the next build. Without `spec/` (the published crate) or without the `regenerate`
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
    println!("cargo::rerun-if-changed=openapi");
    println!("cargo::rerun-if-changed=cli/generated");
    println!("cargo::rerun-if-changed=fake/generated");
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let spec = root.join("spec");
    if !spec.is_dir() {
        return;
    }
    let result = partnerstack_codegen::load_specs(&spec)
        .and_then(|apis| {
            let client = partnerstack_codegen::generate_apis(apis.clone())?;
            let documents = partnerstack_codegen::openapi::documents(&apis)?;
            let cli = partnerstack_codegen::cli::files(&apis)?;
            let fake = partnerstack_codegen::fake::files(&apis)?;
            Ok((client, documents, cli, fake))
        })
        .map_err(|e| e.to_string())
        .and_then(|(client, documents, cli, fake)| {
            use partnerstack_codegen::output::{Marker, write_marked};
            let written = |dir: &str, files, marker| {
                write_marked(&root.join(dir), files, marker)
                    .map(|r| r.written.len() + r.removed.len())
                    .map_err(|e| format!("writing {dir}/: {e}"))
            };
            Ok((
                written("generated", &client, Marker::RustHeader)?,
                written("openapi", &documents, Marker::JsonField)?,
                written("cli/generated", &cli, Marker::RustHeader)?,
                written("fake/generated", &fake, Marker::RustHeader)?,
            ))
        });
    match result {
        Ok((client, documents, cli, fake)) => {
            if client > 0 {
                println!("cargo::warning=regenerated {client} file(s) in generated/ from spec/");
            }
            if documents > 0 {
                println!(
                    "cargo::warning=regenerated {documents} document(s) in openapi/ from spec/"
                );
            }
            if cli > 0 {
                println!("cargo::warning=regenerated {cli} file(s) in cli/generated/ from spec/");
            }
            if fake > 0 {
                println!("cargo::warning=regenerated {fake} file(s) in fake/generated/ from spec/");
            }
        }
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    }
}

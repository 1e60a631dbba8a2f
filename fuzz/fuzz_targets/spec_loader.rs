//! Any text given to the spec loader gives a valid API or diagnostics, never a panic; a spec
//! that validates also emits and formats without one, and every file it emits parses as Rust
//! (so every identifier in it is one).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match partnerstack_codegen::load("fuzz.yaml", text) {
        Ok(_) => {
            let sources = [("fuzz.yaml".to_string(), text.to_string())];
            // A valid spec that does not emit is a generator bug.
            let files = partnerstack_codegen::generate_sources(&sources)
                .unwrap_or_else(|e| panic!("validated but did not emit: {e}"));
            for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
                if let Err(e) = syn::parse_file(&file.contents) {
                    panic!("{} does not parse: {e}", file.path);
                }
            }
        }
        Err(diagnostics) => assert!(!diagnostics.is_empty()),
    }
});

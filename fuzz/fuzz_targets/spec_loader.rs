//! Any text given to the spec loader gives a valid API or diagnostics, never a panic; a spec
//! that validates also emits and formats without one.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match partnerstack_codegen::load("fuzz.yaml", text) {
        Ok(_) => {
            let sources = [("fuzz.yaml".to_string(), text.to_string())];
            if let Err(e) = partnerstack_codegen::generate_sources(&sources) {
                // A valid spec that does not emit is a generator bug.
                panic!("validated but did not emit: {e}");
            }
        }
        Err(diagnostics) => assert!(!diagnostics.is_empty()),
    }
});

//! The hand-written runtime the generated code calls, emitted verbatim into `generated/`.
//!
//! The files live in `codegen/runtime/` as ordinary Rust, are compiled into this crate as text,
//! and become private modules of the generated crate. `exports` lists what the crate root
//! re-exports from each.

/// One runtime file.
#[derive(Debug, Clone, Copy)]
pub struct RuntimeFile {
    /// Module name, and file name without `.rs`.
    pub module: &'static str,
    /// The file's text.
    pub source: &'static str,
    /// Items the crate root re-exports publicly.
    pub exports: &'static [&'static str],
}

macro_rules! runtime_file {
    ($module:literal, [$($export:literal),*]) => {
        RuntimeFile {
            module: $module,
            source: include_str!(concat!("../runtime/", $module, ".rs")),
            exports: &[$($export),*],
        }
    };
}

/// Every runtime file, in module order.
pub const FILES: &[RuntimeFile] = &[
    runtime_file!("auth", ["PublicKey", "SecretKey"]),
    runtime_file!("builder", ["IsSet", "Missing"]),
    runtime_file!("config", ["reqwest_builder"]),
    runtime_file!("decode", []),
    runtime_file!(
        "error",
        ["Error", "RequestInfo", "Result", "TransportErrorKind"]
    ),
    runtime_file!(
        "events",
        [
            "Loose",
            "LooseBool",
            "LooseValue",
            "MalformedEvent",
            "Postback",
            "UnknownEvent",
            "Webhook"
        ]
    ),
    runtime_file!("json", ["JsonMap", "RawJson"]),
    runtime_file!("json_item", ["JsonItem"]),
    runtime_file!("nullable", ["Nullable"]),
    runtime_file!("observe", ["ResponseInfo"]),
    runtime_file!("open_enum", []),
    runtime_file!("pace", []),
    runtime_file!("page", ["Page"]),
    runtime_file!("pagination", ["Items", "Pages"]),
    runtime_file!("partition", ["PartitionedItems"]),
    runtime_file!("request", []),
    runtime_file!("retry", ["Decision", "Outcome", "RetryPolicy"]),
    runtime_file!("timestamp", ["Timestamp"]),
    runtime_file!("transport", []),
];

/// The crate documentation, hand-written prose.
pub const CRATE_DOC: &str = include_str!("../runtime/crate_doc.md");

#[cfg(test)]
mod tests {
    use super::FILES;

    /// `lib.rs` (the crate root of `partnerstack-runtime`, which checks these files where they
    /// are written) declares every module of [`FILES`] and re-exports what the emitted crate
    /// root re-exports, so the two roots cannot drift apart.
    #[test]
    fn the_runtime_crate_root_matches_the_emitted_one() {
        let lib = include_str!("../runtime/lib.rs");
        for file in FILES {
            let module = file.module;
            assert!(
                lib.contains(&format!("\nmod {module};\n")),
                "lib.rs lacks `mod {module};`"
            );
            if !file.exports.is_empty() {
                let items = file.exports.join(", ");
                let line = if file.exports.len() == 1 {
                    format!("pub use {module}::{items};")
                } else {
                    format!("pub use {module}::{{{items}}};")
                };
                assert!(lib.contains(&line), "lib.rs lacks `{line}`");
            }
        }
        let modules = lib.lines().filter(|l| l.starts_with("mod ")).count();
        assert_eq!(modules, FILES.len(), "lib.rs declares a module FILES lacks");
    }
}

//! Every Rust identifier the generator writes is decided here: case, keywords, reserved names.
//!
//! Validation calls these functions and reports collisions with the spec position, so the
//! emitters can trust every name in the IR.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Type names a model must not take: generated model code uses them unqualified (everything
/// else it names is qualified: `crate::Timestamp`, `super::Reward`, `serde_json::Value`).
pub const RESERVED_TYPES: &[&str] = &[
    "Default",
    "From",
    "Into",
    "IntoIterator",
    "Ok",
    "Option",
    "Result",
    "Some",
    "String",
    "Vec",
];

/// The field every model uses to keep JSON fields the spec does not describe.
pub const EXTRA_FIELD: &str = "extra";

/// The variant open enums use for values the spec does not list.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// Builder methods every list request has besides the pagination setters (whose names come from
/// the spec's pagination parameters); query parameters may not take these names.
pub const LIST_METHODS: &[&str] = &["pages", "items"];

/// Methods every request builder has.
pub const REQUEST_METHODS: &[&str] = &["send", "deadline"];

/// Methods the generated client has besides resource accessors.
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "clone", "fmt"];

/// Escapes a keyword: raw identifier where Rust allows it, else a trailing underscore.
fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Whether `s` is a plain Rust identifier (ASCII, not starting with a digit).
fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && s != "_"
}

/// A snake_case value name (field, parameter, method, module) for a spec name, or `None`
/// when the name has nothing a Rust identifier can be made of.
///
/// JSON names that are already valid snake_case identifiers are kept exactly (`type_` stays
/// `type_`), so model fields read like the JSON.
pub fn value_name(spec: &str) -> Option<String> {
    let name = if is_plain_ident(spec) && spec == spec.to_ascii_lowercase() {
        spec.to_string()
    } else {
        spec.to_snake_case()
    };
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("_{name}")
    } else {
        name
    };
    is_plain_ident(&name).then(|| escape(name))
}

/// An UpperCamelCase name (type, variant) for a spec name.
pub fn type_name(spec: &str) -> Option<String> {
    let name = spec.to_upper_camel_case();
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    is_plain_ident(&name).then(|| escape(name))
}

/// The variant name for an enum's wire value.
pub fn variant_name(wire: &str) -> Option<String> {
    type_name(wire)
}

/// The request builder type of an operation: `list` on `rewards` is `ListRewards`.
pub fn request_type(resource: &str, operation: &str) -> Option<String> {
    type_name(&format!("{operation}_{resource}"))
}

/// A snake_case name as words for prose: `tracking_token` → "tracking token", `api_key` →
/// "API key".
pub fn words(snake: &str) -> String {
    snake
        .split('_')
        .filter(|w| !w.is_empty())
        .map(|w| match w {
            "api" | "id" | "url" | "http" => w.to_ascii_uppercase(),
            _ => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a user-given name can be used as written: a lowercase identifier that is not a
/// keyword (or a raw identifier of a keyword that may be raw, like `r#type`).
pub fn is_valid_value_name(s: &str) -> bool {
    let lowercase_ident = |n: &str| is_plain_ident(n) && n == n.to_ascii_lowercase();
    match s.strip_prefix("r#") {
        Some(raw) => lowercase_ident(raw) && KEYWORDS.contains(&raw) && !NOT_RAW.contains(&raw),
        None => lowercase_ident(s) && !KEYWORDS.contains(&s),
    }
}

/// Whether a user-given name is an UpperCamelCase identifier that is not a keyword (`Self`).
pub fn is_valid_type_name(s: &str) -> bool {
    is_plain_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !KEYWORDS.contains(&s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_keep_json_names_and_escape_keywords() {
        assert_eq!(value_name("created_at").as_deref(), Some("created_at"));
        assert_eq!(value_name("type").as_deref(), Some("r#type"));
        assert_eq!(value_name("type_").as_deref(), Some("type_"));
        assert_eq!(value_name("self").as_deref(), Some("self_"));
        assert_eq!(value_name("productLine").as_deref(), Some("product_line"));
        assert_eq!(value_name("2fa").as_deref(), Some("_2fa"));
        assert_eq!(value_name("---"), None);
    }

    #[test]
    fn variants_from_wire_values() {
        assert_eq!(
            variant_name("paid_externally").as_deref(),
            Some("PaidExternally")
        );
        assert_eq!(variant_name("closed won").as_deref(), Some("ClosedWon"));
        // A leading sign is not part of the name: `-created_at` collides with `created_at`
        // and validation asks for an explicit name.
        assert_eq!(variant_name("-created_at").as_deref(), Some("CreatedAt"));
        assert_eq!(variant_name("null").as_deref(), Some("Null"));
    }

    #[test]
    fn explicit_names_must_not_be_keywords() {
        // Found by fuzzing: `rust_name: false` validated, then emitted code that did not parse.
        for bad in ["false", "type", "r#self", "r#notakeyword", "Foo"] {
            assert!(!is_valid_value_name(bad), "{bad}");
        }
        for good in ["amount", "type_", "r#type"] {
            assert!(is_valid_value_name(good), "{good}");
        }
        assert!(!is_valid_type_name("Self"));
        assert!(is_valid_type_name("Reward"));
    }

    #[test]
    fn words_for_prose() {
        assert_eq!(words("api_key"), "API key");
        assert_eq!(words("tracking_token"), "tracking token");
    }

    #[test]
    fn request_types() {
        assert_eq!(
            request_type("rewards", "list").as_deref(),
            Some("ListRewards")
        );
        assert_eq!(
            request_type("marketplace_programs", "get").as_deref(),
            Some("GetMarketplacePrograms")
        );
    }
}

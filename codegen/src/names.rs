//! Every Rust identifier the generator writes is decided here: case, keywords, and the names
//! each generated scope already holds.
//!
//! Two kinds of names meet in generated code: names that come from the spec (fields,
//! parameters, operations, resources, types) and names the generator writes itself. The latter
//! are either **public** (`send`, `pages`, `extra`, `Unknown`, `new` on a model, the builder's
//! settings: users call them) or **internal** (a local variable, a private field, the body
//! argument: users never see them). One rule, applied everywhere:
//!
//! - a spec name that takes a public name is refused by validation, at the spec position, with
//!   the hint to give it `rust_name:` (or `request_name:` / `name:`);
//! - a spec name that takes an internal name wins: the generator picks another name for its own
//!   item with [`Scope::fresh`], so the user never sees the difference.
//!
//! Validation asks these functions and [`Scope`]s, and puts every final identifier into the IR
//! as an [`Ident`], a type only this module can build: an undecided or invalid name cannot
//! reach an emitter, which only prints what the IR says.

use std::collections::BTreeSet;
use std::fmt;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// A Rust identifier the generator has decided on: a plain identifier that is not a keyword, or
/// the raw form (`r#type`) of a keyword that may be raw.
///
/// Only this module builds one, from the rules below, so an invalid or undecided name cannot
/// reach an emitter: the IR holds `Ident`s, and emitters print them with
/// `emit::tokens::ident` (deliberately not `ToTokens`: `#name` in `quote!` must say
/// whether it means the identifier or a string literal of it). It reads as a `str` (`Deref`), and
/// its `Debug` is the string's, so IR snapshots show plain names.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ident(String);

impl Ident {
    /// A name this module has decided; every caller passes a name the rules of this module
    /// produced (tests check each rule against odd input).
    fn decided(name: String) -> Ident {
        debug_assert!(is_ident(&name), "not an identifier: {name:?}");
        Ident(name)
    }

    /// The identifier as written in code (`r#type`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name as serde and prose see it: without `r#`.
    pub fn unraw(&self) -> &str {
        unraw(&self.0)
    }
}

impl std::ops::Deref for Ident {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Ident {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Ident {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl PartialEq<str> for Ident {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for Ident {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

impl PartialEq<String> for Ident {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<Ident> for str {
    fn eq(&self, other: &Ident) -> bool {
        self == other.0
    }
}

impl PartialEq<Ident> for String {
    fn eq(&self, other: &Ident) -> bool {
        *self == other.0
    }
}

/// In `format_ident!`, an identifier is its name without `r#` (as for `proc_macro2::Ident`).
impl quote::IdentFragment for Ident {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.unraw())
    }
}

/// Rust keywords (strict and reserved, all editions up to 2024).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super", "_"];

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

/// Names at the crate root an API module cannot take besides the runtime's modules (their code
/// says `crate::error::Error`; see [`crate_root_holds`]): the crates generated code names by
/// path, and `lib` (the crate root's own file would then have a twin, `lib/mod.rs`).
pub const CRATE_ROOT: &[&str] = &[
    "lib",
    "alloc",
    "core",
    "std",
    "base64",
    "bytes",
    "fastrand",
    "futures_core",
    "futures_util",
    "httpdate",
    "hyper",
    "native_tls",
    "percent_encoding",
    "reqwest",
    "rustls",
    "rustls_platform_verifier",
    "serde",
    "serde_json",
    "serde_path_to_error",
    "thiserror",
    "tokio",
    "tracing",
    "url",
];

/// Whether the crate root holds `name` already: a runtime module or a name of [`CRATE_ROOT`].
pub fn crate_root_holds(name: &str) -> bool {
    CRATE_ROOT.contains(&name) || crate::runtime::FILES.iter().any(|f| f.module == name)
}

/// The models module of the types every resource shares (`models/common.rs`).
pub const COMMON_MODULE: &str = "common";

/// [`COMMON_MODULE`], for the IR.
pub fn common_module() -> Ident {
    Ident::decided(COMMON_MODULE.to_string())
}

/// The field every model uses to keep JSON fields the spec does not describe.
pub const EXTRA_FIELD: &str = "extra";

/// The variant open enums and events use for values the spec does not list.
pub const UNKNOWN_VARIANT: &str = "Unknown";

/// The variant events use for a known event whose payload does not decode.
pub const MALFORMED_VARIANT: &str = "Malformed";

/// Methods every `Client` has besides its resource accessors (its own, and those of the
/// traits it derives).
pub const CLIENT_METHODS: &[&str] = &["new", "builder", "from_env", "clone", "fmt"];

/// Methods every `ClientBuilder` has besides its credential setters.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "http_client",
    "timeout",
    "connect_timeout",
    "user_agent",
    "max_response_bytes",
    "allow_insecure_http",
    "retry_policy",
    "on_request",
    "on_response",
    "read_env",
    "read_env_with",
    "build",
    "clone",
    "fmt",
];

/// Methods a resource accessor has besides its operations (those of the traits it derives).
pub const ACCESSOR_METHODS: &[&str] = &["clone", "fmt"];

/// Methods every request builder has besides its parameter setters.
pub const REQUEST_METHODS: &[&str] = &["send", "deadline", "clone", "fmt"];

/// Methods every list request has besides those of [`REQUEST_METHODS`] and the pagination
/// setters (whose names come from the spec's pagination parameters).
pub const LIST_METHODS: &[&str] = &[
    "pages",
    "items",
    "items_partitioned",
    "json_pages",
    "json_items",
    "json_items_partitioned",
];

/// Methods of a model that callers build (part of a request body) besides its field setters:
/// its constructor and those of the traits it derives.
pub const MODEL_METHODS: &[&str] = &[
    "new",
    "builder",
    "clone",
    "fmt",
    "eq",
    "ne",
    "default",
    "serialize",
    "deserialize",
];

/// Methods of a model's builder besides its required-field setters: `build` and those of the
/// traits it derives.
pub const MODEL_BUILDER_METHODS: &[&str] = &["build", "clone", "fmt"];

/// The builder type of a model with two or more required fields: `CustomerCreateBuilder`.
pub fn model_builder(model: &Ident) -> Ident {
    Ident::decided(format!("{}Builder", model.unraw()))
}

/// The crate-private enum a model's decoder matches keys to (made unique among the models'
/// type names where another type has this name).
pub fn decoder_fields(model: &Ident) -> Ident {
    Ident::decided(format!("{}Field", model.unraw()))
}

/// The setter of a field whose own name every model already has as a method (`default`,
/// `new`): `set_default`.
pub fn prefixed_setter(field: &Ident) -> Ident {
    Ident::decided(format!("set_{}", field.unraw()))
}

/// The type parameter of a model builder for its argument `arg`, fresh in `scope`: the
/// argument in UpperCamelCase without trailing underscores (`self_` gives `Self`, which gives
/// way), or `Field` when nothing is left.
pub fn builder_param(arg: &Ident, scope: &mut Scope) -> Ident {
    let wanted = type_name(arg.unraw()).map(|n| n.0.trim_end_matches('_').to_string());
    match wanted.as_deref() {
        None | Some("") => scope.fresh_type("Field"),
        Some(camel) => scope.fresh_type(camel),
    }
}

/// A bearer token's credential when the spec names none.
pub const DEFAULT_CREDENTIAL: &str = "api_key";

/// HTTP Basic's two credentials, as the client builder's setters name them, in order.
pub const BASIC_CREDENTIALS: [&str; 2] = ["public_key", "secret_key"];

/// The environment variable holding a credential (`api_key` → `PARTNERSTACK_API_KEY`), read
/// by the client's `from_env()` and by the command line.
pub fn credential_env_var(credential: &str) -> String {
    format!("PARTNERSTACK_{}", unraw(credential).to_ascii_uppercase())
}

/// The environment variable that overrides an API's base URL.
pub const BASE_URL_ENV_VAR: &str = "PARTNERSTACK_BASE_URL";

/// The prefix of the setter that sends a nullable body field as `null`.
pub const CLEAR_PREFIX: &str = "clear_";

/// The generator's preferred name for a request builder's `Request` local.
pub const REQUEST_LOCAL: &str = "request";

/// The generator's preferred name for an operation's body argument.
pub const BODY_ARG: &str = "body";

/// The generator's preferred name for the settings field of a `ClientBuilder`.
pub const CONFIG_FIELD: &str = "config";

/// The generator's preferred name for the `MapAccess` a model's decoder reads.
pub const DECODER_MAP: &str = "map";

/// The generator's preferred name for the field a model's decoder is reading.
pub const DECODER_FIELD: &str = "field";

/// The generator's preferred name for the unknown fields a model's decoder collects.
pub const DECODER_EXTRA: &str = EXTRA_FIELD;

/// Flags the command line defines itself, on every command (`--format`, `--columns`, …) or on
/// the operations that take them (`--data`, `--all`); the pagination flags come from the
/// spec's pagination parameters. A parameter or body field whose flag would be one of these
/// (or a pagination flag of its API) gives way: see [`query_flag`] and [`body_flag`].
pub const CLI_FLAGS: &[&str] = &[
    "help",
    "version",
    "format",
    "base-url",
    "columns",
    "csv-formulas",
    "data",
    "all",
    "concurrency",
];

/// A spec name as a command-line flag, without `--`: snake_case words joined by `-`
/// (`payment_status` → `payment-status`, `customerKey` → `customer-key`), or `None` when the
/// name has no letters or digits.
pub fn flag(spec: &str) -> Option<String> {
    let snake = spec.to_snake_case();
    let flag = snake
        .split('_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    (!flag.is_empty() && flag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
        .then_some(flag)
}

/// The flag of a query parameter: its [`flag`], or `param-<flag>` where the command line has
/// that flag itself (`--param-limit`).
pub fn query_flag(wire: &str) -> Option<String> {
    let flag = flag(wire)?;
    Some(if CLI_FLAGS.contains(&flag.as_str()) {
        format!("param-{flag}")
    } else {
        flag
    })
}

/// The flag of a body field: its [`flag`], or `field-<flag>` where the command line or one of
/// the operation's own flags (`taken`) has that flag (`--field-data`).
pub fn body_flag(json: &str, taken: &Scope) -> Option<String> {
    let flag = flag(json)?;
    Some(
        if CLI_FLAGS.contains(&flag.as_str()) || taken.holds(&flag) {
            format!("field-{flag}")
        } else {
            flag
        },
    )
}

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

/// Whether `s` is a plain Rust identifier (ASCII, not starting with a digit, not `_`).
pub fn is_plain_ident(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && s != "_"
}

/// Whether `s` can be printed as an identifier: a plain one that is not a keyword, or a raw
/// identifier of a keyword that may be raw. Emitters rely on this for every name in the IR.
pub fn is_ident(s: &str) -> bool {
    match s.strip_prefix("r#") {
        Some(raw) => KEYWORDS.contains(&raw) && !NOT_RAW.contains(&raw),
        None => is_plain_ident(s) && !KEYWORDS.contains(&s),
    }
}

/// A snake_case value name (field, parameter, method) for a spec name, or `None` when the name
/// has nothing a Rust identifier can be made of.
///
/// JSON names that are already valid snake_case identifiers are kept exactly (`type_` stays
/// `type_`), so model fields read like the JSON.
pub fn value_name(spec: &str) -> Option<Ident> {
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
    is_plain_ident(&name).then(|| Ident::decided(escape(name)))
}

/// A module (and file) name: a value name that is never raw, since a module's file is named
/// after it (`mod` becomes `mod_`, not a file called `r#mod.rs`).
pub fn module_name(spec: &str) -> Option<Ident> {
    value_name(spec).map(|n| match n.strip_prefix("r#") {
        Some(keyword) => Ident::decided(format!("{keyword}_")),
        None => n,
    })
}

/// An UpperCamelCase name (type, variant) for a spec name.
pub fn type_name(spec: &str) -> Option<Ident> {
    let name = spec.to_upper_camel_case();
    let name = if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    is_plain_ident(&name).then(|| Ident::decided(escape(name)))
}

/// The variant name for an enum's wire value.
pub fn variant_name(wire: &str) -> Option<Ident> {
    type_name(wire)
}

/// The request builder type of an operation: `list` on `rewards` is `ListRewards`.
pub fn request_type(resource: &str, operation: &str) -> Option<Ident> {
    type_name(&format!("{operation}_{resource}"))
}

/// How an event name is matched: dots and hyphens read as underscores, so the dotted and the
/// underscore spellings PartnerStack sends (`customer.created`, `customer_created`) are one
/// event. The runtime's `events::match_key` applies the same rule to what arrives.
pub fn event_match_key(name: &str) -> String {
    name.replace(['.', '-'], "_")
}

/// The setter that sends a nullable field as `null`: `clear_note` for `note`.
pub fn clear_setter(field: &Ident) -> Ident {
    Ident::decided(format!("{CLEAR_PREFIX}{}", field.unraw()))
}

/// The name as serde and prose see it: raw identifiers lose their `r#`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
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
    is_ident(s) && unraw(s) == unraw(s).to_ascii_lowercase()
}

/// Whether a user-given name is an UpperCamelCase identifier that is not a keyword (`Self`).
pub fn is_valid_type_name(s: &str) -> bool {
    is_plain_ident(s) && s.starts_with(|c: char| c.is_ascii_uppercase()) && !KEYWORDS.contains(&s)
}

/// A user-given value name (`rust_name:`, a credential), when it [is
/// valid](is_valid_value_name) as written.
pub fn given_value_name(s: &str) -> Option<Ident> {
    is_valid_value_name(s).then(|| Ident::decided(s.to_string()))
}

/// A user-given type name (`name:`, `request_name:`), when it [is valid](is_valid_type_name)
/// as written.
pub fn given_type_name(s: &str) -> Option<Ident> {
    is_valid_type_name(s).then(|| Ident::decided(s.to_string()))
}

/// The field every model keeps unknown JSON fields in, [`EXTRA_FIELD`], for the IR.
pub fn extra_field() -> Ident {
    Ident::decided(EXTRA_FIELD.to_string())
}

/// The variant open enums and events keep unknown values in, [`UNKNOWN_VARIANT`], for the IR.
pub fn unknown_variant() -> Ident {
    Ident::decided(UNKNOWN_VARIANT.to_string())
}

/// A name standing for any name, where two types are compared by shape and the names made
/// from their own names must not count (`partnerstack-codegen diff`).
pub fn anonymous() -> Ident {
    Ident::decided("__".to_string())
}

/// The variant events keep malformed deliveries in, [`MALFORMED_VARIANT`], for the IR.
pub fn malformed_variant() -> Ident {
    Ident::decided(MALFORMED_VARIANT.to_string())
}

/// HTTP Basic's two credentials ([`BASIC_CREDENTIALS`]), for the IR.
pub fn basic_credentials() -> [Ident; 2] {
    BASIC_CREDENTIALS.map(|c| Ident::decided(c.to_string()))
}

/// The command line's preferred name for an API's module of column views.
pub const CLI_VIEWS_MODULE: &str = "views";

/// The command line's function reading an operation's `one_of` body from its flags:
/// `create_body` for `create`.
pub fn cli_body_reader(method: &Ident) -> Ident {
    Ident::decided(format!("{}_body", method.unraw()))
}

/// The command line's table of an operation's body field flags: `CREATE_FIELDS` for `create`.
pub fn cli_body_fields(method: &Ident) -> Ident {
    Ident::decided(format!("{}_FIELDS", method.unraw().to_ascii_uppercase()))
}

/// The command line's local holding an operation's `i`th argument: `arg0`, `arg1`, …
pub fn cli_argument(i: usize) -> Ident {
    Ident::decided(format!("arg{i}"))
}

/// The names one generated scope holds (a module, an `impl`, a struct's fields, a function's
/// arguments and locals). Validation claims the spec's names in it first; the generator's
/// internal items then take what is left with [`Scope::fresh`].
#[derive(Debug, Clone, Default)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope already holding `names` (the public names the generator writes there).
    pub fn with(names: &[&str]) -> Self {
        Scope {
            taken: names.iter().map(|n| unraw(n).to_string()).collect(),
        }
    }

    /// Claims `name`; false when the scope already holds it (`r#type` and `type` are one name).
    pub fn claim(&mut self, name: &str) -> bool {
        self.taken.insert(unraw(name).to_string())
    }

    /// Whether the scope holds `name`.
    pub fn holds(&self, name: &str) -> bool {
        self.taken.contains(unraw(name))
    }

    /// `wanted` if free, else the first free of `wanted_`, `wanted_2`, `wanted_3`, …; claimed.
    /// For the generator's internal items, which give way to the spec's names.
    pub fn fresh(&mut self, wanted: &str) -> Ident {
        let wanted = unraw(wanted);
        let mut name = wanted.to_string();
        let mut n = 1;
        // `self`, `super`, … cannot even be raw: they give way too, so that the name claimed
        // is the name returned (a keyword that may be raw comes back as `r#…`, one name).
        while self.holds(&name) || NOT_RAW.contains(&name.as_str()) {
            name = if n == 1 {
                format!("{wanted}_")
            } else {
                format!("{wanted}_{n}")
            };
            n += 1;
        }
        self.claim(&name);
        Ident::decided(escape(name))
    }

    /// `wanted` if free, else the first free of `wanted2`, `wanted3`, …; claimed. For the
    /// generator's type parameters, which stay UpperCamelCase.
    pub fn fresh_type(&mut self, wanted: &str) -> Ident {
        // Only an UpperCamelCase name is wanted here; a keyword (`Self`) gives way below.
        let wanted =
            if is_plain_ident(wanted) && wanted.starts_with(|c: char| c.is_ascii_uppercase()) {
                wanted
            } else {
                "Type"
            };
        let mut name = wanted.to_string();
        let mut n = 2;
        while self.holds(&name) || KEYWORDS.contains(&name.as_str()) {
            name = format!("{wanted}{n}");
            n += 1;
        }
        self.claim(&name);
        Ident::decided(name)
    }
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
        assert_eq!(value_name("Self").as_deref(), Some("self_"));
        assert_eq!(value_name("productLine").as_deref(), Some("product_line"));
        assert_eq!(value_name("2fa").as_deref(), Some("_2fa"));
        assert_eq!(value_name("---"), None);
        assert_eq!(value_name("_"), None);
    }

    #[test]
    fn modules_are_never_raw() {
        assert_eq!(module_name("mod").as_deref(), Some("mod_"));
        assert_eq!(module_name("type").as_deref(), Some("type_"));
        assert_eq!(module_name("rewards").as_deref(), Some("rewards"));
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
        assert_eq!(variant_name("self").as_deref(), Some("Self_"));
    }

    #[test]
    fn explicit_names_must_not_be_keywords() {
        // Found by fuzzing: `rust_name: false` validated, then emitted code that did not parse.
        for bad in [
            "false",
            "type",
            "r#self",
            "r#notakeyword",
            "Foo",
            "_",
            "r#_",
        ] {
            assert!(!is_valid_value_name(bad), "{bad}");
        }
        for good in ["amount", "type_", "r#type", "__"] {
            assert!(is_valid_value_name(good), "{good}");
        }
        assert!(!is_valid_type_name("Self"));
        assert!(is_valid_type_name("Reward"));
    }

    #[test]
    fn every_derived_name_is_an_identifier() {
        let odd = [
            "", "_", "__", "---", "a b", "self", "Self", "super", "crate", "type", "é", "1", "_1",
            "a__b", "r#x", "fn", "Fn", "gen", "ABC", "aBC", "x-y", "0x",
        ];
        for s in odd {
            for name in [value_name(s), module_name(s), type_name(s), variant_name(s)]
                .into_iter()
                .flatten()
            {
                assert!(is_ident(&name), "{s:?} gave {name:?}");
                let mut scope = Scope::with(&["Self", "Field"]);
                for derived in [
                    clear_setter(&name),
                    prefixed_setter(&name),
                    cli_body_reader(&name),
                    cli_body_fields(&name),
                    builder_param(&name, &mut scope),
                    scope.fresh(&name),
                    scope.fresh_type(&name),
                ] {
                    assert!(is_ident(&derived), "{s:?} gave {name:?}, then {derived:?}");
                }
            }
        }
    }

    #[test]
    fn flags_are_kebab_case_and_give_way_to_the_command_lines_own() {
        assert_eq!(flag("payment_status").as_deref(), Some("payment-status"));
        assert_eq!(flag("customerKey").as_deref(), Some("customer-key"));
        assert_eq!(flag("type_").as_deref(), Some("type"));
        assert_eq!(flag("__"), None);
        assert_eq!(flag("é"), None);
        assert_eq!(query_flag("all").as_deref(), Some("param-all"));
        assert_eq!(query_flag("columns").as_deref(), Some("param-columns"));
        let mut taken = Scope::default();
        taken.claim("email");
        assert_eq!(body_flag("email", &taken).as_deref(), Some("field-email"));
        assert_eq!(body_flag("data", &taken).as_deref(), Some("field-data"));
        assert_eq!(
            body_flag("partner_key", &taken).as_deref(),
            Some("partner-key")
        );
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

    #[test]
    fn internal_names_give_way() {
        let mut args = Scope::with(&[]);
        assert!(args.claim("request"));
        assert!(args.claim("request_"));
        assert!(!args.claim("r#request"));
        assert_eq!(args.fresh("request"), "request_2");
        assert_eq!(args.fresh("body"), "body");
        assert_eq!(args.fresh("body"), "body_");
        // A keyword comes back raw, one name with its plain form; one that cannot be raw
        // gives way like a taken name.
        assert_eq!(args.fresh("type"), "r#type");
        assert!(!args.claim("type"));
        assert_eq!(args.fresh("self"), "self_");
        assert!(!args.claim("self_"));

        let mut params = Scope::with(RESERVED_TYPES);
        assert_eq!(params.fresh_type("String"), "String2");
        assert_eq!(params.fresh_type("Email"), "Email");
        assert_eq!(params.fresh_type("Email"), "Email2");
    }
}

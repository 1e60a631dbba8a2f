//! Small helpers every emitter uses: identifiers, doc attributes and Rust types.

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{NamedKind, Ty};

/// An identifier from a name the IR already validated (`r#type` becomes a raw identifier).
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => format_ident!("{}", name),
    }
}

/// The name as serde sees it: raw identifiers lose their `r#`.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// `#[doc = "…"]` attributes, one per line, so rustdoc and prettyplease keep the layout.
pub fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Inner `#![doc = "…"]` attributes for a module or crate.
pub fn inner_doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let line = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#![doc = #line])
    });
    quote!(#(#lines)*)
}

/// The first sentence-ish line of a doc text, for summaries.
pub fn summary(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// The Rust type for a field, parameter or response; `models` prefixes named types.
pub fn rust_type(ty: &Ty, models: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 | Ty::Money => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Timestamp => quote!(crate::Timestamp),
        Ty::Json => quote!(serde_json::Value),
        Ty::List(inner) => {
            let inner = rust_type(inner, models);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) if **inner == Ty::Json => {
            quote!(serde_json::Map<String, serde_json::Value>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner, models);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Named(name, _) => {
            let name = ident(name);
            quote!(#models #name)
        }
    }
}

/// True when the type is an open or closed string enum.
pub fn is_enum(ty: &Ty) -> bool {
    matches!(ty, Ty::Named(_, NamedKind::Enum))
}

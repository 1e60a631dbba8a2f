//! Small helpers every emitter uses: identifiers, doc attributes and Rust types.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{NamedKind, Ty};
use crate::names;

/// The tokens of an identifier the IR holds (`r#type` becomes a raw identifier).
///
/// Only [`names`](crate::names) builds a [`names::Ident`], and only valid ones, so the fallback
/// is never printed; it exists so that nothing can make the emitter panic.
pub fn ident(name: &names::Ident) -> Ident {
    syn::parse_str::<Ident>(name)
        .unwrap_or_else(|_| Ident::new("__not_an_identifier", Span::call_site()))
}

/// The tokens of a name of the runtime's own (a module of `codegen/runtime/`, an item it
/// exports): fixed names of the hand-written code, listed in [`crate::runtime::FILES`] and
/// checked by the runtime's own build, never names from a spec.
pub fn runtime_ident(name: &'static str) -> Ident {
    syn::parse_str::<Ident>(name)
        .unwrap_or_else(|_| Ident::new("__not_an_identifier", Span::call_site()))
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

/// A rustdoc link to `target` shown as `text`; plain code when the target names a raw
/// identifier (`Client::r#type`), which intra-doc links cannot resolve.
pub fn link(text: &str, target: &str) -> String {
    if target.contains("r#") {
        format!("`{}`", text.replace("r#", ""))
    } else {
        format!("[`{text}`]({target})")
    }
}

/// The first sentence-ish line of a doc text, for summaries.
pub fn summary(text: &str) -> &str {
    text.lines().next().unwrap_or("").trim()
}

/// The Rust type of a field type inside the client crate (`crate::Timestamp`), with named types
/// under `models`.
pub fn rust_type(ty: &Ty, models: &TokenStream) -> TokenStream {
    rust_type_in(ty, models, &quote!(crate))
}

/// [`rust_type`] as seen from outside the client crate, whose root is `krate`
/// (`partnerstack::Timestamp`).
pub fn rust_type_in(ty: &Ty, models: &TokenStream, krate: &TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 | Ty::Money => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Timestamp => quote!(#krate::Timestamp),
        Ty::Loose(inner) if **inner == Ty::Bool => quote!(#krate::LooseBool),
        Ty::Loose(inner) => {
            let inner = rust_type_in(inner, models, krate);
            quote!(#krate::Loose<#inner>)
        }
        Ty::Json => quote!(#krate::RawJson),
        Ty::List(inner) => {
            let inner = rust_type_in(inner, models, krate);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) if **inner == Ty::Json => {
            quote!(#krate::JsonMap)
        }
        Ty::Map(inner) => {
            let inner = rust_type_in(inner, models, krate);
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

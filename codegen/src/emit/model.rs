//! Structs for object types.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, rust_type, unraw};
use crate::ir::{Field, Object, Ty, TypeDef};

/// A model struct: public fields named as in JSON, unknown JSON fields kept in `extra`.
pub fn emit(def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc(&def.doc);
    let fields = object.fields.iter().map(field);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
            /// JSON fields the spec does not describe, kept as received so that nothing is
            /// lost when the value is serialized again.
            #[serde(flatten)]
            pub extra: serde_json::Map<String, serde_json::Value>,
        }
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let ty = rust_type(&f.ty, &quote!(super::));
    let ty = if f.optional() {
        quote!(Option<#ty>)
    } else {
        ty
    };
    let docs = doc(&field_doc(f));
    let rename = (unraw(&f.rust_name) != f.json_name).then(|| {
        let json = &f.json_name;
        quote!(#[serde(rename = #json)])
    });
    // `None` is written the way the spec says the API writes "no value": `null` for a
    // nullable field, nothing for one that is only optional. A value whose JSON has the shape
    // the spec describes therefore serializes back to that JSON.
    let presence = match (f.required, f.nullable) {
        (false, false) => Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")])),
        (false, true) => Some(quote!(#[serde(default)])),
        (true, _) => None,
    };
    let deprecated = f
        .deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]));
    quote! {
        #docs
        #rename
        #presence
        #deprecated
        pub #name: #ty,
    }
}

/// The field's doc plus what the type alone does not say: units, absence, nullability.
fn field_doc(f: &Field) -> String {
    let mut text = f.doc.clone();
    let mut notes = Vec::new();
    match f.ty {
        Ty::Timestamp => notes.push("Milliseconds since the Unix epoch."),
        Ty::Money => notes.push("Integer minor units (cents) of the currency."),
        _ => {}
    }
    match (f.required, f.nullable) {
        (false, false) => notes.push("May be absent."),
        (true, true) => notes.push("Always present; may be null."),
        (false, true) => notes.push("May be absent or null; `None` serializes as null."),
        (true, false) => {}
    }
    if !notes.is_empty() {
        text.push_str("\n\n");
        text.push_str(&notes.join(" "));
    }
    text
}

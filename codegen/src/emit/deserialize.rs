//! A model's `Deserialize`, written out rather than derived.
//!
//! `#[derive(Deserialize)]` on a struct with `#[serde(flatten)] extra` copies every key and
//! every unknown value into serde's private `Content` buffer before matching anything, which
//! made decoding a page of models slower than plain structs (issue 12). The emitted decoder
//! matches known keys in place and moves unknown ones straight into `extra`, with the generic
//! parts in the runtime (`codegen/runtime/decode.rs`), so each model adds little code.
//!
//! It decodes exactly what the derive did with the field attributes `model.rs` writes:
//!
//! - the JSON key is the field's JSON name (the derive's `rename`);
//! - a key seen twice is `duplicate field`, for a known field as with the derive and for an
//!   unknown one too (where `flatten` kept the last): which copy is meant is ambiguous;
//! - a field whose type is not `Option` or `Nullable` (required, never null) is
//!   `missing field` when absent, the first such field in declaration order being named;
//! - an absent `Option` is `None` (with or without `#[serde(default)]`: serde's derive lets an
//!   `Option` be missing), an absent `Nullable` is `Absent` (`#[serde(default)]`), and a
//!   present one decodes with the field type's own `Deserialize`, so `null` is `None`/`Null`;
//! - anything but a JSON object is refused with "expected struct `Name`" (a map is asked for,
//!   as the derive does for a struct with a flattened field: no array form).

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::ident;
use crate::ir::{Object, Presence, TypeDef};

/// The `Deserialize` impl of a model that is decoded (one without `one_of` groups), and the
/// `crate::decode::Model` impl it runs.
pub fn emit(def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let type_name = def.name.as_str();
    let map = ident(&object.decoder.map);
    let extra = ident(&object.decoder.extra);
    let fields = &object.fields;
    // The enum the keys are matched to has a variant per field, named as the field: adding a
    // field adds a variant and an arm, and renumbers nothing (one spec change, one local diff).
    let field_enum = ident(&object.decoder.fields);
    let variants: Vec<_> = fields.iter().map(|f| ident(&f.rust_name)).collect();
    let keys = fields.iter().map(|f| &f.json_name);
    let enum_doc =
        format!("The fields of [`{type_name}`], as its decoder matches JSON keys to them.");
    let field_type = quote! {
        #[doc = #enum_doc]
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy)]
        pub(crate) enum #field_enum {
            #(#variants,)*
        }
    };
    // `#[inline]`: not being generic, it would otherwise be compiled in this crate only and
    // called out of line from the crate that decodes (2% more instructions per page).
    let lookup = if fields.is_empty() {
        quote! {
            fn field(_: &str) -> Option<#field_enum> {
                None
            }
        }
    } else {
        quote! {
            #[inline]
            fn field(key: &str) -> Option<#field_enum> {
                match key {
                    #(#keys => Some(#field_enum::#variants),)*
                    _ => None,
                }
            }
        }
    };
    // One local per field, named as the field: the decoder's own locals gave way to them.
    let locals = &variants;
    let field = ident(&object.decoder.field);
    let reads = fields.iter().zip(locals).map(|(f, local)| {
        let key = &f.json_name;
        quote!(#field_enum::#local => crate::decode::value(&mut #map, &mut #local, #key)?)
    });
    // The same shape for any number of fields, so a field added later adds an arm and changes
    // no other line. Without fields (an empty enum) the loop only fills `extra`.
    let read_all = if fields.is_empty() {
        quote!(while crate::decode::next_field::<Self, _>(&mut #map, &mut #extra)?.is_some() {})
    } else {
        quote! {
        while let Some(#field) = crate::decode::next_field::<Self, _>(&mut #map, &mut #extra)? {
            match #field {
                #(#reads,)*
            }
        }
        }
    };
    let inits = fields.iter().zip(locals).map(|(f, local)| {
        let key = &f.json_name;
        match f.presence() {
            Presence::Required => quote!(#local: crate::decode::required(#local, #key)?),
            Presence::RequiredNullable | Presence::Optional | Presence::OptionalNullable => {
                quote!(#local: #local.unwrap_or_default())
            }
        }
    });
    let extra_field = ident(&object.extra);
    let keep = if object.decoder.extra == object.extra {
        quote!(#extra_field)
    } else {
        quote!(#extra_field: #extra)
    };
    // Setting a deprecated field is a use of it. `visit` is `#[inline]` as the derive's
    // `visit_map` is: without it, a page of rewards took 8% more instructions to decode.
    let allow = fields
        .iter()
        .any(|f| f.deprecated.is_some())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::decode::deserialize(deserializer)
            }
        }

        #field_type

        impl crate::decode::Model for #name {
            const NAME: &'static str = #type_name;
            type Field = #field_enum;
            #lookup

            #allow
            #[inline]
            fn visit<'de, A: serde::de::MapAccess<'de>>(mut #map: A) -> Result<Self, A::Error> {
                #(let mut #locals = None;)*
                let mut #extra = crate::JsonMap::new();
                #read_all
                Ok(Self {
                    #(#inits,)*
                    #keep,
                })
            }
        }
    }
}

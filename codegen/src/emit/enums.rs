//! String enums: open ones keep unknown values, closed ones reject them.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident};
use crate::ir::{Enum, TypeDef};

/// An enum with `as_str`, `Display` and serde impls that write the exact wire string.
pub fn emit(def: &TypeDef, e: &Enum) -> TokenStream {
    let name = ident(&def.name);
    let variants: Vec<_> = e.values.iter().map(|v| ident(&v.variant)).collect();
    let wires: Vec<_> = e.values.iter().map(|v| v.wire.as_str()).collect();
    let docs = e.values.iter().map(|v| doc(&v.doc));
    let type_doc = doc(&def.doc);
    let display = quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
    let Some(unknown) = &e.unknown else {
        return quote! {
            #type_doc
            ///
            /// Closed: a value not listed here is a decode error.
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
            #[non_exhaustive]
            pub enum #name {
                #(#docs #[serde(rename = #wires)] #variants,)*
            }

            impl #name {
                /// The value as written on the wire.
                pub fn as_str(&self) -> &'static str {
                    match self {
                        #(Self::#variants => #wires,)*
                    }
                }
            }

            #display
        };
    };
    let unknown = ident(unknown);
    quote! {
        #type_doc
        ///
        /// Open: a value PartnerStack adds later arrives as `Unknown` with the exact string, and
        /// serializes back unchanged.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #variants,)*
            /// A value this version of the client does not know, kept as received.
            #unknown(String),
        }

        impl #name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#variants => #wires,)*
                    Self::#unknown(other) => other,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#variants,)*
                    other => Self::#unknown(other.to_owned()),
                }
            }
        }

        impl From<String> for #name {
            fn from(value: String) -> Self {
                match value.as_str() {
                    #(#wires => Self::#variants,)*
                    _ => Self::#unknown(value),
                }
            }
        }

        #display

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::open_enum::deserialize(deserializer)
            }
        }
    }
}

//! Type tables: every named type of an API as data the fake validates bodies against and seeds
//! objects from.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, Ty, TypeDef, TypeKind};

/// One `TypeDef { name, kind }` entry.
pub(super) fn type_def(t: &TypeDef) -> TokenStream {
    let name = &t.name;
    let kind = match &t.kind {
        TypeKind::Object(o) => {
            let fields = o.fields.iter().map(field);
            // A `one_of` member is an optional field of the object, never null; the group
            // says that exactly one of them is sent.
            let members = o.one_of.iter().flat_map(|g| {
                g.variants.iter().map(|v| {
                    let (n, ty) = (&v.json_name, ty(&v.ty));
                    let prefix = option(key_prefix(&v.doc));
                    quote!(Field { name: #n, ty: #ty, required: false, nullable: false, key_prefix: #prefix })
                })
            });
            let groups = o.one_of.iter().map(|g| {
                let names = g.variants.iter().map(|v| &v.json_name);
                quote!(&[#(#names),*])
            });
            quote!(TypeKind::Object {
                fields: &[#(#fields,)* #(#members),*],
                one_of: &[#(#groups),*],
            })
        }
        TypeKind::Enum(e) => {
            let values = e.values.iter().map(|v| &v.wire);
            let open = e.open;
            quote!(TypeKind::Enum { values: &[#(#values),*], open: #open })
        }
        TypeKind::Alias(target) => {
            let target = ty(target);
            quote!(TypeKind::Alias(#target))
        }
    };
    quote!(TypeDef { name: #name, kind: #kind })
}

fn field(f: &Field) -> TokenStream {
    let (name, ty_tokens) = (&f.json_name, ty(&f.ty));
    let (required, nullable) = (f.required, f.nullable);
    let prefix = option(match f.ty {
        Ty::String => key_prefix(&f.doc),
        _ => None,
    });
    quote!(Field {
        name: #name, ty: #ty_tokens, required: #required, nullable: #nullable, key_prefix: #prefix
    })
}

fn option(value: Option<String>) -> TokenStream {
    match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// A type reference as a `Ty` expression.
pub(super) fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(Ty::String),
        Ty::Bool => quote!(Ty::Bool),
        Ty::I32 => quote!(Ty::I32),
        Ty::I64 => quote!(Ty::I64),
        Ty::F64 => quote!(Ty::F64),
        Ty::Timestamp => quote!(Ty::Timestamp),
        // The fake reads and writes a loose value as the type it stands for.
        Ty::Loose(inner) if **inner == Ty::Bool => quote!(Ty::LooseBool),
        Ty::Loose(inner) => ty(inner),
        Ty::Money => quote!(Ty::Money),
        Ty::Json => quote!(Ty::Json),
        Ty::List(inner) => {
            let inner = ty(inner);
            quote!(Ty::List(&#inner))
        }
        Ty::Map(inner) => {
            let inner = ty(inner);
            quote!(Ty::Map(&#inner))
        }
        Ty::Named(name, _) => quote!(Ty::Named(#name)),
    }
}

/// The key prefix a field's doc names in backquotes: `` `rwrd_` `` or `` `part_…` `` gives
/// `rwrd_` / `part_`. Only lowercase letters before the underscore count.
pub(crate) fn key_prefix(doc: &str) -> Option<String> {
    doc.split('`').skip(1).step_by(2).find_map(|quoted| {
        let stem = quoted
            .strip_suffix('…')
            .or_else(|| quoted.strip_suffix("..."))
            .unwrap_or(quoted);
        let letters = stem.strip_suffix('_')?;
        (!letters.is_empty() && letters.bytes().all(|b| b.is_ascii_lowercase()))
            .then(|| stem.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::key_prefix;

    #[test]
    fn prefixes_come_from_backquoted_stems() {
        assert_eq!(
            key_prefix("Reward key, `rwrd_` followed by 14 characters.").as_deref(),
            Some("rwrd_")
        );
        assert_eq!(
            key_prefix("The partnership (`part_…`).").as_deref(),
            Some("part_")
        );
        assert_eq!(
            key_prefix("Vendor-defined, such as `sign_up`.").as_deref(),
            None
        );
        assert_eq!(key_prefix("`Key_` or `1_`, then `_`").as_deref(), None);
        assert_eq!(key_prefix("No quotes at all.").as_deref(), None);
    }
}

//! Type tables: every named type of an API as data the fake validates bodies against and seeds
//! objects from.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Field, ReadOnly, StoreFacts, Ty, TypeDef, TypeKind};

/// One `TypeDef { name, kind }` entry.
pub(super) fn type_def(facts: &StoreFacts, t: &TypeDef) -> TokenStream {
    let name = t.name.as_str();
    let kind = match &t.kind {
        TypeKind::Object(o) => {
            let fields = o.fields.iter().map(|f| field(facts, name, f));
            let key_prefix = option(facts.key_prefixes.get(name).cloned());
            let entity = option(facts.entities.get(name).cloned());
            let first_seeded = facts
                .first_seeded
                .get(name)
                .into_iter()
                .flatten()
                .map(|(field, value)| quote!((#field, #value)));
            // A `one_of` member is an optional field of the object, never null; the group
            // says that exactly one of them is sent.
            let members = o.one_of.iter().flat_map(|g| {
                g.variants.iter().map(|v| {
                    let (n, ty) = (&v.json_name, ty(&v.ty));
                    let prefix = option(
                        facts
                            .field_prefixes
                            .get(&(name.to_string(), v.json_name.clone()))
                            .cloned(),
                    );
                    let refers = refers(facts, &(name.to_string(), v.json_name.clone()));
                    let limits = limits(facts, &(name.to_string(), v.json_name.clone()));
                    quote!(Field {
                        name: #n, ty: #ty, required: false, nullable: false, key_prefix: #prefix,
                        read_only: None, unique: false, refers: #refers, examples: &[],
                        limits: #limits,
                    })
                })
            });
            let groups = o.one_of.iter().map(|g| {
                let names = g.variants.iter().map(|v| &v.json_name);
                quote!(&[#(#names),*])
            });
            quote!(TypeKind::Object {
                fields: &[#(#fields,)* #(#members),*],
                one_of: &[#(#groups),*],
                key_prefix: #key_prefix,
                entity: #entity,
                first_seeded: &[#(#first_seeded),*],
            })
        }
        TypeKind::Enum(e) => {
            let values = e.values.iter().map(|v| &v.wire);
            let open = e.open();
            quote!(TypeKind::Enum { values: &[#(#values),*], open: #open })
        }
        TypeKind::Alias(target) => {
            let target = ty(target);
            quote!(TypeKind::Alias(#target))
        }
    };
    quote!(TypeDef { name: #name, kind: #kind })
}

fn field(facts: &StoreFacts, ty_name: &str, f: &Field) -> TokenStream {
    let (name, ty_tokens) = (&f.json_name, ty(&f.ty));
    let (required, nullable) = (f.required, f.nullable);
    let id = (ty_name.to_string(), f.json_name.clone());
    let prefix = option(facts.field_prefixes.get(&id).cloned());
    let read_only = match facts.read_only.get(&id) {
        None => quote!(None),
        Some(ReadOnly::Set) => quote!(Some(ReadOnly::Set)),
        Some(ReadOnly::Created) => quote!(Some(ReadOnly::Created)),
        Some(ReadOnly::Updated) => quote!(Some(ReadOnly::Updated)),
    };
    let unique = facts.unique.contains(&id);
    let refers = refers(facts, &id);
    let examples = facts.examples.get(&id).cloned().unwrap_or_default();
    let limits = limits(facts, &id);
    quote!(Field {
        name: #name, ty: #ty_tokens, required: #required, nullable: #nullable,
        key_prefix: #prefix, read_only: #read_only, unique: #unique, refers: #refers,
        examples: &[#(#examples),*], limits: #limits,
    })
}

fn limits(facts: &StoreFacts, id: &(String, String)) -> TokenStream {
    let Some(l) = facts.limits.get(id) else {
        return quote!(Limits::NONE);
    };
    let opt_u = |v: Option<u64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let opt_i = |v: Option<i64>| match v {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let (a, b, c, d) = (
        opt_u(l.min_length),
        opt_u(l.max_length),
        opt_i(l.minimum),
        opt_i(l.maximum),
    );
    quote!(Limits { min_length: #a, max_length: #b, minimum: #c, maximum: #d })
}

fn refers(facts: &StoreFacts, id: &(String, String)) -> TokenStream {
    match facts.refers.get(id) {
        None => quote!(None),
        Some((entity, None)) => quote!(Some((#entity, None))),
        Some((entity, Some(field))) => quote!(Some((#entity, Some(#field)))),
    }
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
        Ty::Named(name, _) => {
            let name = name.as_str();
            quote!(Ty::Named(#name))
        }
    }
}

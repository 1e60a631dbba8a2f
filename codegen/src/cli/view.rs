//! `<api>/views.rs`: how the command line shows each model in a table: its fields with what
//! kind of value each holds (text, a time, money and where its currency is, a nested model),
//! and its summary columns, all from the IR. `crate::view` (hand-written) formats cells from
//! these tables; statics are named as the models, so `views::Reward` describes `Reward`.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{ident, inner_doc};
use crate::ir::{Api, Currency, NamedKind, Response, Ty, TypeKind};

/// How deep an alias chain is followed (validation refuses cycles).
const MAX_ALIASES: usize = 16;

/// The object type a type expression shows (following aliases), if it is one.
pub fn object_name<'a>(api: &'a Api, ty: &'a Ty) -> Option<&'a crate::names::Ident> {
    match resolve(api, ty) {
        Ty::Named(name, NamedKind::Object) => Some(name),
        _ => None,
    }
}

fn resolve<'a>(api: &'a Api, mut ty: &'a Ty) -> &'a Ty {
    for _ in 0..MAX_ALIASES {
        let Ty::Named(name, NamedKind::Alias) = ty else {
            return ty;
        };
        match api.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => ty = target,
            _ => return ty,
        }
    }
    ty
}

/// The object types an answer shows: those operations return, and those inside them.
fn shown(api: &Api) -> BTreeSet<crate::names::Ident> {
    let mut todo: Vec<&Ty> = Vec::new();
    let page_items: Vec<Ty> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| match &op.response {
            Response::Page(item) => Some(Ty::Named(item.ty.clone(), NamedKind::Object)),
            _ => None,
        })
        .collect();
    todo.extend(&page_items);
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        if let Response::Object(ty) | Response::List(ty) = &op.response {
            todo.push(ty);
        }
    }
    let mut found = BTreeSet::new();
    while let Some(ty) = todo.pop() {
        match resolve(api, ty) {
            Ty::List(inner) | Ty::Map(inner) => todo.push(inner),
            Ty::Named(name, NamedKind::Object) => {
                if !found.insert(name.clone()) {
                    continue;
                }
                if let Some(TypeKind::Object(o)) = api.type_def(name).map(|t| &t.kind) {
                    todo.extend(o.fields.iter().map(|f| &f.ty));
                    todo.extend(o.one_of.iter().flat_map(|g| &g.variants).map(|v| &v.ty));
                }
            }
            _ => {}
        }
    }
    found
}

/// Whether any answer of the API shows an object type.
pub fn has_views(api: &Api) -> bool {
    !shown(api).is_empty()
}

/// The file `<api>/views.rs`.
pub fn file(api: &Api) -> TokenStream {
    let docs = inner_doc(&format!(
        "How `partnerstack {} …` shows each model in a table (`crate::view`), emitted from the \
         spec by partnerstack-codegen.",
        api.module
    ));
    let shown = shown(api);
    let statics = api.types.iter().filter_map(|t| {
        let TypeKind::Object(o) = &t.kind else {
            return None;
        };
        if !shown.contains(&t.name) {
            return None;
        }
        let name = ident(&t.name);
        let label = t.name.as_str();
        let fields = o
            .fields
            .iter()
            .map(|f| (f.json_name.as_str(), shape(api, &f.ty, f.currency.as_ref())))
            .chain(
                o.one_of
                    .iter()
                    .flat_map(|g| &g.variants)
                    .map(|v| (v.json_name.as_str(), shape(api, &v.ty, None))),
            )
            .map(|(json, shape)| quote!(crate::view::Field { name: #json, shape: #shape }));
        let summary = &o.summary;
        let doc = format!("How a `{label}` shows.");
        Some(quote! {
            #[doc = #doc]
            pub static #name: crate::view::Model = crate::view::Model {
                name: #label,
                fields: &[#(#fields),*],
                summary: &[#(#summary),*],
            };
        })
    });
    quote! {
        #docs
        #![allow(non_upper_case_globals, reason = "each static is named as the model it shows")]

        #(#statics)*
    }
}

/// The `crate::view::Shape` of a type.
fn shape(api: &Api, ty: &Ty, currency: Option<&Currency>) -> TokenStream {
    match resolve(api, ty) {
        Ty::String | Ty::Named(_, NamedKind::Enum) => quote!(crate::view::Shape::Text),
        // A loose value is shown as it arrived (a number may be a string).
        Ty::Bool | Ty::Loose(_) | Ty::I32 | Ty::I64 | Ty::F64 => {
            quote!(crate::view::Shape::Plain)
        }
        Ty::Timestamp => quote!(crate::view::Shape::Time),
        Ty::Money => {
            let currency = match currency {
                Some(Currency::Field(f)) => {
                    quote!(::core::option::Option::Some(crate::view::Currency::Field(#f)))
                }
                Some(Currency::Code(c)) => {
                    quote!(::core::option::Option::Some(crate::view::Currency::Code(#c)))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(crate::view::Shape::Money(#currency))
        }
        Ty::List(inner) => {
            let inner = shape(api, inner, None);
            quote!(crate::view::Shape::List(&#inner))
        }
        Ty::Named(name, NamedKind::Object) => {
            let name = ident(name);
            quote!(crate::view::Shape::Object(&#name))
        }
        Ty::Json | Ty::Map(_) | Ty::Named(..) => quote!(crate::view::Shape::Json),
    }
}

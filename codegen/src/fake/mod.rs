//! The fake PartnerStack's tables, emitted from the IR into `fake/generated/`.
//!
//! The fake (workspace package `partnerstack-fake`) is a small hand-written core (server, store,
//! pagination, auth, faults) driven by data: for every API, its auth scheme, envelope and
//! pagination rules, a route table (method, path template, what the operation does, its query
//! parameters and body type) and the type tables the core validates bodies against and seeds
//! data from. Everything here is plain data for the core to read; no logic is emitted.
//!
//! What an operation does is derived from its method, path and response (`routes.rs`):
//!
//! - a `GET` answering a page makes its path a **collection** of the page's item type, and
//!   lists it;
//! - a `POST` on a collection's path answering its item type **creates** one;
//! - `GET`, `PATCH` and `DELETE` on `<collection>/{param}` answering the item type (any answer,
//!   for `DELETE`) **read**, **update** and **delete** one, looked up by the cursor field or by
//!   the item field named like the path parameter;
//! - anything else answers a **canned** value of its response type.
//!
//! Layout of `fake/generated/`:
//!
//! ```text
//! mod.rs      one module per API, and `APIS`, every API's table
//! <api>.rs    `API`: the API's rules, collections, routes and types
//! filter_tests.rs  a test per list filter, included by `fake/tests/filters.rs`
//! ```
//!
//! Everything here reads only the IR ([`crate::ir`]).

mod filter_tests;
mod routes;
mod schema;

use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::Error;
use crate::ir::{Api, Auth, Envelope};
use crate::output::OutputFile;

/// The fake's tables for the specs in `spec_dir`.
pub fn generate(spec_dir: &Path) -> Result<Vec<OutputFile>, Error> {
    files(&crate::load_specs(spec_dir)?)
}

/// The fake's tables for `apis`: `mod.rs` and one `<module>.rs` per API, in module order.
pub fn files(apis: &[Api]) -> Result<Vec<OutputFile>, Error> {
    let mut apis: Vec<&Api> = apis.iter().collect();
    apis.sort_by(|a, b| a.module.cmp(&b.module));
    let mut out = vec![rust_file("mod.rs", "spec/", root(&apis))?];
    for api in &apis {
        out.push(rust_file(
            &format!("{}.rs", api.module),
            &api.source,
            api_file(api),
        )?);
    }
    out.push(rust_file(
        "filter_tests.rs",
        "spec/",
        filter_tests::file(&apis),
    )?);
    Ok(out)
}

fn rust_file(path: &str, source: &str, tokens: TokenStream) -> Result<OutputFile, Error> {
    let body = crate::format::rust_file(tokens)
        .map_err(|e| Error::Internal(format!("fake/{path}: {e}")))?;
    Ok(OutputFile {
        path: path.to_string(),
        contents: format!("{}{body}", crate::format::header(source)),
    })
}

fn root(apis: &[&Api]) -> TokenStream {
    let modules: Vec<_> = apis.iter().map(|a| format_ident!("{}", a.module)).collect();
    quote! {
        //! The fake's tables, one module per API, emitted from the spec by partnerstack-codegen.
        #(
            #[rustfmt::skip]
            pub(crate) mod #modules;
        )*
        /// Every API the fake serves, in module order.
        pub(crate) static APIS: &[&crate::table::ApiTable] = &[#(&#modules::API),*];
    }
}

fn api_file(api: &Api) -> TokenStream {
    let name = api.module.as_str();
    let title = &api.title;
    let doc = format!(
        " {}: routes, collections and types, from `{}`.",
        api.title, api.source
    );
    let auth = match &api.auth {
        Auth::Bearer { .. } => quote!(Auth::Bearer),
        Auth::Basic => quote!(Auth::Basic),
    };
    // The bearer token, or Basic's user name then password: the names the fake's `Config`
    // maps its credentials to.
    let credentials = api.credentials.iter().map(|c| c.name.as_str());
    let envelope = api.envelope == Envelope::DataMessageStatus;
    let pagination = match &api.pagination {
        Some(p) => {
            let limit = &p.limit.wire;
            let min = proc_macro2::Literal::u32_unsuffixed(p.limit_min);
            let max = proc_macro2::Literal::u32_unsuffixed(p.limit_max);
            let (after, before, cursor) = (&p.after.wire, &p.before.wire, &p.cursor_field);
            let (items, has_more, total) = (&p.items_key, &p.has_more_key, &p.total_key);
            quote!(Some(Pagination {
                limit: #limit, limit_min: #min, limit_max: #max, after: #after, before: #before,
                cursor: #cursor, items: #items, has_more: #has_more, total: #total,
            }))
        }
        None => quote!(None),
    };
    let collections = routes::collections(api).into_iter().map(|c| {
        let (path, item) = (&c.path, &c.item);
        let owner = match api.store.owned_by.get(item) {
            None => quote!(None),
            Some(crate::ir::Owner::Field(f)) => quote!(Some(Owner::Field(#f))),
            Some(crate::ir::Owner::Everyone) => quote!(Some(Owner::Everyone)),
            Some(crate::ir::Owner::SignedIn) => quote!(Some(Owner::SignedIn)),
        };
        quote!(Collection { path: #path, item: #item, owner: #owner })
    });
    let refers_by = api
        .store
        .refers_by
        .iter()
        .map(|((ty, field), by)| quote!(RefersBy { item: #ty, field: #field, by: #by }));
    let signed_in = match &api.store.signed_in {
        Some(e) => quote!(Some(#e)),
        None => quote!(None),
    };
    let routes = routes::routes(api);
    let events = match &api.events {
        None => quote!(None),
        Some(e) => {
            let postback = e.envelope == crate::ir::EventEnvelope::Postback;
            let kinds = e.kinds.iter().map(|k| {
                let name = k.names.first().cloned().unwrap_or_default();
                let payload = schema::ty(&k.payload);
                let fired_by = match &k.fired_by {
                    None => quote!(None),
                    Some((entity, change)) => {
                        let change = match change {
                            crate::ir::Change::Created => quote!(Change::Created),
                            crate::ir::Change::Updated => quote!(Change::Updated),
                            crate::ir::Change::Deleted => quote!(Change::Deleted),
                        };
                        quote!(Some((#entity, #change)))
                    }
                };
                quote!(EventKind { name: #name, payload: #payload, fired_by: #fired_by })
            });
            let targets = match &e.targets {
                None => quote!(None),
                Some(t) => {
                    let (item, url, kinds) = (t.ty.as_str(), &t.url, &t.kinds);
                    quote!(Some(Targets { item: #item, url: #url, kinds: #kinds }))
                }
            };
            quote!(Some(Events { postback: #postback, kinds: &[#(#kinds),*], targets: #targets }))
        }
    };
    let types = api.types.iter().map(|t| schema::type_def(&api.store, t));
    quote! {
        #![doc = #doc]
        use crate::table::*;
        #[doc = #doc]
        pub(crate) static API: ApiTable = ApiTable {
            name: #name,
            title: #title,
            auth: #auth,
            credentials: &[#(#credentials),*],
            envelope: #envelope,
            pagination: #pagination,
            signed_in: #signed_in,
            collections: &[#(#collections),*],
            routes: &[#(#routes),*],
            types: &[#(#types),*],
            refers_by: &[#(#refers_by),*],
            events: #events,
        };
    }
}

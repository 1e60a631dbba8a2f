//! Emit: IR to token streams, one per generated file.
//!
//! Layout of the generated crate (`generated/`):
//!
//! ```text
//! lib.rs                         crate root: docs, runtime modules, re-exports, one module per API
//! <runtime>.rs                   the runtime, verbatim (see `runtime.rs`)
//! <api>/mod.rs                   API docs; re-exports `Client`, `ClientBuilder`
//! <api>/client.rs                the client, its builder and resource accessors
//! <api>/models/mod.rs            re-exports every model of the API
//! <api>/models/<group>.rs        `common` (shared types) and one file per resource
//! <api>/endpoints/mod.rs         re-exports accessors and request builders; page rules
//! <api>/endpoints/<resource>.rs  one resource's accessor and request builders
//! ```

mod client;
mod deserialize;
mod endpoint;
mod enums;
mod events;
mod example;
mod model;
mod pagination;
pub(crate) mod tokens;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, Resource, TypeDef, TypeKind};
use crate::runtime::{self, RuntimeFile};
use tokens::{doc, ident, inner_doc, link, runtime_ident, rust_type, summary};

/// One file to generate, before formatting.
pub enum Emitted {
    /// Tokens to format with prettyplease.
    Tokens {
        /// Path under `generated/`.
        path: String,
        /// The spec file (or generator part) it comes from, for the header.
        source: String,
        /// The file's items.
        tokens: TokenStream,
    },
    /// A runtime file, copied as written.
    Verbatim(&'static RuntimeFile),
}

/// Every file of the generated crate for these APIs, in a fixed order.
pub fn crate_files(apis: &[Api]) -> Vec<Emitted> {
    let mut out = vec![Emitted::Tokens {
        path: "lib.rs".into(),
        source: "codegen/runtime/crate_doc.md and spec/".into(),
        tokens: crate_root(apis),
    }];
    out.extend(runtime::FILES.iter().map(Emitted::Verbatim));
    for api in apis {
        out.extend(api_files(api));
    }
    out
}

/// The crate root. Every emitted API module carries `#[rustfmt::skip]`: prettyplease's layout
/// is the canonical one, and this keeps `cargo fmt` from rewriting generated files (which the
/// drift check would then report). The runtime's modules are copied as written, in rustfmt's
/// layout, so `cargo fmt --check` checks them like any source. The root itself is laid out as
/// rustfmt would (re-exports sorted), so `cargo fmt --check` passes on it.
fn crate_root(apis: &[Api]) -> TokenStream {
    let list: String = apis
        .iter()
        .map(|api| format!("- [`{}`] — {}\n", api.module, summary(&api.doc)))
        .collect();
    let docs = inner_doc(&runtime::CRATE_DOC.replace("{{apis}}\n", &list));
    let modules = runtime::FILES.iter().map(|f| runtime_ident(f.module));
    let mut exports: Vec<(String, TokenStream)> = runtime::FILES
        .iter()
        .filter(|f| !f.exports.is_empty())
        .map(|f| {
            let module = runtime_ident(f.module);
            // Lines short enough that prettyplease and rustfmt lay them out alike (one line
            // each), so `cargo fmt --check` passes on the generated root.
            // Split evenly, so that every line keeps its braces and rustfmt's order (by the
            // first name) is the emitted one.
            let width: usize = f.exports.iter().map(|e| e.len() + 2).sum::<usize>() + 12;
            let lines = width.div_ceil(90).max(1);
            let per_line = f.exports.len().div_ceil(lines).max(1);
            let uses = f.exports.chunks(per_line).map(|chunk| {
                let items = chunk.iter().map(|e| runtime_ident(e));
                quote!(pub use #module::{#(#items),*};)
            });
            (f.module.to_string(), quote!(#(#uses)*))
        })
        .collect();
    exports.push((
        "reqwest".into(),
        quote! {
            /// The HTTP client crate this crate is built on, re-exported so that a
            /// `reqwest::Client` given to a builder's `http_client` is always of the matching
            /// version.
            pub use reqwest;
        },
    ));
    exports.sort_by(|a, b| a.0.cmp(&b.0));
    let exports = exports.into_iter().map(|(_, tokens)| tokens);
    // The module's own `//!` docs are its only docs: an outer `///` here would be joined to
    // them, and rustdoc would show the first sentence twice.
    // Each API is behind a Cargo feature of its name (all on by default), so a dependent that
    // needs one API compiles only that one.
    let apis = apis.iter().map(|api| {
        let module = ident(&api.module);
        let feature = api.module.as_str();
        quote!(#[cfg(feature = #feature)] #[rustfmt::skip] pub mod #module;)
    });
    quote! {
        #docs
        #![deny(missing_docs)]
        #![forbid(unsafe_code)]

        #(
            #[allow(dead_code, reason = "the runtime serves every spec; one spec need not use all of it")]
            mod #modules;
        )*

        #(#exports)*

        #(#apis)*

        pub mod prelude {
            //! What a program using the client needs, in one import:
            //! `use partnerstack::prelude::*;`.
            //!
            //! The stream traits that `.items()` and `.pages()` are used with
            //! ([`TryStreamExt`] for `try_collect`, `try_next`; [`StreamExt`] for `next`,
            //! `take`), and the shared types models are made of. `Error` and `Result` are left
            //! out, so that a glob import does not change what `Result` means in your code:
            //! name them as `partnerstack::Error` and `partnerstack::Result`.
            //!
            //! ```no_run
            //! use partnerstack::prelude::*;
            //! use partnerstack::partner::Client;
            //!
            //! # async fn run() -> partnerstack::Result<()> {
            //! let client = Client::from_env()?;
            //! let keys: Vec<String> = client
            //!     .rewards()
            //!     .list()
            //!     .min_created(Timestamp::from_millis(1_700_000_000_000))
            //!     .items()
            //!     .map_ok(|reward| reward.key)
            //!     .try_collect()
            //!     .await?;
            //! # Ok(())
            //! # }
            //! ```

            pub use crate::{JsonMap, Loose, LooseBool, Nullable, Page, RawJson, Timestamp};
            pub use futures_util::{StreamExt, TryStreamExt};
        }

        /// The README's examples, compiled as doctests so they cannot drift from the API.
        #[cfg(doctest)]
        #[doc = include_str!("../README.md")]
        pub struct ReadmeDoctests;
    }
}

fn api_files(api: &Api) -> Vec<Emitted> {
    let file = |path: String, tokens: TokenStream| Emitted::Tokens {
        path: format!("{}/{path}", api.module),
        source: api.source.clone(),
        tokens,
    };
    let mut out = vec![
        file("mod.rs".into(), api_root(api)),
        file("client.rs".into(), client::emit(api)),
        file("models/mod.rs".into(), models_root(api)),
        file("endpoints/mod.rs".into(), endpoints_root(api)),
    ];
    for group in model_groups(api) {
        let types = api.types.iter().filter(|t| &t.module == group);
        out.push(file(format!("models/{group}.rs"), models_file(api, types)));
    }
    for res in served(api) {
        out.push(file(
            format!("endpoints/{}.rs", res.module),
            endpoint::emit(api, res),
        ));
    }
    if let Some(events) = &api.events {
        out.push(file("events.rs".into(), events::emit(&api.module, events)));
    }
    out
}

/// Resources with operations: they get an accessor and an endpoints file. A resource may hold
/// only types, to keep related models in one file.
fn served(api: &Api) -> impl Iterator<Item = &Resource> {
    api.resources.iter().filter(|r| !r.operations.is_empty())
}

fn api_root(api: &Api) -> TokenStream {
    let mut text = api.doc.clone();
    if served(api).next().is_some() {
        text.push_str("\n\n# Resources\n");
    }
    for res in served(api) {
        // Full paths: rustdoc resolves a module's docs partly from its parent's scope.
        text.push_str(&format!(
            "\n- {}: {}",
            link(
                &format!("Client::{}", res.accessor),
                &format!("crate::{}::Client::{}", api.module, res.accessor)
            ),
            summary(&res.doc)
        ));
    }
    if api.events.is_some() {
        text.push_str("\n\n# Receiving\n\n[`events::Event`] parses what PartnerStack delivers.");
    }
    let docs = inner_doc(&text);
    let events = api.events.is_some().then(|| {
        quote!(
            pub mod events;
        )
    });
    quote! {
        #docs

        mod client;
        pub mod endpoints;
        #events
        pub mod models;

        pub use client::{Client, ClientBuilder};
    }
}

/// The model files of an API, in order of first appearance (`common` first).
fn model_groups(api: &Api) -> Vec<&crate::names::Ident> {
    let mut groups: Vec<&crate::names::Ident> = Vec::new();
    for t in &api.types {
        if !groups.contains(&&t.module) {
            groups.push(&t.module);
        }
    }
    groups
}

fn models_root(api: &Api) -> TokenStream {
    let docs = inner_doc(&format!(
        "The data types of the {}: every object, enum and alias of its spec.",
        api.title
    ));
    let groups: Vec<_> = model_groups(api).into_iter().map(ident).collect();
    quote! {
        #docs
        #(mod #groups;)*
        #(pub use #groups::*;)*
    }
}

fn models_file<'a>(api: &Api, types: impl Iterator<Item = &'a TypeDef>) -> TokenStream {
    let items = types.map(|def| match &def.kind {
        TypeKind::Object(o) => model::emit(api, def, o),
        TypeKind::Enum(e) => enums::emit(def, e),
        TypeKind::Alias(ty) => {
            let name = ident(&def.name);
            let docs = doc(&def.doc);
            let ty = rust_type(ty, &quote!(super::));
            quote!(#docs pub type #name = #ty;)
        }
    });
    quote!(#(#items)*)
}

fn endpoints_root(api: &Api) -> TokenStream {
    let mut text = format!(
        "Request builders of the {}, one module per resource, re-exported here.\n",
        api.title
    );
    for res in served(api) {
        for line in endpoint::summaries(res) {
            text.push_str(&format!("\n- {line}"));
        }
    }
    let docs = inner_doc(&text);
    let modules: Vec<_> = served(api).map(|r| ident(&r.module)).collect();
    let exports = served(api).map(|r| {
        let module = ident(&r.module);
        let items = std::iter::once(ident(&r.struct_name))
            .chain(r.operations.iter().map(|op| ident(&op.request_type)));
        quote!(pub use #module::{#(#items),*};)
    });
    // Only lists read the page rules; an API that declares pagination before it has a list
    // gets none (an unused static would warn).
    let has_list = served(api)
        .flat_map(|r| &r.operations)
        .any(|op| matches!(op.response, crate::ir::Response::Page(_)));
    let rules = api
        .pagination
        .as_ref()
        .filter(|_| has_list)
        .map(pagination::page_rules);
    quote! {
        #docs
        #(mod #modules;)*
        #(#exports)*
        #rules
    }
}

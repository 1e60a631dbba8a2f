//! One operation as a subcommand: its `clap::Command`, and the match arm that reads the parsed
//! arguments, builds the request with the generated client and prints the answer.

use proc_macro2::TokenStream;
use quote::quote;

use super::param::CliParam;
use crate::emit::tokens::{ident, summary};
use crate::ir::{Api, Operation, Resource, Response};

/// The subcommand's name (`list`, `get-file-url`).
pub fn command_name(op: &Operation) -> String {
    kebab(&op.method_name)
}

/// A Rust name as a command name: no `r#`, no trailing `_`, `-` between words.
pub fn kebab(name: &str) -> String {
    name.trim_start_matches("r#")
        .trim_end_matches('_')
        .replace('_', "-")
}

/// Path parameters, then required query parameters: the accessor's arguments, in order.
fn arguments<'a>(api: &Api, op: &'a Operation) -> Vec<(CliParam<'a>, bool)> {
    op.path_params
        .iter()
        .map(|p| (CliParam::new(api, p), true))
        .chain(
            op.query
                .iter()
                .filter(|p| p.required)
                .map(|p| (CliParam::new(api, p), false)),
        )
        .collect()
}

/// `clap::Command::new("list")…` for the operation.
pub fn command(api: &Api, op: &Operation) -> TokenStream {
    let name = command_name(op);
    let about = summary(&op.doc).to_string();
    let mut long_about = format!(
        "{}\n\n{} {}",
        op.doc.trim(),
        op.http_method.as_str(),
        op.path_template
    );
    if let Some(note) = &op.deprecated {
        long_about.push_str(&format!("\n\nDeprecated: {note}"));
    }
    let mut args: Vec<TokenStream> = arguments(api, op)
        .iter()
        .map(|(p, pos)| p.arg(*pos))
        .collect();
    args.extend(
        op.query
            .iter()
            .filter(|p| !p.required)
            .map(|p| CliParam::new(api, p).arg(false)),
    );
    let paging = match (&op.response, &api.pagination) {
        (Response::Page(item), Some(p)) => {
            let (min, max) = (i64::from(p.limit_min), i64::from(p.limit_max));
            let (limit, after, before) = (&p.limit.flag, &p.after.flag, &p.before.flag);
            let concurrency = item
                .created
                .is_some()
                .then(|| quote!(.arg(crate::args::concurrency_arg())));
            Some(quote! {
                .args(crate::args::paging_args(#min, #max, &crate::args::PagingFlags {
                    limit: #limit,
                    after: #after,
                    before: #before,
                }))
                #concurrency
            })
        }
        _ => None,
    };
    let body = super::body::args(op);
    quote! {
        clap::Command::new(#name)
            .about(#about)
            .long_about(#long_about)
            #(.arg(#args))*
            #body
            #paging
    }
}

/// The match arm running the operation with `client` and printing to `out`.
pub fn arm(api: &Api, res: &Resource, op: &Operation) -> TokenStream {
    let name = command_name(op);
    let accessor = ident(&res.accessor);
    let method = ident(&op.method_name);
    let required = arguments(api, op);
    let locals: Vec<_> = op.cli.arguments.iter().map(ident).collect();
    let reads = required.iter().zip(&locals).map(|((p, _), local)| {
        let id = &p.id;
        let value = p.read(|v| v, quote!(return Err(crate::args::missing(#id))));
        quote!(let #local = #value;)
    });
    let body = super::body::expression(api, op);
    let call_args = locals.iter().map(|l| quote!(#l)).chain(body);
    let setters = op.query.iter().filter(|p| !p.required).map(|p| {
        let p = CliParam::new(api, p);
        let setter = ident(&p.param.rust_name);
        let value = p.read(|v| quote!(request.#setter(#v)), quote!(request));
        quote!(let request = #value;)
    });
    let send = match (&op.response, &api.pagination) {
        (Response::Page(item), Some(p)) => {
            let all = if item.created.is_some() {
                quote! {
                    match paging.concurrency {
                        Some(n) => out.items(request.json_items_partitioned(n)).await,
                        None => out.pages(request.json_pages()).await,
                    }
                }
            } else {
                quote!(out.pages(request.json_pages()).await)
            };
            let limit = ident(&p.limit.setter);
            let after = ident(&p.after.setter);
            let before = ident(&p.before.setter);
            let max = p.limit_max;
            let after_flag = &p.after.flag;
            quote! {
                let paging = crate::args::Paging::read(matches, #max);
                let request = match paging.limit {
                    Some(v) => request.#limit(v),
                    None => request,
                };
                let request = match paging.after {
                    Some(v) => request.#after(v),
                    None => request,
                };
                let request = match paging.before {
                    Some(v) => request.#before(v),
                    None => request,
                };
                if paging.all {
                    #all
                } else {
                    out.page(crate::output::first_page(request.json_pages()).await, #after_flag)
                }
            }
        }
        (Response::Page(_), None) | (Response::Object(_), _) => {
            quote!(out.value(request.send().await))
        }
        (Response::List(_), _) => quote!(out.list(request.send().await)),
        (Response::Message, _) => quote!(out.message(request.send().await)),
        (Response::Empty, _) => quote!(out.empty(request.send().await)),
    };
    // The model the answer shows, so `--columns` is checked before anything is sent.
    let shown = match &op.response {
        Response::Page(item) => Some(&item.ty),
        Response::Object(ty) | Response::List(ty) => super::view::object_name(api, ty),
        Response::Message | Response::Empty => None,
    };
    let model = match shown {
        Some(name) => {
            let (views, name) = (ident(&api.cli.views), ident(name));
            quote!(out.model(::core::option::Option::Some(&super::#views::#name))?;)
        }
        None => quote!(out.model(::core::option::Option::None)?;),
    };
    let reads_args = !required.is_empty()
        || op.body.is_some()
        || op.query.iter().any(|p| !p.required)
        || (matches!(op.response, Response::Page(_)) && api.pagination.is_some());
    let binding = if reads_args {
        quote!(matches)
    } else {
        quote!(_)
    };
    quote! {
        Some((#name, #binding)) => {
            #model
            #(#reads)*
            let request = client.#accessor().#method(#(#call_args),*);
            #(#setters)*
            #send
        }
    }
}

//! Per resource: an accessor struct with one method per operation, and a request builder per
//! operation with a setter per optional parameter and `send()`.

use proc_macro2::TokenStream;
use quote::quote;

use super::pagination;
use super::tokens::{doc, ident, is_enum, link, rust_type, summary};
use crate::ir::{Api, Method, Operation, Param, PathPart, Resource, Response, Ty};

/// The tokens of `endpoints/<resource>.rs`.
pub fn emit(api: &Api, res: &Resource) -> TokenStream {
    let accessor = accessor(api, res);
    let requests = res.operations.iter().map(|op| request(api, res, op));
    let api_mod = ident(&api.module);
    let models = uses_models(res).then(|| quote!(use crate::#api_mod::models;));
    // Runtime items are named by full path: a `use` would put their names in the scope that
    // the spec's request builders and accessors share.
    quote! {
        #models

        #accessor
        #(#requests)*
    }
}

/// Whether any request of the resource names a model type.
fn uses_models(res: &Resource) -> bool {
    res.operations.iter().any(|op| {
        let response = match &op.response {
            Response::Page(_) => true,
            Response::Object(ty) | Response::List(ty) => names_model(ty),
            Response::Message | Response::Empty => false,
        };
        response
            || op.body.as_ref().is_some_and(|b| names_model(&b.ty))
            || op
                .path_params
                .iter()
                .chain(&op.query)
                .any(|p| names_model(&p.ty))
    })
}

fn names_model(ty: &Ty) -> bool {
    match ty {
        Ty::Named(..) => true,
        Ty::List(inner) | Ty::Map(inner) => names_model(inner),
        _ => false,
    }
}

fn accessor(api: &Api, res: &Resource) -> TokenStream {
    let name = ident(&res.struct_name);
    let mut text = format!(
        "{}\n\nGet one from {}.",
        res.doc,
        link(
            &format!("Client::{}", res.accessor),
            &format!("crate::{}::Client::{}", api.module, res.accessor)
        )
    );
    if let Some(example) = super::example::resource(api, res) {
        text.push_str("\n\nEach of its operations, called once:\n\n");
        text.push_str(&example);
    }
    let docs = doc(&text);
    let methods = res.operations.iter().map(accessor_method);
    quote! {
        #docs
        #[derive(Debug, Clone, Copy)]
        pub struct #name<'a> {
            pub(crate) transport: &'a crate::transport::Transport,
        }

        impl #name<'_> {
            #(#methods)*
        }
    }
}

/// The accessor method of an operation: takes the required arguments and returns the request
/// builder, with the path, required query and body already in its `Request`.
fn accessor_method(op: &Operation) -> TokenStream {
    let method = ident(&op.method_name);
    let request_type = ident(&op.request_type);
    let docs = doc(&op.doc);
    let deprecated = deprecated(op);
    let args = arguments(op);
    let id = &op.id;
    let http_method = http_method(op.http_method);
    let template = &op.path_template;
    let retry_safe = op.retry_safe;
    let request = ident(&op.request_local);
    let path = op.path.iter().map(|part| match part {
        PathPart::Literal(text) => quote!(.literal(#text)),
        PathPart::Param(i) => {
            let p = &op.path_params[*i];
            let wire = &p.wire;
            let value = ident(&p.rust_name);
            let value = match p.ty {
                Ty::String => quote!(#value.as_ref()),
                _ => quote!(&#value.to_string()),
            };
            quote!(.param(#wire, #value))
        }
    });
    let with_body = op.body.as_ref().map(|b| {
        let arg = ident(&b.arg);
        quote!(.json_body(&#arg))
    });
    let required_query: Vec<_> = op
        .query
        .iter()
        .filter(|p| p.required)
        .map(|p| {
            let set = set_query(p);
            quote!(#request.query.#set;)
        })
        .collect();
    let mutable = (!required_query.is_empty()).then(|| quote!(mut));
    let request_field = if op.request_local == "request" {
        quote!(request,)
    } else {
        quote!(request: #request,)
    };
    let page_init = matches!(op.response, Response::Page(_))
        .then(|| quote!(page: crate::request::PageQuery::default(),));
    // An operation may be called `new`; it returns its request builder, as every accessor does.
    let allow_new = (op.method_name == "new")
        .then(|| quote!(#[allow(clippy::new_ret_no_self, reason = "an operation named `new`")]));
    quote! {
        #docs
        #deprecated
        #allow_new
        pub fn #method(&self, #(#args),*) -> #request_type {
            static OPERATION: crate::request::Operation = crate::request::Operation {
                id: #id,
                method: reqwest::Method::#http_method,
                path: #template,
                retry_safe: #retry_safe,
            };
            let #mutable #request = crate::request::Request::new(
                &OPERATION,
                crate::request::Path::default() #(#path)*,
            ) #with_body;
            #(#required_query)*
            #request_type {
                transport: self.transport.clone(),
                #request_field
                #page_init
            }
        }
    }
}

/// The `reqwest::Method` constant of a method.
fn http_method(m: Method) -> TokenStream {
    match m {
        Method::Get => quote!(GET),
        Method::Post => quote!(POST),
        Method::Put => quote!(PUT),
        Method::Patch => quote!(PATCH),
        Method::Delete => quote!(DELETE),
    }
}

fn request(api: &Api, res: &Resource, op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let is_page = matches!(op.response, Response::Page(_));
    let mut text = format!(
        "{}\n\n`{} {}`; build it with {}, then call `send()`.",
        op.doc,
        op.http_method.as_str(),
        op.path_template,
        link(
            &format!("{}::{}", res.struct_name, op.method_name),
            &format!("super::{}::{}", res.struct_name, op.method_name)
        ),
    );
    if is_page && arguments(op).is_empty() {
        text.push_str(&list_example(api, res, op));
    }
    let docs = doc(&text);
    let setters = op.query.iter().filter(|p| !p.required).map(|p| {
        let setter = ident(&p.rust_name);
        let ty = arg_type(&p.ty);
        let docs = doc(&p.doc);
        let set = set_query(p);
        quote! {
            #docs
            pub fn #setter(mut self, #setter: #ty) -> Self {
                self.request.query.#set;
                self
            }
        }
    });
    let page_field = is_page.then(|| quote!(page: crate::request::PageQuery,));
    let send = send(op);
    let list_methods = match &op.response {
        Response::Page(item) => Some(pagination::list_methods(api, item)),
        _ => None,
    };
    // Only the accessor method of a deprecated operation is marked: the builder is reached
    // through it, and marking the type would warn inside the generated code itself.
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until you call `send()`"]
        pub struct #name {
            transport: crate::transport::Transport,
            request: crate::request::Request,
            #page_field
        }

        impl #name {
            #(#setters)*

            /// The most time this call may take, retries and their waits included (the retry
            /// policy's own deadline still applies). For `pages()` and `items()`, the whole walk:
            /// when it passes, the stream ends with [`Error::DeadlineExceeded`](crate::Error::DeadlineExceeded)
            /// or the timeout of the page being fetched.
            pub fn deadline(mut self, deadline: std::time::Duration) -> Self {
                self.request.deadline = crate::request::Deadline::After(deadline);
                self
            }

            #list_methods
            #send
        }
    }
}

fn deprecated(op: &Operation) -> Option<TokenStream> {
    op.deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]))
}

/// `send()`, returning what the response kind says.
fn send(op: &Operation) -> TokenStream {
    let models = quote!(models::);
    let (ret, body, what) = match &op.response {
        Response::Page(item) => {
            let item = ident(&item.ty);
            (
                quote!(crate::Page<models::#item>),
                quote!(
                    self.transport
                        .page(&self.request, &super::PAGE_RULES, &self.page)
                        .await
                ),
                "Sends the request and returns one page.",
            )
        }
        Response::Object(ty) => (
            rust_type(ty, &models),
            quote!(self.transport.json(&self.request).await),
            "Sends the request and returns the decoded result.",
        ),
        Response::List(ty) => {
            let ty = rust_type(ty, &models);
            (
                quote!(Vec<#ty>),
                quote!(self.transport.json(&self.request).await),
                "Sends the request and returns the decoded list.",
            )
        }
        Response::Message => (
            quote!(String),
            quote!(self.transport.message(&self.request).await),
            "Sends the request and returns PartnerStack's confirmation message.",
        ),
        Response::Empty => (
            quote!(()),
            quote!(self.transport.empty(&self.request).await),
            "Sends the request; success carries no data.",
        ),
    };
    let docs = doc(&format!(
        "{what}\n\n# Errors\n\nAny [`Error`](crate::Error): invalid arguments before sending, then \
         transport failures, error statuses and undecodable bodies."
    ));
    quote! {
        #docs
        pub async fn send(self) -> crate::Result<#ret> {
            #body
        }
    }
}

/// A compiled example of a list that takes no arguments: one page, then every item.
fn list_example(api: &Api, res: &Resource, op: &Operation) -> String {
    let call = format!("client.{}().{}()", res.accessor, op.method_name);
    format!(
        "\n\n```no_run\n\
         use partnerstack::prelude::*;\n\n\
         # async fn run(client: partnerstack::{module}::Client) -> partnerstack::Result<()> {{\n\
         // One page.\n\
         let page = {call}.send().await?;\n\
         println!(\"{{}} items, more: {{}}\", page.items.len(), page.has_more);\n\n\
         // Every item, page after page, one page in memory at a time.\n\
         let all: Vec<_> = {call}.items().try_collect().await?;\n\
         # Ok(())\n\
         # }}\n\
         ```",
        module = api.module,
    )
}

/// The arguments of an operation's accessor: path parameters, required query parameters, then
/// the body, as `name: Type`.
fn arguments(op: &Operation) -> Vec<TokenStream> {
    let required = op
        .path_params
        .iter()
        .chain(op.query.iter().filter(|p| p.required));
    let mut args: Vec<TokenStream> = required
        .map(|p| {
            let name = ident(&p.rust_name);
            let ty = arg_type(&p.ty);
            quote!(#name: #ty)
        })
        .collect();
    if let Some(body) = &op.body {
        let name = ident(&body.arg);
        let ty = rust_type(&body.ty, &quote!(models::));
        args.push(quote!(#name: #ty));
    }
    args
}

/// The argument type a setter or accessor takes for a parameter.
fn arg_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(impl AsRef<str>),
        Ty::List(inner) => {
            let inner = match **inner {
                Ty::String => quote!(impl Into<String>),
                ref other => rust_type(other, &quote!(models::)),
            };
            quote!(impl IntoIterator<Item = #inner>)
        }
        other => rust_type(other, &quote!(models::)),
    }
}

/// `set("name", value)` or `set_all("name", values)` for a query parameter.
fn set_query(p: &Param) -> TokenStream {
    let wire = &p.wire;
    let value = ident(&p.rust_name);
    match &p.ty {
        Ty::List(inner) if **inner == Ty::String => {
            quote!(set_all(#wire, #value.into_iter().map(Into::into)))
        }
        Ty::List(inner) => {
            let each = to_query(inner, quote!(v));
            quote!(set_all(#wire, #value.into_iter().map(|v| #each)))
        }
        ty => {
            let one = to_query(ty, quote!(#value));
            quote!(set(#wire, #one))
        }
    }
}

/// How one value becomes query text; the one place that decides each type's wire form.
fn to_query(ty: &Ty, value: TokenStream) -> TokenStream {
    match ty {
        Ty::String => quote!(#value.as_ref().to_owned()),
        Ty::Timestamp => quote!(#value.as_millis().to_string()),
        t if is_enum(t) => quote!(#value.as_str().to_owned()),
        _ => quote!(#value.to_string()),
    }
}

/// A one-line summary of each operation, for module docs.
pub fn summaries(res: &Resource) -> Vec<String> {
    res.operations
        .iter()
        .map(|op| {
            format!(
                "`{} {}`: {}",
                op.http_method.as_str(),
                op.path_template,
                summary(&op.doc)
            )
        })
        .collect()
}

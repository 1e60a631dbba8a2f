//! The route table: what each operation does in the fake, derived from its method, path and
//! response, and the collections those operations share.

use proc_macro2::TokenStream;
use quote::quote;

use super::schema::ty;
use crate::ir::{
    Api, FilterOp, Method, NamedKind, Operation, Param, PathPart, QueryFilter, Response, Ty,
    TypeKind,
};

/// A collection: the path of a list, and the object type it holds.
pub(super) struct Collection {
    /// The list's path template (`/api/v2/rewards`).
    pub path: String,
    /// The item type's name.
    pub item: String,
}

/// Every collection of the API: the path of each `GET` answering a page, in spec order.
pub(super) fn collections(api: &Api) -> Vec<Collection> {
    let mut out: Vec<Collection> = Vec::new();
    for op in api.resources.iter().flat_map(|r| &r.operations) {
        if let (Method::Get, Response::Page(item)) = (op.http_method, &op.response)
            && op.path_params.is_empty()
            && !out.iter().any(|c| c.path == op.path_template)
        {
            out.push(Collection {
                path: op.path_template.clone(),
                item: item.ty.to_string(),
            });
        }
    }
    out
}

/// One `Route { … }` expression per operation, in spec order.
pub(super) fn routes(api: &Api) -> Vec<TokenStream> {
    let collections = collections(api);
    api.resources
        .iter()
        .flat_map(|r| &r.operations)
        .map(|op| route(api, &collections, op))
        .collect()
}

fn route(api: &Api, collections: &[Collection], op: &Operation) -> TokenStream {
    let id = &op.id;
    let template = &op.path_template;
    let method = match op.http_method {
        Method::Get => quote!(Method::Get),
        Method::Post => quote!(Method::Post),
        Method::Put => quote!(Method::Put),
        Method::Patch => quote!(Method::Patch),
        Method::Delete => quote!(Method::Delete),
    };
    let segments = segments(op);
    let query = op.query.iter().map(query_param);
    let body = match &op.body {
        Some(b) => {
            let t = ty(&b.ty);
            quote!(Some(#t))
        }
        None => quote!(None),
    };
    let kind = kind(api, collections, op);
    let response = match &op.response {
        Response::Page(item) => {
            let t = item.ty.as_str();
            quote!(Answer::Page(#t))
        }
        Response::Object(t) => {
            let t = ty(t);
            quote!(Answer::Object(#t))
        }
        Response::List(t) => {
            let t = ty(t);
            quote!(Answer::List(#t))
        }
        Response::Message => quote!(Answer::Message),
        Response::Empty => quote!(Answer::Empty),
    };
    quote!(Route {
        op: #id,
        method: #method,
        template: #template,
        segments: &[#(#segments),*],
        query: &[#(#query),*],
        body: #body,
        kind: #kind,
        answer: #response,
    })
}

/// The template as literal segments and parameters (`/api/v2/rewards/{key}` gives `api`, `v2`,
/// `rewards`, `{key}`).
fn segments(op: &Operation) -> Vec<TokenStream> {
    let mut text = String::new();
    for part in &op.path {
        match part {
            PathPart::Literal(l) => text.push_str(l),
            PathPart::Param(i) => {
                text.push('{');
                text.push_str(op.path_params.get(*i).map_or("", |p| p.wire.as_str()));
                text.push('}');
            }
        }
    }
    text.split('/')
        .filter(|s| !s.is_empty())
        .map(
            |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                Some(name) => quote!(Segment::Param(#name)),
                None => quote!(Segment::Literal(#s)),
            },
        )
        .collect()
}

fn kind(api: &Api, collections: &[Collection], op: &Operation) -> TokenStream {
    let own = collections.iter().find(|c| c.path == op.path_template);
    let last_param = match op.path.last() {
        Some(PathPart::Param(i)) => op.path_params.get(*i),
        _ => None,
    };
    let parent = op
        .path_template
        .rsplit_once('/')
        .map(|(parent, _)| parent)
        .and_then(|parent| collections.iter().find(|c| c.path == parent))
        .filter(|_| last_param.is_some());
    let answers_item = |c: &Collection| matches!(&op.response, Response::Object(Ty::Named(n, NamedKind::Object)) if *n == c.item);
    let lookup = |c: &Collection, p: &Param| {
        let cursor = api.pagination.as_ref().map(|p| p.cursor_field.as_str());
        let mut fields: Vec<&str> = cursor.into_iter().collect();
        if has_string_field(api, &c.item, &p.wire) && !fields.contains(&p.wire.as_str()) {
            fields.push(&p.wire);
        }
        quote!(&[#(#fields),*])
    };
    match (op.http_method, own, parent, last_param) {
        (Method::Get, Some(c), _, _) if matches!(op.response, Response::Page(_)) => {
            let path = &c.path;
            quote!(Kind::List(#path))
        }
        (Method::Post, Some(c), _, _) if answers_item(c) => {
            let path = &c.path;
            quote!(Kind::Create(#path))
        }
        (Method::Get, _, Some(c), Some(p)) if answers_item(c) => {
            let (path, lookup) = (&c.path, lookup(c, p));
            quote!(Kind::Read(#path, #lookup))
        }
        (Method::Patch, _, Some(c), Some(p)) if answers_item(c) => {
            let (path, lookup) = (&c.path, lookup(c, p));
            quote!(Kind::Update(#path, #lookup))
        }
        (Method::Delete, _, Some(c), Some(p)) => {
            let (path, lookup) = (&c.path, lookup(c, p));
            quote!(Kind::Delete(#path, #lookup))
        }
        _ => quote!(Kind::Canned),
    }
}

/// Whether the object type `item` has a string field `name` (nullable or not).
fn has_string_field(api: &Api, item: &str, name: &str) -> bool {
    api.types.iter().any(|t| {
        t.name == item
            && matches!(&t.kind, TypeKind::Object(o)
                if o.fields.iter().any(|f| f.json_name == name && f.ty == Ty::String))
    })
}

/// A query parameter: its type, and what it does to the items, as the spec's `filter:` says.
fn query_param(p: &Param) -> TokenStream {
    let (name, t, required) = (&p.wire, ty(&p.ty), p.required);
    let filter = match &p.filter {
        Some(QueryFilter::Field { path, op }) => {
            let op = match op {
                FilterOp::Equals => quote!(Op::Equals),
                FilterOp::OneOf => quote!(Op::OneOf),
                FilterOp::AtLeast => quote!(Op::AtLeast),
                FilterOp::AtMost => quote!(Op::AtMost),
                FilterOp::Contains => quote!(Op::Contains),
            };
            quote!(Filter::Field { path: &[#(#path),*], op: #op })
        }
        Some(QueryFilter::Sort { fields }) => quote!(Filter::Sort(&[#(#fields),*])),
        // Query parameters of other operations do nothing to a list.
        Some(QueryFilter::NotApplied) | None => quote!(Filter::NotApplied),
    };
    quote!(Query { name: #name, ty: #t, required: #required, filter: #filter })
}

//! The route table: what each operation does in the fake, derived from its method, path and
//! response, and the collections those operations share.

use proc_macro2::TokenStream;
use quote::quote;

use super::schema::ty;
use crate::ir::{Api, Method, NamedKind, Operation, Param, PathPart, Response, Ty, TypeKind};

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
                item: item.ty.clone(),
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
    let item = item_type(collections, op);
    let query = op
        .query
        .iter()
        .map(|p| query_param(api, item.as_deref(), p));
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
            let t = &item.ty;
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

/// The collection an operation lists, or reads, changes or deletes items of: its own path, or
/// its path without a final `/{param}`.
fn item_type(collections: &[Collection], op: &Operation) -> Option<String> {
    let parent = op
        .path_template
        .rsplit_once('/')
        .filter(|(_, last)| last.starts_with('{') && last.ends_with('}'))
        .map(|(parent, _)| parent);
    collections
        .iter()
        .find(|c| c.path == op.path_template || Some(c.path.as_str()) == parent)
        .map(|c| c.item.clone())
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

/// A query parameter: its type, and which item field it filters on, when the item has one.
fn query_param(api: &Api, item: Option<&str>, p: &Param) -> TokenStream {
    let (name, t, required) = (&p.wire, ty(&p.ty), p.required);
    let fields: Vec<&crate::ir::Field> = item
        .and_then(|item| api.types.iter().find(|t| t.name == item))
        .map(|t| match &t.kind {
            TypeKind::Object(o) => o.fields.iter().collect(),
            _ => Vec::new(),
        })
        .unwrap_or_default();
    let has = |name: &str| fields.iter().find(|f| f.json_name == name);
    let bound = |rest: &str| {
        [format!("{rest}_at"), rest.to_string()]
            .into_iter()
            .find(|n| {
                has(n)
                    .is_some_and(|f| matches!(f.ty, Ty::Timestamp | Ty::I64 | Ty::I32 | Ty::Money))
            })
    };
    let order_field = |t: &Ty| match t {
        Ty::Named(n, NamedKind::Enum) => api.types.iter().any(|t| {
            t.name == *n
                && matches!(&t.kind, TypeKind::Enum(e)
                    if e.values.iter().any(|v| has(v.wire.trim_start_matches('-')).is_some()))
        }),
        _ => false,
    };
    let filter = if let Some(field) = p.wire.strip_prefix("min_").and_then(bound) {
        quote!(Filter::Min(#field))
    } else if let Some(field) = p.wire.strip_prefix("max_").and_then(bound) {
        quote!(Filter::Max(#field))
    } else if order_field(&p.ty) {
        quote!(Filter::Order)
    } else if has(&p.wire).is_some_and(|f| scalar(&f.ty)) {
        let field = &p.wire;
        quote!(Filter::Equals(#field))
    } else {
        quote!(Filter::None)
    };
    quote!(Query { name: #name, ty: #t, required: #required, filter: #filter })
}

/// Types a query value can be compared with.
fn scalar(t: &Ty) -> bool {
    matches!(
        t,
        Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::Money
            | Ty::Timestamp
            | Ty::Loose(_)
            | Ty::Named(_, NamedKind::Enum)
    )
}

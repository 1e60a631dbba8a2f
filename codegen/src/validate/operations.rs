//! Resources and operations: methods, paths and their parameters, query, body, response.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;

/// What every operation of a resource is validated against.
struct OpContext<'a> {
    /// The resource's module name.
    resource: &'a str,
    /// The API's pagination, if any.
    pagination: Option<&'a Pagination>,
    /// Every named type of the API.
    types: &'a [TypeDef],
}

impl Validator<'_> {
    pub(super) fn resources(
        &mut self,
        raw: &RawSpec,
        pagination: Option<&Pagination>,
        types: &[TypeDef],
    ) -> Vec<Resource> {
        // The module files under `endpoints/`, the client's methods, and the types the
        // `endpoints` module re-exports (accessors and request builders).
        let mut modules = names::Scope::default();
        let mut client = names::Scope::with(names::CLIENT_METHODS);
        let mut endpoint_types = names::Scope::default();
        let mut out = Vec::new();
        for res in &raw.resources {
            let what = format!("resource `{}`", res.name.value);
            let doc = self.doc(&res.doc, &what);
            let Some(module) = names::module_name(&res.name.value) else {
                self.value_name(&res.name, None, &what);
                continue;
            };
            let (Some(accessor), Some(struct_name)) = (
                names::value_name(&res.name.value),
                names::type_name(&res.name.value),
            ) else {
                continue;
            };
            let rename = "rename the resource";
            let at = res.name.loc;
            if !modules.claim(&module) {
                self.r.error(
                    at,
                    format!("{what} becomes the module `{module}`, like another resource"),
                );
                continue;
            }
            self.claim(
                &mut client,
                &accessor,
                at,
                || format!("{what} would be `Client::{accessor}`, a method every client has or another resource's"),
                rename,
            );
            self.claim(
                &mut endpoint_types,
                &struct_name,
                at,
                || format!("{what} becomes the type `{struct_name}`, like another resource or request builder"),
                rename,
            );
            let mut methods = names::Scope::with(names::ACCESSOR_METHODS);
            let operations = res
                .operations
                .iter()
                .filter_map(|op| {
                    let ctx = OpContext {
                        resource: &module,
                        pagination,
                        types,
                    };
                    self.operation(&ctx, op, &mut methods, &mut endpoint_types)
                })
                .collect();
            out.push(Resource {
                accessor,
                module,
                struct_name,
                doc,
                operations,
            });
        }
        out
    }

    fn operation(
        &mut self,
        ctx: &OpContext<'_>,
        op: &RawOperation,
        methods: &mut names::Scope,
        endpoint_types: &mut names::Scope,
    ) -> Option<Operation> {
        let (resource, pagination) = (ctx.resource, ctx.pagination);
        let at = op.name.loc;
        let what = format!("operation `{resource}.{}`", op.name.value);
        let doc = self.doc(&op.doc, &what);
        let (method_name, request_type) =
            self.operation_names(ctx, op, &what, methods, endpoint_types);
        if method_name.is_none() && request_type.is_none() {
            return None;
        }
        let http_method = self.http_method(op);
        let response = self.response(op, &what, pagination, ctx.types);
        let is_page = matches!(response, Some(Response::Page(_)));
        if is_page && pagination.is_none() {
            self.r.error_hint(
                at,
                format!("{what} returns a page, but the API declares no `pagination`"),
                "declare `pagination:` once under `api:`",
            );
        }
        let body_ty = match &op.body {
            None => Some(None),
            Some(b) => {
                if http_method == Some(Method::Get) {
                    self.r
                        .error(b.loc, format!("{what} is a GET, which carries no body"));
                }
                self.ty(b).map(Some)
            }
        };
        let (path, path_params) = self.path(op, &what)?;
        // Every parameter's Rust name, distinct: path and required query parameters are the
        // accessor's arguments, optional ones the request builder's setters.
        let mut params = names::Scope::default();
        for (p, raw) in path_params.iter().zip(&op.path_params) {
            self.claim(
                &mut params,
                &p.rust_name,
                raw.name.loc,
                || format!("path parameter `{}` of {what} has the same Rust name as another parameter, `{}`", p.wire, p.rust_name),
                "give one of them `rust_name:`",
            );
        }
        let page = pagination.filter(|_| is_page);
        let query = self.query(op, &what, page, (response.as_ref(), ctx.types), &mut params);
        // The accessor method's locals take what its arguments left.
        let mut locals = names::Scope::default();
        for p in path_params
            .iter()
            .chain(query.iter().filter(|p| p.required))
        {
            locals.claim(&p.rust_name);
        }
        let request_local = locals.fresh(names::REQUEST_LOCAL);
        let body = body_ty.map(|ty| {
            ty.map(|ty| Body {
                ty,
                arg: locals.fresh(names::BODY_ARG),
                flags: Vec::new(),
            })
        });
        let retry_safe = match (&op.retry, http_method) {
            (Some(r), _) => r.value,
            (None, Some(m)) => matches!(m, Method::Get | Method::Put | Method::Delete),
            (None, None) => false,
        };
        let method_name = method_name?;
        let cli = OperationCli {
            body_reader: names::cli_body_reader(&method_name),
            body_fields: names::cli_body_fields(&method_name),
            arguments: (0..path_params.len() + query.iter().filter(|p| p.required).count())
                .map(names::cli_argument)
                .collect(),
        };
        Some(Operation {
            id: format!("{resource}.{method_name}"),
            method_name,
            request_type: request_type?,
            doc,
            http_method: http_method?,
            path_template: op.path.as_ref()?.value.clone(),
            path,
            path_params,
            query,
            body: body?,
            request_local,
            response: response?,
            retry_safe,
            cli,
            deprecated: op.deprecated.as_ref().map(|d| d.value.clone()),
        })
    }

    /// The operation's method name on its resource and its request builder's type name, each
    /// claimed in its scope (`None` where it is invalid).
    fn operation_names(
        &mut self,
        ctx: &OpContext<'_>,
        op: &RawOperation,
        what: &str,
        methods: &mut names::Scope,
        endpoint_types: &mut names::Scope,
    ) -> (Option<names::Ident>, Option<names::Ident>) {
        let at = op.name.loc;
        let method_name = self.value_name(&op.name, None, what);
        if let Some(m) = &method_name {
            self.claim(
                methods,
                m,
                at,
                || format!("{what} becomes the method `{m}`, which its resource already has"),
                "rename the operation",
            );
        }
        let request_type = match &op.request_name {
            Some(n) if names::is_valid_type_name(&n.value) => names::given_type_name(&n.value),
            Some(n) => {
                self.r.error(
                    n.loc,
                    format!(
                        "`request_name` `{}` is not an UpperCamelCase identifier, or is a Rust keyword",
                        n.value
                    ),
                );
                None
            }
            None => names::request_type(ctx.resource, &op.name.value),
        };
        if let Some(t) = &request_type {
            let at = op.request_name.as_ref().map_or(at, |n| n.loc);
            self.claim(
                endpoint_types,
                t,
                at,
                || format!("{what} has the request type `{t}`, like another request builder or resource"),
                "give it `request_name:`",
            );
        }
        (method_name, request_type)
    }

    /// The operation's HTTP method; an unknown one is reported.
    fn http_method(&mut self, op: &RawOperation) -> Option<Method> {
        let m = op.method.as_ref()?;
        let method = match m.value.to_ascii_uppercase().as_str() {
            "GET" => Some(Method::Get),
            "POST" => Some(Method::Post),
            "PUT" => Some(Method::Put),
            "PATCH" => Some(Method::Patch),
            "DELETE" => Some(Method::Delete),
            _ => None,
        };
        if method.is_none() {
            self.r.error_hint(
                m.loc,
                format!("unknown HTTP method `{}`", m.value),
                "one of GET, POST, PUT, PATCH, DELETE",
            );
        }
        method
    }

    /// The query parameters: each a scalar, an enum or a list of those, none a pagination
    /// parameter of a list, their Rust names distinct from the other parameters' (`params`) and,
    /// for optional ones (setters), from the request builder's own methods.
    /// Each says what it does to a list's items (`filter:`), checked against the `response`.
    fn query(
        &mut self,
        op: &RawOperation,
        what: &str,
        page: Option<&Pagination>,
        (response, types): (Option<&Response>, &[TypeDef]),
        params: &mut names::Scope,
    ) -> Vec<Param> {
        let mut setters = names::Scope::with(names::REQUEST_METHODS);
        if let Some(pg) = page {
            for m in names::LIST_METHODS
                .iter()
                .copied()
                .chain([&pg.limit.setter, &pg.after.setter, &pg.before.setter].map(|s| s.as_str()))
            {
                setters.claim(m);
            }
        }
        let mut query = Vec::new();
        for p in &op.query {
            let Some(param) = self.param(p, what, false) else {
                continue;
            };
            if let Some(pg) = page
                && [&pg.limit, &pg.after, &pg.before]
                    .iter()
                    .any(|q| q.wire == param.wire)
            {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "query parameter `{}` is a pagination parameter, added to every list",
                        p.name.value
                    ),
                    "remove it: `pagination:` under `api:` declares it for every list",
                );
                continue;
            }
            if !param.required
                && !self.claim(
                    &mut setters,
                    &param.rust_name,
                    p.name.loc,
                    || {
                        let which = if page.is_some() { "list request" } else { "request" };
                        format!(
                            "query parameter `{}` of {what} would be the setter `{}`, which every {which} has",
                            p.name.value, param.rust_name
                        )
                    },
                    "give the parameter `rust_name:`",
                )
            {
                continue;
            }
            if !self.claim(
                params,
                &param.rust_name,
                p.name.loc,
                || format!(
                    "parameter `{}` of {what} has the same Rust name as another parameter, `{}`",
                    p.name.value, param.rust_name
                ),
                "give one of them `rust_name:`",
            ) {
                continue;
            }
            if !is_query_type(&param.ty) {
                self.r.error(
                    p.ty.as_ref().map_or(p.name.loc, |t| t.loc),
                    format!(
                        "query parameter `{}` must be a scalar, an enum or a list of those",
                        p.name.value
                    ),
                );
                continue;
            }
            let Some(param) = self.query_filter(param, p, what, response, types) else {
                continue;
            };
            query.push(param);
        }
        query
    }

    fn response(
        &mut self,
        op: &RawOperation,
        what: &str,
        pagination: Option<&Pagination>,
        types: &[TypeDef],
    ) -> Option<Response> {
        // Absent or unreadable responses were reported by the loader.
        let raw = op.response.as_ref()?;
        Some(match raw {
            RawResponse::Empty(_) => Response::Empty,
            RawResponse::Message(_) => Response::Message,
            RawResponse::Object(t) => Response::Object(self.ty(t)?),
            RawResponse::List(t) => Response::List(self.ty(t)?),
            RawResponse::Page(t) => match self.ty(t)? {
                Ty::Named(name, NamedKind::Object) => {
                    // Without `pagination`, the operation is reported already.
                    let p = pagination?;
                    let cursor =
                        types
                            .iter()
                            .find(|d| d.name == name)
                            .and_then(|d| match &d.kind {
                                TypeKind::Object(o) => o.fields.iter().find(|f| {
                                    f.json_name == p.cursor_field
                                        && f.ty == Ty::String
                                        && !f.optional()
                                }),
                                _ => None,
                            });
                    let Some(cursor) = cursor else {
                        self.r.error_hint(
                            t.loc,
                            format!(
                                "{what} returns pages of `{name}`, which has no required string field `{}` to use as the cursor",
                                p.cursor_field
                            ),
                            format!("add `{}: {{type: string, doc: …}}` to `{name}`", p.cursor_field),
                        );
                        return None;
                    };
                    Response::Page(PageItem {
                        cursor: cursor.rust_name.clone(),
                        ty: name,
                        // Decided once the store facts are known (`created_ranges`).
                        created: None,
                    })
                }
                _ => {
                    self.r.error(
                        t.loc,
                        format!("page items must be an object type, not `{}`", t.value),
                    );
                    return None;
                }
            },
        })
    }

    fn param(&mut self, p: &RawParam, what: &str, path: bool) -> Option<Param> {
        let pwhat = format!("parameter `{}` of {what}", p.name.value);
        let doc = self.doc(&p.doc, &pwhat);
        let rust_name = self.value_name(&p.name, p.rust_name.as_ref(), &pwhat);
        let ty = p.ty.as_ref().cloned().and_then(|t| self.ty(&t));
        if path
            && let Some(req) = &p.required
            && !req.value
        {
            self.r
                .error(req.loc, format!("path {pwhat} cannot be optional"));
        }
        Some(Param {
            wire: p.name.value.clone(),
            rust_name: rust_name?,
            flag: String::new(),
            ty: ty?,
            required: path || p.required.as_ref().is_some_and(|b| b.value),
            doc,
            filter: None,
        })
    }

    /// Splits the path template and matches its `{params}` with `path_params`.
    fn path(&mut self, op: &RawOperation, what: &str) -> Option<(Vec<PathPart>, Vec<Param>)> {
        let template = op.path.as_ref()?.clone();
        if !template.value.starts_with('/') || template.value.contains(['?', '#']) {
            self.r.error_hint(
                template.loc,
                format!(
                    "path `{}` of {what} is not an absolute path",
                    template.value
                ),
                "write it as `/api/v2/things/{key}`, without host or query",
            );
            return None;
        }
        let pieces = match split_template(&template.value) {
            Ok(p) => p,
            Err(msg) => {
                self.r
                    .error(template.loc, format!("path `{}`: {msg}", template.value));
                return None;
            }
        };
        let declared: BTreeMap<&str, &RawParam> = op
            .path_params
            .iter()
            .map(|p| (p.name.value.as_str(), p))
            .collect();
        let mut used = BTreeSet::new();
        let mut parts = Vec::new();
        let mut params = Vec::new();
        let mut ok = true;
        for piece in pieces {
            match piece {
                Piece::Text(t) => parts.push(PathPart::Literal(t)),
                Piece::Param(name) => {
                    let Some(raw) = declared.get(name.as_str()) else {
                        self.r.error_hint(
                            template.loc,
                            format!("path parameter `{{{name}}}` of {what} is not declared"),
                            format!("add `{name}` under `path_params:` with its type and doc"),
                        );
                        ok = false;
                        continue;
                    };
                    if !used.insert(name.clone()) {
                        self.r.error(
                            template.loc,
                            format!("path parameter `{{{name}}}` appears twice"),
                        );
                        ok = false;
                        continue;
                    }
                    match self.param(raw, what, true) {
                        Some(p) if matches!(p.ty, Ty::String | Ty::I32 | Ty::I64) => {
                            parts.push(PathPart::Param(params.len()));
                            params.push(p);
                        }
                        Some(_) => {
                            self.r.error(
                                raw.name.loc,
                                format!("path parameter `{name}` must be a string or an integer"),
                            );
                            ok = false;
                        }
                        None => ok = false,
                    }
                }
            }
        }
        for p in &op.path_params {
            if !used.contains(&p.name.value) {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "path parameter `{}` is declared but the path `{}` does not use it",
                        p.name.value, template.value
                    ),
                    format!(
                        "add `{{{}}}` to the path or remove the declaration",
                        p.name.value
                    ),
                );
                ok = false;
            }
        }
        ok.then_some((parts, params))
    }
}

fn is_query_type(ty: &Ty) -> bool {
    match ty {
        Ty::List(inner) => is_scalar(inner),
        other => is_scalar(other),
    }
}

fn is_scalar(ty: &Ty) -> bool {
    matches!(
        ty,
        Ty::String
            | Ty::Bool
            | Ty::I32
            | Ty::I64
            | Ty::F64
            | Ty::Timestamp
            | Ty::Money
            | Ty::Named(_, NamedKind::Enum)
    )
}

enum Piece {
    Text(String),
    Param(String),
}

fn split_template(t: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut rest = t;
    while let Some(open) = rest.find('{') {
        let (text, after) = rest.split_at(open);
        if text.contains('}') {
            return Err("`}` without `{`".into());
        }
        if !text.is_empty() {
            out.push(Piece::Text(text.to_string()));
        }
        let close = after.find('}').ok_or("`{` without `}`")?;
        let name = &after[1..close];
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(format!("`{{{name}}}` is not a parameter name"));
        }
        out.push(Piece::Param(name.to_string()));
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err("`}` without `{`".into());
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest.to_string()));
    }
    Ok(out)
}

/// Decides which lists can be walked in creation-time windows (`items_partitioned`): those
/// whose query has an `at_least` and an `at_most` filter on the same field of the item, that
/// field being its creation time (`read_only: created`, which the API orders lists by, newest
/// first), a timestamp always present (an item without one would fall in no window). Nothing
/// is guessed from parameter names. A list whose filters do not qualify simply has no
/// partitioned walk.
pub(super) fn created_ranges(resources: &mut [Resource], types: &[TypeDef], store: &StoreFacts) {
    for op in resources.iter_mut().flat_map(|r| r.operations.iter_mut()) {
        let Response::Page(item) = &op.response else {
            continue;
        };
        let created = created_range(&op.query, &item.ty, types, store);
        if let Response::Page(item) = &mut op.response {
            item.created = created;
        }
    }
}

fn created_range(
    query: &[Param],
    item: &str,
    types: &[TypeDef],
    store: &StoreFacts,
) -> Option<CreatedRange> {
    let fields = match types.iter().find(|t| t.name == item).map(|t| &t.kind) {
        Some(TypeKind::Object(o)) => &o.fields,
        _ => return None,
    };
    // The item's creation time: marked so, a timestamp, always present.
    let field = fields.iter().find(|f| {
        store
            .read_only
            .get(&(item.to_string(), f.json_name.clone()))
            == Some(&ReadOnly::Created)
            && f.ty == Ty::Timestamp
            && !f.optional()
    })?;
    let on_field = |op: FilterOp| {
        query.iter().find(|p| {
            p.ty == Ty::Timestamp
                && matches!(&p.filter, Some(QueryFilter::Field { path, op: o })
                    if *o == op && path.len() == 1 && path[0] == field.json_name)
        })
    };
    let (min, max) = (on_field(FilterOp::AtLeast)?, on_field(FilterOp::AtMost)?);
    let sort = query.iter().find_map(|p| {
        let Some(QueryFilter::Sort { fields: applied }) = &p.filter else {
            return None;
        };
        let values: Vec<&str> = match &p.ty {
            Ty::Named(n, NamedKind::Enum) => {
                match types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                    Some(TypeKind::Enum(e)) => e.values.iter().map(|v| v.wire.as_str()).collect(),
                    _ => Vec::new(),
                }
            }
            _ => Vec::new(),
        };
        let applied = applied.contains(&field.json_name);
        let value = |wire: String| {
            applied
                .then(|| values.contains(&wire.as_str()).then_some(wire))
                .flatten()
        };
        Some(CreatedSort {
            param: p.wire.clone(),
            newest_first: value(format!("-{}", field.json_name)),
            oldest_first: value(field.json_name.clone()),
        })
    });
    Some(CreatedRange {
        field: field.rust_name.clone(),
        json_name: field.json_name.clone(),
        min: min.wire.clone(),
        max: max.wire.clone(),
        sort,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_templates() {
        let parts = split_template("/a/{x}/b{y}.json").unwrap();
        assert_eq!(parts.len(), 5);
        assert!(split_template("/a/{x").is_err());
        assert!(split_template("/a/x}").is_err());
        assert!(split_template("/a/{}").is_err());
    }
}

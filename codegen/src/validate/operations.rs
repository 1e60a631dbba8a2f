//! Resources and operations: methods, paths and their parameters, query, body, response.

use std::collections::{BTreeMap, BTreeSet};

use crate::diag::Loc;
use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;

impl Validator<'_> {
    pub(super) fn resources(
        &mut self,
        raw: &RawSpec,
        pagination: Option<&Pagination>,
    ) -> Vec<Resource> {
        let mut seen: BTreeMap<String, Loc> = BTreeMap::new();
        let mut request_types: BTreeMap<String, Loc> = BTreeMap::new();
        let mut out = Vec::new();
        for res in &raw.resources {
            let what = format!("resource `{}`", res.name.value);
            let doc = self.doc(&res.doc, &what);
            let Some(module) = self.value_name(&res.name, None, &what) else {
                continue;
            };
            let Some(struct_name) = names::type_name(&res.name.value) else {
                continue;
            };
            if let Some(first) = seen.get(&module) {
                self.r.error(
                    res.name.loc,
                    format!(
                        "resource `{}` becomes `{module}`, like the one at line {}",
                        res.name.value, first.line
                    ),
                );
                continue;
            }
            if names::CLIENT_METHODS.contains(&module.as_str()) {
                self.r.error(
                    res.name.loc,
                    format!("resource name `{module}` is reserved by the client"),
                );
            }
            seen.insert(module.clone(), res.name.loc);
            let operations = res
                .operations
                .iter()
                .filter_map(|op| self.operation(&module, op, pagination, &mut request_types))
                .collect();
            out.push(Resource {
                accessor: module.clone(),
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
        resource: &str,
        op: &RawOperation,
        pagination: Option<&Pagination>,
        request_types: &mut BTreeMap<String, Loc>,
    ) -> Option<Operation> {
        let at = op.name.loc;
        let what = format!("operation `{resource}.{}`", op.name.value);
        let doc = self.doc(&op.doc, &what);
        let method_name = self.value_name(&op.name, None, &what);
        let request_type = match &op.request_name {
            Some(n) if names::is_valid_type_name(&n.value) => Some(n.value.clone()),
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
            None => names::request_type(resource, &op.name.value),
        };
        if let Some(t) = &request_type {
            if let Some(first) = request_types.get(t) {
                self.r.error_hint(
                    at,
                    format!(
                        "{what} has the request type `{t}`, like the operation at line {}",
                        first.line
                    ),
                    "give one of them `request_name:`",
                );
            }
            request_types.insert(t.clone(), at);
        }
        let http_method = op.method.as_ref().cloned().and_then(|m| {
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
        });
        let response = self.response(op, &what, pagination);
        let is_page = matches!(response, Some(Response::Page(_)));
        if is_page && pagination.is_none() {
            self.r.error_hint(
                at,
                format!("{what} returns a page, but the API declares no `pagination`"),
                "declare `pagination:` once under `api:`",
            );
        }
        let body = match &op.body {
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
        let mut taken: BTreeMap<String, Loc> = std::iter::once("body".to_string())
            .chain(path_params.iter().map(|p| p.rust_name.clone()))
            .map(|n| (n, at))
            .collect();
        let mut reserved: Vec<String> = names::REQUEST_METHODS
            .iter()
            .map(|m| m.to_string())
            .collect();
        if let Some(pg) = pagination.filter(|_| is_page) {
            reserved.extend(names::LIST_METHODS.iter().map(|m| m.to_string()));
            reserved.extend(
                [&pg.limit_param, &pg.after_param, &pg.before_param]
                    .into_iter()
                    .filter_map(|p| names::value_name(p)),
            );
        }
        let mut query = Vec::new();
        for p in &op.query {
            let Some(param) = self.param(p, &what, false) else {
                continue;
            };
            if reserved.contains(&param.rust_name) {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "query parameter `{}` of {what} clashes with the builder method `{}`",
                        p.name.value, param.rust_name
                    ),
                    "pagination parameters are added to every list operation; do not declare them",
                );
                continue;
            }
            if let Some(pg) = pagination.filter(|_| is_page)
                && [&pg.limit_param, &pg.after_param, &pg.before_param].contains(&&param.wire)
            {
                self.r.error(
                    p.name.loc,
                    format!(
                        "query parameter `{}` is a pagination parameter, added to every list",
                        p.name.value
                    ),
                );
                continue;
            }
            if taken.insert(param.rust_name.clone(), p.name.loc).is_some() {
                self.r.error_hint(
                    p.name.loc,
                    format!(
                        "parameter `{}` of {what} has the same Rust name as another parameter",
                        p.name.value
                    ),
                    "give one of them `rust_name:`",
                );
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
            query.push(param);
        }
        let retry_safe = match (&op.retry, http_method) {
            (Some(r), _) => r.value,
            (None, Some(m)) => matches!(m, Method::Get | Method::Put | Method::Delete),
            (None, None) => false,
        };
        Some(Operation {
            id: format!("{resource}.{}", method_name.as_ref()?),
            method_name: method_name?,
            request_type: request_type?,
            doc,
            http_method: http_method?,
            path_template: op.path.as_ref()?.value.clone(),
            path,
            path_params,
            query,
            body: body?,
            response: response?,
            retry_safe,
            deprecated: op.deprecated.as_ref().map(|d| d.value.clone()),
        })
    }

    fn response(
        &mut self,
        op: &RawOperation,
        what: &str,
        pagination: Option<&Pagination>,
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
                    if let Some(p) = pagination
                        && !self.cursor_types.contains(&name)
                    {
                        self.r.error_hint(
                                t.loc,
                                format!(
                                    "{what} returns pages of `{name}`, which has no required string field `{}` to use as the cursor",
                                    p.cursor_field
                                ),
                                format!("add `{}: {{type: string, doc: …}}` to `{name}`", p.cursor_field),
                            );
                    }
                    Response::Page(name)
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
            ty: ty?,
            required: path || p.required.as_ref().is_some_and(|b| b.value),
            doc,
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

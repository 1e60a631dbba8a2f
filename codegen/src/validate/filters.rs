//! What each query parameter of a list does (`filter:`): a filter on a named item field, the
//! sort order, or "accepted, not applied by the fake". Every list parameter must say which, so
//! no backend guesses a meaning from a name.

use crate::ir::*;
use crate::spec::*;

use super::Validator;

/// The forms of `filter:`, for hints.
const FORMS: &str = "`filter: {field: <item field>}` (with `op:` `equals`, `one_of`, `at_least`, \
                     `at_most` or `contains`), `filter: sort`, `filter: {sort: [<fields>]}`, or \
                     `filter: not_applied` when the fake cannot apply it";

/// The sentence added to the docs of a parameter the fake does not apply.
pub(crate) const NOT_APPLIED_DOC: &str =
    "The fake PartnerStack (`partnerstack-fake`) accepts this parameter but does not apply it.";

/// What a value compares as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Number,
    Bool,
    /// An enum: its values are text, compared with any field as text.
    Enum,
    Other,
}

impl Validator<'_> {
    /// The parameter with its validated `filter`: required on every query parameter of a list,
    /// refused elsewhere. `response` is the operation's (`None` when it was already reported).
    pub(super) fn query_filter(
        &mut self,
        mut param: Param,
        raw: &RawParam,
        what: &str,
        response: Option<&Response>,
        types: &[TypeDef],
    ) -> Option<Param> {
        let Some(response) = response else {
            return Some(param);
        };
        let item = match response {
            Response::Page(item) => item.ty.as_str(),
            _ => {
                if let Some(f) = raw.filter.as_ref().filter(|f| **f != RawFilter::Broken) {
                    self.r.error_hint(
                        filter_loc(f),
                        format!(
                            "`filter` of query parameter `{}` of {what}: only lists (`response: {{page: …}}`) filter their items",
                            raw.name.value
                        ),
                        "remove `filter:`",
                    );
                    return None;
                }
                return Some(param);
            }
        };
        let Some(filter) = &raw.filter else {
            self.r.error_hint(
                raw.name.loc,
                format!(
                    "query parameter `{}` of {what} does not say what it does to the items",
                    raw.name.value
                ),
                format!("add {FORMS}"),
            );
            return None;
        };
        let checked = match filter {
            RawFilter::Broken => None,
            RawFilter::NotApplied(_) => Some(QueryFilter::NotApplied),
            RawFilter::Sort { loc, fields } => self.sort(&param, raw, *loc, fields, item, types),
            RawFilter::Field { loc, field, op } => {
                self.field_filter(&param, raw, *loc, field.as_ref(), op.as_ref(), item, types)
            }
        }?;
        if checked == QueryFilter::NotApplied {
            if !param.doc.is_empty() {
                param.doc.push_str("\n\n");
            }
            param.doc.push_str(NOT_APPLIED_DOC);
        }
        param.filter = Some(checked);
        Some(param)
    }

    fn sort(
        &mut self,
        param: &Param,
        raw: &RawParam,
        loc: crate::diag::Loc,
        listed: &Option<Vec<Spanned<String>>>,
        item: &str,
        types: &[TypeDef],
    ) -> Option<QueryFilter> {
        let name = &raw.name.value;
        let values: Vec<&str> = match &param.ty {
            Ty::Named(n, NamedKind::Enum) => {
                match types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                    Some(TypeKind::Enum(e)) => e.values.iter().map(|v| v.wire.as_str()).collect(),
                    _ => Vec::new(),
                }
            }
            _ => {
                self.r.error_hint(
                    loc,
                    format!(
                        "query parameter `{name}` sorts, so its type must be an enum of sort orders"
                    ),
                    "declare an enum whose values are item fields, `-` first for descending",
                );
                return None;
            }
        };
        let fields = object_fields(types, item);
        let names_field = |v: &str| {
            fields
                .iter()
                .any(|f| f.json_name == v.trim_start_matches('-'))
        };
        let mut ok = true;
        let applied: Vec<String> = match listed {
            None => {
                for v in &values {
                    if !names_field(v) {
                        self.r.error_hint(
                            loc,
                            format!(
                                "sort order `{v}` of query parameter `{name}` names no field of `{item}`"
                            ),
                            "list the fields the fake sorts by, `filter: {sort: [<fields>]}`; the other values are then accepted and not applied",
                        );
                        ok = false;
                    }
                }
                let mut out: Vec<String> = Vec::new();
                for v in &values {
                    let f = v.trim_start_matches('-').to_string();
                    if !out.contains(&f) {
                        out.push(f);
                    }
                }
                out
            }
            Some(list) => {
                for f in list {
                    if !fields.iter().any(|x| x.json_name == f.value) {
                        self.r.error_hint(
                            f.loc,
                            format!(
                                "`{}` is not a field of `{item}`, so the fake cannot sort by it",
                                f.value
                            ),
                            suggestion(&f.value, fields.iter().map(|x| x.json_name.as_str())),
                        );
                        ok = false;
                    } else if !values.iter().any(|v| v.trim_start_matches('-') == f.value) {
                        self.r.error_hint(
                            f.loc,
                            format!("no value of `{name}` sorts by `{}`", f.value),
                            "list only fields that a value names (`field` or `-field`)",
                        );
                        ok = false;
                    }
                }
                list.iter().map(|f| f.value.clone()).collect()
            }
        };
        ok.then_some(QueryFilter::Sort { fields: applied })
    }

    #[allow(clippy::too_many_arguments)]
    fn field_filter(
        &mut self,
        param: &Param,
        raw: &RawParam,
        loc: crate::diag::Loc,
        field: Option<&Spanned<String>>,
        op: Option<&Spanned<String>>,
        item: &str,
        types: &[TypeDef],
    ) -> Option<QueryFilter> {
        let name = &raw.name.value;
        // A missing `field` was reported by the loader.
        let field = field?;
        let repeated = matches!(param.ty, Ty::List(_));
        let op = self.filter_op(op, repeated)?;
        let (path, field_ty) = self.filter_path(field, item, types)?;
        let (field_inner, field_list) = match &field_ty {
            Ty::List(inner) => (resolve_alias(types, inner), true),
            t => (t.clone(), false),
        };
        let param_inner = match &param.ty {
            Ty::List(inner) => resolve_alias(types, inner),
            t => resolve_alias(types, t),
        };
        let kinds = (kind(&param_inner), kind(&field_inner));
        if let Some(problem) = op_problem(op, name, &field.value, kinds, repeated, field_list) {
            self.r.error_hint(
                loc,
                format!("`filter` of query parameter `{name}`: {problem}"),
                format!("a filter is {FORMS}"),
            );
            return None;
        }
        Some(QueryFilter::Field { path, op })
    }

    /// The filter's `op:`; without one, `one_of` for a repeated parameter, else `equals`.
    fn filter_op(&mut self, op: Option<&Spanned<String>>, repeated: bool) -> Option<FilterOp> {
        let Some(o) = op else {
            return Some(if repeated {
                FilterOp::OneOf
            } else {
                FilterOp::Equals
            });
        };
        Some(match o.value.as_str() {
            "equals" => FilterOp::Equals,
            "one_of" => FilterOp::OneOf,
            "at_least" => FilterOp::AtLeast,
            "at_most" => FilterOp::AtMost,
            "contains" => FilterOp::Contains,
            other => {
                self.r.error_hint(
                    o.loc,
                    format!("unknown filter op `{other}`"),
                    match suggestion(
                        other,
                        ["equals", "one_of", "at_least", "at_most", "contains"],
                    ) {
                        s if s.starts_with("did") => s,
                        _ => "one of `equals`, `one_of`, `at_least`, `at_most`, `contains`".into(),
                    },
                );
                return None;
            }
        })
    }

    /// Walks the filter's dotted `field:` path through the item's object fields: the JSON
    /// names and the type of the last one.
    fn filter_path(
        &mut self,
        field: &Spanned<String>,
        item: &str,
        types: &[TypeDef],
    ) -> Option<(Vec<String>, Ty)> {
        let mut ty_name = item.to_string();
        let mut path = Vec::new();
        let segments: Vec<&str> = field.value.split('.').collect();
        for (i, seg) in segments.iter().enumerate() {
            let fields = object_fields(types, &ty_name);
            let Some(f) = fields.iter().find(|f| f.json_name == *seg) else {
                self.r.error_hint(
                    field.loc,
                    format!("`{}`: `{ty_name}` has no field `{seg}`", field.value),
                    suggestion(seg, fields.iter().map(|f| f.json_name.as_str())),
                );
                return None;
            };
            path.push(seg.to_string());
            if i + 1 == segments.len() {
                return Some((path, resolve_alias(types, &f.ty)));
            }
            match resolve_alias(types, &f.ty) {
                Ty::Named(n, NamedKind::Object) => ty_name = n.to_string(),
                _ => {
                    self.r.error(
                        field.loc,
                        format!(
                            "`{}`: `{seg}` is not an object, so it has no fields",
                            field.value
                        ),
                    );
                    return None;
                }
            }
        }
        None
    }
}

/// Why `op` cannot compare the parameter `name` with the item field `field`, given their kinds
/// of value (parameter, field), if it cannot.
fn op_problem(
    op: FilterOp,
    name: &str,
    field: &str,
    (pk, fk): (Kind, Kind),
    repeated: bool,
    field_list: bool,
) -> Option<String> {
    match op {
        FilterOp::OneOf if !repeated => Some(format!(
            "op `one_of` takes a repeated parameter (`list<T>`), and `{name}` is not one"
        )),
        FilterOp::Equals | FilterOp::AtLeast | FilterOp::AtMost | FilterOp::Contains
            if repeated =>
        {
            Some(format!(
                "`{name}` is repeated (`list<T>`): its op is `one_of`"
            ))
        }
        FilterOp::Equals | FilterOp::OneOf
            if fk == Kind::Other
                || !(pk == fk || pk == Kind::Enum || (pk == Kind::Text && fk == Kind::Enum)) =>
        {
            Some(format!(
                "`{name}` cannot equal the field `{field}`, of another kind of value"
            ))
        }
        FilterOp::AtLeast | FilterOp::AtMost
            if pk != Kind::Number || fk != Kind::Number || field_list =>
        {
            Some(format!(
                "op `{}` compares numbers (integers, money, timestamps); `{name}` or `{field}` is not one",
                op.as_str()
            ))
        }
        FilterOp::Contains
            if pk != Kind::Text || !matches!(fk, Kind::Text | Kind::Enum) || field_list =>
        {
            Some(format!(
                "op `contains` looks for text in a text field; `{name}` or `{field}` is not text"
            ))
        }
        _ => None,
    }
}

fn filter_loc(f: &RawFilter) -> crate::diag::Loc {
    match f {
        RawFilter::Field { loc, .. } | RawFilter::Sort { loc, .. } => *loc,
        RawFilter::NotApplied(loc) => *loc,
        RawFilter::Broken => crate::diag::Loc::default(),
    }
}

fn object_fields<'a>(types: &'a [TypeDef], name: &str) -> &'a [Field] {
    match types.iter().find(|t| t.name == name).map(|t| &t.kind) {
        Some(TypeKind::Object(o)) => &o.fields,
        _ => &[],
    }
}

/// A type with aliases followed (at most a few levels: aliases of aliases are rare).
fn resolve_alias(types: &[TypeDef], ty: &Ty) -> Ty {
    let mut ty = ty.clone();
    for _ in 0..8 {
        match &ty {
            Ty::Named(n, NamedKind::Alias) => {
                match types.iter().find(|t| &t.name == n).map(|t| &t.kind) {
                    Some(TypeKind::Alias(target)) => ty = target.clone(),
                    _ => return ty,
                }
            }
            _ => return ty,
        }
    }
    ty
}

fn kind(ty: &Ty) -> Kind {
    match ty {
        Ty::String => Kind::Text,
        Ty::I32 | Ty::I64 | Ty::F64 | Ty::Money | Ty::Timestamp => Kind::Number,
        Ty::Bool => Kind::Bool,
        Ty::Loose(inner) => kind(inner),
        Ty::Named(_, NamedKind::Enum) => Kind::Enum,
        _ => Kind::Other,
    }
}

fn suggestion<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match crate::diag::suggest(word, candidates) {
        Some(near) => format!("did you mean `{near}`?"),
        None => {
            "name a field of the list's items, dotted through embedded objects (`customer.key`)"
                .into()
        }
    }
}

//! Query parameters and cursor pagination, as PartnerStack's lists do it: `limit` within the
//! API's bounds (default 10), `starting_after` forward, `ending_before` backward (the items just
//! before that key, in list order), never both; filters on the fields the items have.

use std::cmp::Ordering;

use std::sync::Arc;

use serde_json::Value;
use serde_json::value::RawValue;

use crate::index::{self, Items};
use crate::reply::{Listed, Paged, Reply};
use crate::table::{ApiTable, Filter, Op, Route};
use crate::validate;

/// A list's page size when `limit` is not sent (A.3 of the reference).
pub const DEFAULT_LIMIT: u32 = 10;

/// The query's name-value pairs, decoded, in order.
pub(crate) fn parse_query(query: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect()
}

fn bad(message: String) -> Reply {
    Reply::error(400, message)
}

/// Checks every parameter the route declares: its type, and that required ones are sent.
/// Parameters the route does not declare are ignored, as PartnerStack does.
pub(crate) fn check_query(
    api: &ApiTable,
    route: &Route,
    query: &[(String, String)],
) -> Result<(), Reply> {
    for q in route.query {
        let mut sent = false;
        for (_, raw) in query.iter().filter(|(n, _)| n == q.name) {
            sent = true;
            validate::query_value(api, q.ty, q.name, raw).map_err(bad)?;
        }
        if q.required && !sent {
            return Err(bad(format!("'{}' is a required parameter", q.name)));
        }
    }
    Ok(())
}

/// One filter a request applies: the field's path, how it compares, the query's values, and
/// whether `null` is one of them.
struct Applied {
    path: &'static [&'static str],
    op: Op,
    values: Vec<Value>,
    nulls: bool,
}

impl Applied {
    fn passes(&self, o: &Value) -> bool {
        matches(field(o, self.path), self.op, &self.values, self.nulls)
    }

    /// The bound this filter puts on `created_at`, when it is one the index cuts by.
    fn created_bound(&self) -> Option<(Op, i64)> {
        let ([f], [v]) = (self.path, self.values.as_slice()) else {
            return None;
        };
        let t = v.as_i64().filter(|t| index::exact(*t))?;
        (*f == index::CREATED && matches!(self.op, Op::AtLeast | Op::AtMost))
            .then_some((self.op, t))
    }
}

/// One page of `items`, each as `show` shows it: `{items, has_more, total}` under the API's
/// page keys. From an index
/// (newest first by `created_at`), a list in that order or oldest first is cut by binary
/// search and its cursors found by key; the answer is what the scan below gives.
pub(crate) fn list(
    api: &ApiTable,
    route: &Route,
    items: Items<'_>,
    query: &[(String, String)],
    show: impl Fn(&Value) -> Value,
) -> Result<Listed, Reply> {
    let rendered = |o: &Value| index::rendered(&show(o));
    let Some(p) = &api.pagination else {
        return Ok(Listed {
            items: items.all().into_iter().map(rendered).collect(),
            paged: None,
        });
    };
    let one = |name: &str| -> Result<Option<&str>, Reply> {
        let mut values = query
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str());
        let first = values.next();
        if values.next().is_some() {
            return Err(bad(format!("'{name}' may be sent once")));
        }
        Ok(first)
    };
    let limit = match one(p.limit)? {
        None => DEFAULT_LIMIT.clamp(p.limit_min, p.limit_max),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|n| (p.limit_min..=p.limit_max).contains(n))
            .ok_or_else(|| {
                bad(format!(
                    "'{}' must be an integer from {} to {}, not '{}'",
                    p.limit,
                    p.limit_min,
                    p.limit_max,
                    validate::excerpt(raw)
                ))
            })?,
    } as usize;
    let after = one(p.after)?;
    let before = one(p.before)?;
    if after.is_some() && before.is_some() {
        return Err(bad(format!(
            "'{}' and '{}' cannot be used together",
            p.after, p.before
        )));
    }

    let mut filters: Vec<Applied> = Vec::new();
    let mut order: Option<(&str, bool)> = None;
    for q in route.query {
        let sent: Vec<&str> = query
            .iter()
            .filter(|(n, _)| n == q.name)
            .map(|(_, v)| v.as_str())
            .collect();
        if sent.is_empty() {
            continue;
        }
        let repeated = matches!(q.ty, crate::table::Ty::List(_));
        if !repeated && sent.len() > 1 {
            return Err(bad(format!("'{}' may be sent once", q.name)));
        }
        let values = sent
            .iter()
            .map(|raw| validate::query_value(api, q.ty, q.name, raw))
            .collect::<Result<Vec<Value>, String>>()
            .map_err(bad)?;
        match q.filter {
            Filter::NotApplied => {}
            Filter::Field { path, op } => filters.push(Applied {
                path,
                op,
                values,
                // `null` is a value only of enums that list it (`has_sub_id=null`).
                nulls: is_enum(api, q.ty),
            }),
            Filter::Sort(fields) => {
                let raw = sent.first().copied().unwrap_or_default();
                let (name, descending) = match raw.strip_prefix('-') {
                    Some(f) => (f, true),
                    None => (raw, false),
                };
                if let Some(f) = fields.iter().find(|f| **f == name) {
                    order = Some((f, descending));
                }
            }
        }
    }
    let (field_name, descending) = order.unwrap_or((index::CREATED, true));
    let not_found = |key: &str, param: &str| {
        bad(format!(
            "'{param}': no object with {} '{}' in this list",
            p.cursor,
            validate::excerpt(key)
        ))
    };
    let cut = |position: &dyn Fn(&str, &str) -> Result<usize, Reply>, total: usize| {
        Ok(match (after, before) {
            (Some(key), _) => {
                let start = position(key, p.after)? + 1;
                let end = start.saturating_add(limit).min(total);
                (start, end, end < total)
            }
            (None, Some(key)) => {
                let end = position(key, p.before)?;
                let start = end.saturating_sub(limit);
                (start, end, start > 0)
            }
            (None, None) => {
                let end = limit.min(total);
                (0, end, end < total)
            }
        })
    };

    let (page, has_more, total) = match items {
        Items::Indexed(list, ix) if field_name == index::CREATED => {
            let (mut lo, mut hi) = (0, ix.len());
            let mut rest = Vec::new();
            for f in &filters {
                match f.created_bound() {
                    Some((Op::AtMost, t)) => lo = lo.max(ix.at_most(t)),
                    Some((Op::AtLeast, t)) => hi = hi.min(ix.at_least(t)),
                    _ => rest.push(f),
                }
            }
            let keep = |k: usize| {
                ix.object(list, k)
                    .is_some_and(|o| rest.iter().all(|f| f.passes(o)))
            };
            let keep: Option<&dyn Fn(usize) -> bool> = (!rest.is_empty()).then_some(&keep);
            let chosen = index::Chosen::new(ix, lo, hi, !descending, keep);
            let total = chosen.len();
            let position = |key: &str, param: &str| {
                ix.by_key(key)
                    .and_then(|k| chosen.position(ix, k))
                    .ok_or_else(|| not_found(key, param))
            };
            let (start, end, has_more) = cut(&position, total)?;
            let page: Vec<Arc<RawValue>> = (start..end)
                .filter_map(|n| ix.rendered(list, chosen.at(ix, n)?, &show))
                .collect();
            (page, has_more, total)
        }
        items => {
            let mut selected = items.all();
            for f in &filters {
                selected.retain(|o| f.passes(o));
            }
            // A stable sort: ties keep the store's order (newest first), so pages never overlap.
            selected.sort_by(|a, b| {
                let ord = compare(a.get(field_name), b.get(field_name).unwrap_or(&Value::Null))
                    .unwrap_or(Ordering::Equal);
                if descending { ord.reverse() } else { ord }
            });
            let total = selected.len();
            let position = |key: &str, param: &str| {
                selected
                    .iter()
                    .position(|o| o.get(p.cursor).and_then(Value::as_str) == Some(key))
                    .ok_or_else(|| not_found(key, param))
            };
            let (start, end, has_more) = cut(&position, total)?;
            let page: Vec<Arc<RawValue>> = selected
                .get(start..end)
                .unwrap_or_default()
                .iter()
                .map(|v| rendered(v))
                .collect();
            (page, has_more, total)
        }
    };
    Ok(Listed {
        items: page,
        paged: Some(Paged {
            items: p.items,
            has_more: (p.has_more, has_more),
            total: (p.total, total),
        }),
    })
}

/// Orders a field's value against a query value: numbers as numbers, anything else as text.
fn compare(field: Option<&Value>, value: &Value) -> Option<Ordering> {
    match (field?, value) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Null, Value::Null) => Some(Ordering::Equal),
        (Value::Null, _) => Some(Ordering::Less),
        (_, Value::Null) => Some(Ordering::Greater),
        _ => None,
    }
}

/// The value at `path` in an item (through embedded objects); `None` when a step is missing
/// or not an object.
fn field<'v>(item: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(item, |v, step| v.as_object()?.get(*step))
}

/// Whether a field's value passes the filter `op` with the query's values (each already read
/// as its parameter's type).
fn matches(value: Option<&Value>, op: Op, wanted: &[Value], nulls: bool) -> bool {
    let Some(value) = value.filter(|v| nulls || !v.is_null()) else {
        return false;
    };
    match op {
        Op::Equals | Op::OneOf => wanted.iter().filter_map(text).any(|w| {
            let is = |v: &Value| text(v).is_some_and(|t| t == w);
            match value {
                Value::Array(items) => items.iter().any(is),
                v => is(v),
            }
        }),
        Op::AtLeast => wanted.iter().all(|w| {
            compare(Some(value), w).is_some_and(|o| o != Ordering::Less) && !value.is_null()
        }),
        Op::AtMost => wanted.iter().all(|w| {
            compare(Some(value), w).is_some_and(|o| o != Ordering::Greater) && !value.is_null()
        }),
        Op::Contains => match value.as_str() {
            Some(s) => wanted.iter().all(|w| {
                w.as_str()
                    .is_some_and(|w| s.to_ascii_lowercase().contains(&w.to_ascii_lowercase()))
            }),
            None => false,
        },
    }
}

/// Whether a parameter's values are an enum's (or a list of them).
fn is_enum(api: &ApiTable, ty: crate::table::Ty) -> bool {
    use crate::table::{Ty, TypeKind};
    match ty {
        Ty::List(inner) => is_enum(api, *inner),
        Ty::Named(name) => matches!(
            api.type_named(name).map(|t| &t.kind),
            Some(TypeKind::Enum { .. })
        ),
        _ => false,
    }
}

/// A JSON value written as a query value: text as is, `null`, numbers and booleans as JSON;
/// objects and arrays match nothing.
fn text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Null => Some("null".into()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

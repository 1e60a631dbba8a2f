//! Query parameters and cursor pagination, as PartnerStack's lists do it: `limit` within the
//! API's bounds (default 10), `starting_after` forward, `ending_before` backward (the items just
//! before that key, in list order), never both; filters on the fields the items have.

use std::cmp::Ordering;

use serde_json::{Map, Value};

use crate::handle::Reply;
use crate::table::{ApiTable, Filter, Route};
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

/// One page of `items`: `{items, has_more, total}` under the API's page keys.
pub(crate) fn list(
    api: &ApiTable,
    route: &Route,
    items: &[Value],
    query: &[(String, String)],
) -> Result<Value, Reply> {
    let Some(p) = &api.pagination else {
        return Ok(Value::Array(items.to_vec()));
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

    let item = match route.answer {
        crate::table::Answer::Page(item) => item,
        _ => "",
    };
    let mut selected: Vec<&Value> = items.iter().collect();
    let mut order: Option<(String, bool)> = None;
    for q in route.query {
        for (_, raw) in query.iter().filter(|(n, _)| n == q.name) {
            let value = validate::query_value(api, q.ty, q.name, raw).map_err(bad)?;
            match q.filter {
                Filter::None => {}
                Filter::Min(field) => {
                    selected.retain(|o| compare(o.get(field), &value) != Some(Ordering::Less))
                }
                Filter::Max(field) => {
                    selected.retain(|o| compare(o.get(field), &value) != Some(Ordering::Greater))
                }
                Filter::Equals(_) | Filter::Order => {}
            }
            if let Filter::Order = q.filter {
                let (field, descending) = match raw.strip_prefix('-') {
                    Some(f) => (f, true),
                    None => (raw.as_str(), false),
                };
                if api.fields(item).iter().any(|f| f.name == field) {
                    order = Some((field.to_string(), descending));
                }
            }
        }
        // A repeated parameter (`list<T>`) matches any of its values.
        if let Filter::Equals(field) = q.filter {
            let wanted: Vec<Value> = query
                .iter()
                .filter(|(n, _)| n == q.name)
                .filter_map(|(_, raw)| validate::query_value(api, q.ty, q.name, raw).ok())
                .collect();
            if !wanted.is_empty() {
                selected.retain(|o| {
                    o.get(field)
                        .is_some_and(|v| wanted.iter().any(|w| same(v, w)))
                });
            }
        }
    }
    let (field, descending) = order.unwrap_or_else(|| ("created_at".into(), true));
    selected.sort_by(|a, b| {
        let ord = compare(a.get(&field), b.get(&field).unwrap_or(&Value::Null))
            .unwrap_or(Ordering::Equal);
        if descending { ord.reverse() } else { ord }
    });

    let total = selected.len();
    let position = |key: &str, param: &str| {
        selected
            .iter()
            .position(|o| o.get(p.cursor).and_then(Value::as_str) == Some(key))
            .ok_or_else(|| {
                bad(format!(
                    "'{param}': no object with {} '{}' in this list",
                    p.cursor,
                    validate::excerpt(key)
                ))
            })
    };
    let (start, end, has_more) = match (after, before) {
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
    };
    let page: Vec<Value> = selected
        .get(start..end)
        .unwrap_or_default()
        .iter()
        .map(|v| (*v).clone())
        .collect();
    let mut data = Map::new();
    data.insert(p.items.into(), Value::Array(page));
    data.insert(p.has_more.into(), Value::Bool(has_more));
    data.insert(p.total.into(), Value::from(total));
    Ok(Value::Object(data))
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

/// Whether a field's value equals a query value (a string query value matches a number or
/// boolean field by its text).
fn same(field: &Value, wanted: &Value) -> bool {
    match (field, wanted) {
        (a, b) if a == b => true,
        (Value::Number(_) | Value::Bool(_), Value::String(s)) => {
            let text = field.to_string();
            text == *s
        }
        _ => false,
    }
}

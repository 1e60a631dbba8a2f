//! Every filter of every list, against a running fake: the cases are generated from the spec
//! (`fake/generated/filter_tests.rs`); the checks here are written independently of the fake's
//! own filtering (`fake/src/page.rs`). Each walks the whole list without the filter, picks a
//! value that occurs in the seeded data, walks it again with the filter, and checks that the
//! answer holds exactly the items that pass this file's predicate, and at least one.

use std::cmp::Ordering;

use serde_json::Value;

use crate::support::{Raw, basic, bearer, raw};
use partnerstack_fake::{Config, Server};

#[rustfmt::skip]
#[path = "../generated/filter_tests.rs"]
mod generated;

/// How a filter compares, as the spec says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Equals,
    OneOf,
    AtLeast,
    AtMost,
    Contains,
}

/// One filter of one list.
pub struct Case {
    pub api: &'static str,
    pub path: &'static str,
    pub param: &'static str,
    pub field: &'static [&'static str],
    pub op: Op,
    /// Whether the parameter is an enum, whose listed `null` matches a null field.
    pub enum_param: bool,
}

/// Enough items that every seeded value shows up in several of them.
const ITEMS: usize = 40;

async fn server() -> Server {
    Server::start(Config::default().items(ITEMS).seed(11))
        .await
        .unwrap()
}

fn auth(server: &Server, api: &str) -> String {
    match api {
        "partner" => bearer(server.partner_key()),
        _ => basic(server.vendor_public_key(), server.vendor_secret_key()),
    }
}

/// Every item of the list, following `starting_after`, with `query` added to each request.
async fn walk(server: &Server, api: &str, path: &str, query: &str) -> Vec<Value> {
    let auth = auth(server, api);
    let mut items: Vec<Value> = Vec::new();
    let mut after: Option<String> = None;
    for _ in 0..1000 {
        let mut url = format!("{path}?limit=7{query}");
        if let Some(a) = &after {
            url.push_str(&format!("&starting_after={}", enc(a)));
        }
        let Raw { status, json, .. } = raw(server, "GET", &url, Some(&auth), None).await;
        assert_eq!(status, 200, "{url}: {json}");
        let page = json["data"]["items"].as_array().unwrap().clone();
        let more = json["data"]["has_more"].as_bool().unwrap();
        after = page.last().map(|i| i["key"].as_str().unwrap().to_string());
        items.extend(page);
        if !more {
            return items;
        }
    }
    panic!("{path}: the walk did not end");
}

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn at<'v>(item: &'v Value, path: &[&str]) -> Option<&'v Value> {
    let mut v = item;
    for step in path {
        v = v.as_object()?.get(*step)?;
    }
    Some(v)
}

/// A value as query text, when it can be one.
fn query_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".into()),
        _ => None,
    }
}

/// This file's own reading of the filter: does `item` pass with these query values?
fn passes(case: &Case, item: &Value, values: &[String]) -> bool {
    let Some(v) = at(item, case.field) else {
        return false;
    };
    if v.is_null() && !case.enum_param {
        return false;
    }
    match case.op {
        Op::Equals | Op::OneOf => {
            let candidates: Vec<Value> = match v {
                Value::Array(a) => a.clone(),
                other => vec![other.clone()],
            };
            candidates
                .iter()
                .filter_map(query_text)
                .any(|t| values.contains(&t))
        }
        Op::AtLeast | Op::AtMost => {
            let (Some(x), Some(bound)) = (v.as_f64(), values[0].parse::<f64>().ok()) else {
                return false;
            };
            if case.op == Op::AtLeast {
                x >= bound
            } else {
                x <= bound
            }
        }
        Op::Contains => v
            .as_str()
            .is_some_and(|s| s.to_lowercase().contains(&values[0].to_lowercase())),
    }
}

/// Query values to filter with, taken from the seeded data.
fn pick(case: &Case, all: &[Value]) -> Vec<String> {
    let mut seen: Vec<Value> = Vec::new();
    for item in all {
        match at(item, case.field) {
            Some(Value::Array(a)) => seen.extend(a.iter().cloned()),
            Some(Value::Null) if !case.enum_param => {}
            Some(v) => seen.push(v.clone()),
            None => {}
        }
    }
    assert!(
        !seen.is_empty(),
        "{} {}: no item has a value at {:?} to filter with",
        case.api,
        case.path,
        case.field
    );
    match case.op {
        Op::Equals => vec![query_text(&seen[0]).unwrap()],
        Op::OneOf => {
            let mut texts: Vec<String> = seen.iter().filter_map(query_text).collect();
            texts.dedup();
            texts.truncate(2);
            texts
        }
        Op::AtLeast | Op::AtMost => {
            let mut numbers: Vec<f64> = seen.iter().filter_map(Value::as_f64).collect();
            numbers.sort_by(|a, b| a.partial_cmp(b).unwrap_or(Ordering::Equal));
            let middle = numbers[numbers.len() / 2];
            vec![format!("{}", middle as i64)]
        }
        Op::Contains => {
            let text = seen
                .iter()
                .filter_map(Value::as_str)
                .find(|s| s.chars().count() >= 3)
                .unwrap_or_else(|| panic!("{}: no text to look into", case.param));
            // Three characters from the middle, upper-cased: the match ignores case.
            let chars: Vec<char> = text.chars().collect();
            let mid = chars.len() / 2 - 1;
            vec![
                chars[mid..mid + 3]
                    .iter()
                    .collect::<String>()
                    .to_uppercase(),
            ]
        }
    }
}

/// Checks that a whole list is what its API's credential sees: every seeded object for the
/// vendor; for the partner its own partnership, the objects of that partnership (some of the
/// seeded ones), and every marketplace program and payout.
fn seen(server: &Server, api: &str, path: &str, all: &[Value]) {
    let mine = server.partnership_key().unwrap();
    match (api, path) {
        ("partner", "/api/v2/partnerships") => {
            assert_eq!(all.len(), 1, "{path}");
            assert_eq!(all[0]["key"], mine.as_str());
        }
        ("partner", "/api/v2/marketplace/programs" | "/api/v2/payouts") | ("vendor", _) => {
            assert_eq!(all.len(), ITEMS, "{api} {path}")
        }
        ("partner", _) => {
            assert!(
                !all.is_empty() && all.len() < ITEMS,
                "{path}: {}",
                all.len()
            );
            for item in all {
                assert_eq!(item["partnership_key"], mine.as_str(), "{path}: {item}");
            }
        }
        _ => panic!("no expectation for {api} {path}"),
    }
}

pub async fn check(case: Case) {
    let server = server().await;
    let all = walk(&server, case.api, case.path, "").await;
    seen(&server, case.api, case.path, &all);
    let values = pick(&case, &all);
    let query: String = values
        .iter()
        .map(|v| format!("&{}={}", case.param, enc(v)))
        .collect();
    let got = walk(&server, case.api, case.path, &query).await;
    let keys = |items: &[&Value]| -> Vec<String> {
        items
            .iter()
            .map(|i| i["key"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(
        !got.is_empty(),
        "{} {}?{}: a value seeded in the data gave no item",
        case.api,
        case.path,
        query
    );
    for item in &got {
        assert!(
            passes(&case, item, &values),
            "{} {}{query}: {item} does not pass",
            case.api,
            case.path
        );
    }
    let want: Vec<&Value> = all.iter().filter(|i| passes(&case, i, &values)).collect();
    let got_refs: Vec<&Value> = got.iter().collect();
    assert_eq!(
        keys(&got_refs),
        keys(&want),
        "{} {}{query}: not every passing item, or not in list order",
        case.api,
        case.path
    );
}

pub async fn check_sort(api: &str, path: &str, param: &str, field: &str) {
    let server = server().await;
    for (value, descending) in [(format!("-{field}"), true), (field.to_string(), false)] {
        let items = walk(&server, api, path, &format!("&{param}={}", enc(&value))).await;
        seen(&server, api, path, &items);
        let values: Vec<&Value> = items.iter().map(|i| &i[field]).collect();
        for pair in values.windows(2) {
            let (a, b) = (pair[0].as_f64(), pair[1].as_f64());
            let ordered = match (a, b) {
                (Some(a), Some(b)) if descending => a >= b,
                (Some(a), Some(b)) => a <= b,
                // Nulls sort before every value.
                (None, _) if descending => b.is_none(),
                (None, _) => true,
                (Some(_), None) => descending,
            };
            assert!(ordered, "{api} {path} {param}={value}: {values:?}");
        }
    }
}

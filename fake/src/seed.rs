//! Deterministic data that looks like PartnerStack's: keys with the prefixes the spec declares
//! (`rwrd_` + 14 alphanumerics), epoch-millisecond times over the past year, the spec's
//! `examples` (currencies, statuses, descriptions), enum values, nulls now and then where
//! fields are nullable, plausible names, emails and amounts.

use serde_json::{Map, Value, json};

use crate::table::{ApiTable, Field, ReadOnly, Ty, TypeKind};

/// 2026-01-01T00:00:00Z in epoch milliseconds: seeded objects were created in the year before
/// it (or before the clock's now, should the clock say earlier), so the same seed gives the
/// same data on any day.
pub(crate) const EPOCH_MS: i64 = 1_767_225_600_000;

/// A year, in milliseconds.
pub(crate) const YEAR_MS: i64 = 365 * 24 * HOUR_MS;

const HOUR_MS: i64 = 3_600_000;

/// A small deterministic generator (SplitMix64): the same seed gives the same data everywhere.
#[derive(Debug, Clone)]
pub(crate) struct Rng(u64);

impl Rng {
    /// A generator for `seed`, mixed with `label` so that each collection has its own stream.
    pub(crate) fn new(seed: u64, label: &str) -> Rng {
        // FNV-1a over the label, so streams do not depend on the order they are made in.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in label.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(seed ^ h)
    }

    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// True one time in `n`.
    pub(crate) fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items
            .get(self.below(items.len() as u64) as usize)
            .copied()
            .unwrap_or_default()
    }

    /// `n` characters of `[A-Za-z0-9]`.
    pub(crate) fn alphanumeric(&mut self, n: usize) -> String {
        const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        (0..n)
            .map(|_| CHARS[self.below(CHARS.len() as u64) as usize] as char)
            .collect()
    }
}

const FIRST: &[&str] = &[
    "Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger",
];
const LAST: &[&str] = &[
    "Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
    "Allen", "Dijkstra",
];
const COMPANIES: &[&str] = &[
    "Acme Analytics",
    "Globex",
    "Initech",
    "Umbrella Cloud",
    "Hooli",
    "Stark Software",
    "Wayne Payments",
    "Tyrell Data",
];
const WORDS: &[&str] = &[
    "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf",
];
const COUNTRIES: &[&str] = &["US", "CA", "GB", "DE", "FR", "AU"];

/// What a seeded object is being made for: its position in time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Moment {
    /// Its `created_at`.
    pub created_at: i64,
    /// The latest time any of its times may be (the seed's "now").
    pub until: i64,
}

/// A new object of type `name`: every required field, most optional ones, nulls now and then
/// where the field is nullable; its key with the type's prefix, its times from `at`.
pub(crate) fn object(api: &ApiTable, name: &str, rng: &mut Rng, at: Moment) -> Value {
    match api.type_named(name) {
        Some(def) => object_of(api, def.name, rng, at, 0),
        None => Value::Null,
    }
}

fn object_of(api: &ApiTable, name: &str, rng: &mut Rng, at: Moment, depth: usize) -> Value {
    let Some(TypeKind::Object {
        fields,
        one_of,
        key_prefix,
        ..
    }) = api.type_named(name).map(|t| &t.kind)
    else {
        return Value::Null;
    };
    let cursor = api.pagination.as_ref().map(|p| p.cursor);
    let mut map = Map::new();
    for f in *fields {
        if one_of.iter().any(|g| g.contains(&f.name)) {
            continue;
        }
        // The object's own key: its type's prefix and 14 alphanumerics (a key of a type
        // without a prefix, such as a vendor's transaction id, gets none).
        if Some(f.name) == cursor && f.ty == Ty::String && depth == 0 {
            let key = match key_prefix {
                Some(p) => format!("{p}{}", rng.alphanumeric(14)),
                None => rng.alphanumeric(20).to_lowercase(),
            };
            map.insert(f.name.to_string(), Value::String(key));
            continue;
        }
        if let Some(v) = field_value(api, f, rng, at, depth) {
            map.insert(f.name.to_string(), v);
        }
    }
    Value::Object(map)
}

fn value(
    api: &ApiTable,
    ty: Ty,
    field: &str,
    prefix: Option<&str>,
    rng: &mut Rng,
    at: Moment,
    depth: usize,
) -> Value {
    match ty {
        Ty::String => Value::String(string(field, prefix, rng)),
        Ty::Bool | Ty::LooseBool => {
            Value::Bool(!matches!(field, "archived" | "test" | "hidden") && rng.one_in(2))
        }
        Ty::I32 | Ty::I64 => Value::from(match field {
            "value" => 1 + rng.below(5) as i64,
            "position" => rng.below(10) as i64,
            _ => 1 + rng.below(999) as i64,
        }),
        // Amounts from 5.00 to 2,500.00, in whole cents.
        Ty::Money => Value::from(500 + 25 * rng.below(10_000) as i64),
        Ty::F64 => json!((rng.below(100_000) as f64) / 100.0),
        Ty::Timestamp => Value::from(between(rng, at.created_at, at.until)),
        Ty::Json => Value::String(rng.pick(WORDS).to_string()),
        Ty::List(inner) => {
            let n = if depth > 2 { 0 } else { rng.below(3) };
            Value::Array(
                (0..n)
                    .map(|_| value(api, *inner, field, prefix, rng, at, depth + 1))
                    .collect(),
            )
        }
        Ty::Map(_) => Value::Object(Map::new()),
        Ty::Named(name) => match api.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => value(api, *target, field, prefix, rng, at, depth),
            Some(TypeKind::Enum { values, .. }) => Value::String(rng.pick(values).to_string()),
            Some(TypeKind::Object { .. }) => object_of(api, name, rng, at, depth + 1),
            None => Value::Null,
        },
    }
}

/// A time in `from..=until`.
fn between(rng: &mut Rng, from: i64, until: i64) -> i64 {
    let span = until.saturating_sub(from).max(0) as u64;
    from + rng.below(span.saturating_add(1)) as i64
}

/// A field's value, or `None` to leave it out.
fn field_value(
    api: &ApiTable,
    f: &Field,
    rng: &mut Rng,
    at: Moment,
    depth: usize,
) -> Option<Value> {
    match f.read_only {
        Some(ReadOnly::Created) => return Some(Value::from(at.created_at)),
        // Updated at or after it was created, never after the seed's now.
        Some(ReadOnly::Updated) => {
            return Some(Value::from(between(
                rng,
                at.created_at,
                at.created_at
                    .saturating_add(90 * 24 * HOUR_MS)
                    .min(at.until),
            )));
        }
        _ => {}
    }
    if !f.required && rng.one_in(5) {
        return None;
    }
    let deep = depth > 3 && matches!(f.ty, Ty::Named(_) | Ty::List(_));
    if f.nullable && (deep || rng.one_in(5)) {
        return Some(Value::Null);
    }
    if deep && !f.required {
        return None;
    }
    if !f.examples.is_empty() {
        let pick = rng.pick(f.examples);
        let v = match resolve(api, f.ty) {
            // A list of examples: one or two of them.
            Ty::List(_) => {
                let mut items = vec![Value::String(pick.to_string())];
                let second = rng.pick(f.examples);
                if second != pick && rng.one_in(2) {
                    items.push(Value::String(second.to_string()));
                }
                Some(Value::Array(items))
            }
            Ty::I32 | Ty::I64 | Ty::Money | Ty::Timestamp => {
                pick.parse::<i64>().map(Value::from).ok()
            }
            Ty::F64 => pick.parse::<f64>().ok().map(|x| json!(x)),
            _ => Some(Value::String(pick.to_string())),
        };
        if let Some(v) = v {
            return Some(v);
        }
    }
    Some(value(api, f.ty, f.name, f.key_prefix, rng, at, depth + 1))
}

fn resolve(api: &ApiTable, ty: Ty) -> Ty {
    match ty {
        Ty::Named(n) => match api.type_named(n).map(|t| &t.kind) {
            Some(TypeKind::Alias(t)) => resolve(api, *t),
            _ => ty,
        },
        t => t,
    }
}
fn string(field: &str, prefix: Option<&str>, rng: &mut Rng) -> String {
    if let Some(prefix) = prefix {
        return format!("{prefix}{}", rng.alphanumeric(14));
    }
    let first = rng.pick(FIRST);
    let last = rng.pick(LAST);
    match field {
        f if f.contains("email") => format!(
            "{}.{}{}@example.com",
            first.to_lowercase(),
            last.to_lowercase(),
            rng.below(1000)
        ),
        "first_name" => first.to_string(),
        "last_name" => last.to_string(),
        "name" | "company_name" | "manager_name" => match rng.below(2) {
            0 => format!("{first} {last}"),
            _ => rng.pick(COMPANIES).to_string(),
        },
        "currency" => "USD".into(),
        "country" | "country_iso" => rng.pick(COUNTRIES).to_string(),
        f if f.contains("url") || f == "website" => {
            format!("https://example.com/{}", rng.pick(WORDS))
        }
        "key" | "customer_key" | "external_key" | "provider_key" | "partner_key" => {
            format!("{}-{}", rng.pick(WORDS), rng.alphanumeric(8).to_lowercase())
        }
        f if f.ends_with("_key") => rng.alphanumeric(14),
        // An opaque token, as ids and other values the spec gives no examples of look.
        _ => rng.alphanumeric(12).to_lowercase(),
    }
}

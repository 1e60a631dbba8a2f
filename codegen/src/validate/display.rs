//! How people see a model: its `summary` columns and the currency of its money fields (the
//! command line's `-f table`). Checked once the types are built, against their fields.
//!
//! - `summary: [key, customer.email, amount]` on an object type: each entry is a field of the
//!   type, or a path through object fields (`customer.email`), once each;
//! - `currency: currency` on an object type: the string (or enum) field holding the ISO 4217
//!   code of its money fields, so it must have one;
//! - `currency: USD` on a money field: the fixed code of that field's amounts (`amount_usd`),
//!   over the type's `currency`.

use crate::diag::suggest;
use crate::ir::*;
use crate::spec::*;

use super::Validator;

/// How deep an alias chain is followed (the types pass reports cycles).
const MAX_ALIASES: usize = 16;

impl Validator<'_> {
    /// Checks the display keys of every object type of `raw` and writes what they say into
    /// `types` (`Object::summary`, `Field::currency`).
    pub(super) fn display(&mut self, raw: &RawSpec, types: &mut [TypeDef]) {
        let raw_types = raw
            .types
            .iter()
            .chain(raw.resources.iter().flat_map(|r| &r.types));
        let mut decided = Vec::new();
        for t in raw_types {
            let RawTypeKind::Object {
                fields, display, ..
            } = &t.kind
            else {
                continue;
            };
            let Some(rust) = self.types.get(&t.name.value).map(|d| d.rust.clone()) else {
                continue;
            };
            let Some(object) = object(types, &rust) else {
                continue;
            };
            let summary = display
                .summary
                .as_ref()
                .map(|s| self.summary(&t.name.value, s, object, types))
                .unwrap_or_default();
            let currency = display
                .currency
                .as_ref()
                .and_then(|c| self.currency_field(&t.name.value, c, object, fields, types));
            let codes: Vec<(String, String)> = fields
                .iter()
                .filter_map(|f| {
                    let code = f.currency.as_ref()?;
                    self.currency_code(&t.name.value, f, code, object, types)
                        .map(|c| (f.name.value.clone(), c))
                })
                .collect();
            // Each money field's currency: its own code, else the type's field.
            let currencies: Vec<(String, Currency)> = object
                .fields
                .iter()
                .filter(|f| is_money(&f.ty, types))
                .filter_map(|f| {
                    let currency = match codes.iter().find(|(name, _)| *name == f.json_name) {
                        Some((_, code)) => Currency::Code(code.clone()),
                        None => Currency::Field(currency.clone()?),
                    };
                    Some((f.json_name.clone(), currency))
                })
                .collect();
            decided.push((rust, summary, currencies));
        }
        for (rust, summary, currencies) in decided {
            let Some(TypeKind::Object(o)) = types
                .iter_mut()
                .find(|t| t.name == rust)
                .map(|t| &mut t.kind)
            else {
                continue;
            };
            o.summary = summary;
            for f in &mut o.fields {
                f.currency = currencies
                    .iter()
                    .find(|(name, _)| *name == f.json_name)
                    .map(|(_, c)| c.clone());
            }
        }
    }

    /// The checked `summary` paths of `owner`.
    fn summary(
        &mut self,
        owner: &str,
        summary: &Spanned<Vec<Spanned<String>>>,
        object: &Object,
        types: &[TypeDef],
    ) -> Vec<String> {
        if summary.value.is_empty() {
            self.r.error_hint(
                summary.loc,
                format!("`summary` of `{owner}` lists no field"),
                "name the few fields a person scans first: `summary: [key, name, status, created_at]`",
            );
        }
        let mut out: Vec<String> = Vec::new();
        for path in &summary.value {
            if out.contains(&path.value) {
                self.r.error(
                    path.loc,
                    format!("`summary` of `{owner}` lists `{}` twice", path.value),
                );
                continue;
            }
            if self.summary_path(owner, path, object, types) {
                out.push(path.value.clone());
            }
        }
        out
    }

    /// Whether `path` names a field of `object`, through object fields for each `.`.
    fn summary_path<'t>(
        &mut self,
        owner: &str,
        path: &Spanned<String>,
        mut object: &'t Object,
        types: &'t [TypeDef],
    ) -> bool {
        if path.value.split('.').any(str::is_empty) {
            self.r.error_hint(
                path.loc,
                match path.value.as_str() {
                    "" => format!("`summary` of `{owner}` has an empty entry"),
                    p => format!("`summary` of `{owner}` has `{p}`, which lacks a field name"),
                },
                "name a field, or the fields of nested objects joined by one `.`: `customer.email`",
            );
            return false;
        }
        let mut segments = path.value.split('.').peekable();
        let mut at = owner.to_string();
        while let Some(segment) = segments.next() {
            let names = field_names(object);
            let Some(ty) = field_type(object, segment) else {
                let hint = match suggest(segment, names.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the fields of `{at}` are {}", quoted(&names)),
                };
                self.r.error_hint(
                    path.loc,
                    format!(
                        "`summary` of `{owner}` names `{}`, but `{at}` has no field `{segment}`",
                        path.value
                    ),
                    hint,
                );
                return false;
            };
            if segments.peek().is_none() {
                return true;
            }
            match resolve(ty, types) {
                Ty::Named(name, NamedKind::Object) => match self::object(types, name) {
                    Some(inner) => {
                        object = inner;
                        at = name.to_string();
                    }
                    None => return false,
                },
                other => {
                    self.r.error_hint(
                        path.loc,
                        format!(
                            "`summary` of `{owner}` names `{}`, but `{segment}` is {}, not an object",
                            path.value,
                            describe(other)
                        ),
                        "a `.` steps into a field whose type is an object type",
                    );
                    return false;
                }
            }
        }
        false
    }

    /// The JSON name of the type's `currency` field, checked: a text field of the type, which
    /// has money fields to be the currency of.
    fn currency_field(
        &mut self,
        owner: &str,
        currency: &Spanned<String>,
        object: &Object,
        raw_fields: &[RawField],
        types: &[TypeDef],
    ) -> Option<String> {
        let Some(field) = object.fields.iter().find(|f| f.json_name == currency.value) else {
            let names = field_names(object);
            let hint = match suggest(&currency.value, names.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "name the field holding the ISO 4217 code of the type's amounts".into(),
            };
            self.r.error_hint(
                currency.loc,
                format!(
                    "`currency` of `{owner}` names `{}`, which is not a field of `{owner}`",
                    currency.value
                ),
                hint,
            );
            return None;
        };
        let text = matches!(
            resolve(&field.ty, types),
            Ty::String | Ty::Named(_, NamedKind::Enum)
        );
        if !text {
            self.r.error_hint(
                currency.loc,
                format!(
                    "`currency` of `{owner}` names `{}`, which is {}, not text",
                    currency.value,
                    describe(resolve(&field.ty, types))
                ),
                "name a `string` field holding an ISO 4217 code such as `USD`",
            );
            return None;
        }
        let needs_it = object.fields.iter().any(|f| {
            is_money(&f.ty, types)
                && raw_fields
                    .iter()
                    .find(|r| r.name.value == f.json_name)
                    .is_none_or(|r| r.currency.is_none())
        });
        if !needs_it {
            self.r.error_hint(
                currency.loc,
                format!("`currency` of `{owner}` is the currency of its money fields, but it has none without a code of its own"),
                "remove `currency:`, or give the type its `money` fields",
            );
            return None;
        }
        Some(field.json_name.clone())
    }

    /// A money field's own `currency: USD`, checked.
    fn currency_code(
        &mut self,
        owner: &str,
        field: &RawField,
        code: &Spanned<String>,
        object: &Object,
        types: &[TypeDef],
    ) -> Option<String> {
        let ty = object
            .fields
            .iter()
            .find(|f| f.json_name == field.name.value)
            .map(|f| &f.ty)
            .or_else(|| {
                object
                    .one_of
                    .iter()
                    .flat_map(|g| &g.variants)
                    .find(|v| v.json_name == field.name.value)
                    .map(|v| &v.ty)
            })?;
        if !is_money(ty, types) {
            self.r.error_hint(
                code.loc,
                format!(
                    "field `{}` of `{owner}` has a `currency`, but it is {}, not money",
                    field.name.value,
                    describe(resolve(ty, types))
                ),
                "`currency:` on a field gives the fixed currency of a `money` field; the type's own `currency:` names its currency field",
            );
            return None;
        }
        let valid = code.value.len() == 3 && code.value.bytes().all(|b| b.is_ascii_uppercase());
        if !valid {
            self.r.error_hint(
                code.loc,
                format!(
                    "`currency` of field `{}` of `{owner}` is `{}`, not an ISO 4217 code",
                    field.name.value, code.value
                ),
                "give three capital letters, such as `USD`; a field that holds the currency is named by the type's own `currency:`",
            );
            return None;
        }
        Some(code.value.clone())
    }
}

/// The object type whose Rust name is `rust`.
fn object<'a>(types: &'a [TypeDef], rust: &str) -> Option<&'a Object> {
    match &types.iter().find(|t| t.name == rust)?.kind {
        TypeKind::Object(o) => Some(o),
        _ => None,
    }
}

/// The type of `object`'s field named `json` (a `one_of` member too).
fn field_type<'a>(object: &'a Object, json: &str) -> Option<&'a Ty> {
    object
        .fields
        .iter()
        .find(|f| f.json_name == json)
        .map(|f| &f.ty)
        .or_else(|| {
            object
                .one_of
                .iter()
                .flat_map(|g| &g.variants)
                .find(|v| v.json_name == json)
                .map(|v| &v.ty)
        })
}

fn field_names(object: &Object) -> Vec<&str> {
    object
        .fields
        .iter()
        .map(|f| f.json_name.as_str())
        .chain(
            object
                .one_of
                .iter()
                .flat_map(|g| &g.variants)
                .map(|v| v.json_name.as_str()),
        )
        .collect()
}

/// `ty` with aliases followed.
pub(super) fn resolve<'a>(mut ty: &'a Ty, types: &'a [TypeDef]) -> &'a Ty {
    for _ in 0..MAX_ALIASES {
        let Ty::Named(name, NamedKind::Alias) = ty else {
            return ty;
        };
        match types.iter().find(|t| &t.name == name).map(|t| &t.kind) {
            Some(TypeKind::Alias(target)) => ty = target,
            _ => return ty,
        }
    }
    ty
}

fn is_money(ty: &Ty, types: &[TypeDef]) -> bool {
    match resolve(ty, types) {
        Ty::Money => true,
        Ty::Loose(inner) => **inner == Ty::Money,
        _ => false,
    }
}

/// A type as prose: "a `list<…>`", "`i64`".
fn describe(ty: &Ty) -> String {
    match ty {
        Ty::String => "`string`".into(),
        Ty::Bool => "a boolean".into(),
        Ty::Loose(inner) => format!("{} (loose)", describe(inner)),
        Ty::I32 | Ty::I64 | Ty::F64 => "a number".into(),
        Ty::Timestamp => "a `timestamp`".into(),
        Ty::Money => "`money`".into(),
        Ty::Json => "`json`".into(),
        Ty::List(_) => "a `list<…>`".into(),
        Ty::Map(_) => "a `map<…>`".into(),
        Ty::Named(name, NamedKind::Enum) => format!("the enum `{name}`"),
        Ty::Named(name, _) => format!("`{name}`"),
    }
}

fn quoted(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! How a model shows in a table: the descriptions `cli/generated/<api>/views.rs` holds (one
//! static per model, from the spec), the columns they offer (`summary` by default, any field
//! path with `--columns`), and the text of one cell: times as RFC 3339, money as an amount and
//! its currency, lists joined, nested objects as JSON.

use serde_json::Value;

/// A model as the spec describes it for tables.
#[derive(Debug)]
pub struct Model {
    /// The model's name, for messages.
    pub name: &'static str,
    /// Its fields, in spec order.
    pub fields: &'static [Field],
    /// The columns `-f table` shows by default: field paths (`customer.email`).
    pub summary: &'static [&'static str],
}

/// A field of a [`Model`].
#[derive(Debug)]
pub struct Field {
    /// The JSON name.
    pub name: &'static str,
    /// What its values are.
    pub shape: Shape,
}

/// What a field's values are, for showing them.
#[derive(Debug)]
pub enum Shape {
    /// Text (strings, enums).
    Text,
    /// Numbers and booleans, shown as written.
    Plain,
    /// Milliseconds since the epoch, shown as RFC 3339.
    Time,
    /// Integer minor units of a currency, shown as an amount and the currency when known.
    Money(Option<Currency>),
    /// A list of values of a shape, shown joined with `, `.
    List(&'static Shape),
    /// A nested model, shown as JSON (its fields are columns of their own: `customer.email`).
    Object(&'static Model),
    /// Anything else, shown as JSON.
    Json,
}

/// Where a money field's currency is.
#[derive(Debug)]
pub enum Currency {
    /// In this field of the same object.
    Field(&'static str),
    /// Always this ISO 4217 code.
    Code(&'static str),
}

/// One column of a table or CSV: a path into each item, and the shape of its values when the
/// model says.
#[derive(Debug, Clone)]
pub struct Column {
    /// The header: the path as given (`customer.email`).
    pub header: String,
    /// The path's parts.
    pub path: Vec<String>,
    /// What the values are, when the spec knows the path.
    pub shape: Option<&'static Shape>,
}

impl Column {
    /// A column the model knows nothing of (its values are shown as they are).
    pub fn plain(path: &str) -> Self {
        Column {
            header: path.to_string(),
            path: path.split('.').map(str::to_string).collect(),
            shape: None,
        }
    }
}

impl Model {
    fn field(&self, name: &str) -> Option<&'static Field>
    where
        Self: 'static,
    {
        // `fields` is `'static`, so its elements are too.
        let fields: &'static [Field] = self.fields;
        fields.iter().find(|f| f.name == name)
    }

    /// The column of a path (`customer.email`), or what is wrong with it: the fields there
    /// are listed.
    pub fn column(&'static self, path: &str) -> Result<Column, String> {
        let mut model: &'static Model = self;
        let mut shape = None;
        let parts: Vec<&str> = path.split('.').collect();
        for (i, part) in parts.iter().enumerate() {
            let Some(field) = model.field(part) else {
                let names: Vec<&str> = model.fields.iter().map(|f| f.name).collect();
                let at = if i == 0 {
                    format!("`{}`", self.name)
                } else {
                    format!("`{}` (in `{}`)", parts[..i].join("."), model.name)
                };
                return Err(format!(
                    "`{path}`: {at} has no field `{part}`; its fields are {}",
                    names.join(", ")
                ));
            };
            if i + 1 < parts.len() {
                match &field.shape {
                    Shape::Object(inner) => model = inner,
                    _ => {
                        return Err(format!(
                            "`{path}`: `{}` is not an object, so it has no fields",
                            parts[..=i].join(".")
                        ));
                    }
                }
            } else {
                shape = Some(&field.shape);
            }
        }
        Ok(Column {
            header: path.to_string(),
            path: parts.iter().map(|p| p.to_string()).collect(),
            shape,
        })
    }

    /// The default columns: the summary, or every field when the spec gives none.
    pub fn default_columns(&'static self) -> Vec<Column> {
        let paths: Vec<&str> = if self.summary.is_empty() {
            self.fields.iter().map(|f| f.name).collect()
        } else {
            self.summary.to_vec()
        };
        paths
            .into_iter()
            .map(|p| self.column(p).unwrap_or_else(|_| Column::plain(p)))
            .collect()
    }
}

/// The value at `path` in `item`, and the object holding it (for a money field's currency).
fn lookup<'v>(item: &'v Value, path: &[String]) -> (Option<&'v Value>, Option<&'v Value>) {
    let mut parent = None;
    let mut value = Some(item);
    for part in path {
        parent = value;
        value = value.and_then(|v| v.get(part));
    }
    (value, parent)
}

/// The text of `column` for `item`, for a person: null or missing is empty.
pub fn cell(item: &Value, column: &Column) -> String {
    let (value, parent) = lookup(item, &column.path);
    match value {
        None | Some(Value::Null) => String::new(),
        Some(v) => shown(v, column.shape, parent),
    }
}

/// The text of `column` for `item`, as it is (for CSV): text as is, anything else as JSON,
/// null or missing empty.
pub fn raw_cell(item: &Value, column: &Column) -> String {
    match lookup(item, &column.path).0 {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

fn shown(value: &Value, shape: Option<&Shape>, parent: Option<&Value>) -> String {
    match (shape, value) {
        (_, Value::Null) => String::new(),
        (Some(Shape::Time), Value::Number(n)) => match n.as_i64() {
            // Seconds are what a person scans; -f json has the milliseconds.
            Some(ms) => rfc3339(ms - ms.rem_euclid(1000)),
            None => n.to_string(),
        },
        (Some(Shape::Money(currency)), Value::Number(n)) => match n.as_i64() {
            Some(minor) => {
                let code = match currency {
                    Some(Currency::Code(c)) => Some((*c).to_string()),
                    Some(Currency::Field(f)) => parent
                        .and_then(|p| p.get(*f))
                        .and_then(Value::as_str)
                        .map(str::to_string),
                    None => None,
                };
                money(minor, code.as_deref())
            }
            None => n.to_string(),
        },
        (Some(Shape::List(inner)), Value::Array(items)) => items
            .iter()
            .map(|v| shown(v, Some(inner), None))
            .collect::<Vec<_>>()
            .join(", "),
        (None, Value::Array(items)) if items.iter().all(|v| !v.is_object() && !v.is_array()) => {
            items
                .iter()
                .map(|v| shown(v, None, None))
                .collect::<Vec<_>>()
                .join(", ")
        }
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// Digits after the decimal point of a currency's amounts (ISO 4217 minor units): 2 unless
/// the code is one of those with none or three.
fn exponent(code: &str) -> u32 {
    const NONE: &[&str] = &[
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND",
        "VUV", "XAF", "XOF", "XPF",
    ];
    const THREE: &[&str] = &["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"];
    let code = code.to_ascii_uppercase();
    if NONE.contains(&code.as_str()) {
        0
    } else if THREE.contains(&code.as_str()) {
        3
    } else {
        2
    }
}

/// An amount of minor units as `12.50 USD` (`12.50` when the currency is not known).
pub fn money(minor: i64, code: Option<&str>) -> String {
    let digits = code.map_or(2, exponent);
    let sign = if minor < 0 { "-" } else { "" };
    let units = minor.unsigned_abs();
    let amount = if digits == 0 {
        format!("{sign}{units}")
    } else {
        let scale = 10u64.pow(digits);
        format!(
            "{sign}{}.{:0width$}",
            units / scale,
            units % scale,
            width = digits as usize
        )
    };
    match code {
        Some(code) if !code.trim().is_empty() => format!("{amount} {}", code.trim()),
        _ => amount,
    }
}

/// Milliseconds since the epoch as RFC 3339 in UTC (`2023-11-14T22:13:20Z`, with `.250` when
/// there are milliseconds).
pub fn rfc3339(ms: i64) -> String {
    let seconds = ms.div_euclid(1000);
    let millis = ms.rem_euclid(1000);
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    let fraction = if millis == 0 {
        String::new()
    } else {
        format!(".{millis:03}")
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}{fraction}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static CUSTOMER: Model = Model {
        name: "Customer",
        fields: &[Field {
            name: "email",
            shape: Shape::Text,
        }],
        summary: &[],
    };
    static REWARD: Model = Model {
        name: "Reward",
        fields: &[
            Field {
                name: "key",
                shape: Shape::Text,
            },
            Field {
                name: "amount",
                shape: Shape::Money(Some(Currency::Field("currency"))),
            },
            Field {
                name: "amount_usd",
                shape: Shape::Money(Some(Currency::Code("USD"))),
            },
            Field {
                name: "currency",
                shape: Shape::Text,
            },
            Field {
                name: "created_at",
                shape: Shape::Time,
            },
            Field {
                name: "tags",
                shape: Shape::List(&Shape::Text),
            },
            Field {
                name: "customer",
                shape: Shape::Object(&CUSTOMER),
            },
        ],
        summary: &["key", "customer.email", "amount", "created_at"],
    };

    #[test]
    fn cells_show_times_money_lists_and_nested_fields() {
        let item = json!({
            "key": "rwrd_1", "amount": 12345, "amount_usd": -5, "currency": "EUR",
            "created_at": 1_700_000_000_250_i64, "tags": ["a", "b"],
            "customer": {"email": "j@example.com"},
        });
        let cells: Vec<String> = REWARD
            .default_columns()
            .iter()
            .map(|c| cell(&item, c))
            .collect();
        assert_eq!(
            cells,
            [
                "rwrd_1",
                "j@example.com",
                "123.45 EUR",
                "2023-11-14T22:13:20Z"
            ]
        );
        let column = |p: &str| REWARD.column(p).unwrap();
        assert_eq!(cell(&item, &column("amount_usd")), "-0.05 USD");
        assert_eq!(cell(&item, &column("tags")), "a, b");
        assert_eq!(
            cell(&item, &column("customer")),
            r#"{"email":"j@example.com"}"#
        );
        assert_eq!(raw_cell(&item, &column("created_at")), "1700000000250");
        assert_eq!(cell(&json!({}), &column("amount")), "");
    }

    #[test]
    fn unknown_paths_name_the_fields_there() {
        let e = REWARD.column("customer.name").unwrap_err();
        assert!(e.contains("no field `name`; its fields are email"), "{e}");
        let e = REWARD.column("key.x").unwrap_err();
        assert!(e.contains("not an object"), "{e}");
        assert!(REWARD.column("amout").unwrap_err().contains("amount_usd"));
    }

    #[test]
    fn money_and_times() {
        assert_eq!(money(1250, Some("USD")), "12.50 USD");
        assert_eq!(money(1250, Some("JPY")), "1250 JPY");
        assert_eq!(money(1250, Some("KWD")), "1.250 KWD");
        assert_eq!(money(-1, None), "-0.01");
        assert_eq!(money(i64::MIN, Some("USD")), "-92233720368547758.08 USD");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
    }
}

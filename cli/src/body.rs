//! A request body from flags: each field of an object body is a typed flag (`--email`,
//! `--partner-key`; the members of a `one_of` group mutually exclusive), emitted as a table of
//! [`Field`]s per operation. `--data` is still accepted, and the flags given override its
//! fields. A required field given neither way is a usage error naming its flag.

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgGroup, ArgMatches};
use partnerstack::Timestamp;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::exit::Failure;

/// One body field as a flag.
#[derive(Debug)]
pub struct Field {
    /// The clap id (`body:<flag>`), distinct from every parameter's.
    pub id: &'static str,
    /// The field's JSON name.
    pub name: &'static str,
    /// The flag, without `--`.
    pub flag: &'static str,
    /// The value's name in help (`EMAIL`, `TIME`).
    pub value_name: &'static str,
    /// One line of help.
    pub help: &'static str,
    /// The full help.
    pub long_help: &'static str,
    /// What one value is.
    pub kind: Kind,
    /// Whether the flag repeats (a list of values).
    pub list: bool,
    /// Whether the body must have it (given here or in `--data`).
    pub required: bool,
    /// Whether it is sent as `null` when given neither way (always present, may be null).
    pub null_default: bool,
    /// The clap id of its `one_of` group (`group:<first member>`), if it is in one.
    pub group: Option<&'static str>,
    /// Deprecated: accepted, not shown in help.
    pub deprecated: bool,
}

/// What one value of a field flag is.
#[derive(Debug)]
pub enum Kind {
    /// Text.
    Text,
    /// `--flag` (true) or `--flag=false`.
    Bool,
    /// An integer (money in minor units, too).
    Integer,
    /// A number.
    #[allow(
        dead_code,
        reason = "for `f64` body fields, which the current spec has none of"
    )]
    Float,
    /// Epoch milliseconds, RFC 3339 or a date.
    Time,
    /// An enum: its known values, and whether others are sent too (with a warning).
    Enum {
        /// The known values.
        values: &'static [&'static str],
        /// Whether other values are accepted.
        open: bool,
    },
    /// JSON text (anything that is not JSON is sent as a string).
    Json,
}

/// The clap arguments of `fields`.
pub fn args(fields: &'static [Field]) -> Vec<Arg> {
    fields
        .iter()
        .map(|f| {
            let (mut help, mut long_help) = (f.help.to_string(), f.long_help.to_string());
            if f.required {
                help.push_str(" [required, here or in --data]");
                long_help.push_str("\n\nRequired: give this flag, or the field in --data.");
            }
            let arg = Arg::new(f.id)
                .long(f.flag)
                .value_name(f.value_name)
                .help(help)
                .long_help(long_help)
                .hide(f.deprecated)
                .action(if f.list {
                    ArgAction::Append
                } else {
                    ArgAction::Set
                });
            match &f.kind {
                Kind::Text | Kind::Json => arg.allow_hyphen_values(true),
                Kind::Bool => arg
                    .value_parser(clap::value_parser!(bool))
                    .num_args(0..=1)
                    .require_equals(true)
                    .default_missing_value("true"),
                Kind::Integer => arg
                    .allow_negative_numbers(true)
                    .value_parser(clap::value_parser!(i64)),
                Kind::Float => arg
                    .allow_negative_numbers(true)
                    .value_parser(clap::value_parser!(f64)),
                Kind::Time => arg
                    .allow_negative_numbers(true)
                    .value_parser(crate::args::timestamp),
                Kind::Enum { values, open: true } => arg
                    .allow_hyphen_values(true)
                    .value_parser(crate::args::OpenEnum::new(values)),
                Kind::Enum {
                    values,
                    open: false,
                } => arg
                    .allow_hyphen_values(true)
                    .value_parser(PossibleValuesParser::new(values.iter())),
            }
        })
        .collect()
}

/// The `one_of` groups of `fields`: at most one member each (whether one is needed is checked
/// with `--data` at run time).
pub fn groups(fields: &'static [Field]) -> Vec<ArgGroup> {
    let mut ids: Vec<&'static str> = fields.iter().filter_map(|f| f.group).collect();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let members: Vec<&'static str> = fields
                .iter()
                .filter(|f| f.group == Some(id))
                .map(|f| f.id)
                .collect();
            ArgGroup::new(id).args(members).multiple(false)
        })
        .collect()
}

/// The value of a field's flag as JSON, if given.
fn value(matches: &ArgMatches, f: &Field) -> Result<Option<Value>, Failure> {
    let flag = format!("--{}", f.flag);
    let one = |matches: &ArgMatches| -> Result<Option<Vec<Value>>, Failure> {
        Ok(match &f.kind {
            Kind::Text => matches
                .get_many::<String>(f.id)
                .map(|v| v.map(|s| Value::String(s.clone())).collect()),
            Kind::Bool => matches
                .get_many::<bool>(f.id)
                .map(|v| v.map(|b| Value::Bool(*b)).collect()),
            Kind::Integer => matches
                .get_many::<i64>(f.id)
                .map(|v| v.map(|n| Value::Number((*n).into())).collect()),
            Kind::Float => match matches.get_many::<f64>(f.id) {
                Some(v) => Some(
                    v.map(|n| {
                        Number::from_f64(*n).map(Value::Number).ok_or_else(|| {
                            Failure::usage(format!("{flag}: {n} is not a number JSON can hold"))
                        })
                    })
                    .collect::<Result<_, _>>()?,
                ),
                None => None,
            },
            Kind::Time => matches
                .get_many::<Timestamp>(f.id)
                .map(|v| v.map(|t| Value::Number(t.as_millis().into())).collect()),
            Kind::Enum { values, .. } => matches.get_many::<String>(f.id).map(|v| {
                v.map(|s| {
                    crate::args::warn_unknown(&flag, s, values);
                    Value::String(s.clone())
                })
                .collect()
            }),
            Kind::Json => matches.get_many::<String>(f.id).map(|v| {
                v.map(|s| serde_json::from_str(s).unwrap_or_else(|_| Value::String(s.clone())))
                    .collect()
            }),
        })
    };
    Ok(one(matches)?.map(|mut values| {
        if f.list {
            Value::Array(values)
        } else {
            values.pop().unwrap_or(Value::Null)
        }
    }))
}

/// The body as one JSON object: `--data` (when given), then every flag given over it (a flag
/// of a `one_of` member replaces the group's member in `--data`).
///
/// # Errors
///
/// Status 2 naming the flags of required fields given neither way, or of a `one_of` group
/// none of whose members is given; status 5 when `--data` cannot be read or is not an object.
pub fn object(
    matches: &ArgMatches,
    fields: &'static [Field],
) -> Result<Map<String, Value>, Failure> {
    let mut map = match matches.get_one::<String>("data") {
        Some(_) => crate::args::data_object(matches)?,
        None => Map::new(),
    };
    for f in fields {
        let Some(value) = value(matches, f)? else {
            continue;
        };
        if let Some(group) = f.group {
            for member in fields.iter().filter(|m| m.group == Some(group)) {
                map.remove(member.name);
            }
        }
        map.insert(f.name.to_string(), value);
    }
    let missing: Vec<String> = fields
        .iter()
        .filter(|f| f.required && !map.contains_key(f.name))
        .map(|f| format!("--{}", f.flag))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::usage(format!(
            "missing {}: give {} (or the field{} in --data)",
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" },
            if missing.len() == 1 { "" } else { "s" },
        )));
    }
    let mut groups: Vec<&'static str> = fields.iter().filter_map(|f| f.group).collect();
    groups.dedup();
    for group in groups {
        let members: Vec<&Field> = fields.iter().filter(|f| f.group == Some(group)).collect();
        if !members.iter().any(|m| map.contains_key(m.name)) {
            let flags: Vec<String> = members.iter().map(|m| format!("--{}", m.flag)).collect();
            return Err(Failure::usage(format!(
                "give one of {} (or one of those fields in --data)",
                flags.join(", ")
            )));
        }
    }
    for f in fields.iter().filter(|f| f.null_default) {
        map.entry(f.name.to_string()).or_insert(Value::Null);
    }
    Ok(map)
}

/// The body from flags and `--data`, decoded into the operation's body type.
///
/// # Errors
///
/// Those of [`object`], and status 5 when the result does not fit the type (a field of
/// `--data` of the wrong type); the message says where, never what the data held.
pub fn decode<T: DeserializeOwned>(
    matches: &ArgMatches,
    fields: &'static [Field],
) -> Result<T, Failure> {
    let map = object(matches, fields)?;
    serde_json::from_value(Value::Object(map))
        .map_err(|e| Failure::data(format!("--data: not this operation's body: {e}")))
}

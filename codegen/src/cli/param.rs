//! How one path or query parameter becomes a command-line argument: its flag or position, the
//! value parser clap checks it with, and the expression that hands the parsed value to the
//! request builder.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::summary;
use crate::ir::{Api, NamedKind, Param, Ty, TypeKind};

/// What the command line does with one value of a parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Text, passed as is.
    Text,
    /// `true` / `false`.
    Bool,
    /// A number, parsed as this Rust type (`i32`, `i64`, `f64`).
    Number(&'static str),
    /// Epoch milliseconds or RFC 3339.
    Timestamp,
    /// A string enum: its known values, and whether others are accepted too.
    Enum {
        /// Known values, in spec order.
        values: Vec<String>,
        /// Whether unknown values are accepted (open enums).
        open: bool,
    },
    /// Anything else: JSON text, decoded into the setter's type.
    Json,
}

/// A parameter as the command line offers it.
#[derive(Debug, Clone)]
pub struct CliParam<'a> {
    /// The IR parameter.
    pub param: &'a Param,
    /// The clap id (the Rust name without `r#`).
    pub id: String,
    /// The long flag (`payment-status`), for query parameters: the IR's `Param::flag`.
    pub long: String,
    /// What one value is.
    pub kind: Kind,
    /// Whether it repeats (`list<T>`).
    pub list: bool,
}

impl<'a> CliParam<'a> {
    /// The command-line view of `param`.
    pub fn new(api: &Api, param: &'a Param) -> Self {
        let (kind, list) = match &param.ty {
            Ty::List(inner) => (kind(api, inner, 0), true),
            ty => (kind(api, ty, 0), false),
        };
        CliParam {
            param,
            id: param.rust_name.trim_start_matches("r#").to_string(),
            long: param.flag.clone(),
            kind,
            list,
        }
    }

    /// `clap::Arg` for this parameter: positional when `positional`, else a flag.
    pub fn arg(&self, positional: bool) -> TokenStream {
        let id = &self.id;
        let help = summary(&self.param.doc).to_string();
        let mut long_help = self.param.doc.trim().to_string();
        match &self.kind {
            Kind::Timestamp => long_help.push_str(
                "\n\nMilliseconds since the epoch (1714564800000), RFC 3339 \
                 (2024-05-01T12:00:00Z) or a date (2024-05-01, midnight UTC).",
            ),
            Kind::Enum { open: true, .. } => long_help.push_str(
                "\n\nThe known values are listed; any other is sent as given, with a warning.",
            ),
            Kind::Json => long_help.push_str("\n\nJSON text."),
            _ => {}
        }
        if self.list {
            long_help.push_str("\n\nRepeat the flag for several values.");
        }
        let long_help = (long_help != help).then(|| quote!(.long_help(#long_help)));
        let value_name = self.param.wire.to_ascii_uppercase();
        let placement = if positional {
            quote!(.required(true))
        } else {
            let long = &self.long;
            let required = self.param.required.then(|| quote!(.required(true)));
            quote!(.long(#long) #required)
        };
        let action = if self.list {
            quote!(.action(clap::ArgAction::Append))
        } else {
            quote!(.action(clap::ArgAction::Set))
        };
        let parser = match &self.kind {
            Kind::Text | Kind::Json => quote!(.allow_hyphen_values(true)),
            Kind::Bool => quote! {
                .value_parser(clap::value_parser!(bool))
                .num_args(0..=1)
                .require_equals(true)
                .default_missing_value("true")
            },
            Kind::Number(ty) => {
                // A primitive's name (`i64`), fixed by `kind` below.
                let ty = proc_macro2::Ident::new(ty, proc_macro2::Span::call_site());
                quote!(.allow_negative_numbers(true).value_parser(clap::value_parser!(#ty)))
            }
            Kind::Timestamp => {
                quote!(.allow_negative_numbers(true).value_parser(crate::args::timestamp))
            }
            Kind::Enum { values, open: true } => quote! {
                .allow_hyphen_values(true)
                .value_parser(crate::args::OpenEnum::new(&[#(#values),*]))
            },
            Kind::Enum {
                values,
                open: false,
            } => quote! {
                .allow_hyphen_values(true)
                .value_parser(clap::builder::PossibleValuesParser::new([#(#values),*]))
            },
        };
        let value_name = match &self.kind {
            Kind::Bool => "BOOL".to_string(),
            Kind::Timestamp => "TIME".to_string(),
            _ => value_name,
        };
        quote! {
            clap::Arg::new(#id)
                #placement
                .value_name(#value_name)
                .help(#help)
                #long_help
                #action
                #parser
        }
    }

    /// `match` on the parsed value (or values), as the request builder's setter or accessor
    /// takes it: `some(value)` when given, `none` when not. May use `?`.
    pub fn read(
        &self,
        some: impl FnOnce(TokenStream) -> TokenStream,
        none: TokenStream,
    ) -> TokenStream {
        let id = &self.id;
        let (stored, convert) = match &self.kind {
            Kind::Text | Kind::Enum { .. } | Kind::Json => (quote!(String), self.convert()),
            Kind::Bool => (quote!(bool), quote!(*v)),
            Kind::Number(ty) => {
                // A primitive's name (`i64`), fixed by `kind` below.
                let ty = proc_macro2::Ident::new(ty, proc_macro2::Span::call_site());
                (quote!(#ty), quote!(*v))
            }
            Kind::Timestamp => (quote!(partnerstack::Timestamp), quote!(*v)),
        };
        if self.list {
            let values = match &self.kind {
                Kind::Text => quote!(values.cloned()),
                Kind::Bool | Kind::Number(_) | Kind::Timestamp => quote!(values.copied()),
                _ => quote! {
                    values
                        .map(|v| Ok(#convert))
                        .collect::<Result<Vec<_>, crate::exit::Failure>>()?
                },
            };
            let some = some(values);
            quote! {
                match matches.get_many::<#stored>(#id) {
                    Some(values) => #some,
                    None => #none,
                }
            }
        } else {
            let some = some(convert);
            quote! {
                match matches.get_one::<#stored>(#id) {
                    Some(v) => #some,
                    None => #none,
                }
            }
        }
    }

    /// How messages name the argument: `--payment-status`, or `<STATUS>` for a positional one.
    fn display_name(&self) -> String {
        if self.long.is_empty() {
            format!("<{}>", self.param.wire.to_ascii_uppercase())
        } else {
            format!("--{}", self.long)
        }
    }

    /// Turns `v: &String` into the setter's argument.
    fn convert(&self) -> TokenStream {
        match &self.kind {
            Kind::Text => quote!(v.clone()),
            Kind::Enum { values, .. } => {
                let flag = self.display_name();
                quote!(crate::args::enum_value(#flag, v, &[#(#values),*])?)
            }
            _ => {
                let flag = self.display_name();
                quote!(crate::args::json_value(#flag, v)?)
            }
        }
    }
}

/// The kind of a (non-list) type, following aliases.
pub(super) fn kind(api: &Api, ty: &Ty, depth: usize) -> Kind {
    match ty {
        Ty::String => Kind::Text,
        Ty::Bool => Kind::Bool,
        Ty::I32 => Kind::Number("i32"),
        Ty::I64 | Ty::Money => Kind::Number("i64"),
        Ty::F64 => Kind::Number("f64"),
        Ty::Timestamp => Kind::Timestamp,
        Ty::Named(name, NamedKind::Enum) => match find(api, name) {
            Some(TypeKind::Enum(e)) => Kind::Enum {
                values: e.values.iter().map(|v| v.wire.clone()).collect(),
                open: e.open(),
            },
            _ => Kind::Json,
        },
        Ty::Named(name, NamedKind::Alias) if depth < 16 => match find(api, name) {
            Some(TypeKind::Alias(target)) if !matches!(target, Ty::List(_)) => {
                kind(api, target, depth + 1)
            }
            _ => Kind::Json,
        },
        _ => Kind::Json,
    }
}

fn find<'a>(api: &'a Api, name: &str) -> Option<&'a TypeKind> {
    api.type_def(name).map(|t| &t.kind)
}

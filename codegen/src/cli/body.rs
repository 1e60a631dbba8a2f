//! An operation's request body: a typed flag per field of an object body (the IR's
//! `Body::flags`), `--data` for the whole of it, and reading both into the body type.
//!
//! Each operation with field flags gets a table, `<OP>_FIELDS`, of `crate::body::Field`s: the
//! hand-written core turns it into clap arguments and, at run time, into one JSON object
//! (`--data` first, each flag given over it). Most body types then decode with serde. A type
//! with `one_of` groups is only ever sent, so the client gives it no `Deserialize` (a flattened
//! enum beside the flattened `extra` map is ambiguous to decode); for those the command line
//! emits a function that takes the object apart field by field: exactly one member of each
//! group, every required field, the optional ones when present, and the rest into `extra`.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::param::{Kind, kind};
use crate::emit::tokens::{ident, rust_type_in, summary};
use crate::ir::{Api, Object, Operation, Presence, Ty, TypeKind};

/// The object type of an operation's body, if it is one (following aliases).
fn body_object<'a>(api: &'a Api, op: &Operation) -> Option<(&'a crate::names::Ident, &'a Object)> {
    let name = super::view::object_name(api, &op.body.as_ref()?.ty)?;
    let def = api.type_def(name)?;
    match &def.kind {
        TypeKind::Object(o) => Some((&def.name, o)),
        _ => None,
    }
}

/// The object type of an operation's body when it has `one_of` groups.
fn one_of_body<'a>(api: &'a Api, op: &Operation) -> Option<(&'a crate::names::Ident, &'a Object)> {
    body_object(api, op).filter(|(_, o)| !o.one_of.is_empty())
}

/// Whether the body is given by field flags (and `--data`), not by `--data` alone.
fn has_flags(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| !b.flags.is_empty())
}

/// The name of the function reading an operation's one_of body.
fn reader_name(op: &Operation) -> Ident {
    ident(&op.cli.body_reader)
}

/// The name of an operation's table of field flags.
fn table_name(op: &Operation) -> Ident {
    ident(&op.cli.body_fields)
}

/// The clap arguments of the body: the field flags and their `one_of` groups, and `--data`
/// (required when there are no field flags).
pub fn args(op: &Operation) -> Option<TokenStream> {
    op.body.as_ref()?;
    Some(if has_flags(op) {
        let table = table_name(op);
        quote! {
            .args(crate::body::args(#table))
            .groups(crate::body::groups(#table))
            .arg(crate::args::data_arg(false))
        }
    } else {
        quote!(.arg(crate::args::data_arg(true)))
    })
}

/// The expression giving the body, evaluated with `matches` in scope.
pub fn expression(api: &Api, op: &Operation) -> Option<TokenStream> {
    op.body.as_ref()?;
    let table = table_name(op);
    Some(match (one_of_body(api, op), has_flags(op)) {
        (Some(_), _) => {
            let reader = reader_name(op);
            quote!(#reader(matches)?)
        }
        (None, true) => quote!(crate::body::decode(matches, #table)?),
        (None, false) => quote!(crate::args::data(matches)?),
    })
}

/// The table of an operation's field flags, if it has any.
pub fn table(api: &Api, op: &Operation) -> Option<TokenStream> {
    let body = op.body.as_ref()?;
    let (name, object) = body_object(api, op)?;
    if body.flags.is_empty() {
        return None;
    }
    let entries = body.flags.iter().filter_map(|flag| {
        let (ty, doc, presence, deprecated, group) =
            match object.fields.iter().find(|f| f.json_name == flag.field) {
                Some(f) => (&f.ty, &f.doc, f.presence(), f.deprecated.is_some(), None),
                None => {
                    let (g, v) = object.one_of.iter().find_map(|g| {
                        g.variants
                            .iter()
                            .find(|v| v.json_name == flag.field)
                            .map(|v| (g, v))
                    })?;
                    let group = g.variants.first().map(|v| format!("group:{}", v.json_name));
                    (&v.ty, &v.doc, Presence::Optional, false, group)
                }
            };
        Some(entry(
            api,
            &flag.field,
            &flag.flag,
            ty,
            doc,
            presence,
            deprecated,
            group,
        ))
    });
    let table = table_name(op);
    let doc = format!("The fields of `{}`'s body, a `{name}`, as flags.", op.id);
    Some(quote! {
        #[doc = #doc]
        const #table: &[crate::body::Field] = &[#(#entries),*];
    })
}

/// One `crate::body::Field`. Its clap id is `body:<flag>` (parameters' ids are their Rust
/// names, which have no `:`); a `one_of` member's `group` is `group:<first member>`, unique in
/// the type.
#[allow(
    clippy::too_many_arguments,
    reason = "one entry's facts, each from the IR"
)]
fn entry(
    api: &Api,
    json: &str,
    flag: &str,
    ty: &Ty,
    doc: &str,
    presence: Presence,
    deprecated: bool,
    group: Option<String>,
) -> TokenStream {
    let (element, list) = match ty {
        Ty::List(inner) => match kind(api, inner, 0) {
            Kind::Json => (Kind::Json, false),
            k => (k, true),
        },
        ty => (kind(api, ty, 0), false),
    };
    let money = matches!(element, Kind::Number("i64")) && is_money(api, ty);
    let help = summary(doc).to_string();
    let mut long_help = doc.trim().to_string();
    if money {
        long_help.push_str("\n\nIn minor units of the currency (cents): 1250 is 12.50.");
    }
    match &element {
        Kind::Timestamp => long_help.push_str(
            "\n\nMilliseconds since the epoch (1714564800000), RFC 3339 \
             (2024-05-01T12:00:00Z) or a date (2024-05-01, midnight UTC).",
        ),
        Kind::Enum { open: true, .. } => long_help.push_str(
            "\n\nThe known values are listed; any other is sent as given, with a warning.",
        ),
        Kind::Json if !list => {
            long_help.push_str("\n\nJSON text (anything else is sent as a string).")
        }
        _ => {}
    }
    if list {
        long_help.push_str("\n\nRepeat the flag for several values.");
    }
    let kind = match &element {
        Kind::Text => quote!(crate::body::Kind::Text),
        Kind::Bool => quote!(crate::body::Kind::Bool),
        Kind::Number("f64") => quote!(crate::body::Kind::Float),
        Kind::Number(_) => quote!(crate::body::Kind::Integer),
        Kind::Timestamp => quote!(crate::body::Kind::Time),
        Kind::Enum { values, open } => quote!(crate::body::Kind::Enum {
            values: &[#(#values),*],
            open: #open,
        }),
        Kind::Json => quote!(crate::body::Kind::Json),
    };
    let value_name = match &element {
        Kind::Bool => "BOOL".to_string(),
        Kind::Timestamp => "TIME".to_string(),
        Kind::Json => "JSON".to_string(),
        _ if money => "CENTS".to_string(),
        _ => flag.to_ascii_uppercase().replace('-', "_"),
    };
    let id = format!("body:{flag}");
    let required = presence == Presence::Required;
    let null_default = presence == Presence::RequiredNullable;
    let group = match group {
        Some(g) => quote!(::core::option::Option::Some(#g)),
        None => quote!(::core::option::Option::None),
    };
    quote! {
        crate::body::Field {
            id: #id,
            name: #json,
            flag: #flag,
            value_name: #value_name,
            help: #help,
            long_help: #long_help,
            kind: #kind,
            list: #list,
            required: #required,
            null_default: #null_default,
            group: #group,
            deprecated: #deprecated,
        }
    }
}

fn is_money(api: &Api, ty: &Ty) -> bool {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            Ty::Money => return true,
            Ty::List(inner) => ty = inner,
            Ty::Named(name, _) => match api.type_def(name) {
                Some(t) => match &t.kind {
                    TypeKind::Alias(target) => ty = target,
                    _ => return false,
                },
                None => return false,
            },
            _ => return false,
        }
    }
    false
}

/// The reader function of an operation with a one_of body, if it has one. Models are
/// `#[non_exhaustive]`, so it builds the value as a dependent would: the constructor (`new` or
/// `builder()`) takes the required fields and the groups, then the other fields are assigned.
pub fn reader(api: &Api, op: &Operation) -> Option<TokenStream> {
    let (name, object) = one_of_body(api, op)?;
    let module = ident(&api.module);
    let models = quote!(partnerstack::#module::models::);
    let ty = ident(name);
    let reader = reader_name(op);
    // Constructor arguments in the order `new(…)` takes them: required fields, then groups.
    let required = object.fields.iter().filter(|f| !f.optional()).map(|f| {
        let wire = &f.json_name;
        let field_ty = rust_type_in(&f.ty, &models, &quote!(partnerstack));
        (
            ident(&f.rust_name),
            quote!(crate::args::required_field::<#field_ty>(&mut data, #wire)?),
        )
    });
    let groups = object.one_of.iter().map(|g| {
        let enum_name = ident(&g.enum_name);
        let members: Vec<&str> = g.variants.iter().map(|v| v.json_name.as_str()).collect();
        let arms = g.variants.iter().map(|v| {
            let wire = &v.json_name;
            let variant = ident(&v.variant);
            quote! {
                (#wire, value) => #models #enum_name::#variant(
                    crate::args::field_value(#wire, value)?,
                ),
            }
        });
        let value = quote! {
            match crate::args::one_of(&mut data, &[#(#members),*])? {
                #(#arms)*
                (other, _) => return Err(crate::exit::Failure::data(
                    format!("--data: unexpected field `{other}`"),
                )),
            }
        };
        (ident(&g.rust_name), value)
    });
    let args: Vec<_> = required.chain(groups).collect();
    let constructor = if object.builder.is_some() {
        let setters = args.iter().map(|(name, value)| quote!(.#name(#value)));
        quote!(#models #ty::builder() #(#setters)* .build())
    } else {
        let values = args.iter().map(|(_, value)| value);
        quote!(#models #ty::new(#(#values),*))
    };
    let optional = object.fields.iter().filter(|f| f.optional()).map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.json_name;
        quote!(body.#field = crate::args::optional_field(&mut data, #wire)?;)
    });
    let data = if has_flags(op) {
        let table = table_name(op);
        quote!(crate::body::object(matches, #table)?)
    } else {
        quote!(crate::args::data_object(matches)?)
    };
    let doc = format!(
        "Reads the flags and `--data` into a `{name}`: exactly one field of each `one_of` \
         group, the required fields, the optional ones when present, and the rest into `extra`."
    );
    Some(quote! {
        #[doc = #doc]
        #[allow(deprecated, reason = "every field is read, deprecated ones too")]
        fn #reader(
            matches: &clap::ArgMatches,
        ) -> Result<#models #ty, crate::exit::Failure> {
            let mut data = #data;
            let mut body = #constructor;
            #(#optional)*
            body.extra = data.into_iter().map(|(k, v)| (k, v.into())).collect();
            Ok(body)
        }
    })
}

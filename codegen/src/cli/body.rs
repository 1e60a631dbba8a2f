//! Reading `--data` into an operation's body type.
//!
//! Most body types decode with serde. A type with `one_of` groups is only ever sent, so the
//! client gives it no `Deserialize` (a flattened enum beside the flattened `extra` map is
//! ambiguous to decode); for those the command line emits a function that takes the JSON
//! object apart field by field: exactly one member of each group, every required field, the
//! optional ones when present, and the rest into `extra`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::ident;
use crate::ir::{Api, Object, Operation, Ty, TypeKind};

/// The object type of an operation's body when it has `one_of` groups.
fn one_of_body<'a>(api: &'a Api, op: &Operation) -> Option<(&'a str, &'a Object)> {
    let Ty::Named(name, _) = &op.body.as_ref()?.ty else {
        return None;
    };
    let def = api.types.iter().find(|t| &t.name == name)?;
    match &def.kind {
        TypeKind::Object(o) if !o.one_of.is_empty() => Some((&def.name, o)),
        _ => None,
    }
}

/// The name of the function reading an operation's one_of body.
fn reader_name(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}_body", op.method_name.trim_start_matches("r#")))
}

/// The expression giving the body, evaluated with `matches` in scope.
pub fn expression(api: &Api, op: &Operation) -> Option<TokenStream> {
    op.body.as_ref()?;
    Some(match one_of_body(api, op) {
        Some(_) => {
            let reader = reader_name(op);
            quote!(#reader(matches)?)
        }
        None => quote!(crate::args::data(matches)?),
    })
}

/// The reader function of an operation with a one_of body, if it has one.
pub fn reader(api: &Api, op: &Operation) -> Option<TokenStream> {
    let (name, object) = one_of_body(api, op)?;
    let module = ident(&api.module);
    let ty = ident(name);
    let reader = reader_name(op);
    let fields = object.fields.iter().map(|f| {
        let field = ident(&f.rust_name);
        let wire = &f.json_name;
        if f.optional() {
            quote!(#field: crate::args::optional_field(&mut data, #wire)?,)
        } else {
            quote!(#field: crate::args::required_field(&mut data, #wire)?,)
        }
    });
    let groups = object.one_of.iter().map(|g| {
        let field = ident(&g.rust_name);
        let enum_name = ident(&g.enum_name);
        let members: Vec<&str> = g.variants.iter().map(|v| v.json_name.as_str()).collect();
        let arms = g.variants.iter().map(|v| {
            let wire = &v.json_name;
            let variant = ident(&v.variant);
            quote! {
                (#wire, value) => partnerstack::#module::models::#enum_name::#variant(
                    crate::args::field_value(#wire, value)?,
                ),
            }
        });
        quote! {
            #field: match crate::args::one_of(&mut data, &[#(#members),*])? {
                #(#arms)*
                (other, _) => return Err(crate::exit::Failure::data(
                    format!("--data: unexpected field `{other}`"),
                )),
            },
        }
    });
    let doc = format!(
        "Reads `--data` into a `{name}`: exactly one field of each `one_of` group, the \
         required fields, the optional ones when present, and the rest into `extra`."
    );
    Some(quote! {
        #[doc = #doc]
        #[allow(deprecated, reason = "every field is read, deprecated ones too")]
        fn #reader(
            matches: &clap::ArgMatches,
        ) -> Result<partnerstack::#module::models::#ty, crate::exit::Failure> {
            let mut data = crate::args::data_object(matches)?;
            Ok(partnerstack::#module::models::#ty {
                #(#groups)*
                #(#fields)*
                extra: data,
            })
        }
    })
}

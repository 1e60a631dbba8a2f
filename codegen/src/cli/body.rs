//! Reading `--data` into an operation's body type.
//!
//! Most body types decode with serde. A type with `one_of` groups is only ever sent, so the
//! client gives it no `Deserialize` (a flattened enum beside the flattened `extra` map is
//! ambiguous to decode); for those the command line emits a function that takes the JSON
//! object apart field by field: exactly one member of each group, every required field, the
//! optional ones when present, and the rest into `extra`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit::tokens::{ident, rust_type_in};
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
    let doc = format!(
        "Reads `--data` into a `{name}`: exactly one field of each `one_of` group, the \
         required fields, the optional ones when present, and the rest into `extra`."
    );
    Some(quote! {
        #[doc = #doc]
        #[allow(deprecated, reason = "every field is read, deprecated ones too")]
        fn #reader(
            matches: &clap::ArgMatches,
        ) -> Result<#models #ty, crate::exit::Failure> {
            let mut data = crate::args::data_object(matches)?;
            let mut body = #constructor;
            #(#optional)*
            body.extra = data.into_iter().map(|(k, v)| (k, v.into())).collect();
            Ok(body)
        }
    })
}

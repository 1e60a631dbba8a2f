//! Structs for object types, each with a constructor (`new` or `builder()`) and a setter per
//! other field, and for `one_of` groups an enum per group.
//!
//! Every struct and enum is `#[non_exhaustive]`: a dependent cannot build one with a struct
//! literal or match one exhaustively, so a field or variant the API adds later is a minor
//! release. Everything a literal could set is settable through the constructor and setters.

use proc_macro2::TokenStream;
use quote::quote;

use super::deserialize;
use super::tokens::{doc, ident, rust_type};
use crate::ir::{Api, Field, Object, OneOf, Presence, Ty, TypeDef};
use crate::names::unraw;

/// A model struct: public fields named as in JSON, unknown JSON fields kept in `extra`.
pub fn emit(api: &Api, def: &TypeDef, object: &Object) -> TokenStream {
    let name = ident(&def.name);
    let fields = object.fields.iter().map(field);
    let groups = object.one_of.iter().map(|g| {
        let field = ident(&g.rust_name);
        let ty = ident(&g.enum_name);
        let docs = doc(&g.doc);
        quote! {
            #docs
            #[serde(flatten)]
            pub #field: #ty,
        }
    });
    // A struct with a `one_of` group is only ever sent, never received: a flattened enum next
    // to the flattened `extra` map cannot be decoded unambiguously. The others get a decoder
    // written out, not derived: the derive buffers every field of a struct with `flatten`.
    let derives = quote!(#[derive(Debug, Clone, PartialEq, serde::Serialize)]);
    let deserialize = object
        .one_of
        .is_empty()
        .then(|| deserialize::emit(def, object));
    let default = constructor_args(object)
        .is_empty()
        .then(|| quote!(#[derive(Default)]));
    let mut text = def.doc.clone();
    text.push_str(&units_doc(object));
    text.push_str(&presence_doc(object));
    text.push_str(&construction_doc(object));
    if let Some(example) = super::example::model(api, def, object) {
        text.push_str("\n\n");
        text.push_str(&example);
    }
    let docs = doc(&text);
    let builder = builder(&name, object);
    let enums = object.one_of.iter().map(one_of_enum);
    let extra = ident(&object.extra);
    quote! {
        #docs
        #derives
        #default
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
            #(#groups)*
            /// JSON fields the spec does not describe: kept as received, and written back
            /// when serialized, so nothing is lost and a field the spec lacks can be sent.
            #[serde(flatten)]
            pub #extra: crate::JsonMap,
        }
        #builder
        #(#enums)*
        #deserialize
    }
}

fn field(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let ty = field_type(f);
    let docs = doc(&field_doc(f));
    let rename = (unraw(&f.rust_name) != f.json_name).then(|| {
        let json = &f.json_name;
        quote!(#[serde(rename = #json)])
    });
    // `None` is written the way the spec says the API writes "no value": `null` for a field
    // that is always present, nothing for one that may be absent. A value whose JSON has the
    // shape the spec describes therefore serializes back to that JSON.
    let presence = match f.presence() {
        Presence::Required | Presence::RequiredNullable => None,
        Presence::Optional => {
            Some(quote!(#[serde(default, skip_serializing_if = "Option::is_none")]))
        }
        Presence::OptionalNullable => {
            Some(quote!(#[serde(default, skip_serializing_if = "crate::Nullable::is_absent")]))
        }
    };
    let deprecated = deprecated(f);
    quote! {
        #docs
        #rename
        #presence
        #deprecated
        pub #name: #ty,
    }
}

fn field_type(f: &Field) -> TokenStream {
    let ty = rust_type(&f.ty, &quote!(super::));
    match f.presence() {
        Presence::Required => ty,
        Presence::RequiredNullable | Presence::Optional => quote!(Option<#ty>),
        Presence::OptionalNullable => quote!(crate::Nullable<#ty>),
    }
}

fn deprecated(f: &Field) -> Option<TokenStream> {
    f.deprecated
        .as_ref()
        .map(|note| quote!(#[deprecated(note = #note)]))
}

/// The field's doc. It depends on the field alone, so adding or changing a field changes no
/// other field's docs. What repeats across fields is said once, in the model's docs: how
/// `Option` and `Nullable` map absence and null ([`presence_doc`]) and the units
/// ([`units_doc`]).
fn field_doc(f: &Field) -> String {
    f.doc.clone()
}

/// Whether `ty` holds a value of `unit` (inside an `Option`, a list, a map or a `Loose`).
fn holds(ty: &Ty, unit: &Ty) -> bool {
    match ty {
        Ty::List(inner) | Ty::Map(inner) | Ty::Loose(inner) => holds(inner, unit),
        other => other == unit,
    }
}

/// One paragraph naming the units of the model's timestamp and amount fields, once.
fn units_doc(object: &Object) -> String {
    let named = |unit: &Ty| -> Vec<String> {
        object
            .fields
            .iter()
            .filter(|f| holds(&f.ty, unit))
            .map(|f| format!("`{}`", unraw(&f.rust_name)))
            .collect()
    };
    let mut sentences = Vec::new();
    // Timestamps have a type of their own, so they need no names; amounts are plain integers.
    if !named(&Ty::Timestamp).is_empty() {
        sentences.push(
            "Points in time are [`Timestamp`](crate::Timestamp)s: milliseconds since the Unix \
             epoch, printed as RFC 3339."
                .to_string(),
        );
    }
    let amounts = named(&Ty::Money);
    if !amounts.is_empty() {
        sentences.push(format!(
            "Amounts ({}) are integers in the currency's minor unit: cents for USD, so \
             `2500` is $25.00.",
            amounts.join(", ")
        ));
    }
    if sentences.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", sentences.join(" "))
    }
}

/// One paragraph on how the model's field types map absence and null, naming only the kinds
/// its fields have.
fn presence_doc(object: &Object) -> String {
    let has = |p: Presence| object.fields.iter().any(|f| f.presence() == p);
    let mut sentences = Vec::new();
    if has(Presence::Required) {
        sentences.push("A plain field is always present and never null.");
    }
    let always_present: Vec<String> = object
        .fields
        .iter()
        .filter(|f| f.presence() == Presence::RequiredNullable)
        .map(|f| format!("`{}`", unraw(&f.rust_name)))
        .collect();
    let listed;
    match (has(Presence::RequiredNullable), has(Presence::Optional)) {
        (true, true) => {
            listed = format!(
                "An `Option` field may be absent (never null), except {}: always present, with \
                 `None` for `null`. `None` is written back the way the API writes it.",
                always_present.join(", ")
            );
            sentences.push(&listed);
        }
        (true, false) => {
            sentences.push("An `Option` field is always present; `None` is its `null`.")
        }
        (false, true) => sentences.push(
            "An `Option` field may be absent (never null); `None` is left out when serialized.",
        ),
        (false, false) => {}
    }
    if has(Presence::OptionalNullable) {
        sentences.push(
            "A [`Nullable`](crate::Nullable) field may be absent or null, and keeps the two \
             apart (in an update: leave unchanged, or clear).",
        );
    }
    if sentences.is_empty() {
        String::new()
    } else {
        format!("\n\n{}", sentences.join(" "))
    }
}

/// The enum of a `one_of` group: one variant per member field.
fn one_of_enum(g: &OneOf) -> TokenStream {
    let name = ident(&g.enum_name);
    let docs = doc(&format!(
        "{}\n\nExactly one is sent, so a value with none or several cannot be built.",
        g.doc
    ));
    let variants = g.variants.iter().map(|v| {
        let variant = ident(&v.variant);
        let wire = &v.json_name;
        let ty = rust_type(&v.ty, &quote!(super::));
        let docs = doc(&format!("{}\n\nSent as `{wire}`.", v.doc));
        quote!(#docs #[serde(rename = #wire)] #variant(#ty),)
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }
    }
}

/// A constructor argument: a field that must be sent with a value, or a `one_of` group.
struct Arg {
    /// The field's name, also the argument's and setter's.
    name: proc_macro2::Ident,
    /// What the argument takes (`impl Into<String>` for a `String`).
    arg: TokenStream,
    /// How the argument becomes the field's value.
    value: TokenStream,
    /// The field's type.
    ty: TokenStream,
    /// The field's doc, for a builder's setter.
    doc: String,
    /// The field's `#[deprecated]`, for a builder's setter.
    deprecated: Option<TokenStream>,
}

/// Constructor arguments: fields that must be sent with a value (required and not nullable)
/// and `one_of` groups, in declaration order. A required field that may be null starts as
/// `null` and has a setter, so `new` never takes an `Option` among its arguments.
fn constructor_args(object: &Object) -> Vec<Arg> {
    let fields = object
        .fields
        .iter()
        .filter(|f| f.presence() == Presence::Required)
        .map(|f| {
            let name = ident(&f.rust_name);
            let (arg, value) = setter_arg(&f.ty, &name);
            Arg {
                name,
                arg,
                value,
                ty: field_type(f),
                doc: f.doc.clone(),
                deprecated: deprecated(f),
            }
        });
    let groups = object.one_of.iter().map(|g| {
        let name = ident(&g.rust_name);
        let ty = ident(&g.enum_name);
        Arg {
            value: quote!(#name),
            name,
            arg: quote!(#ty),
            ty: quote!(#ty),
            doc: g.doc.clone(),
            deprecated: None,
        }
    });
    fields.chain(groups).collect()
}

/// Whether a model has a setter for the field: every field `new` does not take.
fn has_setter(f: &Field) -> bool {
    f.presence() != Presence::Required
}

/// How a model's docs say to build one: with `new(…)`, or with `builder()` when it has two or
/// more required fields.
fn construction_doc(object: &Object) -> String {
    let args = constructor_args(object).len();
    let text = match (object.input, &object.builder) {
        (false, None) => {
            "Received from the API. For test data, `new(…)` takes the fields that are always \
             present and non-null and leaves every `Option` and `Nullable` empty; a setter per \
             other field sets it (`Model::new(…).field(value)`)."
        }
        (false, Some(_)) => {
            "Received from the API. For test data, `builder()` takes the fields that are always \
             present and non-null, each by name, and `build()` leaves every `Option` and \
             `Nullable` empty; a setter per other field sets it \
             (`Model::builder()….build().field(value)`)."
        }
        (true, None) if args == 0 => "Build one with `new()` (or `default()`) and the setters.",
        (true, None) => {
            "Build one with `new(…)`, which takes the field that must be sent with a value, and \
             the setters (a field that may be null starts as `null`)."
        }
        (true, Some(_)) => {
            "Build one with `builder()`, which takes each field that must be sent with a value \
             by name, in any order (`build()` exists once all are set), then the setters (a \
             field that may be null starts as `null`)."
        }
    };
    format!("\n\n{text}")
}

/// `new(…)` (or `builder()`) and a setter per optional field (plus `clear_…` for nullable
/// ones).
fn builder(name: &proc_macro2::Ident, object: &Object) -> TokenStream {
    let args = constructor_args(object);
    let extra = ident(&object.extra);
    let defaults = object
        .fields
        .iter()
        .filter(|f| has_setter(f))
        .map(|f| {
            let n = ident(&f.rust_name);
            quote!(#n: Default::default())
        })
        .chain([quote!(#extra: crate::JsonMap::new())]);
    // Models are `#[non_exhaustive]`, so the setters are how a field `new` does not take is set:
    // on body types to send it, on the others for test data.
    let setters = object.fields.iter().filter(|f| has_setter(f)).map(setter);
    let deprecated_inside = object.fields.iter().any(|f| f.deprecated.is_some());
    let allow = deprecated_inside.then(|| quote!(#[allow(deprecated)]));
    let (constructor, typestate) = match &object.builder {
        None => {
            let params = args.iter().map(|a| {
                let (n, ty) = (&a.name, &a.arg);
                quote!(#n: #ty)
            });
            let inits = args.iter().map(|a| init(&a.name, &a.value));
            let constructor = quote! {
                /// A value with the fields that are always present and non-null set, every
                /// other field left out (or `null` where it must be present).
                #allow
                pub fn new(#(#params),*) -> Self {
                    Self {
                        #(#inits,)*
                        #(#defaults,)*
                    }
                }
            };
            (constructor, None)
        }
        Some(b) => {
            let builder = ident(&b.name);
            let missing = args.iter().map(|a| {
                let n = &a.name;
                quote!(#n: crate::Missing)
            });
            let constructor = quote! {
                /// Starts a value: set each field that is always present and non-null by name
                /// on the builder, then call `build()`.
                pub fn builder() -> #builder {
                    #builder { #(#missing,)* }
                }
            };
            let model_defaults = quote!(#(#defaults,)*);
            (
                constructor,
                Some(typestate(
                    name,
                    &builder,
                    &b.params,
                    &args,
                    model_defaults,
                    allow,
                )),
            )
        }
    };
    quote! {
        impl #name {
            #constructor

            #(#setters)*
        }
        #typestate
    }
}

/// A field initializer, in shorthand when the value is the argument itself (as clippy wants).
fn init(name: &proc_macro2::Ident, value: &TokenStream) -> TokenStream {
    if *name == value.to_string() {
        quote!(#name)
    } else {
        quote!(#name: #value)
    }
}

/// The builder of a model with two or more constructor arguments: one type parameter per
/// argument, `crate::Missing` until its setter is called, and `build()` bounded on all being
/// set, so a forgotten field does not compile and none can be passed in the wrong place.
fn typestate(
    model: &proc_macro2::Ident,
    builder: &proc_macro2::Ident,
    params: &[crate::names::Ident],
    args: &[Arg],
    defaults: TokenStream,
    allow: Option<TokenStream>,
) -> TokenStream {
    let params: Vec<_> = params.iter().map(ident).collect();
    let names: Vec<_> = args.iter().map(|a| a.name.clone()).collect();
    let docs = doc(&format!(
        "Builds a [`{model}`]: [`{model}::builder`] starts it, a setter per required field \
         sets that field (its type parameter turns from [`Missing`](crate::Missing) into the \
         field's type), and `build()` exists once none is `Missing`."
    ));
    let setters = args.iter().enumerate().map(|(i, a)| {
        let (n, arg, value, ty) = (&a.name, &a.arg, &a.value, &a.ty);
        let out = params
            .iter()
            .enumerate()
            .map(|(j, p)| if i == j { ty.clone() } else { quote!(#p) });
        let moved = names.iter().enumerate().map(|(j, other)| {
            if i == j {
                init(other, value)
            } else {
                quote!(#other: self.#other)
            }
        });
        let setter_docs = doc(&a.doc);
        let deprecated = a.deprecated.clone();
        quote! {
            #setter_docs
            #deprecated
            pub fn #n(self, #n: #arg) -> #builder<#(#out),*> {
                #builder { #(#moved,)* }
            }
        }
    });
    let bounds = params.iter().zip(args).map(|(p, a)| {
        let ty = &a.ty;
        quote!(#p: crate::IsSet<#ty>)
    });
    let fields = names.iter().zip(&params).map(|(n, p)| quote!(#n: #p));
    quote! {
        #docs
        #[derive(Debug, Clone)]
        #[must_use = "a builder does nothing until `build()` is called"]
        pub struct #builder<#(#params = crate::Missing),*> {
            #(#fields,)*
        }
        // Each setter names the builder with every parameter: long, but spelled out by design.
        #[allow(clippy::type_complexity)]
        impl<#(#params),*> #builder<#(#params),*> {
            #(#setters)*

            /// The value, with every other field left out (or `null` where it must be
            /// present). Exists once every required field is set.
            #allow
            pub fn build(self) -> #model
            where
                #(#bounds,)*
            {
                #model {
                    #(#names: crate::IsSet::into_value(self.#names),)*
                    #defaults
                }
            }
        }
    }
}

fn setter(f: &Field) -> TokenStream {
    let name = ident(&f.rust_name);
    let method = ident(f.setter.as_ref().unwrap_or(&f.rust_name));
    let (arg, value) = setter_arg(&f.ty, &name);
    // Callers of the setter are warned by its own `#[deprecated]`; its body may use the field.
    let deprecated = deprecated(f).map(|d| quote!(#d #[allow(deprecated)]));
    let docs = doc(&f.doc);
    match (f.presence(), &f.clear_setter) {
        (Presence::OptionalNullable, Some(clear)) => {
            let clear = ident(clear);
            let clear_doc = doc(&format!(
                "Sends `{}` as `null` (in an update: clears it).",
                f.json_name
            ));
            quote! {
                #docs
                #deprecated
                pub fn #method(mut self, #name: #arg) -> Self {
                    self.#name = crate::Nullable::Value(#value);
                    self
                }

                #clear_doc
                #deprecated
                pub fn #clear(mut self) -> Self {
                    self.#name = crate::Nullable::Null;
                    self
                }
            }
        }
        (Presence::OptionalNullable, None) => quote! {
            #docs
            #deprecated
            pub fn #method(mut self, #name: #arg) -> Self {
                self.#name = crate::Nullable::Value(#value);
                self
            }
        },
        _ => quote! {
            #docs
            #deprecated
            pub fn #method(mut self, #name: #arg) -> Self {
                self.#name = Some(#value);
                self
            }
        },
    }
}

/// The argument type a setter takes for a field type, and how it becomes the field's value.
fn setter_arg(ty: &Ty, name: &proc_macro2::Ident) -> (TokenStream, TokenStream) {
    match ty {
        Ty::String => (quote!(impl Into<String>), quote!(#name.into())),
        Ty::Json => (quote!(impl Into<crate::RawJson>), quote!(#name.into())),
        Ty::Map(inner) if **inner == Ty::Json => (
            quote!(impl IntoIterator<Item = (String, impl Into<crate::RawJson>)>),
            quote!(#name.into_iter().map(|(k, v)| (k, v.into())).collect()),
        ),
        Ty::List(inner) if **inner == Ty::String => (
            quote!(impl IntoIterator<Item = impl Into<String>>),
            quote!(#name.into_iter().map(Into::into).collect()),
        ),
        Ty::List(inner) => {
            let inner = rust_type(inner, &quote!(super::));
            (
                quote!(impl IntoIterator<Item = #inner>),
                quote!(#name.into_iter().collect()),
            )
        }
        other => (rust_type(other, &quote!(super::)), quote!(#name)),
    }
}

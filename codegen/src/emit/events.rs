//! `<api>/events.rs`: the `Event` enum of what PartnerStack delivers, one variant per known
//! event and one for any other, with `from_slice`, `name`, `is_unknown`, `is_test` (postbacks)
//! and `Serialize` giving back the JSON received.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, inner_doc, rust_type};
use crate::ir::{EventEnvelope, Events, NamedKind, Ty};

/// The tokens of `<api>/events.rs`.
pub fn emit(module: &str, events: &Events) -> TokenStream {
    let (wrapper, shape, what) = match events.envelope {
        EventEnvelope::Postback => (
            quote!(crate::Postback),
            "a postback: `{\"event\": …, \"data\": {…}, \"test\": …}`, the payload in `data`",
            "postback",
        ),
        EventEnvelope::Flat => (
            quote!(crate::Webhook),
            "a webhook: the payload's own fields, with `event` among them",
            "webhook",
        ),
    };
    let mut module_doc = format!(
        "{}\n\nEach delivery is {shape}. Parse a body with [`Event::from_slice`]; an event this \
         version does not know arrives as [`Event::Unknown`], and a known one whose payload does not \
         fit its type as [`Event::Malformed`], each with the whole body exactly as received, so \
         nothing is lost: store it and answer 2xx. Names match in either spelling: \
         `customer.created` is `customer_created`.\n\n\
         Serializing an event gives back the JSON received, as an equal JSON value: numbers \
         digit for digit, `null` kept apart from absent, unknown fields kept (key order and \
         whitespace are not kept; store the body's bytes when those matter).\n\n\
         PartnerStack signs no delivery (no signature header is documented or seen): receive \
         them over HTTPS at a URL with an unguessable secret in it, compare that secret in \
         constant time, and answer 2xx quickly.\n\n# Events\n",
        events.doc
    );
    for k in &events.kinds {
        let names: Vec<String> = k.names.iter().map(|n| format!("`{n}`")).collect();
        module_doc.push_str(&format!(
            "\n- [`Event::{}`] — {}",
            k.variant,
            names.join(", ")
        ));
    }
    let docs = inner_doc(&module_doc);
    let models = quote!(super::models::);

    let (unknown, malformed) = (ident(&events.unknown), ident(&events.malformed));
    let variants = events.kinds.iter().map(|k| {
        let variant = ident(&k.variant);
        let payload = rust_type(&k.payload, &models);
        let mut spellings: Vec<&str> = k.names.iter().map(String::as_str).collect();
        for key in &k.match_names {
            if !spellings.contains(&key.as_str()) {
                spellings.push(key);
            }
        }
        let spellings: Vec<String> = spellings.iter().map(|n| format!("`{n}`")).collect();
        let docs = doc(&format!(
            "{}\n\nArrives as {}.",
            k.doc,
            spellings.join(" or ")
        ));
        quote!(#docs #variant(#wrapper<#payload>),)
    });
    let arms = events.kinds.iter().map(|k| {
        let variant = ident(&k.variant);
        let keys = &k.match_names;
        quote!(#(#keys)|* => delivery.decode().map_or_else(Self::#malformed, Self::#variant),)
    });
    let all: Vec<_> = events.kinds.iter().map(|k| ident(&k.variant)).collect();
    let enum_docs = doc(&format!(
        "One delivery from PartnerStack: a known event with its typed payload, \
         [`Event::Unknown`] for one this version does not know, or [`Event::Malformed`] for a \
         known one whose payload does not fit its type.{}",
        example(module, events)
    ));
    let is_test = (events.envelope == EventEnvelope::Postback).then(|| {
        quote! {
            /// Whether PartnerStack sent it as a test: its `test` flag is true, or it is the
            /// test event (`"event": "test"`).
            pub fn is_test(&self) -> bool {
                match self {
                    #(Self::#all(e) => e.is_test(),)*
                    Self::#unknown(e) => e.is_test(),
                    Self::#malformed(e) => e.is_test(),
                }
            }
        }
    });
    quote! {
        #docs

        /// What this API's deliveries are called in errors.
        const WHAT: &str = #what;

        #enum_docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "one value per delivery; boxing would only make matching harder")]
        pub enum Event {
            #(#variants)*
            /// An event this version of the client does not know: its name and the whole body,
            /// kept exactly as received.
            #unknown(crate::UnknownEvent),
            /// A known event whose payload does not fit its type: its name, the whole body
            /// exactly as received, and why it did not fit
            /// ([`MalformedEvent::error`](crate::MalformedEvent::error)).
            #malformed(crate::MalformedEvent),
        }

        impl Event {
            /// Parses a delivery's body.
            ///
            /// Any JSON object with the event's name in `event` is `Ok`: a known event, or
            /// [`Event::Unknown`], or [`Event::Malformed`] when a known event's payload does
            /// not fit its type. A key given twice in an object the event's types decode
            /// makes it malformed (which copy is meant is ambiguous), as it makes an API
            /// response a decode error.
            ///
            /// # Errors
            ///
            /// [`Error::Delivery`](crate::Error::Delivery) when the body is not JSON, or not
            /// an object with the event's name (a string, given once) in `event`.
            pub fn from_slice(body: &[u8]) -> crate::Result<Self> {
                let delivery = crate::events::read(body, WHAT)?;
                Ok(match crate::events::match_key(delivery.name()).as_str() {
                    #(#arms)*
                    _ => Self::#unknown(delivery.unknown()),
                })
            }

            /// The event's name exactly as received.
            pub fn name(&self) -> &str {
                match self {
                    #(Self::#all(e) => &e.event,)*
                    Self::#unknown(e) => e.name(),
                    Self::#malformed(e) => e.name(),
                }
            }

            /// Whether this version of the client does not know the event.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::#unknown(_))
            }

            /// Whether the event is known but its payload did not fit its type.
            pub fn is_malformed(&self) -> bool {
                matches!(self, Self::#malformed(_))
            }

            #is_test
        }

        /// Serializes to the JSON that was received (an equal JSON value, numbers exact), the
        /// name's spelling, `null`s and unknown fields kept.
        impl serde::Serialize for Event {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#all(e) => e.serialize(serializer),)*
                    Self::#unknown(e) => e.serialize(serializer),
                    Self::#malformed(e) => e.serialize(serializer),
                }
            }
        }
    }
}

/// A compiled example: a delivery of the first event whose payload is an object (every field
/// of a payload may be absent), an unknown one kept whole, and the JSON given back.
fn example(module: &str, events: &Events) -> String {
    let Some(kind) = events
        .kinds
        .iter()
        .find(|k| matches!(k.payload, Ty::Map(_) | Ty::Named(_, NamedKind::Object)))
    else {
        return String::new();
    };
    let (name, variant) = (&kind.names[0], &kind.variant);
    let (body, unknown, check) = match events.envelope {
        EventEnvelope::Postback => (
            format!(r#"{{"event": "{name}", "data": {{}}, "test": true}}"#),
            r#"{"event":"example.unknown","data":{"amount":123456789012345678901234567890}}"#,
            format!("assert!(matches!(event, Event::{variant}(_)) && event.is_test());"),
        ),
        EventEnvelope::Flat => (
            format!(r#"{{"event": "{name}"}}"#),
            r#"{"amount":123456789012345678901234567890,"event":"example.unknown"}"#,
            format!("assert!(matches!(event, Event::{variant}(_)));"),
        ),
    };
    format!(
        "\n\n```\nuse partnerstack::{module}::events::Event;\n\n\
         let event = Event::from_slice(br#\"{body}\"#)?;\n{check}\n\n\
         // Not known to this version: kept whole, numbers exact, and given back as received.\n\
         let other = Event::from_slice(br#\"{unknown}\"#)?;\n\
         assert!(other.is_unknown());\n\
         assert_eq!(serde_json::to_string(&other)?, r#\"{unknown}\"#);\n\
         # Ok::<(), Box<dyn std::error::Error>>(())\n```"
    )
}

//! `<api>/events.rs`: the `Event` enum of what PartnerStack delivers, one variant per known
//! event and one for any other, with `from_slice`, `name`, `is_unknown`, `is_test` (postbacks)
//! and `Serialize` giving back the JSON received.

use proc_macro2::TokenStream;
use quote::quote;

use super::tokens::{doc, ident, inner_doc, rust_type};
use crate::ir::{Api, EventEnvelope, Events};

/// The tokens of `<api>/events.rs`.
pub fn emit(api: &Api, events: &Events) -> TokenStream {
    let (wrapper, shape) = match events.envelope {
        EventEnvelope::Postback => (
            quote!(crate::Postback),
            "a postback: `{\"event\": …, \"data\": {…}, \"test\": …}`, the payload in `data`",
        ),
        EventEnvelope::Flat => (
            quote!(crate::Webhook),
            "a webhook: the payload's own fields, with `event` among them",
        ),
    };
    let mut module_doc = format!(
        "{}\n\nEach delivery is {shape}. Parse a body with [`Event::from_slice`]; an event this \
         version does not know arrives as [`Event::Unknown`] with the whole body, so nothing is \
         lost. Names match in either spelling: `customer.created` is `customer_created`.\n\n\
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
    let what = format!("{}.events", api.module);
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
        quote!(#(#keys)|* => Self::#variant(crate::events::decode(body, WHAT)?),)
    });
    let all: Vec<_> = events.kinds.iter().map(|k| ident(&k.variant)).collect();
    let is_test = (events.envelope == EventEnvelope::Postback).then(|| {
        quote! {
            /// Whether PartnerStack sent it as a test: its `test` flag is true, or it is the
            /// test event (`"event": "test"`).
            pub fn is_test(&self) -> bool {
                match self {
                    #(Self::#all(e) => e.is_test(),)*
                    Self::Unknown(e) => e.is_test(),
                }
            }
        }
    });
    quote! {
        #docs

        /// Names decode errors of this API's deliveries.
        const WHAT: &str = #what;

        /// One delivery from PartnerStack.
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant, reason = "one value per delivery; boxing would only make matching harder")]
        pub enum Event {
            #(#variants)*
            /// An event this version of the client does not know: its name and the whole body,
            /// kept as received.
            Unknown(crate::UnknownEvent),
        }

        impl Event {
            /// Parses a delivery's body.
            ///
            /// # Errors
            ///
            /// [`Error::Decode`](crate::Error::Decode) when the body is not a JSON object with
            /// the event's name in `event`, or when a known event's body does not fit its type
            /// (the error names the JSON path). An unknown event is not an error.
            pub fn from_slice(body: &[u8]) -> crate::Result<Self> {
                let (name, body) = crate::events::read(body, WHAT)?;
                Ok(match crate::events::match_key(&name).as_str() {
                    #(#arms)*
                    _ => Self::Unknown(crate::UnknownEvent::new(name, body)),
                })
            }

            /// The event's name exactly as received.
            pub fn name(&self) -> &str {
                match self {
                    #(Self::#all(e) => &e.event,)*
                    Self::Unknown(e) => e.name(),
                }
            }

            /// Whether this version of the client does not know the event.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            #is_test
        }

        /// Serializes to the JSON that was received: unknown fields and the name's spelling kept.
        impl serde::Serialize for Event {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
                match self {
                    #(Self::#all(e) => e.serialize(serializer),)*
                    Self::Unknown(e) => e.serialize(serializer),
                }
            }
        }
    }
}

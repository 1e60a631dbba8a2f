//! The `events:` block: what PartnerStack delivers (postbacks, webhooks), one enum variant per
//! known event.

use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;

impl Validator<'_> {
    pub(super) fn events(&mut self, raw: &RawEvents, types: &[TypeDef]) -> Option<Events> {
        let doc = self.doc(&raw.doc, "`events`");
        let envelope = match raw.envelope.as_ref()?.value.as_str() {
            "postback" => EventEnvelope::Postback,
            "flat" => EventEnvelope::Flat,
            other => {
                self.r.error_hint(
                    raw.envelope.as_ref().map_or(raw.loc, |e| e.loc),
                    format!("unknown event envelope `{other}`"),
                    "`postback` ({event, data, test}) or `flat` (the payload's fields, with `event` among them)",
                );
                return None;
            }
        };
        if raw.kinds.is_empty() {
            self.r.error(
                raw.loc,
                "`events` declares no `kinds`; describe at least one event",
            );
        }
        let mut variants = names::Scope::with(&[names::UNKNOWN_VARIANT]);
        let mut spellings = names::Scope::default();
        let mut kinds = Vec::new();
        for k in &raw.kinds {
            let what = format!("event `{}`", k.name.value);
            let doc = self.doc(&k.doc, &what);
            let Some(variant) = names::variant_name(&k.name.value) else {
                self.r.error_hint(
                    k.name.loc,
                    format!("{what} has no letters a variant name can be made of"),
                    "use an ASCII key for the variant and list the name as received under `names:`",
                );
                continue;
            };
            self.claim(
                &mut variants,
                &variant,
                k.name.loc,
                || format!("{what} becomes the variant `{variant}`, which `Event` already has"),
                "rename the event key; its spellings go under `names:`",
            );
            let mut declared = vec![k.name.clone()];
            declared.extend(k.names.iter().cloned());
            let mut match_names = Vec::new();
            for n in &declared {
                let key = names::event_match_key(&n.value);
                if key.is_empty() {
                    self.r.error(n.loc, format!("{what} has an empty name"));
                } else if !spellings.claim(&key) {
                    if !match_names.contains(&key) {
                        self.r.error_hint(
                            n.loc,
                            format!("the name `{}` of {what} is also another event's", n.value),
                            "dots and underscores are one spelling (`customer.created` is `customer_created`)",
                        );
                    }
                } else {
                    match_names.push(key);
                }
            }
            let Some(payload) = k.payload.as_ref().and_then(|p| self.ty(p)) else {
                continue;
            };
            if envelope == EventEnvelope::Flat && !self.flat_payload(&payload, types, k) {
                continue;
            }
            kinds.push(EventKind {
                variant,
                match_names,
                names: declared.into_iter().map(|n| n.value).collect(),
                doc,
                payload,
            });
        }
        Some(Events {
            doc,
            envelope,
            kinds,
        })
    }

    /// A flat delivery's payload is an object whose fields sit beside `event`: an object type
    /// without a field of that name, or `map<json>`.
    fn flat_payload(&mut self, payload: &Ty, types: &[TypeDef], k: &RawEventKind) -> bool {
        let at = k.payload.as_ref().map_or(k.name.loc, |p| p.loc);
        let object = match payload {
            Ty::Map(inner) if **inner == Ty::Json => return true,
            Ty::Named(name, NamedKind::Object) => types.iter().find(|d| &d.name == name),
            _ => None,
        };
        match object.map(|d| &d.kind) {
            Some(TypeKind::Object(o)) if o.fields.iter().any(|f| f.json_name == "event") => {
                self.r.error_hint(
                    at,
                    "a flat event's payload type declares `event`, which is the event's name",
                    "remove the field: `Event::name()` gives it",
                );
                false
            }
            Some(TypeKind::Object(_)) => true,
            _ => {
                self.r.error_hint(
                    at,
                    "a flat event's payload must be an object type",
                    "its fields arrive beside `event`; declare an object type or use `map<json>`",
                );
                false
            }
        }
    }
}

//! The `events:` block: what PartnerStack delivers (postbacks, webhooks), one enum variant per
//! known event.

use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;

impl Validator<'_> {
    pub(super) fn events(
        &mut self,
        raw: &RawEvents,
        types: &[TypeDef],
        store: &StoreFacts,
    ) -> Option<Events> {
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
        let mut variants = names::Scope::with(&[names::UNKNOWN_VARIANT, names::MALFORMED_VARIANT]);
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
            let fired_by = match &k.fired_by {
                Some(f) => match self.fired_by(f, store) {
                    Some(f) => Some(f),
                    None => continue,
                },
                None => None,
            };
            kinds.push(EventKind {
                variant,
                match_names,
                names: declared.into_iter().map(|n| n.value).collect(),
                doc,
                payload,
                fired_by,
            });
        }
        let targets = raw.targets.as_ref().and_then(|t| self.targets(t, types));
        Some(Events {
            doc,
            envelope,
            kinds,
            unknown: names::unknown_variant(),
            malformed: names::malformed_variant(),
            targets,
        })
    }

    /// `fired_by:` names an entity some object type of this API declares, and a change.
    fn fired_by(&mut self, f: &RawFiredBy, store: &StoreFacts) -> Option<(String, Change)> {
        let entity = f.entity.as_ref()?;
        let change = f.change.as_ref()?;
        let known: Vec<&str> = store.entities.values().map(String::as_str).collect();
        let mut ok = true;
        if !known.contains(&entity.value.as_str()) {
            let hint = match crate::diag::suggest(&entity.value, known.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "declare `entity: <name>` on the object type of the stored objects".into(),
            };
            self.r.error_hint(
                entity.loc,
                format!(
                    "no object type of this API declares the entity `{}`",
                    entity.value
                ),
                hint,
            );
            ok = false;
        }
        let change = match change.value.as_str() {
            "created" => Change::Created,
            "updated" => Change::Updated,
            "deleted" => Change::Deleted,
            other => {
                self.r.error_hint(
                    change.loc,
                    format!("unknown change `{other}`"),
                    "`created`, `updated` or `deleted`",
                );
                return None;
            }
        };
        ok.then(|| (entity.value.clone(), change))
    }

    /// `targets:` names an object type with a string field (the URL) and a list of strings
    /// (the events).
    fn targets(&mut self, t: &RawTargets, types: &[TypeDef]) -> Option<EventTargets> {
        let ty = t.ty.as_ref()?;
        let rust = self.types.get(&ty.value).map(|d| d.rust.clone());
        let Some(TypeKind::Object(o)) = rust
            .as_ref()
            .and_then(|r| types.iter().find(|d| &d.name == r))
            .map(|d| &d.kind)
        else {
            self.r.error_hint(
                ty.loc,
                format!(
                    "`targets` names `{}`, which is not an object type",
                    ty.value
                ),
                "name the object type of the stored registrations, such as `Webhook`",
            );
            return None;
        };
        let mut field = |name: &Option<Spanned<String>>, want: Ty, what: &str| {
            let name = name.as_ref()?;
            let found = o.fields.iter().find(|f| f.json_name == name.value);
            if found.is_none_or(|f| f.ty != want) {
                self.r.error_hint(
                    name.loc,
                    format!("`{}` is not a {what} field of `{}`", name.value, ty.value),
                    format!("`targets` needs the {what} field of the registrations"),
                );
                return None;
            }
            Some(name.value.clone())
        };
        let url = field(&t.url, Ty::String, "string (URL)");
        let kinds = field(
            &t.kinds,
            Ty::List(Box::new(Ty::String)),
            "list<string> (events)",
        );
        Some(EventTargets {
            ty: rust?,
            url: url?,
            kinds: kinds?,
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

//! Whose objects an API shows: `signed_in: partnership` under `api:` says its credential acts as
//! one stored object of that entity (the Partner API's key is one partner of the vendor), and
//! `owned_by:` on each object type with an entity says which of its objects that one sees.

use crate::diag::suggest;
use crate::ir::*;
use crate::spec::*;

use super::Validator;

/// `owned_by:` values that name no field.
const EVERYONE: &str = "everyone";
const SIGNED_IN: &str = "signed_in";

impl Validator<'_> {
    /// Checks `signed_in` and every `owned_by`, and records them in `facts`.
    pub(super) fn scope(&mut self, raw: &RawSpec, types: &[TypeDef], facts: &mut StoreFacts) {
        let signed_in = raw.api.as_ref().and_then(|a| a.signed_in.as_ref());
        if let Some(s) = signed_in {
            if facts.entities.values().any(|e| *e == s.value) {
                facts.signed_in = Some(s.value.clone());
            } else {
                let hint = match suggest(&s.value, facts.entities.values().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "name an entity an object type of this API declares (`entity:`)".into(),
                };
                self.r.error_hint(
                    s.loc,
                    format!(
                        "`signed_in`: no object type of this API declares the entity `{}`",
                        s.value
                    ),
                    hint,
                );
                return;
            }
        }
        let cursor = raw
            .api
            .as_ref()
            .and_then(|a| a.pagination.as_ref())
            .and_then(|p| p.cursor.as_ref())
            .map_or("key", |c| c.value.as_str());
        for (t, rust) in self.declared_types(raw) {
            let entity = facts.entities.get(&rust).cloned();
            let owned_by = t.store.owned_by.as_ref();
            let (Some(signed), Some(o)) = (&facts.signed_in, owned_by) else {
                match (&facts.signed_in, owned_by, &t.store.entity) {
                    (None, Some(o), _) => self.r.error_hint(
                        o.loc,
                        format!("`owned_by` on `{}` in an API without `signed_in`", t.name.value),
                        "say under `api:` which stored object the credential acts as, such as `signed_in: partnership`",
                    ),
                    (Some(signed), None, Some(e)) => self.r.error_hint(
                        e.loc,
                        format!(
                            "`{}` declares the entity `{}` but not which of its objects the signed-in {signed} sees",
                            t.name.value, e.value
                        ),
                        format!(
                            "add `owned_by: <field holding the {signed}'s key>`, `owned_by: everyone` or `owned_by: signed_in`"
                        ),
                    ),
                    _ => {}
                }
                continue;
            };
            let Some(entity) = entity else {
                self.r.error_hint(
                    o.loc,
                    format!("`owned_by` on `{}`, which declares no entity", t.name.value),
                    "only stored objects (`entity:`) belong to someone",
                );
                continue;
            };
            let owner = match o.value.as_str() {
                EVERYONE => Owner::Everyone,
                SIGNED_IN => Owner::SignedIn,
                field => {
                    let owned = Owned {
                        name: &t.name.value,
                        rust: &rust,
                        entity: &entity,
                        signed,
                        cursor,
                    };
                    let Some(owner) = self.owner_field(o, field, &owned, types, facts) else {
                        continue;
                    };
                    owner
                }
            };
            facts.owned_by.insert(rust, owner);
        }
    }

    /// `owned_by: <field>`: a string field of the type holding the signed-in entity's key (a
    /// field that `refers:` to it, or, on that entity's own type, its key).
    fn owner_field(
        &mut self,
        o: &Spanned<String>,
        field: &str,
        owned: &Owned<'_>,
        types: &[TypeDef],
        facts: &StoreFacts,
    ) -> Option<Owner> {
        let Owned {
            name,
            rust,
            entity,
            signed,
            cursor,
        } = *owned;
        let def = types.iter().find(|d| d.name == rust)?;
        let TypeKind::Object(object) = &def.kind else {
            return None;
        };
        let Some(f) = object.fields.iter().find(|f| f.json_name == field) else {
            let names = object.fields.iter().map(|f| f.json_name.as_str());
            let hint = match suggest(field, names) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!(
                    "name a string field holding the {signed}'s key, or write `everyone` or `signed_in`"
                ),
            };
            self.r.error_hint(
                o.loc,
                format!("`owned_by`: `{name}` has no field `{field}`"),
                hint,
            );
            return None;
        };
        let own_key = entity == signed && field == cursor;
        let refers = facts.refers.get(&(rust.to_string(), field.to_string()));
        let holds_key = matches!(refers, Some((e, None)) if e == signed);
        if f.ty != Ty::String || !(own_key || holds_key) {
            self.r.error_hint(
                o.loc,
                format!("`owned_by: {field}` on `{name}`: the field does not hold a {signed}'s key"),
                format!(
                    "name a string field with `refers: {signed}` (or, on the {signed}'s own type, its key `{cursor}`)"
                ),
            );
            return None;
        }
        Some(Owner::Field(field.to_string()))
    }
}

/// The type whose `owned_by:` names a field, and what that field must hold.
#[derive(Clone, Copy)]
struct Owned<'a> {
    /// The type's spec name.
    name: &'a str,
    /// Its Rust name.
    rust: &'a str,
    /// The entity it declares.
    entity: &'a str,
    /// The entity the credential acts as.
    signed: &'a str,
    /// The API's cursor field (an entity's own key).
    cursor: &'a str,
}

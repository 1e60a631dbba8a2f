//! What PartnerStack delivers must never be refused for a number sent as a string or a boolean
//! sent as a number (issue 21): every number, amount, timestamp and boolean that an event of
//! `spec/` carries, at any depth, is `loose<…>`, so only a value of another kind altogether
//! (an object where a number belongs) makes a delivery `Event::Malformed`.

use partnerstack_codegen::ir::{NamedKind, Ty, TypeDef, TypeKind};

/// `Type.field: type` of every field reachable from `ty` whose type is a strict scalar.
fn strict(ty: &Ty, types: &[TypeDef], seen: &mut Vec<String>, out: &mut Vec<String>) {
    fn scalar(ty: &Ty) -> bool {
        match ty {
            Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 | Ty::Money | Ty::Timestamp => true,
            Ty::List(inner) | Ty::Map(inner) => scalar(inner),
            _ => false,
        }
    }
    match ty {
        Ty::List(inner) | Ty::Map(inner) => strict(inner, types, seen, out),
        Ty::Named(name, NamedKind::Object | NamedKind::Alias)
            if !seen.contains(&name.to_string()) =>
        {
            seen.push(name.to_string());
            let Some(def) = types.iter().find(|d| &d.name == name) else {
                return;
            };
            match &def.kind {
                TypeKind::Object(o) => {
                    for f in &o.fields {
                        if scalar(&f.ty) {
                            out.push(format!("{name}.{}: {:?}", f.json_name, f.ty));
                        }
                        strict(&f.ty, types, seen, out);
                    }
                }
                TypeKind::Alias(t) => strict(t, types, seen, out),
                TypeKind::Enum(_) => {}
            }
        }
        _ => {}
    }
}

#[test]
fn every_scalar_a_delivery_carries_is_loose() {
    let apis = partnerstack_codegen::load_specs(&super::root().join("spec")).unwrap();
    let mut checked = 0;
    for api in &apis {
        let Some(events) = &api.events else { continue };
        for kind in &events.kinds {
            let mut found = Vec::new();
            strict(&kind.payload, &api.types, &mut Vec::new(), &mut found);
            assert!(
                found.is_empty(),
                "{}: event `{}` carries strict fields (declare them `loose<…>`): {found:?}",
                api.source,
                kind.names[0]
            );
            checked += 1;
        }
    }
    assert!(checked >= 19, "{checked} events checked");
}

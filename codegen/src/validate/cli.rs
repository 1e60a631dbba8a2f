//! The command line's flags, decided once the operations are built: a flag per query
//! parameter, and one per field of an object body, distinct within each operation and from the
//! command line's own flags ([`names::CLI_FLAGS`]).

use crate::ir::*;
use crate::names;
use crate::spec::*;

use super::Validator;
use super::display::resolve;

impl Validator<'_> {
    /// Writes each query parameter's flag (`Param::flag`) and each object body's field flags
    /// (`Body::flags`) into `resources`.
    pub(super) fn cli_flags(
        &mut self,
        raw: &RawSpec,
        resources: &mut [Resource],
        types: &[TypeDef],
        pagination: Option<&Pagination>,
    ) {
        // The command line's own flags, and the API's pagination flags on every operation.
        let mut own = names::Scope::with(names::CLI_FLAGS);
        for p in pagination
            .iter()
            .flat_map(|p| [&p.limit, &p.after, &p.before])
        {
            own.claim(&p.flag);
        }
        for res in resources.iter_mut() {
            for op in &mut res.operations {
                let raw_op = raw
                    .resources
                    .iter()
                    .filter(|r| names::module_name(&r.name.value).as_deref() == Some(&res.module))
                    .flat_map(|r| &r.operations)
                    .find(|o| names::value_name(&o.name.value).as_deref() == Some(&op.method_name));
                self.operation_flags(op, raw_op, types, own.clone());
            }
        }
    }

    fn operation_flags(
        &mut self,
        op: &mut Operation,
        raw: Option<&RawOperation>,
        types: &[TypeDef],
        mut taken: names::Scope,
    ) {
        for p in &mut op.query {
            let loc = raw
                .and_then(|r| r.query.iter().find(|q| q.name.value == p.wire))
                .map(|q| q.name.loc);
            let Some(flag) = names::query_flag(&p.wire) else {
                continue;
            };
            // Two wire names with one flag (`type` and `type_`): the second gives way.
            let flag = if taken.claim(&flag) {
                flag
            } else {
                let other = format!("param-{flag}");
                if !taken.claim(&other) {
                    if let Some(loc) = loc {
                        self.r.error_hint(
                            loc,
                            format!(
                                "query parameter `{}` of `{}` would be the flag `--{other}`, which another parameter has",
                                p.wire, op.id
                            ),
                            "two parameters whose names differ only in case or punctuation cannot both be flags; keep one",
                        );
                    }
                    continue;
                }
                other
            };
            p.flag = flag;
        }
        let Some(body) = &mut op.body else { return };
        let Ty::Named(name, NamedKind::Object) = resolve(&body.ty, types) else {
            return;
        };
        let Some(TypeKind::Object(object)) =
            types.iter().find(|t| &t.name == name).map(|t| &t.kind)
        else {
            return;
        };
        let fields = object.fields.iter().map(|f| f.json_name.as_str()).chain(
            object
                .one_of
                .iter()
                .flat_map(|g| &g.variants)
                .map(|v| v.json_name.as_str()),
        );
        let mut flags = Vec::new();
        for field in fields {
            let Some(flag) = names::body_flag(field, &taken) else {
                continue;
            };
            if !taken.claim(&flag) {
                if let Some(loc) = raw.and_then(|r| r.body.as_ref()).map(|b| b.loc) {
                    self.r.error_hint(
                        loc,
                        format!(
                            "field `{field}` of `{name}` would be the flag `--{flag}` of `{}`, which another flag has",
                            op.id
                        ),
                        "two fields whose names differ only in case or punctuation cannot both be flags; keep one",
                    );
                }
                continue;
            }
            flags.push(BodyFlag {
                field: field.to_string(),
                flag,
            });
        }
        body.flags = flags;
    }
}

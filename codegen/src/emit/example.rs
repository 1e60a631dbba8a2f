//! Compiled doc examples: how to build a model, and how to call each operation of a resource,
//! with a placeholder value of the right type for every argument.
//!
//! Values are written as Rust source text from the IR: a string is `"…"`, a number `2500`, a
//! timestamp `Timestamp::from_millis(…)`, an enum its first variant, an object its own
//! constructor (nested at most a few levels). Where no value can be written (a type that
//! contains itself too deeply), no example is emitted rather than one that does not compile.

use crate::ir::{Api, NamedKind, Object, Operation, Presence, Resource, Ty, TypeDef, TypeKind};
use crate::names::unraw;

/// How deep nested constructors go before giving up.
const MAX_DEPTH: u32 = 4;

/// A value of `ty`, as the argument of a constructor or setter takes it.
fn value(api: &Api, ty: &Ty, depth: u32) -> Option<String> {
    Some(match ty {
        Ty::String => "\"…\"".into(),
        Ty::Bool => "true".into(),
        Ty::I32 | Ty::I64 | Ty::Money => "2500".into(),
        Ty::F64 => "1.5".into(),
        Ty::Timestamp => "partnerstack::Timestamp::from_millis(1_700_000_000_000)".into(),
        Ty::Loose(inner) => format!("partnerstack::Loose::from({})", value(api, inner, depth)?),
        Ty::Json => "serde_json::json!({\"any\": \"JSON\"})".into(),
        // A list setter takes items of the field's type: a `RawJson`, not a `serde_json::Value`.
        Ty::List(inner) if **inner == Ty::Json => {
            "[partnerstack::RawJson::from(serde_json::json!({}))]".into()
        }
        Ty::List(inner) => format!("[{}]", value(api, inner, depth)?),
        Ty::Map(inner) if **inner == Ty::Json => "partnerstack::JsonMap::new()".into(),
        Ty::Map(_) => "Default::default()".into(),
        Ty::Named(name, kind) => {
            let def = api.type_def(name)?;
            match (&def.kind, kind) {
                (TypeKind::Enum(e), _) => format!("{name}::{}", e.values.first()?.variant),
                (TypeKind::Alias(inner), NamedKind::Alias) => match inner {
                    // An alias is its target type, without the setter's conversions.
                    Ty::Map(_) => "Default::default()".into(),
                    Ty::List(item) => format!("vec![{}]", value(api, item, depth)?),
                    Ty::Json => "partnerstack::RawJson::from(serde_json::json!({}))".into(),
                    other => value(api, other, depth)?,
                },
                (TypeKind::Object(o), _) if depth < MAX_DEPTH => construct(api, def, o, depth + 1)?,
                _ => return None,
            }
        }
    })
}

/// The expression that builds `def` from its required fields (and `one_of` groups), as its
/// docs say: `new(…)`, or `builder()…build()`.
fn construct(api: &Api, def: &TypeDef, o: &Object, depth: u32) -> Option<String> {
    let name = &def.name;
    let mut args = Vec::new();
    for f in o
        .fields
        .iter()
        .filter(|f| f.presence() == Presence::Required)
    {
        args.push((
            unraw(&f.rust_name).to_string(),
            f.rust_name.clone(),
            value(api, &f.ty, depth)?,
        ));
    }
    for g in &o.one_of {
        let first = g.variants.first()?;
        let inner = match &first.ty {
            Ty::String => "\"…\".into()".to_string(),
            other => value(api, other, depth)?,
        };
        args.push((
            g.rust_name.to_string(),
            g.rust_name.clone(),
            format!("{}::{}({inner})", g.enum_name, first.variant),
        ));
    }
    Some(match &o.builder {
        None => format!(
            "{name}::new({})",
            args.iter()
                .map(|a| a.2.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(_) => {
            let setters: String = args
                .iter()
                .map(|(_, method, v)| format!(".{method}({v})"))
                .collect();
            format!("{name}::builder(){setters}.build()")
        }
    })
}

/// A doc example that builds the model, then sets one optional field, or `None` when no value
/// of some required field can be written.
pub fn model(api: &Api, def: &TypeDef, o: &Object) -> Option<String> {
    let mut built = construct(api, def, o, 1)?;
    // One setter, to show how the fields the constructor does not take are set.
    let optional = o.fields.iter().find(|f| {
        f.presence() != Presence::Required
            && f.deprecated.is_none()
            && matches!(f.ty, Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::Money)
    });
    if let Some(f) = optional {
        let method = f.setter.as_deref().unwrap_or(&f.rust_name);
        built.push_str(&format!(".{method}({})", value(api, &f.ty, 1)?));
    }
    let built = one_call_a_line(&built);
    Some(format!(
        "```\nuse partnerstack::{module}::models::*;\n\nlet value = {built};\n```",
        module = api.module
    ))
}

/// A doc example that calls every operation of the resource once, or `None` when one of them
/// takes a body no value can be written for.
pub fn resource(api: &Api, res: &Resource) -> Option<String> {
    let mut calls = Vec::new();
    for op in &res.operations {
        calls.push(call(api, res, op)?);
    }
    Some(format!(
        "```no_run\n\
         use partnerstack::{module}::models::*;\n\n\
         # async fn run(client: partnerstack::{module}::Client) -> partnerstack::Result<()> {{\n\
         {calls}\n\
         # Ok(())\n\
         # }}\n\
         ```",
        module = api.module,
        calls = calls.join("\n"),
    ))
}

/// `let <op> = client.<resource>().<op>(<args>).send().await?;`
fn call(api: &Api, res: &Resource, op: &Operation) -> Option<String> {
    let mut args = Vec::new();
    for p in op
        .path_params
        .iter()
        .chain(op.query.iter().filter(|p| p.required))
    {
        args.push(match &p.ty {
            Ty::Map(_) => return None,
            other => value(api, other, 1)?,
        });
    }
    if let Some(body) = &op.body {
        args.push(match &body.ty {
            Ty::Named(..) => value(api, &body.ty, 1)?,
            Ty::Json => "partnerstack::RawJson::from(serde_json::json!({}))".into(),
            Ty::Map(_) => "Default::default()".into(),
            Ty::List(item) => format!("vec![{}]", value(api, item, 1)?),
            other => value(api, other, 1)?,
        });
    }
    let allow = op
        .deprecated
        .as_ref()
        .map(|_| "#[allow(deprecated)]\n")
        .unwrap_or_default();
    Some(format!(
        "{allow}let {name} = client.{res}().{method}({args}).send().await?;",
        name = local(&op.method_name),
        res = res.accessor,
        method = op.method_name,
        args = args.join(", "),
    ))
}

/// A local variable named after the operation (`r#type` becomes `type_`).
fn local(method: &str) -> String {
    let name = unraw(method);
    if method.starts_with("r#") || matches!(name, "self" | "super" | "crate" | "Self") {
        format!("{name}_")
    } else {
        format!("_{name}")
    }
}

/// The top-level method calls of a chain one a line (those inside arguments stay inline).
fn one_call_a_line(chain: &str) -> String {
    let mut out = String::with_capacity(chain.len() + 64);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut previous = ' ';
    for c in chain.chars() {
        match c {
            '"' => in_string = !in_string,
            '(' | '[' | '{' if !in_string => depth += 1,
            ')' | ']' | '}' if !in_string => depth = depth.saturating_sub(1),
            '.' if !in_string && depth == 0 && previous == ')' => out.push_str("\n    "),
            _ => {}
        }
        out.push(c);
        previous = c;
    }
    out
}

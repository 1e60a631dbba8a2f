//! The command line's generated source: `cli/generated/` is exactly what the spec gives, every
//! operation is a subcommand, and every fixture (odd names, hostile docs) emits valid Rust.

use partnerstack_codegen::cli;
use partnerstack_codegen::ir::{Api, Currency, NamedKind, Object, Response, Ty, TypeKind};

use crate::{fixtures, root};

fn apis() -> Vec<Api> {
    partnerstack_codegen::load_specs(&root().join("spec")).unwrap()
}

#[test]
fn every_operation_is_a_subcommand_calling_the_client() {
    let apis = apis();
    let files = cli::files(&apis).unwrap();
    let file = |path: &str| {
        &files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
    };
    let mut count = 0;
    for api in &apis {
        assert!(file(&format!("{}/mod.rs", api.module)).contains("crate::credentials::from_env"));
        for res in api.resources.iter().filter(|r| !r.operations.is_empty()) {
            let text = file(&format!("{}/{}.rs", api.module, res.module));
            for op in &res.operations {
                let name = op.method_name.trim_start_matches("r#").replace('_', "-");
                assert!(
                    text.contains(&format!("clap::Command::new(\"{name}\")")),
                    "{} {name}",
                    res.module
                );
                assert!(
                    text.contains(&format!("Some((\"{name}\", ")),
                    "{} {name}",
                    res.module
                );
                count += 1;
            }
        }
    }
    // Counted from the spec, never written down: a new operation needs no edit here.
    assert!(count > 0, "the spec has operations");
}

#[test]
fn credentials_come_from_partnerstack_variables() {
    let vars: Vec<Vec<String>> = apis()
        .iter()
        .map(|api| api.credentials.iter().map(|c| c.env_var.clone()).collect())
        .collect();
    assert_eq!(
        vars,
        [
            vec!["PARTNERSTACK_TRACKING_TOKEN"],
            vec!["PARTNERSTACK_API_KEY"],
            vec!["PARTNERSTACK_PUBLIC_KEY", "PARTNERSTACK_SECRET_KEY"],
        ]
    );
}

#[test]
fn every_fixture_emits_valid_rust() {
    for (name, text) in fixtures("ok") {
        let apis = partnerstack_codegen::load_sources(&[(name.clone(), text)]).unwrap();
        let files = cli::files(&apis).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(files.len() >= 2, "{name}");
    }
}

#[test]
fn a_parameter_named_like_a_global_flag_is_renamed() {
    let spec = r#"
api:
  name: fixture
  title: Fixture API
  doc: Clashes with the command line's own flags.
  base_url: https://api.example.com
  auth: bearer
  credential: api_key
types:
  Widget:
    doc: A widget.
    fields:
      key: {type: string, doc: Key.}
resources:
  widgets:
    doc: Widgets.
    operations:
      get:
        doc: Gets one widget.
        method: GET
        path: /v2/widgets/{widget_key}
        path_params:
          widget_key: {type: string, doc: The widget's key.}
        query:
          format: {type: string, doc: A format.}
          data: {type: string, doc: Some data.}
          base_url: {type: i64, doc: A number.}
        response: {object: Widget}
"#;
    let apis = partnerstack_codegen::load_sources(&[("fixture.yaml".into(), spec.into())]).unwrap();
    let files = cli::files(&apis).unwrap();
    let text = &files
        .iter()
        .find(|f| f.path == "fixture/widgets.rs")
        .unwrap()
        .contents;
    for flag in ["param-format", "param-data", "param-base-url"] {
        assert!(
            text.contains(&format!(".long(\"{flag}\")")),
            "{flag}: {text}"
        );
    }
}

/// The object type a response shows, following aliases.
fn shown_object<'a>(api: &'a Api, ty: &'a Ty) -> Option<&'a Object> {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            Ty::Named(name, _) => match &api.types.iter().find(|t| &t.name == name)?.kind {
                TypeKind::Object(o) => return Some(o),
                TypeKind::Alias(target) => ty = target,
                TypeKind::Enum(_) => return None,
            },
            _ => return None,
        }
    }
    None
}

#[test]
fn every_model_an_operation_returns_has_summary_columns() {
    let mut missing = Vec::new();
    for api in apis() {
        for res in &api.resources {
            for op in &res.operations {
                let ty = match &op.response {
                    Response::Page(item) => Ty::Named(item.ty.clone(), NamedKind::Object),
                    Response::Object(ty) | Response::List(ty) => ty.clone(),
                    Response::Message | Response::Empty => continue,
                };
                if let Some(object) = shown_object(&api, &ty)
                    && object.summary.is_empty()
                {
                    missing.push(format!("{} {}", api.module, op.id));
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "`-f table` would show every field of what these return; give the type `summary:`: {missing:?}"
    );
}

#[test]
fn amounts_know_their_currency() {
    let apis = apis();
    let field = |api: &str, ty: &str, field: &str| {
        let api = apis.iter().find(|a| a.module == api).unwrap();
        let TypeKind::Object(o) = &api.types.iter().find(|t| t.name == ty).unwrap().kind else {
            panic!("{ty} is not an object");
        };
        o.fields
            .iter()
            .find(|f| f.json_name == field)
            .unwrap()
            .currency
            .clone()
    };
    let from_field = Some(Currency::Field("currency".into()));
    let usd = Some(Currency::Code("USD".into()));
    assert_eq!(field("partner", "Reward", "amount"), from_field);
    assert_eq!(field("partner", "Reward", "amount_usd"), usd);
    assert_eq!(field("partner", "Payout", "amount"), from_field);
    assert_eq!(field("vendor", "Transaction", "amount"), from_field);
    assert_eq!(field("vendor", "Reward", "amount"), usd);
    // The reference does not say which currency a deal's amount is in.
    assert_eq!(field("vendor", "Deal", "amount"), None);
}

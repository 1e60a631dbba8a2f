//! The OpenAPI documents: `openapi/` is exactly what the spec gives; every operation, parameter
//! and field of the IR is in its API's document with the same facts; snapshots per fixture.

use std::collections::BTreeSet;

use partnerstack_codegen::ir::{Api, Envelope, Response, Ty, TypeKind};
use partnerstack_codegen::openapi;
use partnerstack_codegen::output::Marker;
use serde_json::{Value, json};

use crate::{fixtures, root, stem};

fn apis() -> Vec<Api> {
    partnerstack_codegen::load_specs(&root().join("spec")).unwrap()
}

fn documents() -> Vec<(Api, Value)> {
    let apis = apis();
    let files = openapi::documents(&apis).unwrap();
    assert_eq!(files.len(), apis.len());
    apis.into_iter()
        .zip(files)
        .map(|(api, file)| {
            assert_eq!(file.path, format!("{}.json", api.module));
            let doc = serde_json::from_str(&file.contents).unwrap();
            (api, doc)
        })
        .collect()
}

#[test]
fn one_document_per_api() {
    let apis = apis();
    let files = openapi::documents(&apis).unwrap();
    let names: Vec<_> = files.iter().map(|f| f.path.clone()).collect();
    let wanted: Vec<_> = apis.iter().map(|a| format!("{}.json", a.module)).collect();
    assert_eq!(names, wanted);
}

#[test]
fn documents_are_deterministic_and_sorted() {
    let apis = apis();
    let a = openapi::documents(&apis).unwrap();
    let b = openapi::documents(&apis).unwrap();
    assert_eq!(a, b);
    for file in &a {
        assert!(file.contents.ends_with("}\n"), "{}", file.path);
        let value: Value = serde_json::from_str(&file.contents).unwrap();
        // Parsed and written again (sorted by serde_json, or in file order with `preserve_order`)
        // it gives the same bytes: the keys are sorted at every level.
        let again = format!("{}\n", serde_json::to_string_pretty(&value).unwrap());
        assert_eq!(again, file.contents, "{}", file.path);
        assert!(Marker::JsonField.is_on(file.contents.as_bytes()));
    }
}

#[test]
fn every_operation_is_there_with_its_parameters() {
    for (api, doc) in documents() {
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["servers"][0]["url"], json!(api.base_url));
        let mut ids = BTreeSet::new();
        for resource in &api.resources {
            for op in &resource.operations {
                let method = op.http_method.as_str().to_ascii_lowercase();
                let found = &doc["paths"][&op.path_template][&method];
                assert_eq!(found["operationId"], json!(op.id), "{}", op.id);
                assert!(ids.insert(op.id.clone()), "{} twice", op.id);
                assert_eq!(found["deprecated"] == json!(true), op.deprecated.is_some());
                let params = found["parameters"].as_array().cloned().unwrap_or_default();
                let pages = matches!(op.response, Response::Page(_)) as usize;
                assert_eq!(
                    params.len(),
                    op.path_params.len() + op.query.len() + 3 * pages,
                    "{}",
                    op.id
                );
                for p in &op.path_params {
                    let param = params.iter().find(|x| x["name"] == json!(p.wire)).unwrap();
                    assert_eq!(param["in"], "path");
                    assert_eq!(param["required"], true);
                }
                for q in &op.query {
                    let param = params
                        .iter()
                        .find(|x| x["name"] == json!(q.wire) && x["in"] == "query")
                        .unwrap_or_else(|| panic!("{}: no query `{}`", op.id, q.wire));
                    assert_eq!(param["required"], json!(q.required), "{}", op.id);
                    if matches!(q.ty, Ty::List(_)) {
                        assert_eq!(param["schema"]["type"], "array");
                        assert_eq!(param["explode"], true);
                    }
                }
                assert_eq!(found.get("requestBody").is_some(), op.body.is_some());
                let success = &found["responses"]["200"];
                let schema = &success["content"]["application/json"]["schema"];
                let data = match api.envelope {
                    Envelope::DataMessageStatus if schema.get("properties").is_some() => {
                        &schema["properties"]["data"]
                    }
                    _ => schema,
                };
                if let Response::Page(item) = &op.response {
                    assert_eq!(
                        data["properties"]["items"]["items"]["$ref"],
                        json!(format!("#/components/schemas/{}", item.ty))
                    );
                    assert_eq!(data["required"], json!(["items", "has_more"]));
                }
            }
        }
        let in_doc: usize = doc["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| item.as_object().unwrap().len())
            .sum();
        assert_eq!(
            in_doc,
            ids.len(),
            "{}: operations not in the IR",
            api.module
        );
    }
}

/// Whether `schema` (inline, or a `$ref` made nullable with `anyOf`) admits `null`.
fn admits_null(schema: &Value) -> bool {
    let types = match &schema["type"] {
        Value::String(t) => vec![t.clone()],
        Value::Array(ts) => ts
            .iter()
            .filter_map(|t| t.as_str().map(String::from))
            .collect(),
        _ => vec![],
    };
    types.iter().any(|t| t == "null")
        || schema["anyOf"]
            .as_array()
            .is_some_and(|alts| alts.iter().any(|a| a["type"] == "null"))
        || schema.as_object().is_some_and(|m| {
            !m.contains_key("type") && !m.contains_key("$ref") && !m.contains_key("anyOf")
        })
}

#[test]
fn required_and_nullable_stay_apart() {
    let mut seen = BTreeSet::new();
    for (api, doc) in documents() {
        for def in &api.types {
            let schema = &doc["components"]["schemas"][def.name.as_str()];
            assert!(schema.is_object(), "{}: no schema {}", api.module, def.name);
            let TypeKind::Object(object) = &def.kind else {
                continue;
            };
            let required = schema["required"].as_array().cloned().unwrap_or_default();
            for f in &object.fields {
                let field = &schema["properties"][&f.json_name];
                assert_eq!(
                    required.contains(&json!(f.json_name)),
                    f.required,
                    "{}.{}",
                    def.name,
                    f.json_name
                );
                if f.ty != Ty::Json {
                    assert_eq!(
                        admits_null(field),
                        f.nullable,
                        "{}.{}",
                        def.name,
                        f.json_name
                    );
                }
                assert_eq!(field["deprecated"] == json!(true), f.deprecated.is_some());
                seen.insert((f.required, f.nullable));
            }
        }
    }
    assert_eq!(seen.len(), 4, "the specs use every combination: {seen:?}");
}

#[test]
fn auth_envelope_and_errors_per_api() {
    let docs = documents();
    let by_name = |m: &str| &docs.iter().find(|(a, _)| a.module == m).unwrap().1;
    let vendor = by_name("vendor");
    assert_eq!(
        vendor["components"]["securitySchemes"]["basic"]["scheme"],
        "basic"
    );
    assert_eq!(vendor["security"], json!([{"basic": []}]));
    let partner = by_name("partner");
    assert_eq!(
        partner["components"]["securitySchemes"]["bearer"],
        json!({"type": "http", "scheme": "bearer", "description": "`Authorization: Bearer <api_key>`."})
    );
    let error =
        &partner["components"]["responses"]["Error"]["content"]["application/json"]["schema"];
    assert_eq!(error["required"], json!(["message", "status"]));
    let rewards = &partner["paths"]["/api/v2/rewards"]["get"];
    let envelope = &rewards["responses"]["200"]["content"]["application/json"]["schema"];
    assert_eq!(envelope["required"], json!(["data", "message", "status"]));
    assert_eq!(
        envelope["properties"]["data"]["properties"]["total"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(
        rewards["responses"]["default"]["$ref"],
        "#/components/responses/Error"
    );

    // The conversion call answers an empty 200, outside any envelope.
    let conversion = by_name("conversion");
    let create = &conversion["paths"]["/conversion/xid"]["post"];
    assert_eq!(create["operationId"], "conversions.create");
    assert!(create["responses"]["200"].get("content").is_none());
    assert!(create["requestBody"]["content"]["application/json"]["schema"]["$ref"].is_string());
}

#[test]
fn open_enums_admit_unknown_values() {
    let docs = documents();
    let partner = &docs.iter().find(|(a, _)| a.module == "partner").unwrap().1;
    let status = &partner["components"]["schemas"]["PaymentStatus"];
    let alternatives = status["anyOf"].as_array().unwrap();
    assert!(
        alternatives[0]["enum"]
            .as_array()
            .unwrap()
            .contains(&json!("available"))
    );
    assert_eq!(alternatives[1]["type"], "string");
    assert!(alternatives[1].get("enum").is_none());
}

#[test]
fn openapi_of_each_fixture() {
    for (name, text) in fixtures("ok") {
        let apis = partnerstack_codegen::load_sources(&[(name.clone(), text)])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let files = openapi::documents(&apis).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_snapshot!(format!("openapi_{}", stem(&name)), files[0].contents);
    }
}

#[test]
fn two_operations_on_one_method_and_path_are_refused() {
    let (name, text) = fixtures("ok")
        .into_iter()
        .find(|(n, _)| stem(n) == "delete")
        .unwrap();
    let mut apis = partnerstack_codegen::load_sources(&[(name, text)]).unwrap();
    let resource = &mut apis[0].resources[0];
    let mut twin = resource.operations[0].clone();
    twin.id = format!("{}_again", twin.id);
    resource.operations.push(twin);
    let err = openapi::documents(&apis).unwrap_err().to_string();
    assert!(err.contains("are both DELETE"), "{err}");
}

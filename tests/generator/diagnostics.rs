//! The exact text a user sees for each broken spec.

use crate::{fixtures, stem};

#[test]
fn every_broken_fixture_reports_what_and_where() {
    let broken = fixtures("broken");
    assert!(broken.len() >= 15, "only {} broken fixtures", broken.len());
    for (name, text) in broken {
        let diags = match partnerstack_codegen::load(&name, &text) {
            Ok(_) => panic!("{name} should not validate"),
            Err(d) => d,
        };
        assert!(!diags.is_empty(), "{name}: no diagnostics");
        let lines = text.lines().count() as u32 + 1;
        for d in &diags.0 {
            assert_eq!(d.file, name);
            assert!(
                (1..=lines).contains(&d.loc.line) && d.loc.col >= 1,
                "{name}: position {:?} is outside the file",
                d.loc
            );
        }
        insta::assert_snapshot!(format!("diag_{}", stem(&name)), diags.to_string());
    }
}

#[test]
fn generate_reports_problems_of_every_file_at_once() {
    let broken = fixtures("broken");
    let err = partnerstack_codegen::generate_sources(&broken).unwrap_err();
    let partnerstack_codegen::Error::Spec(d) = err else {
        panic!("expected spec diagnostics, got {err}")
    };
    let files: std::collections::BTreeSet<_> = d.0.iter().map(|d| d.file.clone()).collect();
    assert_eq!(
        files.len(),
        broken.len(),
        "some broken files were not reported"
    );
}

#[test]
fn two_specs_with_one_api_name_are_refused() {
    let (name, text) = fixtures("ok").into_iter().next().unwrap();
    let err = partnerstack_codegen::generate_sources(&[
        (name.clone(), text.clone()),
        ("copy.yaml".into(), text),
    ])
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("API name `fixture` is also used by"),
        "{err}"
    );
}

#[test]
fn a_credential_named_like_the_builders_env_methods_is_refused() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ok/empty_response.yaml"
    ))
    .unwrap();
    let original = text
        .lines()
        .find(|l| l.trim_start().starts_with("credential:"))
        .expect("the fixture names its credential")
        .to_string();
    for name in ["read_env", "read_env_with"] {
        let spec = text.replace(&original, &format!("  credential: {name}"));
        let err = partnerstack_codegen::load("empty_response.yaml", &spec)
            .err()
            .unwrap_or_else(|| panic!("credential `{name}` should be refused"));
        assert!(err.to_string().contains(name), "{err}");
    }
}

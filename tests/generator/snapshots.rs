//! Snapshots of the IR and the emitted code, one fixture spec per feature.

use crate::{fixtures, stem};

#[test]
fn ir_of_each_fixture() {
    for (name, text) in fixtures("ok") {
        let api = partnerstack_codegen::load(&name, &text)
            .unwrap_or_else(|d| panic!("{name} should be valid:\n{d}"));
        insta::assert_snapshot!(format!("ir_{}", stem(&name)), format!("{api:#?}"));
    }
}

#[test]
fn code_of_each_fixture() {
    for (name, text) in fixtures("ok") {
        let files = partnerstack_codegen::generate_sources(&[(name.clone(), text)])
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        // The runtime, crate root and client are the same for every spec of one auth scheme;
        // models and endpoints are what each spec decides.
        let code: String = files
            .iter()
            .filter(|f| {
                f.path.starts_with("fixture/models/") || f.path.starts_with("fixture/endpoints/")
            })
            .map(|f| format!("=== {} ===\n{}\n", f.path, f.contents))
            .collect();
        insta::assert_snapshot!(format!("code_{}", stem(&name)), code);
    }
}

#[test]
fn client_of_each_auth_scheme() {
    for (fixture, scheme) in [("paginated", "bearer"), ("path_param", "basic")] {
        let (name, text) = fixtures("ok")
            .into_iter()
            .find(|(n, _)| stem(n) == fixture)
            .unwrap();
        let files = partnerstack_codegen::generate_sources(&[(name, text)]).unwrap();
        let code: String = files
            .iter()
            .filter(|f| f.path == "fixture/client.rs" || f.path == "fixture/mod.rs")
            .map(|f| format!("=== {} ===\n{}\n", f.path, f.contents))
            .collect();
        insta::assert_snapshot!(format!("client_{scheme}"), code);
    }
}

#[test]
fn crate_root_lists_runtime_and_apis() {
    let (name, text) = fixtures("ok")
        .into_iter()
        .find(|(n, _)| n.ends_with("paginated.yaml"))
        .unwrap();
    let files = partnerstack_codegen::generate_sources(&[(name, text)]).unwrap();
    let lib = files.iter().find(|f| f.path == "lib.rs").unwrap();
    insta::assert_snapshot!("crate_root", lib.contents);
    for rt in partnerstack_codegen::runtime::FILES {
        let file = files
            .iter()
            .find(|f| f.path == format!("{}.rs", rt.module))
            .unwrap();
        assert!(
            file.contents.starts_with("// @generated"),
            "{} lacks the header",
            file.path
        );
        assert!(
            file.contents.ends_with(rt.source),
            "{} is not verbatim",
            file.path
        );
    }
}

//! Facts the README states about the spec come from the spec: the operations of each API in
//! its table of modules are counted here, so a new endpoint fails this test (naming the row
//! and the number to write) instead of leaving the README stale.

use crate::root;

#[test]
fn readme_counts_each_apis_operations_from_the_spec() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let apis = partnerstack_codegen::load_specs(&root().join("spec")).unwrap();
    for api in &apis {
        let count: usize = api.resources.iter().map(|r| r.operations.len()).sum();
        let prefix = format!("| `partnerstack::{}` |", api.module);
        let row = readme
            .lines()
            .find(|line| line.starts_with(&prefix))
            .unwrap_or_else(|| {
                panic!(
                    "README.md has no row for API `{}` in its table of modules",
                    api.module
                )
            });
        let stated = row
            .trim_end_matches('|')
            .rsplit('|')
            .next()
            .map(str::trim)
            .unwrap_or_default();
        assert_eq!(
            stated,
            count.to_string(),
            "README.md states {stated} operations for `{}`; the spec has {count}: write {count} \
             in the last column of its row",
            api.module
        );
    }
}

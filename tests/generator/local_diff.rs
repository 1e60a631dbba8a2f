//! One spec change gives one local diff: adding one field to a model changes only the generated
//! lines that belong to that field, inside that model's file, and renumbers or rewrites nothing
//! else (no other field's docs, no decoder arm).

use std::collections::BTreeMap;

use crate::root;

const BASE: &str = "tests/fixtures/ok/everything.yaml";
const ANCHOR: &str =
    "          renamed: {type: string, required: false, rust_name: other_name, doc: Renamed.}\n";
const ADDED: &str =
    "          added_note: {type: string, required: false, nullable: true, doc: A new field.}\n";

fn generate(text: &str) -> BTreeMap<String, String> {
    let api = partnerstack_codegen::load(BASE, text).unwrap_or_else(|d| panic!("{d}"));
    partnerstack_codegen::generate_apis(vec![api])
        .unwrap()
        .into_iter()
        .map(|f| (f.path, f.contents))
        .collect()
}

/// The lines of `new` that are not in `old`, when `old`'s lines are a subsequence of `new`'s
/// (the change only inserted lines); `None` when a line of `old` was changed or removed.
fn inserted<'a>(old: &str, new: &'a str) -> Option<Vec<&'a str>> {
    let mut old_lines = old.lines().peekable();
    let mut added = Vec::new();
    for line in new.lines() {
        if old_lines.peek() == Some(&line) {
            old_lines.next();
        } else {
            added.push(line);
        }
    }
    old_lines.next().is_none().then_some(added)
}

#[test]
fn adding_a_field_inserts_only_that_fields_lines() {
    let base = std::fs::read_to_string(root().join(BASE)).unwrap();
    assert_eq!(base.matches(ANCHOR).count(), 1);
    let before = generate(&base);
    let after = generate(&base.replacen(ANCHOR, &format!("{ANCHOR}{ADDED}"), 1));

    let changed: Vec<&String> = after
        .keys()
        .filter(|path| before.get(*path) != after.get(*path))
        .collect();
    assert_eq!(
        changed,
        ["fixture/models/items.rs"],
        "only the model's file changes"
    );
    assert_eq!(before.len(), after.len(), "no file added or removed");

    let path = "fixture/models/items.rs";
    let added = inserted(&before[path], &after[path])
        .unwrap_or_else(|| panic!("a line of {path} other than the new field's was changed"));
    // The field with its doc and serde attribute, its setter and clear_ setter, its decoder
    // variant, key, local, arm and initializer: each line names the field or is its doc or
    // a brace of its own setter.
    assert!(
        added.len() <= 24,
        "{} lines inserted for one field:\n{}",
        added.len(),
        added.join("\n")
    );
    let names_it = added
        .iter()
        .filter(|line| line.contains("added_note") || line.contains("A new field."))
        .count();
    assert!(
        names_it * 2 >= added.len(),
        "most inserted lines should name the field:\n{}",
        added.join("\n")
    );

    // Inside `Item`'s part of the file: after `pub struct Item {`, before the next model.
    let text = &after[path];
    let start = text.find("pub struct Item {").unwrap();
    let end = text.find("pub struct ItemCreate {").unwrap();
    for line in added.iter().filter(|line| line.contains("added_note")) {
        let at = text.find(&format!("\n{line}\n")).unwrap();
        assert!(
            (start..end).contains(&at),
            "inserted outside `Item`: {line}"
        );
    }
}

//! Additive spec changes are semver-compatible for dependents, breaking ones are not.
//!
//! A dependent written against the client of `tests/fixtures/ok/everything.yaml`, as the docs
//! show (building models with their builders and setters, reading fields, matching enums and
//! events with a wildcard arm, building requests and calling operations), is type-checked
//! against the client regenerated after each change: every additive change (a field, a
//! parameter, an enum value, an operation, a resource, an event kind, a type) must still
//! compile, and every breaking one (a field renamed, removed or made required, an enum value
//! removed) must not. What would let an additive change break a dependent (a struct literal
//! of a model, an exhaustive match on an enum) must not compile in the first place.
//!
//! The client and the dependent form a small workspace of their own under the target directory
//! (`semver-dependent/`), checked with the workspace's `Cargo.lock`, offline, so the
//! dependencies are those `cargo test` already fetched; only the first run checks them.

use std::path::{Path, PathBuf};
use std::process::Command;

use partnerstack_codegen::output;

use crate::root;

const BASE: &str = "tests/fixtures/ok/everything.yaml";

/// One spec change: each `(anchor, replacement)` replaces the one occurrence of `anchor`.
struct Change {
    name: &'static str,
    edits: &'static [(&'static str, &'static str)],
}

const ITEM_RENAMED: &str =
    "          renamed: {type: string, required: false, rust_name: other_name, doc: Renamed.}\n";
const QUERY_KIND: &str = "          kind: {type: string, rust_name: kind_filter, filter: {field: type}, doc: Renamed.}\n";

const ADDITIVE: &[Change] = &[
    Change {
        name: "an optional response field",
        edits: &[(
            ITEM_RENAMED,
            "          renamed: {type: string, required: false, rust_name: other_name, doc: Renamed.}\n          added: {type: string, required: false, nullable: true, doc: New.}\n",
        )],
    },
    Change {
        name: "an optional request field",
        edits: &[(
            "          status: {type: Status, required: false, doc: Status.}\n          legacy:",
            "          status: {type: Status, required: false, doc: Status.}\n          priority: {type: i32, required: false, doc: New.}\n          legacy:",
        )],
    },
    Change {
        name: "an optional query parameter",
        edits: &[(
            QUERY_KIND,
            "          kind: {type: string, rust_name: kind_filter, filter: {field: type}, doc: Renamed.}\n          color: {type: string, filter: not_applied, doc: New.}\n",
        )],
    },
    Change {
        name: "a value of an open and of a closed enum",
        edits: &[
            (
                "      - {value: \"2fa\", doc: A value starting with a digit.}\n",
                "      - {value: \"2fa\", doc: A value starting with a digit.}\n      - paused\n",
            ),
            ("    enum: [a, b]\n", "    enum: [a, b, c]\n"),
        ],
    },
    Change {
        name: "an operation and a resource",
        edits: &[(
            "  only_types:\n",
            "  widgets:\n    doc: Widgets.\n    operations:\n      count:\n        doc: Counts widgets.\n        method: GET\n        path: /widgets/count\n        response: {object: map<json>}\n  only_types:\n",
        )],
    },
    Change {
        name: "an event kind",
        edits: &[(
            "    tagged: {doc: A list payload., payload: list<string>}\n",
            "    tagged: {doc: A list payload., payload: list<string>}\n    item.updated: {doc: An item was updated., payload: ItemDelivery}\n",
        )],
    },
    Change {
        name: "a type",
        edits: &[(
            "      Bare:\n",
            "      Spare:\n        doc: A new type.\n        fields:\n          id: {type: string, doc: Id.}\n      Bare:\n",
        )],
    },
];

const BREAKING: &[Change] = &[
    Change {
        name: "a field renamed",
        edits: &[(
            "          flag: {type: bool, doc: A flag.}\n",
            "          flagged: {type: bool, doc: A flag.}\n",
        )],
    },
    Change {
        name: "a field removed",
        edits: &[("          small: {type: i32, doc: Small integer.}\n", "")],
    },
    Change {
        name: "a field made required",
        edits: &[(
            "          ratio: {type: f64, required: false, doc: A float.}\n",
            "          ratio: {type: f64, doc: A float.}\n",
        )],
    },
    Change {
        name: "an enum value removed",
        edits: &[(
            "      - {value: \"-archived\", name: Archived, doc: Archived things.}\n",
            "",
        )],
    },
];

/// The dependent: what a user of the fixture API writes, following the docs.
const DEPENDENT: &str = r#"#![allow(deprecated, dead_code)]
use std::collections::BTreeMap;

use partnerstack_fixtures::fixture::events::Event;
use partnerstack_fixtures::fixture::models::{Item, ItemCreate, ItemCreateOwner, ItemPatch, Status, Strict};
use partnerstack_fixtures::fixture::Client;
use partnerstack_fixtures::Timestamp;

pub fn item() -> Item {
    let at = Timestamp::from_millis(1_700_000_000_000);
    let mut item = Item::builder()
        .id("i1")
        .flag(true)
        .small(1)
        .created_at(at)
        .price(100)
        .anything(serde_json::Value::Null)
        .tags(vec!["a".to_owned(), "b".to_owned()])
        .counts(BTreeMap::new())
        .nested(Vec::new())
        .status(Status::Active)
        .build()
        .ratio(0.5)
        .amount(250)
        .strict(Strict::A)
        .r#type("kind");
    item.extra.insert("seen".to_owned(), serde_json::Value::Bool(true).into());
    item
}

pub fn read(item: &Item) -> (bool, i32, f64, String) {
    (item.flag, item.small, item.ratio.unwrap_or_default(), item.id.clone())
}

pub fn status_name(status: &Status) -> &'static str {
    match status {
        Status::Active => "active",
        Status::Archived => "archived",
        Status::V2fa => "2fa",
        Status::Unknown(_) => "unknown",
        _ => "other",
    }
}

pub fn strict_name(strict: Strict) -> &'static str {
    match strict {
        Strict::A => "a",
        Strict::B => "b",
        _ => "other",
    }
}

pub fn event_name(body: &[u8]) -> String {
    match Event::from_slice(body) {
        Ok(Event::ItemCreated(postback)) => postback.data.big.get().unwrap_or_default().to_string(),
        Ok(Event::Tagged(postback)) => postback.data.join(","),
        Ok(Event::Unknown(unknown)) => unknown.name().to_owned(),
        Ok(_) => "other".to_owned(),
        Err(error) => error.to_string(),
    }
}

pub fn create_body() -> ItemCreate {
    ItemCreate::builder()
        .name("widget")
        .owner(ItemCreateOwner::OwnerEmail("jane@example.com".to_owned()))
        .build()
        .note("a note")
        .clear_color()
        .tags(["x"])
        .status(Status::from("active"))
}

pub async fn calls(client: &Client) -> partnerstack_fixtures::Result<usize> {
    let page = client
        .items()
        .list("query")
        .status(Status::Active)
        .since(Timestamp::from_millis(0))
        .per_page(10)
        .send()
        .await?;
    let created = client.items().create(create_body()).send().await?;
    client.items().update(&created.id, ItemPatch::new().name("renamed").clear_color()).send().await?;
    let one = client.items().get("i1").send().await?;
    Ok(page.items.len() + usize::from(one.flag))
}
"#;

/// The target directory of the nested builds: under this workspace's, outside its lock.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|dir| {
            if dir.is_absolute() {
                dir
            } else {
                root().join(dir)
            }
        })
        .unwrap_or_else(|| root().join("target"))
        .join("semver-dependent")
}

/// Writes the workspace: the fixture client as `partnerstack-fixtures` (the manifest of
/// `tests/output`, with the one API's feature on) and the dependent.
fn write_workspace(dir: &Path) {
    let manifest = std::fs::read_to_string(root().join("tests/output/Cargo.toml")).unwrap();
    let default = manifest
        .lines()
        .find(|l| l.starts_with("default = "))
        .unwrap();
    let manifest = manifest.replace(
        default,
        "default = [\"rustls-ring\", \"fixture\"]\nfixture = []",
    );
    let files: &[(&str, &str)] = &[
        (
            "Cargo.toml",
            "[workspace]\nmembers = [\"client\", \"dependent\"]\nresolver = \"3\"\n\n\
             [workspace.package]\nedition = \"2024\"\nrust-version = \"1.89\"\n\
             license = \"MIT OR Apache-2.0\"\nrepository = \"https://example.com\"\n",
        ),
        ("client/Cargo.toml", &manifest),
        (
            "dependent/Cargo.toml",
            "[package]\nname = \"dependent\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\n\
             partnerstack-fixtures = { path = \"../client\" }\nserde_json = \"1\"\n",
        ),
    ];
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        if std::fs::read_to_string(&path).ok().as_deref() != Some(*text) {
            std::fs::write(&path, text).unwrap();
        }
    }
    let lock = dir.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root().join("Cargo.lock"), lock).unwrap();
    }
}

fn apply(change: &Change) -> String {
    let mut text = std::fs::read_to_string(root().join(BASE)).unwrap();
    for (anchor, replacement) in change.edits {
        assert_eq!(
            text.matches(anchor).count(),
            1,
            "{}: the anchor must occur once in {BASE}: {anchor:?}",
            change.name
        );
        text = text.replacen(anchor, replacement, 1);
    }
    text
}

/// Regenerates the client from `spec` and type-checks `dependent` against it; the compiler's
/// output on failure. A spec that does not load is a bug of the test, not a failure.
fn check(dir: &Path, spec: &str, dependent: &str) -> Result<(), String> {
    let api = partnerstack_codegen::load(BASE, spec).unwrap_or_else(|d| panic!("{d}"));
    let files = partnerstack_codegen::generate_apis(vec![api]).unwrap();
    output::write(&dir.join("client/generated"), &files).unwrap();
    let lib = dir.join("dependent/src/lib.rs");
    std::fs::create_dir_all(dir.join("dependent/src")).unwrap();
    if std::fs::read_to_string(&lib).ok().as_deref() != Some(dependent) {
        std::fs::create_dir_all(dir.join("dependent/src")).unwrap();
        std::fs::write(&lib, dependent).unwrap();
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .args([
            "check",
            "-q",
            "--offline",
            "-p",
            "dependent",
            "--message-format",
            "short",
        ])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

#[test]
fn additive_changes_compile_for_a_dependent_and_breaking_ones_do_not() {
    let dir = target_dir();
    write_workspace(&dir);
    let base = std::fs::read_to_string(root().join(BASE)).unwrap();
    // What would make an additive change break a dependent does not compile in the first place.
    for (what, code, source) in FORBIDDEN {
        match check(&dir, &base, source) {
            Ok(()) => panic!("{what} compiles outside the crate"),
            Err(e) => assert!(e.contains(code), "{what}: expected {code}, got:\n{e}"),
        }
    }
    if let Err(e) = check(&dir, &base, DEPENDENT) {
        panic!("the dependent does not compile against today's client:\n{e}");
    }
    for change in ADDITIVE {
        if let Err(e) = check(&dir, &apply(change), DEPENDENT) {
            panic!("adding {} broke the dependent:\n{e}", change.name);
        }
    }
    for change in BREAKING {
        match check(&dir, &apply(change), DEPENDENT) {
            Ok(()) => panic!(
                "{} still compiles: the dependent does not use it",
                change.name
            ),
            Err(e) => assert!(e.contains("error["), "{}: {e}", change.name),
        }
    }
}

/// Code that must not compile in a dependent: `(what, the error code, the source)`.
const FORBIDDEN: &[(&str, &str, &str)] = &[
    (
        "a model built with a struct literal",
        "E0639",
        "pub fn f() -> partnerstack_fixtures::fixture::models::Embedded {\n    \
         partnerstack_fixtures::fixture::models::Embedded { id: 1, name: Default::default(), \
         extra: Default::default() }\n}\n",
    ),
    (
        "an exhaustive match on an open enum",
        "E0004",
        "pub fn f(s: &partnerstack_fixtures::fixture::models::Status) -> u8 {\n    \
         use partnerstack_fixtures::fixture::models::Status;\n    match s {\n        \
         Status::Active => 0,\n        Status::Archived => 1,\n        Status::V2fa => 2,\n        \
         Status::Unknown(_) => 3,\n    }\n}\n",
    ),
    (
        "an exhaustive match on a closed enum",
        "E0004",
        "pub fn f(s: partnerstack_fixtures::fixture::models::Strict) -> u8 {\n    \
         use partnerstack_fixtures::fixture::models::Strict;\n    match s {\n        \
         Strict::A => 0,\n        Strict::B => 1,\n    }\n}\n",
    ),
];

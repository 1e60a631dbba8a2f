//! `partnerstack_codegen::diff`: every rule, on small specs that differ from one base spec in
//! one thing; then the `diff` subcommand's output and exit codes.

use partnerstack_codegen::diff::{self, Change, Level, Section};
use partnerstack_codegen::ir::{self, Api};
use std::path::Path;
use std::process::{Command, Output};

/// The spec every test edits: one API with shared types, two resources, pagination and events.
const BASE: &str = r#"
api:
  name: partner
  title: Partner API
  doc: The partner API.
  base_url: https://api.example.com
  auth: bearer
  credential: api_key
  pagination:
    limit: {param: limit, min: 1, max: 250}
    after: starting_after
    before: ending_before
    cursor: key
types:
  Status:
    doc: An open enum.
    enum: [active, archived]
  Color:
    doc: A closed enum.
    closed: true
    enum: [red, green]
  Cents:
    doc: Money.
    alias: money
  Tag:
    doc: A tag.
    fields:
      label: {type: string, required: false, doc: Label.}
resources:
  rewards:
    doc: Rewards.
    types:
      Reward:
        doc: A reward.
        fields:
          key: {type: string, doc: Key.}
          amount: {type: money, nullable: true, doc: Amount.}
          status: {type: Status, doc: Status.}
          note: {type: string, required: false, doc: Note.}
          color: {type: Color, required: false, doc: Color.}
      RewardCreate:
        doc: A new reward.
        one_of:
          customer:
            doc: The customer.
            fields: [customer_key, customer_email, customer_id]
        fields:
          customer_key: {type: string, required: false, doc: By key.}
          customer_email: {type: string, required: false, doc: By email.}
          customer_id: {type: i64, required: false, doc: By id.}
          amount: {type: money, doc: Amount.}
          memo: {type: string, required: false, doc: Memo.}
    operations:
      list:
        doc: Lists rewards.
        method: GET
        path: /api/v2/rewards
        query:
          status: {type: Status, filter: not_applied, doc: By status.}
        response: {page: Reward}
      get:
        doc: Gets a reward.
        method: GET
        path: /api/v2/rewards/{key}
        path_params:
          key: {type: string, doc: Key.}
        response: {object: Reward}
      create:
        doc: Creates a reward.
        method: POST
        path: /api/v2/rewards
        body: RewardCreate
        response: {object: Reward}
  payouts:
    doc: Payouts.
    operations:
      list:
        doc: Lists payouts.
        method: GET
        path: /api/v2/payouts
        response: {list: string}
events:
  doc: Postbacks.
  envelope: postback
  kinds:
    reward.created: {doc: A reward was created., payload: Reward}
"#;

fn load(text: &str) -> Api {
    partnerstack_codegen::load("partner.yaml", text).unwrap_or_else(|d| panic!("{d}\n{text}"))
}

/// `BASE` with each `(from, to)` replaced; each `from` must occur exactly once.
fn edit(edits: &[(&str, &str)]) -> String {
    let mut text = BASE.to_string();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` is not in the base once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

/// The changes from `BASE` to `BASE` with `edits`.
fn changes(edits: &[(&str, &str)]) -> Vec<Change> {
    diff::diff(&[load(BASE)], &[load(&edit(edits))])
}

/// The lines (`level: api: text`) from `BASE` to `BASE` with `edits`.
fn lines(edits: &[(&str, &str)]) -> Vec<String> {
    changes(edits).iter().map(ToString::to_string).collect()
}

/// Asserts the edit gives exactly `expected` lines, in order.
#[track_caller]
fn assert_lines(edits: &[(&str, &str)], expected: &[&str]) {
    assert_eq!(lines(edits), expected, "{:#?}", lines(edits));
}

/// The lines of an IR edited in place, for facts the spec cannot change on their own.
fn lines_after(change: impl FnOnce(&mut Api)) -> Vec<String> {
    let old = load(BASE);
    let mut new = old.clone();
    change(&mut new);
    diff::diff(&[old], &[new])
        .iter()
        .map(ToString::to_string)
        .collect()
}

fn operation<'a>(api: &'a mut Api, id: &str) -> &'a mut ir::Operation {
    api.resources
        .iter_mut()
        .flat_map(|r| &mut r.operations)
        .find(|op| op.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

// Identical specs.

#[test]
fn identical_specs_have_no_change_and_need_no_release() {
    let changes = changes(&[]);
    assert!(changes.is_empty(), "{changes:?}");
    assert_eq!(diff::level(&changes), None);
    assert_eq!(diff::plain(&changes), "semver: none\n");
    assert_eq!(diff::changelog(&changes), "<!-- semver: none -->\n");
}

#[test]
fn spec_layout_and_comments_are_not_changes() {
    let reflowed = BASE
        .replace(
            "key: {type: string, doc: Key.}\n          amount",
            "# the key\n          key:\n            type: string\n            doc: Key.\n          amount",
        )
        .replace("enum: [active, archived]", "enum:\n      - active\n      - archived");
    assert_ne!(reflowed, BASE);
    assert!(diff::diff(&[load(BASE)], &[load(&reflowed)]).is_empty());
}

// Operations.

#[test]
fn operations_added_removed_and_renamed() {
    let delete = "      create:\n        doc: Creates a reward.";
    let added = "      delete:\n        doc: Deletes a reward.\n        method: DELETE\n        \
                 path: /api/v2/rewards/{key}\n        path_params:\n          \
                 key: {type: string, doc: Key.}\n        response: empty\n";
    assert_lines(
        &[(delete, &format!("{added}{delete}"))],
        &[
            "minor: partner: operation `rewards.delete` added (`client.rewards().delete(…)`, \
           request `DeleteRewards`)",
        ],
    );
    let get = "      get:\n        doc: Gets a reward.\n        method: GET\n        \
               path: /api/v2/rewards/{key}\n        path_params:\n          \
               key: {type: string, doc: Key.}\n        response: {object: Reward}\n";
    assert_lines(
        &[(get, "")],
        &[
            "major: partner: operation `rewards.get` removed (`client.rewards().get(…)`, \
           request `GetRewards`)",
        ],
    );
    assert_lines(
        &[(
            "body: RewardCreate",
            "body: RewardCreate\n        request_name: NewReward",
        )],
        &[
            "major: partner: operation `rewards.create`: request type `CreateRewards` renamed to \
           `NewReward`",
        ],
    );
    // An operation's method name follows its key, which is also its id: change the IR.
    let fetch = partnerstack_codegen::names::value_name("fetch").expect("an identifier");
    let renamed = lines_after(|api| operation(api, "rewards.get").method_name = fetch.clone());
    assert_eq!(
        renamed,
        [
            "major: partner: operation `rewards.get`: method `client.rewards().get(…)` renamed to \
          `fetch`"
        ]
    );
}

#[test]
fn wire_level_operation_changes_are_patches() {
    assert_lines(
        &[("method: POST", "method: PUT")],
        &[
            "patch: partner: operation `rewards.create`: HTTP method changed from POST to PUT",
            "patch: partner: operation `rewards.create` is now retried after a failure that \
             may have reached the server",
        ],
    );
    assert_lines(
        &[("path: /api/v2/payouts", "path: /api/v3/payouts")],
        &[
            "patch: partner: operation `payouts.list`: path changed from `/api/v2/payouts` to \
           `/api/v3/payouts`",
        ],
    );
    assert_lines(
        &[(
            "body: RewardCreate",
            "body: RewardCreate\n        retry: true",
        )],
        &[
            "patch: partner: operation `rewards.create` is now retried after a failure that may \
           have reached the server",
        ],
    );
    assert_lines(
        &[("doc: Lists payouts.", "doc: Lists every payout.")],
        &["patch: partner: doc of operation `payouts.list` changed"],
    );
}

#[test]
fn deprecating_an_operation_is_minor_and_listed_as_deprecated() {
    let changes = changes(&[(
        "response: {list: string}",
        "response: {list: string}\n        deprecated: \"use `rewards.list`\"",
    )]);
    assert_eq!(
        changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["minor: partner: operation `payouts.list` deprecated: use `rewards.list`"]
    );
    assert_eq!(changes[0].section, Section::Deprecated);
}

#[test]
fn response_and_body_changes_are_major() {
    assert_lines(
        &[("response: {list: string}", "response: {list: i64}")],
        &[
            "major: partner: operation `payouts.list`: response changed from `Vec<String>` to \
           `Vec<i64>`",
        ],
    );
    assert_lines(
        &[("response: {list: string}", "response: message")],
        &[
            "major: partner: operation `payouts.list`: response changed from `Vec<String>` to \
           the message",
        ],
    );
    // A body type cannot lose its last body in the spec alone (its `one_of` needs one).
    let removed = lines_after(|api| operation(api, "rewards.create").body = None);
    assert_eq!(
        removed,
        [
            "major: partner: operation `rewards.create`: request body `RewardCreate` removed (an \
          argument of `client.rewards().create(…)`)"
        ]
    );
    let changed = lines_after(|api| {
        if let Some(body) = &mut operation(api, "rewards.create").body {
            body.ty = ir::Ty::Map(Box::new(ir::Ty::Json));
        }
    });
    assert_eq!(
        changed,
        [
            "major: partner: operation `rewards.create`: request body type changed from \
          `RewardCreate` to `JsonMap`"
        ]
    );
}

// Resources.

#[test]
fn resources_added_and_removed() {
    let payouts = "  payouts:\n    doc: Payouts.\n    operations:\n      list:\n        \
                   doc: Lists payouts.\n        method: GET\n        path: /api/v2/payouts\n        \
                   response: {list: string}\n";
    assert_lines(
        &[(payouts, "")],
        &["major: partner: resource `payouts` removed (`client.payouts()` and its operations)"],
    );
    let invoices = payouts
        .replace("payouts", "invoices")
        .replace("Payouts", "Invoices");
    assert_lines(
        &[(payouts, &format!("{payouts}{invoices}"))],
        &["minor: partner: resource `invoices` added (`client.invoices()` with `list`)"],
    );
    assert_lines(
        &[("doc: Payouts.", "doc: Money paid out.")],
        &["patch: partner: doc of resource `payouts` changed"],
    );
}

// Parameters.

#[test]
fn query_parameters_added() {
    let status = "status: {type: Status, filter: not_applied, doc: By status.}";
    assert_lines(
        &[(
            status,
            &format!(
                "{status}\n          since: {{type: timestamp, filter: not_applied, doc: Since.}}"
            ),
        )],
        &[
            "minor: partner: operation `rewards.list`: optional query parameter `since` added \
           (setter `ListRewards::since`)",
        ],
    );
    assert_lines(
        &[(
            status,
            &format!(
                "{status}\n          q: {{type: string, required: true, filter: not_applied, doc: Search.}}"
            ),
        )],
        &[
            "major: partner: operation `rewards.list`: required query parameter `q` added (a new \
           argument of `client.rewards().list(…)`)",
        ],
    );
}

#[test]
fn path_parameters_added_removed_and_renamed_in_place() {
    let path = "path: /api/v2/rewards/{key}";
    let params = "path_params:\n          key: {type: string, doc: Key.}";
    assert_lines(
        &[
            (path, "path: /api/v2/rewards/{key}/{part}"),
            (
                params,
                &format!("{params}\n          part: {{type: i32, doc: Part.}}"),
            ),
        ],
        &[
            "patch: partner: operation `rewards.get`: path changed from `/api/v2/rewards/{key}` \
             to `/api/v2/rewards/{key}/{part}`",
            "major: partner: operation `rewards.get`: path parameter `part` added (a new \
             argument of `client.rewards().get(…)`)",
        ],
    );
    assert_lines(
        &[
            (path, "path: /api/v2/rewards"),
            (&format!("        {params}\n"), ""),
        ],
        &[
            "patch: partner: operation `rewards.get`: path changed from `/api/v2/rewards/{key}` \
             to `/api/v2/rewards`",
            "major: partner: operation `rewards.get`: path parameter `key` removed",
        ],
    );
    // Arguments are positional: the same argument under another name changes no caller.
    assert_lines(
        &[
            (path, "path: /api/v2/rewards/{reward_key}"),
            (
                "key: {type: string, doc: Key.}\n        response",
                "reward_key: {type: string, doc: Key.}\n        response",
            ),
        ],
        &[
            "patch: partner: operation `rewards.get`: path changed from `/api/v2/rewards/{key}` \
             to `/api/v2/rewards/{reward_key}`",
            "patch: partner: operation `rewards.get`: path parameter `key` renamed to \
             `reward_key` (the same argument of `client.rewards().get(…)`)",
        ],
    );
}

#[test]
fn reordered_arguments_are_major() {
    let path = "path: /api/v2/rewards/{key}";
    let params = "path_params:\n          key: {type: string, doc: Key.}";
    let two = edit(&[
        (path, "path: /api/v2/rewards/{key}/{part}"),
        (
            params,
            &format!("{params}\n          part: {{type: string, doc: Part.}}"),
        ),
    ]);
    let swapped = two.replace("{key}/{part}", "{part}/{key}");
    let lines: Vec<String> = diff::diff(&[load(&two)], &[load(&swapped)])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "patch: partner: operation `rewards.get`: path changed from \
             `/api/v2/rewards/{key}/{part}` to `/api/v2/rewards/{part}/{key}`",
            "major: partner: operation `rewards.get`: arguments of `client.rewards().get(…)` \
             reordered from (`key`, `part`) to (`part`, `key`)",
        ]
    );
}

#[test]
fn parameter_type_and_requiredness_changes_are_major() {
    let status = "status: {type: Status, filter: not_applied, doc: By status.}";
    assert_lines(
        &[(
            status,
            "status: {type: string, filter: not_applied, doc: By status.}",
        )],
        &[
            "major: partner: query parameter `status` of operation `rewards.list` type changed \
           from `Status` to `String`",
        ],
    );
    assert_lines(
        &[(
            status,
            "status: {type: Status, required: true, filter: not_applied, doc: By status.}",
        )],
        &[
            "major: partner: query parameter `status` of operation `rewards.list` is now \
           required: a new argument of `client.rewards().list(…)` instead of the setter \
           `ListRewards::status`",
        ],
    );
    let required = edit(&[(
        status,
        "status: {type: Status, required: true, filter: not_applied, doc: By status.}",
    )]);
    let lines: Vec<String> = diff::diff(&[load(&required)], &[load(BASE)])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "major: partner: query parameter `status` of operation `rewards.list` is now \
          optional: the setter `ListRewards::status` instead of an argument of \
          `client.rewards().list(…)`"
        ]
    );
    assert_lines(
        &[(status, "")],
        &["major: partner: operation `rewards.list`: optional query parameter `status` removed"],
    );
    assert_lines(
        &[(
            status,
            "status: {type: Status, rust_name: state, filter: not_applied, doc: By status.}",
        )],
        &[
            "major: partner: query parameter `status` of operation `rewards.list`: setter \
           `ListRewards::status` renamed to `state`",
        ],
    );
    assert_lines(
        &[(
            status,
            "status: {type: Status, filter: not_applied, doc: Only these.}",
        )],
        &["patch: partner: doc of query parameter `status` of operation `rewards.list` changed"],
    );
}

// Types.

#[test]
fn types_added_and_removed() {
    let cents = "  Cents:\n    doc: Money.\n    alias: money\n";
    assert_lines(
        &[(
            cents,
            &format!(
                "{cents}  Label:\n    doc: A label.\n    fields:\n      name: {{type: string, doc: Name.}}\n"
            ),
        )],
        &["minor: partner: type `Label` added (object)"],
    );
    assert_lines(&[(cents, "")], &["major: partner: type `Cents` removed"]);
}

#[test]
fn a_type_renamed_is_one_line_and_its_uses_follow() {
    // `Reward` is used by fields, responses and the event payload; none of them is a change of
    // its own.
    let renamed = BASE
        .replace("Reward:\n", "Award:\n")
        .replace("page: Reward}", "page: Award}")
        .replace("object: Reward}", "object: Award}")
        .replace("payload: Reward}", "payload: Award}");
    let lines: Vec<String> = diff::diff(&[load(BASE)], &[load(&renamed)])
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(lines, ["major: partner: type `Reward` renamed to `Award`"]);
}

#[test]
fn type_changes_of_kind_alias_doc_and_module() {
    assert_lines(
        &[("alias: money", "alias: string")],
        &["major: partner: alias `Cents` type changed from `i64` to `String`"],
    );
    assert_lines(
        &[("alias: money", "alias: i64")],
        &[
            "patch: partner: alias `Cents` type changed from `money` to `i64` in the spec; its \
           Rust type is the same",
        ],
    );
    assert_lines(
        &[(
            "    doc: Money.\n    alias: money",
            "    doc: Money.\n    enum: [cents]",
        )],
        &["major: partner: type `Cents` changed from an alias to an enum"],
    );
    assert_lines(
        &[("doc: A reward.", "doc: One reward.")],
        &["patch: partner: doc of type `Reward` changed"],
    );
    // Models are re-exported flat: moving one between files changes no path.
    let cents = "  Cents:\n    doc: Money.\n    alias: money\n";
    assert_lines(
        &[
            (cents, ""),
            (
                "    types:\n      Reward:",
                "    types:\n      Cents:\n        doc: Money.\n        alias: money\n      Reward:",
            ),
        ],
        &[
            "patch: partner: type `Cents` moved from the shared types to resource `rewards` (still \
           `models::Cents`)",
        ],
    );
}

#[test]
fn a_type_becoming_a_body_gets_setters() {
    let payouts_list = "        path: /api/v2/payouts\n        response: {list: string}\n";
    assert_lines(
        &[(
            payouts_list,
            &format!(
                "{payouts_list}      tag:\n        doc: Tags a payout.\n        method: POST\n        \
                 path: /api/v2/payouts/tags\n        body: Tag\n        response: message\n"
            ),
        )],
        &[
            "minor: partner: type `Tag` is now part of a request body: it gets a setter per \
             optional field",
            "minor: partner: operation `payouts.tag` added (`client.payouts().tag(…)`, request \
             `TagPayouts`)",
        ],
    );
}

// Fields.

#[test]
fn fields_added_by_presence() {
    let note = "note: {type: string, required: false, doc: Note.}";
    let cases = [
        (
            "foo: {type: string, required: false, doc: Foo.}",
            "minor: partner: field `Reward.foo` added (optional)",
        ),
        (
            "foo: {type: string, nullable: true, doc: Foo.}",
            "minor: partner: field `Reward.foo` added (required, nullable)",
        ),
        (
            "foo: {type: string, required: false, nullable: true, doc: Foo.}",
            "minor: partner: field `Reward.foo` added (optional, nullable)",
        ),
        (
            "foo: {type: string, doc: Foo.}",
            "major: partner: field `Reward.foo` added (required, non-null: a new argument of \
             `Reward::builder()`)",
        ),
    ];
    for (field, expected) in cases {
        assert_lines(
            &[(note, &format!("{note}\n          {field}"))],
            &[expected],
        );
    }
    // With one constructor argument (`key`), a second turns `new(…)` into `builder()`.
    let one = edit(&[
        (
            "          amount: {type: money, nullable: true, doc: Amount.}\n          status",
            "          status",
        ),
        (
            "status: {type: Status, doc: Status.}",
            "status: {type: Status, required: false, doc: Status.}",
        ),
    ]);
    let two = one.replace(
        note,
        &format!("{note}\n          foo: {{type: i64, doc: Foo.}}"),
    );
    let lines = |a: &str, b: &str| -> Vec<String> {
        diff::diff(&[load(a)], &[load(b)])
            .iter()
            .map(ToString::to_string)
            .collect()
    };
    assert_eq!(
        lines(&one, &two),
        [
            "major: partner: field `Reward.foo` added (required, non-null: `Reward::new(…)` is \
          replaced by `Reward::builder()`)"
        ]
    );
    // Without constructor arguments (`Tag::new()`), the first is an argument of `new(…)`.
    assert_lines(
        &[(
            "label: {type: string, required: false, doc: Label.}",
            "label: {type: string, required: false, doc: Label.}\n      id: {type: i64, doc: Id.}",
        )],
        &[
            "major: partner: field `Tag.id` added (required, non-null: a new argument of \
           `Tag::new(…)`)",
        ],
    );
}

#[test]
fn fields_removed_and_renamed() {
    let note = "          note: {type: string, required: false, doc: Note.}\n";
    assert_lines(
        &[(note, "")],
        &["major: partner: field `Reward.note` removed"],
    );
    // A removed and an added field of one object, same type and presence: one line.
    assert_lines(
        &[(
            note,
            "          remark: {type: string, required: false, doc: Note.}\n",
        )],
        &["major: partner: field `Reward.note` renamed to `remark`"],
    );
    // Another type or presence: two changes.
    assert_lines(
        &[(
            note,
            "          remark: {type: i64, required: false, doc: Note.}\n",
        )],
        &[
            "minor: partner: field `Reward.remark` added (optional)",
            "major: partner: field `Reward.note` removed",
        ],
    );
    // Renamed in Rust only, or in JSON only.
    assert_lines(
        &[(
            note,
            "          note: {type: string, required: false, rust_name: remark, doc: Note.}\n",
        )],
        &["major: partner: field `Reward.note` renamed to `remark`"],
    );
    assert_lines(
        &[(
            note,
            "          Note: {type: string, required: false, rust_name: note, doc: Note.}\n",
        )],
        &["patch: partner: field `Reward.note` is now `Note` in JSON (was `note`)"],
    );
}

#[test]
fn field_type_changes() {
    assert_lines(
        &[(
            "note: {type: string, required: false",
            "note: {type: i64, required: false",
        )],
        &["major: partner: field `Reward.note` type changed from `String` to `i64`"],
    );
    // The same Rust type (`money` is `i64`, `Cents` is an alias of it): a patch.
    assert_lines(
        &[(
            "amount: {type: money, nullable: true",
            "amount: {type: Cents, nullable: true",
        )],
        &[
            "patch: partner: field `Reward.amount` type changed from `money` to `Cents` in the \
           spec; its Rust type is the same",
        ],
    );
}

#[test]
fn optionality_changes() {
    assert_lines(
        &[(
            "status: {type: Status, doc: Status.}",
            "status: {type: Status, required: false, doc: Status.}",
        )],
        &[
            "major: partner: field `Reward.status` optionality changed from required (`Status`) \
           to optional (`Option<Status>`)",
        ],
    );
    assert_lines(
        &[(
            "amount: {type: money, nullable: true, doc: Amount.}",
            "amount: {type: money, required: false, nullable: true, doc: Amount.}",
        )],
        &[
            "major: partner: field `Reward.amount` optionality changed from required, nullable \
           (`Option<i64>`) to optional, nullable (`Nullable<i64>`)",
        ],
    );
    // Required but nullable, and optional, are both `Option<T>`: the Rust type stays.
    assert_lines(
        &[(
            "amount: {type: money, nullable: true, doc: Amount.}",
            "amount: {type: money, required: false, doc: Amount.}",
        )],
        &[
            "patch: partner: field `Reward.amount` optionality changed from required, nullable \
           (`Option<i64>`) to optional (`Option<i64>`); its Rust type is unchanged",
        ],
    );
}

#[test]
fn field_docs_and_deprecations() {
    let note = "note: {type: string, required: false, doc: Note.}";
    assert_lines(
        &[(note, "note: {type: string, required: false, doc: A note.}")],
        &["patch: partner: doc of field `Reward.note` changed"],
    );
    let deprecated =
        "note: {type: string, required: false, deprecated: \"use `memo`\", doc: Note.}";
    let changes = changes(&[(note, deprecated)]);
    assert_eq!(
        changes.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["minor: partner: field `Reward.note` deprecated: use `memo`"]
    );
    assert_eq!(changes[0].section, Section::Deprecated);
    let undeprecated: Vec<String> =
        diff::diff(&[load(&edit(&[(note, deprecated)]))], &[load(BASE)])
            .iter()
            .map(ToString::to_string)
            .collect();
    assert_eq!(
        undeprecated,
        ["patch: partner: field `Reward.note` no longer deprecated"]
    );
}

// one_of groups.

#[test]
fn one_of_variants_added_and_removed() {
    let group = "fields: [customer_key, customer_email, customer_id]";
    let id = "          customer_id: {type: i64, required: false, doc: By id.}\n";
    assert_lines(
        &[
            (
                group,
                "fields: [customer_key, customer_email, customer_id, customer_ref]",
            ),
            (
                id,
                &format!(
                    "{id}          customer_ref: {{type: string, required: false, doc: By ref.}}\n"
                ),
            ),
        ],
        &[
            "minor: partner: one_of group `RewardCreate.customer`: field `customer_ref` added as \
           variant `RewardCreateCustomer::CustomerRef`",
        ],
    );
    assert_lines(
        &[(group, "fields: [customer_key, customer_email]"), (id, "")],
        &[
            "major: partner: one_of group `RewardCreate.customer`: variant \
           `RewardCreateCustomer::CustomerId` (field `customer_id`) removed",
        ],
    );
    assert_lines(
        &[("doc: By id.}", "doc: By numeric id.}")],
        &[
            "patch: partner: doc of variant `RewardCreateCustomer::CustomerId` of one_of group \
           `RewardCreate.customer` changed",
        ],
    );
}

// Enums.

#[test]
fn a_value_added_to_an_open_enum_says_it_no_longer_arrives_as_unknown() {
    assert_lines(
        &[(
            "enum: [active, archived]",
            "enum: [active, archived, pending]",
        )],
        &[
            "minor: partner: enum `Status` value `pending` added: it used to arrive as \
           `Unknown(\"pending\")` and now gets its own variant `Pending`, so code matching on \
           `Unknown` changes behaviour",
        ],
    );
}

#[test]
fn a_value_added_to_a_closed_enum_is_minor() {
    assert_lines(
        &[("enum: [red, green]", "enum: [red, green, blue]")],
        &["minor: partner: enum `Color` value `blue` added as variant `Color::Blue`"],
    );
}

#[test]
fn enum_values_removed_renamed_and_open_closed() {
    assert_lines(
        &[("enum: [active, archived]", "enum: [active]")],
        &["major: partner: enum `Status` value `archived` removed (variant `Status::Archived`)"],
    );
    assert_lines(
        &[(
            "enum: [active, archived]",
            "enum: [active, {value: archived, name: Gone, doc: Gone.}]",
        )],
        &[
            "major: partner: enum `Status` value `archived`: variant `Status::Archived` renamed \
             to `Gone`",
            "patch: partner: doc of enum `Status` value `archived` changed",
        ],
    );
    assert_lines(
        &[(
            "enum: [active, archived]",
            "enum: [active, {value: ARCHIVED, name: Archived}]",
        )],
        &[
            "patch: partner: enum `Status` variant `Status::Archived` is now `ARCHIVED` on the \
             wire (was `archived`)",
            "patch: partner: doc of enum `Status` value `ARCHIVED` changed",
        ],
    );
    assert_lines(
        &[(
            "    doc: An open enum.\n",
            "    doc: An open enum.\n    closed: true\n",
        )],
        &[
            "major: partner: enum `Status` is now closed: its `Unknown(String)` variant is \
           removed and an unknown value is an error",
        ],
    );
    assert_lines(
        &[("    closed: true\n", "")],
        &[
            "major: partner: enum `Color` is now open: it gains an `Unknown(String)` variant and \
           `#[non_exhaustive]`",
        ],
    );
}

// Events.

#[test]
fn events_added_removed_and_changed() {
    let created = "    reward.created: {doc: A reward was created., payload: Reward}";
    assert_lines(
        &[(
            created,
            &format!("{created}\n    reward.paid: {{doc: Paid., payload: Reward}}"),
        )],
        &[
            "minor: partner: event `reward.paid` added: it used to arrive as `Event::Unknown` and \
           now gets its own variant `Event::RewardPaid`, so code matching on `Unknown` changes \
           behaviour",
        ],
    );
    assert_lines(
        &[(created, "    reward.paid: {doc: Paid., payload: Reward}")],
        &[
            "minor: partner: event `reward.paid` added: it used to arrive as `Event::Unknown` \
             and now gets its own variant `Event::RewardPaid`, so code matching on `Unknown` \
             changes behaviour",
            "major: partner: event `reward.created` removed (variant `Event::RewardCreated`)",
        ],
    );
    assert_lines(
        &[(
            created,
            "    reward.created: {doc: A reward was created., payload: map<json>}",
        )],
        &[
            "major: partner: event `reward.created`: payload type changed from `Reward` to \
           `JsonMap`",
        ],
    );
    assert_lines(
        &[(
            created,
            "    reward.created: {doc: A reward was created., payload: Reward, names: [reward.added]}",
        )],
        &[
            "minor: partner: event `reward.created` now also matches deliveries named \
           `reward_added`: they used to arrive as `Event::Unknown` and now as \
           `Event::RewardCreated`",
        ],
    );
    let events = &BASE[BASE.find("events:").unwrap_or(BASE.len())..];
    assert_lines(
        &[(events, "")],
        &["major: partner: events removed (`partnerstack::partner::events::Event`)"],
    );
    assert_lines(
        &[("envelope: postback", "envelope: flat")],
        &[
            "major: partner: events: delivery envelope changed from postback (`{event, data, \
           test}`) to flat (the payload's fields beside `event`)",
        ],
    );
}

// The API's settings.

#[test]
fn auth_base_url_and_title() {
    assert_lines(
        &[("  auth: bearer\n  credential: api_key\n", "  auth: basic\n")],
        &[
            "major: partner: authentication changed from a bearer token (`api_key`) to HTTP Basic \
           (`Client::new` and the builder's credential setters change)",
        ],
    );
    assert_lines(
        &[("credential: api_key", "credential: token")],
        &[
            "major: partner: authentication changed from a bearer token (`api_key`) to a bearer \
           token (`token`) (`Client::new` and the builder's credential setters change)",
        ],
    );
    assert_lines(
        &[(
            "base_url: https://api.example.com",
            "base_url: https://api2.example.com",
        )],
        &[
            "patch: partner: default base URL changed from `https://api.example.com` to \
           `https://api2.example.com`",
        ],
    );
    assert_lines(
        &[("title: Partner API", "title: The Partner API")],
        &["patch: partner: title changed from \"Partner API\" to \"The Partner API\""],
    );
}

#[test]
fn pagination_setter_names_are_major_the_rest_patch() {
    assert_lines(
        &[("after: starting_after", "after: next")],
        &[
            "major: partner: forward cursor setter of every list request renamed from \
             `starting_after` to `next`",
            "patch: partner: forward cursor query parameter changed from `starting_after` to \
             `next`",
        ],
    );
    assert_lines(
        &[("min: 1, max: 250", "min: 1, max: 100")],
        &["patch: partner: page size limits changed from 1..=250 to 1..=100"],
    );
    assert_lines(
        &[("cursor: key", "cursor: key\n    items: data")],
        &["patch: partner: pagination page items key changed from `items` to `data`"],
    );
}

// Whole APIs, order and output.

#[test]
fn apis_added_and_removed() {
    let vendor = load(&BASE.replace("name: partner", "name: vendor"));
    let added = diff::diff(&[load(BASE)], &[load(BASE), vendor.clone()]);
    assert_eq!(
        added.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["minor: vendor: API added (module `partnerstack::vendor`)"]
    );
    let removed = diff::diff(&[vendor, load(BASE)], &[load(BASE)]);
    assert_eq!(
        removed.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["major: vendor: API removed (module `partnerstack::vendor`)"]
    );
    assert_eq!(removed[0].section, Section::Removed);
}

#[test]
fn changes_are_sorted_by_api_then_spec_order() {
    let new_partner = edit(&[
        (
            "base_url: https://api.example.com",
            "base_url: https://new.example.com",
        ),
        ("enum: [active, archived]", "enum: [active]"),
        ("doc: Payouts.", "doc: Money paid out."),
        ("doc: Lists rewards.", "doc: Lists every reward."),
        ("doc: A reward.", "doc: One reward."),
        ("doc: Postbacks.", "doc: Deliveries."),
    ]);
    let vendor = BASE.replace("name: partner", "name: aardvark");
    let new_vendor = vendor.replace("title: Partner API", "title: Aardvark API");
    let changes = diff::diff(
        &[load(BASE), load(&vendor)],
        &[load(&new_partner), load(&new_vendor)],
    );
    let lines: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "patch: aardvark: title changed from \"Partner API\" to \"Aardvark API\"",
            "patch: partner: default base URL changed from `https://api.example.com` to \
             `https://new.example.com`",
            "major: partner: enum `Status` value `archived` removed (variant `Status::Archived`)",
            "patch: partner: doc of type `Reward` changed",
            "patch: partner: doc of operation `rewards.list` changed",
            "patch: partner: doc of resource `payouts` changed",
            "patch: partner: doc of the events module changed",
        ]
    );
    assert_eq!(diff::level(&changes), Some(Level::Major));
    // Deterministic: the same input gives the same bytes.
    assert_eq!(
        diff::plain(&changes),
        diff::plain(&diff::diff(
            &[load(BASE), load(&vendor)],
            &[load(&new_partner), load(&new_vendor)],
        ))
    );
}

#[test]
fn plain_output_ends_with_the_release_level() {
    let changes = changes(&[
        ("doc: Payouts.", "doc: Money paid out."),
        (
            "enum: [active, archived]",
            "enum: [active, archived, pending]",
        ),
    ]);
    let plain = diff::plain(&changes);
    assert_eq!(plain.lines().last(), Some("semver: minor"), "{plain}");
    assert_eq!(plain.lines().count(), 3, "{plain}");
    for line in plain.lines() {
        assert!(!line.contains('\t') && line.trim() == line, "{line:?}");
    }
    let patch = diff::plain(&self::changes(&[("doc: Payouts.", "doc: Money.")]));
    assert!(patch.ends_with("\nsemver: patch\n"), "{patch}");
}

#[test]
fn changelog_groups_bullets_by_section_and_ends_with_the_level() {
    let note = "note: {type: string, required: false, doc: Note.}";
    let changes = changes(&[
        ("doc: Payouts.", "doc: Money paid out."),
        (
            "enum: [active, archived]",
            "enum: [active, archived, pending]",
        ),
        (
            "          memo: {type: string, required: false, doc: Memo.}\n",
            "",
        ),
        (
            note,
            "note: {type: string, required: false, deprecated: soon, doc: Note.}",
        ),
    ]);
    assert_eq!(
        diff::changelog(&changes),
        "### Added\n\n\
         - minor: partner: enum `Status` value `pending` added: it used to arrive as \
         `Unknown(\"pending\")` and now gets its own variant `Pending`, so code matching on \
         `Unknown` changes behaviour\n\n\
         ### Changed\n\n\
         - patch: partner: doc of resource `payouts` changed\n\n\
         ### Deprecated\n\n\
         - minor: partner: field `Reward.note` deprecated: soon\n\n\
         ### Removed\n\n\
         - major: partner: field `RewardCreate.memo` removed\n\n\
         <!-- semver: major -->\n"
    );
}

/// The levels rest on what the emitters write (see the module docs of `diff`): if one of these
/// fails, the emitted crate changed, and `diff`'s levels must follow.
#[test]
fn diff_levels_match_the_emitter() {
    let files = partnerstack_codegen::generate_sources(&[("partner.yaml".into(), BASE.into())])
        .unwrap_or_else(|e| panic!("{e}"));
    let all: String = files.iter().map(|f| f.contents.as_str()).collect();
    let attributes_of = |item: &str| -> String {
        let at = all
            .find(item)
            .unwrap_or_else(|| panic!("`{item}` is not emitted"));
        let before = &all[..at];
        // The docs and attributes between the previous item (or header) and this one.
        before
            .lines()
            .rev()
            .take_while(|l| !(l.is_empty() || l.starts_with('}') || l.starts_with("//")))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let exhaustive = |item: &str| !attributes_of(item).contains("#[non_exhaustive]");
    assert!(
        !exhaustive("pub enum Status {"),
        "open enums are #[non_exhaustive]"
    );
    assert!(
        all.contains("Unknown(String)"),
        "open enums keep unknown values"
    );
    assert!(
        !exhaustive("pub enum Event {"),
        "Event is #[non_exhaustive]"
    );
    assert!(
        !exhaustive("pub enum Color {"),
        "closed enums are #[non_exhaustive]"
    );
    assert!(
        !exhaustive("pub enum RewardCreateCustomer {"),
        "one_of enums are #[non_exhaustive]"
    );
    assert!(
        !exhaustive("pub struct Reward {"),
        "models are #[non_exhaustive]"
    );
    assert!(
        all.contains("pub fn builder() -> RewardBuilder"),
        "models have a builder"
    );
    assert!(
        all.contains("pub use rewards::*;"),
        "models are re-exported flat"
    );
    assert!(
        all.contains("pub type Cents = i64;"),
        "money is i64 and aliases are type aliases"
    );
}

// The binary.

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partnerstack-codegen"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run the binary: {e}"))
}

fn spec_dir(parent: &Path, name: &str, text: &str) -> String {
    let dir = parent.join(name);
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("partner.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    dir.to_string_lossy().into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn the_subcommand_prints_lines_then_the_level_and_exits_0() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let old = spec_dir(tmp.path(), "old", BASE);
    let new = spec_dir(
        tmp.path(),
        "new",
        &edit(&[(
            "enum: [active, archived]",
            "enum: [active, archived, pending]",
        )]),
    );
    let out = run(&["diff", "--base", &old, "--spec", &new]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "minor: partner: enum `Status` value `pending` added: it used to arrive as \
         `Unknown(\"pending\")` and now gets its own variant `Pending`, so code matching on \
         `Unknown` changes behaviour\nsemver: minor\n"
    );
    let log = run(&["diff", "--base", &old, "--spec", &new, "--changelog"]);
    assert_eq!(log.status.code(), Some(0), "{}", stderr(&log));
    assert!(stdout(&log).starts_with("### Added\n\n- minor: partner: enum `Status`"));
    assert!(
        stdout(&log).ends_with("\n<!-- semver: minor -->\n"),
        "{}",
        stdout(&log)
    );

    let same = run(&["diff", "--base", &old, "--spec", &old]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    assert_eq!(stdout(&same), "semver: none\n");
}

#[test]
fn the_subcommand_exits_1_for_a_broken_spec_and_2_for_bad_arguments() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let good = spec_dir(tmp.path(), "good", BASE);
    let broken = spec_dir(
        tmp.path(),
        "broken",
        &BASE.replace("type: Status, doc: Status.", "type: Statsu, doc: Status."),
    );
    // Where the problem is: the line of the misspelt type, in the file under `broken/`.
    let line = BASE
        .lines()
        .position(|l| l.contains("type: Status, doc: Status."))
        .map_or(0, |i| i + 1);
    let at = format!("broken/partner.yaml:{line}:");
    let out = run(&["diff", "--base", &good, "--spec", &broken]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(
        stderr(&out).contains(&at) && stderr(&out).contains("`Statsu`"),
        "{}",
        stderr(&out)
    );
    // A broken base is named as such, with its located problems.
    let out = run(&["diff", "--base", &broken, "--spec", &good]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("in the base spec (") && stderr(&out).contains(&at),
        "{}",
        stderr(&out)
    );
    // A directory that does not exist is an I/O error.
    let missing = tmp.path().join("missing").to_string_lossy().into_owned();
    assert_eq!(
        run(&["diff", "--base", &missing, "--spec", &good])
            .status
            .code(),
        Some(1)
    );
    // Bad arguments.
    assert_eq!(run(&["diff", "--spec", &good]).status.code(), Some(2));
    assert_eq!(run(&["diff", "--base"]).status.code(), Some(2));
    assert_eq!(
        run(&["diff", "--base", &good, "--frobnicate"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn the_subcommand_defaults_to_the_workspace_spec() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let workspace_spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let base = tmp.path().join("spec");
    std::fs::create_dir_all(&base).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(&workspace_spec).unwrap_or_else(|e| panic!("{e}")) {
        let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
        if let Some(name) = path.file_name() {
            std::fs::copy(&path, base.join(name)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_partnerstack-codegen"))
        .args(["diff", "--base", &base.to_string_lossy()])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "semver: none\n");
}

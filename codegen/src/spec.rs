//! The raw spec: what a YAML spec file says, shaped as Rust data with source positions.
//!
//! Reading a [`Node`] tree into these structs checks only shape (which keys exist, which are
//! scalars, maps or lists). Meaning (does a type exist, do names collide) is `validate`'s job.
//! Each problem is reported and reading goes on, so a user sees every problem at once.

use crate::diag::{Loc, Reporter, suggest};
use crate::yaml::{Node, NodeKind};

/// A value with the position it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it was written.
    pub loc: Loc,
}

impl<T> Spanned<T> {
    fn new(value: T, loc: Loc) -> Self {
        Spanned { value, loc }
    }
}

/// One spec file: one API.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawSpec {
    /// The file, as shown in diagnostics.
    pub file: String,
    /// The `api:` block.
    pub api: Option<RawApi>,
    /// Types shared by several resources (`types:` at the top level).
    pub types: Vec<RawType>,
    /// The `resources:` block, in spec order.
    pub resources: Vec<RawResource>,
    /// The `events:` block: what PartnerStack delivers to the API's users.
    pub events: Option<RawEvents>,
}

/// The `events:` block.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvents {
    /// Where the block starts.
    pub loc: Loc,
    /// Doc text of the generated `events` module.
    pub doc: Option<Spanned<String>>,
    /// How a delivery wraps its payload: `postback` or `flat`.
    pub envelope: Option<Spanned<String>>,
    /// The known events, in spec order.
    pub kinds: Vec<RawEventKind>,
    /// Where deliveries go, when users register them through the API (`targets:`).
    pub targets: Option<RawTargets>,
}

/// `targets:` of `events`: the stored objects that register deliveries.
#[derive(Debug, Clone, PartialEq)]
pub struct RawTargets {
    /// Where the block is.
    pub loc: Loc,
    /// The object type of the registrations (`Webhook`).
    pub ty: Option<Spanned<String>>,
    /// Its string field holding the URL to deliver to (`target`).
    pub url: Option<Spanned<String>>,
    /// Its list field holding the names of the events delivered (`events`).
    pub kinds: Option<Spanned<String>>,
}

/// `fired_by:` of an event kind: the change of a stored object that sends it.
#[derive(Debug, Clone, PartialEq)]
pub struct RawFiredBy {
    /// Where the block is.
    pub loc: Loc,
    /// The entity (`customer`), as object types declare it.
    pub entity: Option<Spanned<String>>,
    /// `created`, `updated` or `deleted`.
    pub change: Option<Spanned<String>>,
}

/// One known event.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEventKind {
    /// Its name as the key (`customer.created`), which also names the Rust variant.
    pub name: Spanned<String>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// Other names it arrives under, besides the key's dotted and underscore spellings.
    pub names: Vec<Spanned<String>>,
    /// The payload's type expression.
    pub payload: Option<Spanned<String>>,
    /// The change that sends it (`fired_by:`), for the fake.
    pub fired_by: Option<RawFiredBy>,
}

/// The `api:` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawApi {
    /// Where the block starts.
    pub loc: Loc,
    /// Module name of the API (`partner` → `partnerstack::partner`).
    pub name: Option<Spanned<String>>,
    /// Human title.
    pub title: Option<Spanned<String>>,
    /// Module documentation.
    pub doc: Option<Spanned<String>>,
    /// Default base URL.
    pub base_url: Option<Spanned<String>>,
    /// Authentication scheme.
    pub auth: Option<Spanned<String>>,
    /// Name of the bearer credential (`api_key` unless given).
    pub credential: Option<Spanned<String>>,
    /// Response envelope style.
    pub envelope: Option<Spanned<String>>,
    /// Cursor pagination rules, declared once for the whole API.
    pub pagination: Option<RawPagination>,
    /// The entity of the stored object the API's credential acts as (`partnership`: the
    /// Partner API's key is one partner of the vendor), for the fake.
    pub signed_in: Option<Spanned<String>>,
}

/// The `pagination:` block.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawPagination {
    /// Where the block starts.
    pub loc: Loc,
    /// Name of the page-size query parameter.
    pub limit_param: Option<Spanned<String>>,
    /// Smallest allowed page size.
    pub limit_min: Option<Spanned<i64>>,
    /// Largest allowed page size.
    pub limit_max: Option<Spanned<i64>>,
    /// Query parameter for walking forward (items after a key).
    pub after: Option<Spanned<String>>,
    /// Query parameter for walking backward (items before a key).
    pub before: Option<Spanned<String>>,
    /// Field of each item that is its cursor.
    pub cursor: Option<Spanned<String>>,
    /// Key of a page's item list (`items` unless given).
    pub items: Option<Spanned<String>>,
    /// Key of a page's "more follow" flag (`has_more` unless given).
    pub has_more: Option<Spanned<String>>,
    /// Key of a page's total count (`total` unless given).
    pub total: Option<Spanned<String>>,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct RawType {
    /// Its name, as written.
    pub name: Spanned<String>,
    /// Its doc text.
    pub doc: Option<Spanned<String>>,
    /// What kind of type.
    pub kind: RawTypeKind,
    /// What the store knows of an object type (`key_prefix:`); see [`RawStore`].
    pub store: RawStore,
}

/// What an object type or a field says about stored objects: their keys, which fields the
/// server owns and which are unique. Read by the fake; the client ignores it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawStore {
    /// On an object type: the prefix of its objects' keys (`rwrd_`); on a string field: the
    /// prefix of the keys it holds (`part_` on `partnership_key`).
    pub key_prefix: Option<Spanned<String>>,
    /// On a field: `true` (the server sets it), `created` (the creation time) or `updated`
    /// (the time of the last change).
    pub read_only: Option<Spanned<String>>,
    /// On a field: no two objects hold the same value.
    pub unique: Option<Spanned<bool>>,
    /// On an object type: the kind of stored object it shows (`customer`); the same name in
    /// several types (or APIs) is one kind of object, and events name it in `fired_by`.
    pub entity: Option<Spanned<String>>,
    /// On a field: it refers to a stored object of an entity: `customer` (a string field holds
    /// its key, an object field shows it), or `partnership.partner_key` (holds that field).
    pub refers: Option<Spanned<String>>,
    /// On an object type: values of some of its fields that the fake's first seeded object of
    /// the type holds (`partner_key: gstest`: the test partner every instance has).
    pub first_seeded: Vec<(Spanned<String>, Spanned<String>)>,
    /// On a string field: it holds the key of a stored object of the entity its sibling field
    /// (an enum of entities) names: `refers_by: type` beside `type: customer | transaction`.
    pub refers_by: Option<Spanned<String>>,
    /// On an object type of an API with `signed_in`: which of its objects the signed-in object
    /// sees: a field holding the signed-in object's key, `everyone` (all of them) or
    /// `signed_in` (all of them, each the signed-in object's own).
    pub owned_by: Option<Spanned<String>>,
    /// On a field: values like PartnerStack's, which the fake seeds it with.
    pub examples: Vec<Spanned<String>>,
    /// On a string field: the fewest characters PartnerStack accepts.
    pub min_length: Option<Spanned<i64>>,
    /// On a string field: the most characters PartnerStack accepts.
    pub max_length: Option<Spanned<i64>>,
    /// On a number field: the smallest value PartnerStack accepts.
    pub minimum: Option<Spanned<i64>>,
    /// On a number field: the largest value PartnerStack accepts.
    pub maximum: Option<Spanned<i64>>,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum RawTypeKind {
    /// An object with fields.
    Object {
        /// Fields in spec order.
        fields: Vec<RawField>,
        /// Groups of fields of which exactly one must be set (request bodies).
        one_of: Vec<RawOneOf>,
        /// How people see it: `summary` columns and the `currency` field.
        display: RawDisplay,
    },
    /// An enum of string values.
    Enum {
        /// Where `enum:` was written.
        loc: Loc,
        /// The values.
        values: Vec<RawEnumValue>,
        /// True when unknown values are an error instead of kept.
        closed: bool,
    },
    /// Another name for a type expression.
    Alias(Spanned<String>),
    /// The type could not be read; already reported.
    Broken,
}

/// A field of an object type.
#[derive(Debug, Clone, PartialEq)]
pub struct RawField {
    /// The JSON name.
    pub name: Spanned<String>,
    /// The type expression.
    pub ty: Option<Spanned<String>>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// Whether the field is always present (default true).
    pub required: Option<Spanned<bool>>,
    /// Whether the field may be null (default false).
    pub nullable: Option<Spanned<bool>>,
    /// Deprecation note, naming the replacement.
    pub deprecated: Option<Spanned<String>>,
    /// An explicit Rust name, when the derived one is not wanted.
    pub rust_name: Option<Spanned<String>>,
    /// On a money field: the fixed ISO 4217 code of its amounts (`USD`), over the model's
    /// `currency` field.
    pub currency: Option<Spanned<String>>,
    /// What the store knows of it (`key_prefix`, `read_only`, `unique`).
    pub store: RawStore,
}

/// What an object type says about how people see it (the command line's tables): keys of
/// their own, read by `read_display`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RawDisplay {
    /// `summary:`, the columns a person scans first: field names, nested ones as
    /// `customer.email`.
    pub summary: Option<Spanned<Vec<Spanned<String>>>>,
    /// `currency:`, the field holding the ISO 4217 code of the model's money fields.
    pub currency: Option<Spanned<String>>,
}

/// A group of body fields of which exactly one must be given.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOneOf {
    /// The group's name (becomes a Rust enum).
    pub name: Spanned<String>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// The member fields (names of fields of the same object).
    pub fields: Vec<Spanned<String>>,
}

/// One value of an enum.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEnumValue {
    /// The string on the wire.
    pub value: Spanned<String>,
    /// An explicit variant name.
    pub name: Option<Spanned<String>>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
}

/// A resource: a group of operations and the types they use.
#[derive(Debug, Clone, PartialEq)]
pub struct RawResource {
    /// Its name (`rewards` → `client.rewards()`).
    pub name: Spanned<String>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// Types that belong to this resource.
    pub types: Vec<RawType>,
    /// Operations in spec order.
    pub operations: Vec<RawOperation>,
}

/// One HTTP operation.
#[derive(Debug, Clone, PartialEq)]
pub struct RawOperation {
    /// Its name (`list` → `client.rewards().list()`).
    pub name: Spanned<String>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// HTTP method.
    pub method: Option<Spanned<String>>,
    /// Path template with `{param}`s.
    pub path: Option<Spanned<String>>,
    /// Path parameters.
    pub path_params: Vec<RawParam>,
    /// Query parameters.
    pub query: Vec<RawParam>,
    /// Request body type.
    pub body: Option<Spanned<String>>,
    /// What the operation returns.
    pub response: Option<RawResponse>,
    /// Whether a retry is safe; defaults from the method.
    pub retry: Option<Spanned<bool>>,
    /// An explicit name for the request builder type.
    pub request_name: Option<Spanned<String>>,
    /// Deprecation note.
    pub deprecated: Option<Spanned<String>>,
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct RawParam {
    /// The name on the wire.
    pub name: Spanned<String>,
    /// Type expression.
    pub ty: Option<Spanned<String>>,
    /// Doc text.
    pub doc: Option<Spanned<String>>,
    /// Whether the caller must give it.
    pub required: Option<Spanned<bool>>,
    /// An explicit Rust name.
    pub rust_name: Option<Spanned<String>>,
    /// What a list's query parameter does to the items (`filter:`); see [`RawFilter`].
    pub filter: Option<RawFilter>,
}

/// What a list's query parameter does, as `filter:` says.
#[derive(Debug, Clone, PartialEq)]
pub enum RawFilter {
    /// `{field: <item field path>, op: <op>}`: only items whose field compares so with the value.
    Field {
        /// Where the mapping is.
        loc: Loc,
        /// The item field, dotted through embedded objects (`customer.key`).
        field: Option<Spanned<String>>,
        /// `equals`, `one_of`, `at_least`, `at_most` or `contains` (by default `equals`, or
        /// `one_of` for a repeated parameter).
        op: Option<Spanned<String>>,
    },
    /// `sort` (every value of the enum is an item field, `-` first for descending), or
    /// `{sort: [fields]}` (only these fields are applied; the other values are accepted).
    Sort {
        /// Where it is written.
        loc: Loc,
        /// The fields applied, when listed.
        fields: Option<Vec<Spanned<String>>>,
    },
    /// `not_applied`: PartnerStack applies it, the fake accepts it and does not.
    NotApplied(Loc),
    /// Written, but unreadable; already reported.
    Broken,
}

/// What an operation returns.
#[derive(Debug, Clone, PartialEq)]
pub enum RawResponse {
    /// A page of items of the named type.
    Page(Spanned<String>),
    /// One value of the type.
    Object(Spanned<String>),
    /// A plain list of the type in `data`.
    List(Spanned<String>),
    /// Only the envelope's `message`.
    Message(Loc),
    /// Nothing (or nothing worth reading).
    Empty(Loc),
}

/// The keys each mapping of the format may hold: written once, here, and used both to read
/// and to report unknown keys.
mod keys {
    pub const FILE: &[&str] = &["api", "types", "resources", "events"];
    pub const EVENTS: &[&str] = &["doc", "envelope", "kinds", "targets"];
    pub const EVENT: &[&str] = &["doc", "names", "payload", "fired_by"];
    pub const TARGETS: &[&str] = &["type", "url", "events"];
    pub const FIRED_BY: &[&str] = &["entity", "change"];
    pub const API: &[&str] = &[
        "name",
        "title",
        "doc",
        "base_url",
        "auth",
        "credential",
        "envelope",
        "pagination",
        "signed_in",
    ];
    pub const PAGINATION: &[&str] = &[
        "limit", "after", "before", "cursor", "items", "has_more", "total",
    ];
    pub const LIMIT: &[&str] = &["param", "min", "max"];
    pub const OBJECT: &[&str] = &[
        "doc",
        "fields",
        "one_of",
        "summary",
        "currency",
        "key_prefix",
        "entity",
        "owned_by",
        "first_seeded",
    ];
    pub const ENUM: &[&str] = &["doc", "enum", "closed"];
    pub const ALIAS: &[&str] = &["doc", "alias"];
    /// Every key a type may hold, whatever its kind.
    pub const TYPE: &[&str] = &[
        "doc",
        "fields",
        "one_of",
        "enum",
        "closed",
        "alias",
        "key_prefix",
        "entity",
        "owned_by",
        "first_seeded",
        "summary",
        "currency",
    ];
    pub const FIELD: &[&str] = &[
        "type",
        "doc",
        "required",
        "nullable",
        "deprecated",
        "rust_name",
        "currency",
        "key_prefix",
        "read_only",
        "unique",
        "refers",
        "refers_by",
        "examples",
        "min_length",
        "max_length",
        "minimum",
        "maximum",
    ];
    pub const ONE_OF: &[&str] = &["doc", "fields"];
    pub const ENUM_VALUE: &[&str] = &["value", "name", "doc"];
    pub const RESOURCE: &[&str] = &["doc", "types", "operations"];
    pub const OPERATION: &[&str] = &[
        "doc",
        "method",
        "path",
        "path_params",
        "query",
        "body",
        "response",
        "retry",
        "request_name",
        "deprecated",
    ];
    pub const PARAM: &[&str] = &["type", "doc", "required", "rust_name", "filter"];
    /// `filter:` as a mapping.
    pub const FILTER: &[&str] = &["field", "op", "sort"];
    pub const RESPONSE: &[&str] = &["page", "object", "list"];
}

/// Reads a parsed YAML document into a [`RawSpec`], reporting every shape problem.
pub fn read(file: &str, root: &Node, r: &mut Reporter) -> RawSpec {
    let mut spec = RawSpec {
        file: file.to_string(),
        ..RawSpec::default()
    };
    let Some(mut m) = Map::open(root, "the spec file", keys::FILE, r) else {
        return spec;
    };
    spec.api = m.take("api").and_then(|n| read_api(n, r));
    if let Some(n) = m.take("types") {
        spec.types = read_types(n, r);
    }
    if let Some(n) = m.take("resources") {
        spec.resources = entries(n, "`resources`", r)
            .into_iter()
            .map(|(name, n)| read_resource(name, n, r))
            .collect();
    }
    spec.events = m.take("events").and_then(|n| read_events(n, r));
    if spec.api.is_none() && !r.has_errors() {
        r.error_hint(
            root.loc,
            "missing `api:` block",
            "start the file with `api:` giving name, title, doc, base_url and auth",
        );
    }
    m.finish(r);
    spec
}

fn read_events(node: &Node, r: &mut Reporter) -> Option<RawEvents> {
    let mut m = Map::open(node, "`events`", keys::EVENTS, r)?;
    let doc = m.doc(r);
    let envelope = m.required("envelope", r);
    let kinds = m
        .take("kinds")
        .map(|n| {
            entries(n, "`kinds`", r)
                .into_iter()
                .filter_map(|(name, n)| {
                    let what = format!("event `{}`", name.value);
                    let mut k = Map::open(n, &what, keys::EVENT, r)?;
                    let kind = RawEventKind {
                        doc: k.doc(r),
                        names: k
                            .take("names")
                            .map(|n| string_list(n, "`names`", r))
                            .unwrap_or_default(),
                        payload: k.required("payload", r),
                        fired_by: k.take("fired_by").and_then(|n| {
                            let mut f = Map::open(n, "`fired_by`", keys::FIRED_BY, r)?;
                            let fired = RawFiredBy {
                                loc: n.loc,
                                entity: f.required("entity", r),
                                change: f.required("change", r),
                            };
                            f.finish(r);
                            Some(fired)
                        }),
                        name,
                    };
                    k.finish(r);
                    Some(kind)
                })
                .collect()
        })
        .unwrap_or_default();
    let targets = m.take("targets").and_then(|n| {
        let mut t = Map::open(n, "`targets`", keys::TARGETS, r)?;
        let targets = RawTargets {
            loc: n.loc,
            ty: t.required("type", r),
            url: t.required("url", r),
            kinds: t.required("events", r),
        };
        t.finish(r);
        Some(targets)
    });
    m.finish(r);
    Some(RawEvents {
        loc: node.loc,
        doc,
        envelope,
        kinds,
        targets,
    })
}

fn read_api(node: &Node, r: &mut Reporter) -> Option<RawApi> {
    let mut m = Map::open(node, "`api`", keys::API, r)?;
    let api = RawApi {
        loc: node.loc,
        name: m.required("name", r),
        title: m.required("title", r),
        doc: m.doc(r),
        base_url: m.required("base_url", r),
        auth: m.required("auth", r),
        credential: m.string("credential", r),
        envelope: m.string("envelope", r),
        pagination: m.take("pagination").and_then(|n| read_pagination(n, r)),
        signed_in: m.string("signed_in", r),
    };
    m.finish(r);
    Some(api)
}

fn read_pagination(node: &Node, r: &mut Reporter) -> Option<RawPagination> {
    let mut m = Map::open(node, "`pagination`", keys::PAGINATION, r)?;
    let mut p = RawPagination {
        loc: node.loc,
        after: m.required("after", r),
        before: m.required("before", r),
        cursor: m.required("cursor", r),
        items: m.string("items", r),
        has_more: m.string("has_more", r),
        total: m.string("total", r),
        ..RawPagination::default()
    };
    if !m.has("limit") {
        r.error(node.loc, "`pagination` has no `limit`");
    }
    if let Some(limit) = m.take("limit")
        && let Some(mut l) = Map::open(limit, "`limit`", keys::LIMIT, r)
    {
        p.limit_param = l.required("param", r);
        p.limit_min = l.int("min", r);
        p.limit_max = l.int("max", r);
        if !l.has("min") || !l.has("max") {
            r.error(limit.loc, "`limit` needs `min` and `max`");
        }
        l.finish(r);
    }
    m.finish(r);
    Some(p)
}

fn read_types(node: &Node, r: &mut Reporter) -> Vec<RawType> {
    entries(node, "`types`", r)
        .into_iter()
        .map(|(name, n)| read_type(name, n, r))
        .collect()
}

fn read_type(name: Spanned<String>, node: &Node, r: &mut Reporter) -> RawType {
    let what = format!("type `{}`", name.value);
    let Some(mut m) = Map::open(node, &what, keys::TYPE, r) else {
        return RawType {
            name,
            doc: None,
            kind: RawTypeKind::Broken,
            store: RawStore::default(),
        };
    };
    let doc = m.doc(r);
    let fields = m.take("fields");
    let values = m.take("enum");
    let alias = m.string("alias", r);
    let kind_keys = match (&fields, &values, &alias) {
        (Some(_), None, None) => Some((keys::OBJECT, "object types (with `fields`)")),
        (None, Some(_), None) => Some((keys::ENUM, "enums")),
        (None, None, Some(_)) => Some((keys::ALIAS, "nothing on an alias")),
        _ => None,
    };
    if let Some((allowed, kind)) = kind_keys {
        m.misplaced(allowed, kind, r);
    }
    let kind = match (fields, values, alias) {
        (Some(f), None, None) => {
            let one_of = m
                .take("one_of")
                .map(|n| read_one_ofs(n, r))
                .unwrap_or_default();
            RawTypeKind::Object {
                fields: entries(f, "`fields`", r)
                    .into_iter()
                    .map(|(name, n)| read_field(name, n, r))
                    .collect(),
                one_of,
                display: read_display(&mut m, r),
            }
        }
        (None, Some(v), None) => RawTypeKind::Enum {
            loc: v.loc,
            values: read_enum_values(v, r),
            closed: m.bool("closed", r).is_some_and(|c| c.value),
        },
        (None, None, Some(a)) => RawTypeKind::Alias(a),
        (None, None, None) => {
            r.error_hint(
                node.loc,
                format!("{what} says neither `fields`, `enum` nor `alias`"),
                "an object type has `fields:`, an enum `enum:`, an alias `alias: <type>`",
            );
            RawTypeKind::Broken
        }
        _ => {
            r.error(
                node.loc,
                format!("{what} has more than one of `fields`, `enum` and `alias`"),
            );
            RawTypeKind::Broken
        }
    };
    let store = RawStore {
        key_prefix: m.string("key_prefix", r),
        entity: m.string("entity", r),
        owned_by: m.string("owned_by", r),
        first_seeded: m
            .take("first_seeded")
            .map(|n| string_map(n, "`first_seeded`", r))
            .unwrap_or_default(),
        ..RawStore::default()
    };
    m.finish(r);
    RawType {
        name,
        doc,
        kind,
        store,
    }
}

fn read_field(name: Spanned<String>, node: &Node, r: &mut Reporter) -> RawField {
    let mut f = RawField {
        name,
        ty: None,
        doc: None,
        required: None,
        nullable: None,
        deprecated: None,
        rust_name: None,
        currency: None,
        store: RawStore::default(),
    };
    let what = format!("field `{}`", f.name.value);
    let Some(mut m) = Map::open(node, &what, keys::FIELD, r) else {
        return f;
    };
    f.ty = m.required("type", r);
    f.doc = m.doc(r);
    f.required = m.bool("required", r);
    f.nullable = m.bool("nullable", r);
    f.deprecated = m.string("deprecated", r);
    f.rust_name = m.string("rust_name", r);
    f.currency = m.string("currency", r);
    f.store = RawStore {
        key_prefix: m.string("key_prefix", r),
        read_only: m.string("read_only", r),
        unique: m.bool("unique", r),
        entity: None,
        owned_by: None,
        first_seeded: Vec::new(),
        refers: m.string("refers", r),
        refers_by: m.string("refers_by", r),
        examples: m
            .take("examples")
            .map(|n| string_list(n, "`examples`", r))
            .unwrap_or_default(),
        min_length: m.int("min_length", r),
        max_length: m.int("max_length", r),
        minimum: m.int("minimum", r),
        maximum: m.int("maximum", r),
    };
    m.finish(r);
    f
}

/// The display keys of an object type: `summary` (a list of field paths) and `currency` (a
/// field name). Their meaning is checked by `validate::display`.
fn read_display(m: &mut Map<'_>, r: &mut Reporter) -> RawDisplay {
    let summary = m
        .take("summary")
        .map(|n| Spanned::new(string_list(n, "`summary`", r), n.loc));
    RawDisplay {
        summary,
        currency: m.string("currency", r),
    }
}

fn read_one_ofs(node: &Node, r: &mut Reporter) -> Vec<RawOneOf> {
    entries(node, "`one_of`", r)
        .into_iter()
        .filter_map(|(name, n)| {
            let what = format!("`one_of` group `{}`", name.value);
            let mut m = Map::open(n, &what, keys::ONE_OF, r)?;
            let doc = m.doc(r);
            let fields = m
                .take("fields")
                .map(|n| string_list(n, "`fields`", r))
                .unwrap_or_default();
            m.finish(r);
            Some(RawOneOf { name, doc, fields })
        })
        .collect()
}

fn read_enum_values(node: &Node, r: &mut Reporter) -> Vec<RawEnumValue> {
    let NodeKind::Seq(items) = &node.kind else {
        r.error(
            node.loc,
            format!("`enum` must be a list of values, found {}", node.shape()),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| {
            if let Some(value) = scalar(item) {
                return Some(RawEnumValue {
                    value,
                    name: None,
                    doc: None,
                });
            }
            let mut m = Map::open(item, "an enum value", keys::ENUM_VALUE, r)?;
            let value = m.string("value", r);
            let name = m.string("name", r);
            let doc = m.string("doc", r);
            m.finish(r);
            match value {
                Some(value) => Some(RawEnumValue { value, name, doc }),
                None => {
                    r.error(item.loc, "enum value without `value:`");
                    None
                }
            }
        })
        .collect()
}

fn read_resource(name: Spanned<String>, node: &Node, r: &mut Reporter) -> RawResource {
    let mut res = RawResource {
        name,
        doc: None,
        types: Vec::new(),
        operations: Vec::new(),
    };
    let what = format!("resource `{}`", res.name.value);
    let Some(mut m) = Map::open(node, &what, keys::RESOURCE, r) else {
        return res;
    };
    res.doc = m.doc(r);
    if let Some(n) = m.take("types") {
        res.types = read_types(n, r);
    }
    if let Some(n) = m.take("operations") {
        res.operations = entries(n, "`operations`", r)
            .into_iter()
            .map(|(name, n)| read_operation(name, n, r))
            .collect();
    }
    m.finish(r);
    res
}

fn read_operation(name: Spanned<String>, node: &Node, r: &mut Reporter) -> RawOperation {
    let mut op = RawOperation {
        name,
        doc: None,
        method: None,
        path: None,
        path_params: Vec::new(),
        query: Vec::new(),
        body: None,
        response: None,
        retry: None,
        request_name: None,
        deprecated: None,
    };
    let what = format!("operation `{}`", op.name.value);
    let Some(mut m) = Map::open(node, &what, keys::OPERATION, r) else {
        return op;
    };
    op.doc = m.doc(r);
    op.method = m.required("method", r);
    op.path = m.required("path", r);
    op.body = m.string("body", r);
    op.retry = m.bool("retry", r);
    op.request_name = m.string("request_name", r);
    op.deprecated = m.string("deprecated", r);
    if let Some(n) = m.take("path_params") {
        op.path_params = read_params(n, "`path_params`", r);
    }
    if let Some(n) = m.take("query") {
        op.query = read_params(n, "`query`", r);
    }
    if !m.has("response") {
        r.error_hint(
            node.loc,
            format!("{what} has no `response`"),
            "`empty`, `message`, `{page: Type}`, `{object: Type}` or `{list: Type}`",
        );
    }
    op.response = m.take("response").and_then(|n| read_response(n, r));
    m.finish(r);
    op
}

fn read_params(node: &Node, what: &str, r: &mut Reporter) -> Vec<RawParam> {
    entries(node, what, r)
        .into_iter()
        .map(|(name, n)| {
            let mut p = RawParam {
                name,
                ty: None,
                doc: None,
                required: None,
                rust_name: None,
                filter: None,
            };
            let what = format!("parameter `{}`", p.name.value);
            if let Some(mut m) = Map::open(n, &what, keys::PARAM, r) {
                p.ty = m.required("type", r);
                p.doc = m.doc(r);
                p.required = m.bool("required", r);
                p.rust_name = m.string("rust_name", r);
                p.filter = m.take("filter").and_then(|n| read_filter(n, r));
                m.finish(r);
            }
            p
        })
        .collect()
}

fn read_response(node: &Node, r: &mut Reporter) -> Option<RawResponse> {
    const FORMS: &str = "`empty`, `message`, `{page: Type}`, `{object: Type}` or `{list: Type}`";
    if let Some(word) = node.as_str() {
        return match word {
            "empty" => Some(RawResponse::Empty(node.loc)),
            "message" => Some(RawResponse::Message(node.loc)),
            other => {
                r.error_hint(
                    node.loc,
                    format!("unknown response `{other}`"),
                    format!("a response is {FORMS}"),
                );
                None
            }
        };
    }
    let mut m = Map::open(node, "`response`", keys::RESPONSE, r)?;
    let found: Vec<_> = keys::RESPONSE
        .iter()
        .copied()
        .filter_map(|k| m.string(k, r).map(|v| (k, v)))
        .collect();
    if m.finish(r) && found.is_empty() {
        return None;
    }
    match found.as_slice() {
        [(kind, ty)] => Some(match *kind {
            "page" => RawResponse::Page(ty.clone()),
            "object" => RawResponse::Object(ty.clone()),
            _ => RawResponse::List(ty.clone()),
        }),
        _ => {
            r.error_hint(
                node.loc,
                "a response names exactly one of `page`, `object` or `list`",
                format!("a response is {FORMS}"),
            );
            None
        }
    }
}

/// `filter:` of a query parameter: `not_applied`, `sort`, `{sort: [fields]}` or
/// `{field: path, op: op}`.
fn read_filter(node: &Node, r: &mut Reporter) -> Option<RawFilter> {
    const FORMS: &str = "`filter: {field: <item field>}` (with `op:` `equals`, `one_of`, \
                         `at_least`, `at_most` or `contains`), `filter: sort`, \
                         `filter: {sort: [<fields>]}` or `filter: not_applied`";
    if let Some(word) = node.as_str().filter(|_| !node.is_null()) {
        return match word {
            "not_applied" => Some(RawFilter::NotApplied(node.loc)),
            "sort" => Some(RawFilter::Sort {
                loc: node.loc,
                fields: None,
            }),
            other => {
                let hint = match suggest(other, ["not_applied", "sort"]) {
                    Some(near) => format!("did you mean `{near}`? A filter is {FORMS}"),
                    None => format!("a filter is {FORMS}"),
                };
                r.error_hint(node.loc, format!("unknown filter `{other}`"), hint);
                Some(RawFilter::Broken)
            }
        };
    }
    let Some(mut m) = Map::open(node, "`filter`", keys::FILTER, r) else {
        return Some(RawFilter::Broken);
    };
    let filter = if m.has("sort") {
        if m.has("field") || m.has("op") {
            r.error_hint(
                node.loc,
                "a `filter` either sorts or filters on a field, not both",
                format!("a filter is {FORMS}"),
            );
            m.take("sort");
            m.take("field");
            m.take("op");
            m.finish(r);
            return Some(RawFilter::Broken);
        }
        let fields = m
            .take("sort")
            .map(|n| string_list(n, "`sort`", r))
            .unwrap_or_default();
        Some(RawFilter::Sort {
            loc: node.loc,
            fields: Some(fields),
        })
    } else {
        Some(RawFilter::Field {
            loc: node.loc,
            field: m.required("field", r),
            op: m.string("op", r),
        })
    };
    m.finish(r);
    filter
}

/// A scalar node as a spanned string (null is not a string).
fn scalar(node: &Node) -> Option<Spanned<String>> {
    match &node.kind {
        NodeKind::Scalar { value, .. } if !node.is_null() => {
            Some(Spanned::new(value.clone(), node.loc))
        }
        _ => None,
    }
}

fn string_list(node: &Node, what: &str, r: &mut Reporter) -> Vec<Spanned<String>> {
    let NodeKind::Seq(items) = &node.kind else {
        r.error(
            node.loc,
            format!("{what} must be a list, found {}", node.shape()),
        );
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|n| {
            let s = scalar(n);
            if s.is_none() {
                r.error(n.loc, format!("{what} holds names, found {}", n.shape()));
            }
            s
        })
        .collect()
}

/// A mapping of names to text values (`first_seeded:`), each with its place.
fn string_map(
    node: &Node,
    what: &str,
    r: &mut Reporter,
) -> Vec<(Spanned<String>, Spanned<String>)> {
    entries(node, what, r)
        .into_iter()
        .filter_map(|(name, value)| {
            let v = scalar(value);
            if v.is_none() {
                r.error(
                    value.loc,
                    format!("{what} maps field names to values, found {}", value.shape()),
                );
            }
            Some((name, v?))
        })
        .collect()
}

/// The entries of a mapping whose keys are names, with duplicate names reported.
fn entries<'n>(node: &'n Node, what: &str, r: &mut Reporter) -> Vec<(Spanned<String>, &'n Node)> {
    if node.is_null() {
        return Vec::new();
    }
    let NodeKind::Map(pairs) = &node.kind else {
        r.error(
            node.loc,
            format!("{what} must be a mapping of names, found {}", node.shape()),
        );
        return Vec::new();
    };
    let mut out: Vec<(Spanned<String>, &Node)> = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let Some(name) = scalar(k) else {
            r.error(k.loc, format!("a name in {what} must be text"));
            continue;
        };
        if let Some((first, _)) = out.iter().find(|(n, _)| n.value == name.value) {
            r.error_hint(
                name.loc,
                format!("duplicate name `{}` in {what}", name.value),
                format!(
                    "first defined at line {}; rename or merge the two",
                    first.loc.line
                ),
            );
            continue;
        }
        out.push((name, v));
    }
    out
}

/// A mapping of fixed keys being read; each key is taken once, then [`Map::finish`] reports the
/// keys nobody took (typos) and duplicates.
struct Map<'n> {
    loc: Loc,
    what: String,
    known: &'static [&'static str],
    pairs: Vec<(&'n Node, &'n Node, bool)>,
}

impl<'n> Map<'n> {
    /// Opens a mapping whose keys may be `known` (one of the lists in [`keys`]).
    fn open(
        node: &'n Node,
        what: &str,
        known: &'static [&'static str],
        r: &mut Reporter,
    ) -> Option<Self> {
        let pairs = match &node.kind {
            NodeKind::Map(pairs) => pairs.iter().map(|(k, v)| (k, v, false)).collect(),
            _ if node.is_null() => Vec::new(),
            _ => {
                r.error(
                    node.loc,
                    format!("{what} must be a mapping, found {}", node.shape()),
                );
                return None;
            }
        };
        Some(Map {
            loc: node.loc,
            what: what.to_string(),
            known,
            pairs,
        })
    }

    /// Reports, and takes, each key this mapping may hold in general but not in its present
    /// form: `closed` on an object type says where `closed` belongs.
    fn misplaced(&mut self, allowed: &[&str], form: &str, r: &mut Reporter) {
        for (k, _, taken) in &mut self.pairs {
            let Some(key) = k.as_str() else { continue };
            if *taken || allowed.contains(&key) || !self.known.contains(&key) {
                continue;
            }
            *taken = true;
            let belongs = match key {
                "closed" => "`closed` applies only to enums",
                "summary" | "currency" => {
                    "`summary` and `currency` apply only to object types (with `fields`)"
                }
                "key_prefix" => "`key_prefix` applies only to object types (with `fields`)",
                "entity" => "`entity` applies only to object types (with `fields`)",
                "owned_by" => "`owned_by` applies only to object types (with `fields`)",
                "first_seeded" => "`first_seeded` applies only to object types (with `fields`)",
                "one_of" => "`one_of` applies only to object types (with `fields`)",
                "fields" => "`fields` makes an object type",
                "enum" => "`enum` makes an enum",
                _ => "`alias` makes an alias",
            };
            r.error_hint(
                k.loc,
                format!("`{key}` does not apply to {form}"),
                belongs.to_string(),
            );
        }
    }

    /// A text value that must be present; its absence is reported here, so later stages treat
    /// `None` as "already reported".
    fn required(&mut self, key: &str, r: &mut Reporter) -> Option<Spanned<String>> {
        if !self.has(key) {
            r.error(self.loc, format!("{} has no `{key}`", self.what));
            return None;
        }
        self.string(key, r)
    }

    /// The `doc` every generated item needs.
    fn doc(&mut self, r: &mut Reporter) -> Option<Spanned<String>> {
        if !self.has("doc") {
            r.error_hint(
                self.loc,
                format!("{} has no `doc`", self.what),
                "every generated item is documented; add `doc: <one sentence>`",
            );
            return None;
        }
        self.string("doc", r)
    }

    fn has(&self, key: &str) -> bool {
        self.pairs.iter().any(|(k, _, _)| k.as_str() == Some(key))
    }

    fn take(&mut self, key: &str) -> Option<&'n Node> {
        debug_assert!(
            self.known.contains(&key),
            "`{key}` is missing from its key list"
        );
        let (_, value, taken) = self
            .pairs
            .iter_mut()
            .find(|(k, _, taken)| !*taken && k.as_str() == Some(key))?;
        *taken = true;
        Some(*value)
    }

    fn string(&mut self, key: &str, r: &mut Reporter) -> Option<Spanned<String>> {
        let node = self.take(key)?;
        let s = scalar(node);
        if s.is_none() {
            r.error(
                node.loc,
                format!("`{key}` must be text, found {}", node.shape()),
            );
        }
        s
    }

    fn bool(&mut self, key: &str, r: &mut Reporter) -> Option<Spanned<bool>> {
        let node = self.take(key)?;
        match &node.kind {
            NodeKind::Scalar { value, plain: true } if value == "true" || value == "false" => {
                Some(Spanned::new(value == "true", node.loc))
            }
            _ => {
                r.error(
                    node.loc,
                    format!(
                        "`{key}` must be `true` or `false`, found {}",
                        describe(node)
                    ),
                );
                None
            }
        }
    }

    fn int(&mut self, key: &str, r: &mut Reporter) -> Option<Spanned<i64>> {
        let node = self.take(key)?;
        let parsed = match &node.kind {
            NodeKind::Scalar { value, plain: true } => value.parse::<i64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            r.error(
                node.loc,
                format!("`{key}` must be an integer, found {}", describe(node)),
            );
        }
        parsed.map(|v| Spanned::new(v, node.loc))
    }

    /// Reports keys that were never taken: unknown keys (with the nearest known one) and
    /// duplicates of known keys. Returns whether there were any.
    fn finish(self, r: &mut Reporter) -> bool {
        let known = self.known;
        let taken_keys: Vec<&str> = self
            .pairs
            .iter()
            .filter(|(_, _, taken)| *taken)
            .filter_map(|(k, _, _)| k.as_str())
            .collect();
        let mut any = false;
        for (k, _, taken) in &self.pairs {
            let key = k.as_str();
            // A known key left unread: the mapping is broken in another way, already reported.
            if *taken || key.is_some_and(|key| known.contains(&key) && !taken_keys.contains(&key)) {
                continue;
            }
            any = true;
            let Some(key) = key else {
                r.error(k.loc, "keys must be text");
                continue;
            };
            if taken_keys.contains(&key) {
                r.error(k.loc, format!("duplicate key `{key}`"));
            } else if key.contains(' ') || key.ends_with('.') {
                r.error_hint(
                    k.loc,
                    format!("unknown key `{key}`"),
                    "this looks like text cut at a `,`: inside `{…}` a comma ends the value, \
                     so quote text that has one (`doc: \"a, b\"`)",
                );
            } else if let Some(near) = suggest(key, known.iter().copied()) {
                r.error_hint(
                    k.loc,
                    format!("unknown key `{key}`"),
                    format!("did you mean `{near}`?"),
                );
            } else {
                r.error_hint(
                    k.loc,
                    format!("unknown key `{key}`"),
                    format!("expected one of {}", quoted_list(known)),
                );
            }
        }
        any
    }
}

fn describe(node: &Node) -> String {
    match node.as_str() {
        Some(v) if !node.is_null() => format!("`{v}`"),
        _ => node.shape().to_string(),
    }
}

fn quoted_list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

//! The shapes of the emitted tables (`fake/generated/`): what the generator knows about each
//! API, as plain data the core reads.

/// One API the fake serves.
pub(crate) struct ApiTable {
    /// The API's module name (`partner`).
    pub name: &'static str,
    /// Human title.
    #[allow(dead_code, reason = "data for readers of the tables")]
    pub title: &'static str,
    /// How requests authenticate.
    pub auth: Auth,
    /// The spec's names of the credentials it takes: the bearer token, or the Basic user name
    /// then password (`api_key`; `public_key`, `secret_key`).
    pub credentials: &'static [&'static str],
    /// Whether answers are wrapped in `{data, message, status}`.
    pub envelope: bool,
    /// Cursor pagination rules, when the API has lists.
    pub pagination: Option<Pagination>,
    /// The entity of the stored object its credential acts as (`partnership`: the Partner
    /// API's key is one partner of the vendor); `None` when it sees every stored object.
    pub signed_in: Option<&'static str>,
    /// The paths of lists, each holding one object type.
    pub collections: &'static [Collection],
    /// Every operation.
    pub routes: &'static [Route],
    /// Every named type.
    pub types: &'static [TypeDef],
    /// String fields holding the key of a stored object of the entity a sibling field names
    /// (`refers_by:`).
    pub refers_by: &'static [RefersBy],
    /// What PartnerStack delivers to this API's users, when the spec says.
    pub events: Option<Events>,
}

/// A field of `item` holding the key of a stored object of the entity its sibling field `by`
/// names (a new reward's `target.key`, of the entity `target.type` names).
pub(crate) struct RefersBy {
    pub item: &'static str,
    pub field: &'static str,
    pub by: &'static str,
}

/// The events of an API.
pub(crate) struct Events {
    /// `{event, data, test}` (a partner's postbacks); otherwise flat (the payload's fields
    /// beside `event`, a vendor's webhooks).
    pub postback: bool,
    pub kinds: &'static [EventKind],
    /// The stored objects that register where deliveries go; without them, the postback URL
    /// the fake was started with.
    pub targets: Option<Targets>,
}

/// One kind of event.
pub(crate) struct EventKind {
    /// Its name as sent (`customer.created`).
    pub name: &'static str,
    pub payload: Ty,
    /// The change of a stored object (its entity) that sends it.
    pub fired_by: Option<(&'static str, Change)>,
}

/// A change of a stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Created,
    Updated,
    Deleted,
}

/// The stored registrations of deliveries: their type, URL field and events field.
pub(crate) struct Targets {
    pub item: &'static str,
    pub url: &'static str,
    pub kinds: &'static str,
}

/// Authentication schemes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// HTTP Basic: user name and password.
    Basic,
}

/// The API's pagination rules: parameter names, limits and page keys.
pub(crate) struct Pagination {
    pub limit: &'static str,
    pub limit_min: u32,
    pub limit_max: u32,
    pub after: &'static str,
    pub before: &'static str,
    /// The item field used as cursor.
    pub cursor: &'static str,
    pub items: &'static str,
    pub has_more: &'static str,
    pub total: &'static str,
}

/// A list's path and the object type it holds.
pub(crate) struct Collection {
    pub path: &'static str,
    pub item: &'static str,
    /// Which stored objects the signed-in object sees (`None`: every one).
    pub owner: Option<Owner>,
}

/// Which stored objects of a collection the signed-in object of an API sees (`owned_by:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Owner {
    /// Those whose field holds the signed-in object's key.
    Field(&'static str),
    /// Every one.
    Everyone,
    /// Every one: each is the signed-in object's own.
    SignedIn,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

/// One operation.
pub(crate) struct Route {
    /// The operation id (`rewards.list`).
    pub op: &'static str,
    pub method: Method,
    /// The path template as the spec writes it.
    #[allow(
        dead_code,
        reason = "data for readers of the tables; routing uses `segments`"
    )]
    pub template: &'static str,
    pub segments: &'static [Segment],
    pub query: &'static [Query],
    /// The body's type, when the operation takes one.
    pub body: Option<Ty>,
    pub kind: Kind,
    pub answer: Answer,
}

/// A path segment.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Segment {
    Literal(&'static str),
    /// A parameter, by its name in the template.
    Param(#[allow(dead_code, reason = "data for readers of the tables")] &'static str),
}

/// A query parameter.
pub(crate) struct Query {
    pub name: &'static str,
    pub ty: Ty,
    pub required: bool,
    pub filter: Filter,
}

/// What a list query parameter does to the items, as the spec's `filter:` states it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Filter {
    /// Accepted and checked, not applied.
    NotApplied,
    /// Only items whose field (a path through embedded objects) compares so with the value.
    Field {
        path: &'static [&'static str],
        op: Op,
    },
    /// The sort order: a value is an item field, `-` first for descending; values naming a
    /// field outside this list keep the default order (newest first).
    Sort(&'static [&'static str]),
}

/// How a filter compares a field with the query value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// The field, written as query text (`null` for null), is the value; a list field holds it.
    Equals,
    /// Like `Equals`, for any of the repeated parameter's values.
    OneOf,
    /// A number at least the value.
    AtLeast,
    /// A number at most the value.
    AtMost,
    /// Text containing the value, ignoring ASCII case.
    Contains,
}

/// What an operation does.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// Lists the collection at this path.
    List(&'static str),
    /// Creates an item in the collection.
    Create(&'static str),
    /// Reads an item, found by the first of these fields equal to the last path parameter.
    Read(&'static str, &'static [&'static str]),
    /// Changes the fields sent; `null` clears.
    Update(&'static str, &'static [&'static str]),
    /// Removes an item.
    Delete(&'static str, &'static [&'static str]),
    /// Answers a value of the response type.
    Canned,
}

/// What an operation answers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Answer {
    /// A page of this object type.
    Page(#[allow(dead_code, reason = "data for readers of the tables")] &'static str),
    Object(Ty),
    List(Ty),
    Message,
    Empty,
}

/// A named type.
pub(crate) struct TypeDef {
    pub name: &'static str,
    pub kind: TypeKind,
}

/// The kinds of named types.
pub(crate) enum TypeKind {
    Object {
        fields: &'static [Field],
        /// Groups of fields of which exactly one is sent.
        one_of: &'static [&'static [&'static str]],
        /// The prefix of its objects' keys (`rwrd_`), when the spec declares one.
        key_prefix: Option<&'static str>,
        /// The kind of stored object it shows (`customer`).
        entity: Option<&'static str>,
        /// Field values of the first object seeded of the type (`first_seeded:`: the test
        /// partner `gstest` among partnerships).
        first_seeded: &'static [(&'static str, &'static str)],
    },
    Enum {
        values: &'static [&'static str],
        open: bool,
    },
    Alias(Ty),
}

/// An object's field.
pub(crate) struct Field {
    pub name: &'static str,
    pub ty: Ty,
    /// Always present.
    pub required: bool,
    /// May be null.
    pub nullable: bool,
    /// The prefix of the keys it holds (`part_`), as the spec declares it.
    pub key_prefix: Option<&'static str>,
    /// How the server sets it, when it does.
    pub read_only: Option<ReadOnly>,
    /// No two objects hold the same value.
    pub unique: bool,
    /// The stored object it refers to: its entity, and the field it holds (none: the key, or
    /// for an object field the object itself).
    pub refers: Option<(&'static str, Option<&'static str>)>,
    /// Values like PartnerStack's, to seed it with.
    pub examples: &'static [&'static str],
    /// What PartnerStack accepts in it.
    pub limits: Limits,
}

/// Lengths of text and bounds of numbers PartnerStack accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
}

impl Limits {
    /// No limit.
    pub(crate) const NONE: Limits = Limits {
        min_length: None,
        max_length: None,
        minimum: None,
        maximum: None,
    };
}

/// How the server sets a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReadOnly {
    /// It sets it; an update never changes it (a create whose body declares it may give it).
    Set,
    /// The creation time.
    Created,
    /// The time of the last change.
    Updated,
}

/// A type reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ty {
    String,
    Bool,
    I32,
    I64,
    #[allow(dead_code, reason = "no spec field uses it yet")]
    F64,
    Timestamp,
    LooseBool,
    Money,
    Json,
    List(&'static Ty),
    Map(&'static Ty),
    Named(&'static str),
}

impl ApiTable {
    /// The named type `name`.
    pub(crate) fn type_named(&self, name: &str) -> Option<&'static TypeDef> {
        self.types.iter().find(|t| t.name == name)
    }

    /// The collection at `path`.
    pub(crate) fn collection(&self, path: &str) -> Option<&'static Collection> {
        self.collections.iter().find(|c| c.path == path)
    }

    /// The fields of the object type `name` (none for other types).
    pub(crate) fn fields(&self, name: &str) -> &'static [Field] {
        match self.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { fields, .. }) => fields,
            _ => &[],
        }
    }

    /// The entity the object type `name` shows.
    pub(crate) fn entity(&self, name: &str) -> Option<&'static str> {
        match self.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { entity, .. }) => *entity,
            _ => None,
        }
    }

    /// The field values of the first object seeded of the object type `name` (`first_seeded:`).
    pub(crate) fn first_seeded(&self, name: &str) -> &'static [(&'static str, &'static str)] {
        match self.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { first_seeded, .. }) => first_seeded,
            _ => &[],
        }
    }

    /// The key prefix of the object type `name`'s objects.
    pub(crate) fn key_prefix(&self, name: &str) -> Option<&'static str> {
        match self.type_named(name).map(|t| &t.kind) {
            Some(TypeKind::Object { key_prefix, .. }) => *key_prefix,
            _ => None,
        }
    }
}

impl Method {
    /// The method of an HTTP request, if the fake knows it.
    pub(crate) fn from_http(m: &hyper::Method) -> Option<Method> {
        Some(match *m {
            hyper::Method::GET => Method::Get,
            hyper::Method::POST => Method::Post,
            hyper::Method::PUT => Method::Put,
            hyper::Method::PATCH => Method::Patch,
            hyper::Method::DELETE => Method::Delete,
            _ => return None,
        })
    }
}

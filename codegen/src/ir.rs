//! The intermediate representation: a validated API as plain data.
//!
//! Nothing here knows about YAML or tokens. Every name is already the final Rust identifier
//! (decided in `names`), every type reference is resolved, and order is spec order, so emitting
//! is a pure walk over this data.

use std::collections::{BTreeMap, BTreeSet};

use crate::names::Ident;

/// One API (one spec file), ready to emit.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec file it came from, for the `@generated` header.
    pub source: String,
    /// Rust module name (`partner`).
    pub module: Ident,
    /// Where the spec names the API, for problems found across spec files.
    pub module_loc: crate::diag::Loc,
    /// Human title.
    pub title: String,
    /// Module documentation.
    pub doc: String,
    /// Default base URL, without a trailing slash.
    pub base_url: String,
    /// How requests authenticate.
    pub auth: Auth,
    /// How response bodies are wrapped.
    pub envelope: Envelope,
    /// Cursor pagination rules, when the API has list operations.
    pub pagination: Option<Pagination>,
    /// The `ClientBuilder` field holding the settings (`config`, unless a credential took it).
    pub config_field: Ident,
    /// The credentials the client builder takes, in order (the bearer token, or HTTP Basic's
    /// public and secret keys).
    pub credentials: Vec<Credential>,
    /// The environment variable that overrides the base URL (`PARTNERSTACK_BASE_URL`).
    pub base_url_env_var: String,
    /// The names the command line's tables of this API use for their own items.
    pub cli: ApiCli,
    /// Every named type, in spec order (shared types first).
    pub types: Vec<TypeDef>,
    /// Where each type of `types` is, by Rust name: see [`Api::type_def`].
    pub type_index: TypeIndex,
    /// Resources in spec order.
    pub resources: Vec<Resource>,
    /// The events PartnerStack delivers to this API's users, when the spec describes them.
    pub events: Option<Events>,
    /// What the spec says about stored objects (keys, server-owned and unique fields), for the
    /// fake; the client ignores it.
    pub store: StoreFacts,
}

impl Api {
    /// The named type called `name` (a Rust type name, as [`Ty::Named`] holds it). The index
    /// validation builds is a shortcut: an IR whose `types` a caller changed afterwards still
    /// answers right, by a scan.
    pub fn type_def(&self, name: &str) -> Option<&TypeDef> {
        match self.type_index.0.get(name).and_then(|&i| self.types.get(i)) {
            Some(t) if t.name == name => Some(t),
            _ => self.types.iter().find(|t| t.name == name),
        }
    }
}

/// The position of each of an API's types in [`Api::types`], by Rust name.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct TypeIndex(BTreeMap<Ident, usize>);

impl TypeIndex {
    /// The index of `types`.
    pub fn of(types: &[TypeDef]) -> Self {
        TypeIndex(
            types
                .iter()
                .enumerate()
                .map(|(i, t)| (t.name.clone(), i))
                .collect(),
        )
    }
}

/// Shown as its size: the types themselves are in [`Api::types`].
impl std::fmt::Debug for TypeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TypeIndex({} types)", self.0.len())
    }
}

/// What the spec says about stored objects, by Rust type name and JSON field name.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StoreFacts {
    /// The prefix of each object type's keys (`Reward` → `rwrd_`).
    pub key_prefixes: BTreeMap<String, String>,
    /// The prefix of the keys a string field holds (`(Customer, partnership_key)` → `part_`).
    pub field_prefixes: BTreeMap<(String, String), String>,
    /// The fields the server sets, and how.
    pub read_only: BTreeMap<(String, String), ReadOnly>,
    /// The fields no two objects of a type hold the same value in.
    pub unique: BTreeSet<(String, String)>,
    /// The entity each object type shows (`Customer` → `customer`).
    pub entities: BTreeMap<String, String>,
    /// The fields that refer to a stored object: the entity, and the field of it they hold
    /// (none: its key, for a string field; the object itself, for an object field).
    pub refers: BTreeMap<(String, String), (String, Option<String>)>,
    /// The string fields holding the key of a stored object of the entity a sibling field
    /// names (`(RewardTarget, key)` → `type`, an enum of entities).
    pub refers_by: BTreeMap<(String, String), String>,
    /// Values like PartnerStack's for a field, which the fake seeds it with.
    pub examples: BTreeMap<(String, String), Vec<String>>,
    /// Field values (by wire name) of the first object the fake seeds of a type, by Rust type
    /// name (`Partnership` → `partner_key: gstest`, …: the test partner).
    pub first_seeded: BTreeMap<String, Vec<(String, String)>>,
    /// What PartnerStack accepts in a field: lengths of text, bounds of numbers.
    pub limits: BTreeMap<(String, String), Limits>,
    /// The entity of the stored object the API's credential acts as (`partnership`), when the
    /// API sees only what belongs to it (`api: signed_in:`).
    pub signed_in: Option<String>,
    /// Which objects of each object type the signed-in object sees (`owned_by:`), by Rust type
    /// name; every object type with an entity has one when `signed_in` is set.
    pub owned_by: BTreeMap<String, Owner>,
}

/// Which stored objects of a type the signed-in object of an API sees (`owned_by:`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    /// Those whose field (a string field) holds the signed-in object's key; the type's own key
    /// field, for the signed-in entity's type.
    Field(String),
    /// Every one (a marketplace every partner browses).
    Everyone,
    /// Every one, each the signed-in object's own (objects only this API has, such as a
    /// partner's payouts).
    SignedIn,
}

/// The values PartnerStack accepts in a field, where the reference says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Limits {
    /// The fewest characters of a string.
    pub min_length: Option<u64>,
    /// The most characters of a string.
    pub max_length: Option<u64>,
    /// The smallest number.
    pub minimum: Option<i64>,
    /// The largest number.
    pub maximum: Option<i64>,
}

/// How the server sets a read-only field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOnly {
    /// It sets it; a caller never changes it (a create whose body declares the field may give
    /// its first value).
    Set,
    /// The time the object was created (or the time a create's body backdates it to).
    Created,
    /// The time of the object's last change.
    Updated,
}

/// The events of an API: one Rust enum, `<api>::events::Event`.
#[derive(Debug, Clone, PartialEq)]
pub struct Events {
    /// Doc text of the `events` module.
    pub doc: String,
    /// How a delivery wraps its payload.
    pub envelope: EventEnvelope,
    /// The known events, in spec order.
    pub kinds: Vec<EventKind>,
    /// The variant keeping an event this version does not know (`Unknown`).
    pub unknown: Ident,
    /// The variant keeping a known event whose payload does not decode (`Malformed`).
    pub malformed: Ident,
    /// The stored objects that register where deliveries go, when users register them through
    /// the API (the Vendor API's webhooks); otherwise a single URL the user gives the fake.
    pub targets: Option<EventTargets>,
}

/// The stored objects that register deliveries: `targets:` of `events`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventTargets {
    /// Their object type (Rust name).
    pub ty: Ident,
    /// The JSON name of the string field holding the URL.
    pub url: String,
    /// The JSON name of the list field holding the names of the events to deliver.
    pub kinds: String,
}

/// A change of a stored object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// It was created.
    Created,
    /// It was changed.
    Updated,
    /// It was deleted (or archived).
    Deleted,
}

/// How a delivery wraps its payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventEnvelope {
    /// A partner postback: `{"event": …, "data": {payload}, "test": bool}`.
    Postback,
    /// A vendor webhook: the payload's own fields, with `event` among them.
    Flat,
}

/// One known event: a variant of `Event`.
#[derive(Debug, Clone, PartialEq)]
pub struct EventKind {
    /// The variant (`CustomerCreated`).
    pub variant: Ident,
    /// The names it arrives under, each as matched: dots and hyphens read as `_`
    /// (`customer.created` and `customer_created` are one event).
    pub match_names: Vec<String>,
    /// Every name it was declared under, as written, for docs.
    pub names: Vec<String>,
    /// Doc text.
    pub doc: String,
    /// The payload's type.
    pub payload: Ty,
    /// The change of a stored object that sends it (`entity`, change), for the fake; events
    /// without one are sent only on request (`partnerstack-fake trigger`).
    pub fired_by: Option<(String, Change)>,
}

/// A credential the client builder takes, with the names users see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    /// The builder's setter and `Client::new`'s argument (`api_key`, `public_key`).
    pub name: Ident,
    /// The environment variable that `from_env()` and the command line read it from
    /// (`PARTNERSTACK_API_KEY`).
    pub env_var: String,
}

/// The names the command line's generated code of one API gives its own items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiCli {
    /// The module holding the column views of the models (`views`, unless a resource took it).
    pub views: Ident,
}

/// The names the command line's generated code of one operation gives its own items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationCli {
    /// The function reading a `one_of` body from the flags (`create_body`).
    pub body_reader: Ident,
    /// The table of the body's field flags (`CREATE_FIELDS`).
    pub body_fields: Ident,
    /// One local per argument of the accessor method (path parameters, then required query
    /// parameters): `arg0`, `arg1`, …
    pub arguments: Vec<Ident>,
}

/// Authentication schemes the runtime implements.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>`; the token's name (`api_key`, `tracking_token`) names
    /// the builder setter and the argument of `Client::new`.
    Bearer {
        /// The credential's name.
        credential: Ident,
    },
    /// HTTP Basic with a public key as user and a secret key as password.
    Basic,
}

/// Response body wrappers the runtime implements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Envelope {
    /// `{"data": ..., "message": "...", "status": 200}`.
    DataMessageStatus,
    /// The body is the payload itself (or empty).
    None,
}

/// Cursor pagination, declared once per API: what a list request sends and what its page
/// answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// Page-size query parameter.
    pub limit: PageParam,
    /// Smallest page size.
    pub limit_min: u32,
    /// Largest page size.
    pub limit_max: u32,
    /// Forward cursor parameter.
    pub after: PageParam,
    /// Backward cursor parameter.
    pub before: PageParam,
    /// JSON name of the item field used as cursor.
    pub cursor_field: String,
    /// JSON key of a page's item list.
    pub items_key: String,
    /// JSON key of a page's "more items follow" flag.
    pub has_more_key: String,
    /// JSON key of a page's total count (sent by some lists only).
    pub total_key: String,
}

/// A pagination query parameter and the list-request setter that sets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageParam {
    /// Name on the wire.
    pub wire: String,
    /// The setter on every list request.
    pub setter: Ident,
    /// The command line's flag for it, without `--` (`starting-after`).
    pub flag: String,
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// Rust name (UpperCamelCase).
    pub name: Ident,
    /// Doc text.
    pub doc: String,
    /// Models file it is emitted into (`common` for shared types, else the resource module).
    pub module: Ident,
    /// What it is.
    pub kind: TypeKind,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct.
    Object(Object),
    /// A string enum.
    Enum(Enum),
    /// A type alias.
    Alias(Ty),
}

/// A struct type.
#[derive(Debug, Clone, PartialEq)]
pub struct Object {
    /// Fields in spec order (fields of `one_of` groups are not repeated here).
    pub fields: Vec<Field>,
    /// Groups of fields of which exactly one is sent, each one Rust enum.
    pub one_of: Vec<OneOf>,
    /// Whether callers build values of it (it is part of a request body): it then gets a
    /// constructor taking the required fields and a setter per optional field.
    pub input: bool,
    /// With two or more constructor arguments (fields always present and never null, then
    /// `one_of` groups), the builder that takes them by name instead of a positional `new(…)`.
    pub builder: Option<ModelBuilder>,
    /// The locals of its decoder (its emitted `Deserialize`) besides the fields' own.
    pub decoder: DecoderLocals,
    /// The field keeping JSON fields the spec does not describe (`extra`).
    pub extra: Ident,
    /// The columns a person scans first (the command line's `-f table`): JSON field names,
    /// nested ones joined with `.` (`customer.email`), each checked against the types; empty
    /// when the spec gives none.
    pub summary: Vec<String>,
}

/// The builder of a model with two or more constructor arguments: `Model::builder()` sets each
/// by name, and `build()` exists once all are set (each is a type parameter that starts as
/// `crate::Missing`).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelBuilder {
    /// The builder type: `CustomerCreateBuilder`.
    pub name: Ident,
    /// One type parameter per constructor argument, in the arguments' order.
    pub params: Vec<Ident>,
}

/// The names a model's decoder gives its own locals. It also declares one local per field,
/// named as the field; these took what the fields left.
#[derive(Debug, Clone, PartialEq)]
pub struct DecoderLocals {
    /// The `MapAccess` the object is read from.
    pub map: Ident,
    /// The unknown fields, collected for `extra`.
    pub extra: Ident,
    /// The field the next key names, as the decoder's loop binds it.
    pub field: Ident,
    /// The crate-private enum with a variant per field that the decoder matches keys to: a
    /// type name of the models module, unique among them. Variants are named as the fields,
    /// so adding a field adds a variant and renumbers nothing.
    pub fields: Ident,
}

/// A group of body fields of which exactly one must be sent: an enum with one variant per
/// field, so a value with none or two of them cannot be built.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOf {
    /// The struct field holding the choice.
    pub rust_name: Ident,
    /// The enum's name.
    pub enum_name: Ident,
    /// Doc text.
    pub doc: String,
    /// One variant per member field, in spec order.
    pub variants: Vec<OneOfVariant>,
}

/// One choice of a [`OneOf`].
#[derive(Debug, Clone, PartialEq)]
pub struct OneOfVariant {
    /// The member field's JSON name.
    pub json_name: String,
    /// The variant name.
    pub variant: Ident,
    /// The member field's type.
    pub ty: Ty,
    /// Doc text.
    pub doc: String,
}

/// A struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Name in JSON.
    pub json_name: String,
    /// Rust field name (may be raw, e.g. `r#type`).
    pub rust_name: Ident,
    /// Its type.
    pub ty: Ty,
    /// Always present in JSON.
    pub required: bool,
    /// May be JSON `null`.
    pub nullable: bool,
    /// Doc text.
    pub doc: String,
    /// Deprecation note, if deprecated.
    pub deprecated: Option<String>,
    /// The setter on the model, for a field `new`/`builder()` does not take (one that may be
    /// absent or null): the field's name, or `set_<name>` where every model already has a
    /// method of that name (`default`, `new`, …).
    pub setter: Option<Ident>,
    /// The setter that sends the field as `null` (`clear_note`), for fields
    /// that may be absent or null.
    pub clear_setter: Option<Ident>,
    /// For a money field, where the currency of its amounts comes from, when the spec says.
    pub currency: Option<Currency>,
}

/// The currency of a money field's amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Currency {
    /// The value of this field (its JSON name) of the same object: the model's `currency`.
    Field(String),
    /// Always this ISO 4217 code (`USD`): the field's own `currency`.
    Code(String),
}

/// How a field's presence and nullability shape its Rust type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>`, `None` written as `null`.
    RequiredNullable,
    /// May be absent, never null: `Option<T>`, `None` left out.
    Optional,
    /// May be absent or null, and the two differ (an update's "leave unchanged" and "clear"):
    /// `Nullable<T>`.
    OptionalNullable,
}

impl Field {
    /// The field's presence, from its two facts.
    pub fn presence(&self) -> Presence {
        match (self.required, self.nullable) {
            (true, false) => Presence::Required,
            (true, true) => Presence::RequiredNullable,
            (false, false) => Presence::Optional,
            (false, true) => Presence::OptionalNullable,
        }
    }

    /// Whether a value can be missing from the Rust type (any presence but `Required`).
    pub fn optional(&self) -> bool {
        self.presence() != Presence::Required
    }
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct Enum {
    /// Known values.
    pub values: Vec<EnumValue>,
    /// The variant an open enum keeps unknown values in (`Unknown(String)`); `None` for a
    /// closed enum.
    pub unknown: Option<Ident>,
}

impl Enum {
    /// Whether values the spec does not list are kept (in [`Enum::unknown`]).
    pub fn open(&self) -> bool {
        self.unknown.is_some()
    }
}

/// One enum value.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumValue {
    /// The string on the wire.
    pub wire: String,
    /// Rust variant name.
    pub variant: Ident,
    /// Doc text.
    pub doc: String,
}

/// A resolved type reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// Text.
    String,
    /// `true`/`false`.
    Bool,
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// Floating-point number.
    F64,
    /// Epoch milliseconds.
    Timestamp,
    /// A boolean, integer, amount or timestamp that may arrive in another JSON form (a number as
    /// a string, `"1000"`; a boolean as a string or a number, `"false"`, `1`), kept in the form
    /// it came in. Spelled `loose<T>` in the spec (`loose_bool` is `loose<bool>`); used by
    /// event payloads, where a receiver that rejects a real delivery loses it.
    Loose(Box<Ty>),
    /// Integer minor units (cents) of a currency.
    Money,
    /// Any JSON value.
    Json,
    /// A list.
    List(Box<Ty>),
    /// A JSON object with values of one type.
    Map(Box<Ty>),
    /// A named type of the API.
    Named(Ident, NamedKind),
}

/// What a named type reference points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamedKind {
    /// A struct.
    Object,
    /// A string enum.
    Enum,
    /// An alias.
    Alias,
}

/// A resource: an accessor on the client and a file of request builders.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Module / file name (`marketplace_programs`; never a raw identifier).
    pub module: Ident,
    /// Accessor method on the client (`marketplace_programs`).
    pub accessor: Ident,
    /// The accessor's struct (`MarketplacePrograms`).
    pub struct_name: Ident,
    /// Doc text.
    pub doc: String,
    /// Operations in spec order.
    pub operations: Vec<Operation>,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// One operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Stable id used in errors and logs (`rewards.list`).
    pub id: String,
    /// Method on the resource accessor (`list`).
    pub method_name: Ident,
    /// Request builder type (`ListRewards`).
    pub request_type: Ident,
    /// Doc text.
    pub doc: String,
    /// HTTP method.
    pub http_method: Method,
    /// The path template as written (`/api/v2/marketplace/programs/{company_key}`).
    pub path_template: String,
    /// The template split into literal text and parameters.
    pub path: Vec<PathPart>,
    /// Path parameters, in the order they appear in the path.
    pub path_params: Vec<Param>,
    /// Query parameters in spec order.
    pub query: Vec<Param>,
    /// The JSON request body, when the operation sends one.
    pub body: Option<Body>,
    /// The name of the `Request` local in the accessor method (`request`, unless a parameter
    /// took it).
    pub request_local: Ident,
    /// What the call returns.
    pub response: Response,
    /// Whether retrying after the request may have reached the server is safe.
    pub retry_safe: bool,
    /// The names of the command line's own items for this operation.
    pub cli: OperationCli,
    /// Deprecation note.
    pub deprecated: Option<String>,
}

/// An operation's request body.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// Its type.
    pub ty: Ty,
    /// The accessor's argument taking it (`body`, unless a parameter took that name).
    pub arg: Ident,
    /// The command line's flag for each field of an object body (`one_of` members included),
    /// in the type's order; empty for other bodies, which only `--data` gives.
    pub flags: Vec<BodyFlag>,
}

/// A body field as a command-line flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyFlag {
    /// The field's JSON name.
    pub field: String,
    /// The flag, without `--` (`partner-key`; `field-data` where the command line or a query
    /// parameter has the field's own name).
    pub flag: String,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Literal text, sent as is.
    Literal(String),
    /// The path parameter at this index of `Operation::path_params`, percent-encoded.
    Param(usize),
}

/// A path or query parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (argument or setter).
    pub rust_name: Ident,
    /// The command line's flag for a query parameter, without `--` (`payment-status`).
    pub flag: String,
    /// Its type.
    pub ty: Ty,
    /// Whether the caller must give it.
    pub required: bool,
    /// Doc text.
    pub doc: String,
    /// What it does to a list's items (query parameters of lists only; `None` elsewhere).
    pub filter: Option<QueryFilter>,
}

/// What a list's query parameter does to the items, as the spec's `filter:` states it: the
/// fake applies exactly this, and nothing is guessed from names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryFilter {
    /// Only items whose field compares with the value by `op`.
    Field {
        /// The item field's JSON names, outermost first (`["customer", "key"]`).
        path: Vec<String>,
        /// How the field is compared with the value.
        op: FilterOp,
    },
    /// The sort order: a value is an item field, `-` first for descending. Values naming a
    /// field outside `fields` are accepted and not applied.
    Sort {
        /// The item fields the fake sorts by.
        fields: Vec<String>,
    },
    /// PartnerStack applies it; the fake accepts it and does not (its doc says so).
    NotApplied,
}

/// How a filter compares an item's field with the query value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterOp {
    /// The field, written as query text (`null` for null), is the value; a list field holds it.
    Equals,
    /// Like `Equals`, for any of the values of a repeated parameter.
    OneOf,
    /// The field is a number at least the value.
    AtLeast,
    /// The field is a number at most the value.
    AtMost,
    /// The field is text containing the value, ignoring ASCII case.
    Contains,
}

impl FilterOp {
    /// The op as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            FilterOp::Equals => "equals",
            FilterOp::OneOf => "one_of",
            FilterOp::AtLeast => "at_least",
            FilterOp::AtMost => "at_most",
            FilterOp::Contains => "contains",
        }
    }
}

/// What an operation returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A cursor page of an object type.
    Page(PageItem),
    /// One value.
    Object(Ty),
    /// A plain list in `data`.
    List(Ty),
    /// Only the envelope's message.
    Message,
    /// Nothing.
    Empty,
}

/// The items of a paginated list.
#[derive(Debug, Clone, PartialEq)]
pub struct PageItem {
    /// The item type (an object).
    pub ty: Ident,
    /// Rust name of its field holding the pagination cursor.
    pub cursor: Ident,
    /// The creation-time range the list filters on, when it can be walked in time windows
    /// (`items_partitioned`); decided in validation (`operations::created_ranges`).
    pub created: Option<CreatedRange>,
}

/// A list's creation-time range filter: an `at_least` and an `at_most` filter on the item's
/// `read_only: created` field, a timestamp always present, which the API orders its lists by
/// (newest first). Lists with one are walked in disjoint time windows at once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedRange {
    /// Rust name of the items' creation-time field (`created_at`).
    pub field: Ident,
    /// Its name in the JSON, read from each item's text by `json_items_partitioned`.
    pub json_name: String,
    /// Wire name of the `at_least` parameter (`min_created`).
    pub min: String,
    /// Wire name of the `at_most` parameter (`max_created`).
    pub max: String,
    /// The list's sort parameter, if it has one: a partitioned walk sets it to newest first
    /// (or leaves it out, for the default order).
    pub sort: Option<CreatedSort>,
}

/// A list's sort parameter, and its values that sort by the creation-time field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreatedSort {
    /// Wire name (`order_by`).
    pub param: String,
    /// The value for newest first (`-created_at`), when the fake applies it.
    pub newest_first: Option<String>,
    /// The value for oldest first (`created_at`), when the fake applies it.
    pub oldest_first: Option<String>,
}

#[cfg(test)]
mod tests {
    #[test]
    fn type_def_answers_after_the_types_change() {
        let spec = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
        let mut apis = crate::load_specs(&spec).expect("the repository's specs validate");
        let api = apis
            .iter_mut()
            .find(|a| a.module == "partner")
            .expect("the Partner API");
        assert_eq!(
            api.type_def("Reward").map(|t| t.name.as_str()),
            Some("Reward")
        );
        api.types.reverse();
        assert_eq!(
            api.type_def("Reward").map(|t| t.name.as_str()),
            Some("Reward")
        );
        api.types.retain(|t| t.name != "Reward");
        assert!(api.type_def("Reward").is_none());
    }
}

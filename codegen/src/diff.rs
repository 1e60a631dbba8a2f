//! What changed between two versions of the spec, as a dependent of the generated crate sees
//! it: one [`Change`] per visible difference, each with its semver [`Level`].
//!
//! [`diff`] compares two loaded specs (their IR, one [`Api`] per spec file). Things are paired
//! by their stable identity: an API by its module, a type by its name, a field by its JSON
//! name, an enum value by its wire string, a resource by its module, an operation by its id, a
//! parameter by its wire name, an event by the name it is declared under. A pair is then
//! compared on what the IR says the Rust code is made of (`rust_name`, `method_name`,
//! `variant`, types as Rust sees them), so a spec change Rust cannot see is at most a patch.
//! What is left unpaired may still be a rename: a type of the same module and shape, a field
//! of the same object, type and presence, or a field or enum value whose Rust name stayed.
//!
//! The levels follow what the emitted crate is like (the test `diff_levels_match_the_emitter`
//! in `codegen/tests/diff.rs` checks each of these facts against the emitters):
//!
//! - Models are `#[non_exhaustive]`, built with `new(…)` or `builder()`, which take the fields
//!   that are always present and non-null, plus setters for the other fields; their fields are
//!   public and they are re-exported flat in `models`. A new field `new(…)` does not take is an
//!   addition (no struct literal outside the crate can miss it), one it takes breaks every
//!   caller.
//! - Every enum is `#[non_exhaustive]` (open and closed ones, `one_of` groups' and `Event`), so
//!   a new variant is an addition; an open enum's new value used to arrive as `Unknown`, which
//!   the line says, since code matching on `Unknown` changes behaviour.
//! - Arguments are positional: renaming a path parameter changes no caller; reordering the
//!   accessor's arguments (path parameters, required query parameters, then the body) does.

use std::fmt;

use crate::ir::{
    Api, Auth, Enum, EnumValue, Envelope, EventEnvelope, EventKind, Events, Field, Object, OneOf,
    OneOfVariant, Operation, PageParam, Pagination, Param, Presence, Resource, Response, Ty,
    TypeDef, TypeKind,
};

/// How a change affects a dependent of the generated crate, by semantic versioning. Ordered,
/// so the largest of a list of changes is the release it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Nothing a dependent's code can notice at compile time: docs, the wire, retry rules.
    Patch,
    /// Something new that compiles with every existing dependent.
    Minor,
    /// Something that can stop a dependent from compiling.
    Major,
}

impl Level {
    /// The level's name: `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Patch => "patch",
            Level::Minor => "minor",
            Level::Major => "major",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The Keep a Changelog section a change is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Section {
    /// Something new.
    Added,
    /// Something that exists in both versions, changed.
    Changed,
    /// Something newly deprecated.
    Deprecated,
    /// Something gone.
    Removed,
}

impl Section {
    /// Every section, in the order a changelog lists them.
    pub const ALL: [Section; 4] = [
        Section::Added,
        Section::Changed,
        Section::Deprecated,
        Section::Removed,
    ];

    /// The section's heading text: `Added`, `Changed`, `Deprecated` or `Removed`.
    pub fn title(self) -> &'static str {
        match self {
            Section::Added => "Added",
            Section::Changed => "Changed",
            Section::Deprecated => "Deprecated",
            Section::Removed => "Removed",
        }
    }
}

/// One change a dependent of the generated crate can see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Its effect on a dependent.
    pub level: Level,
    /// Where a changelog lists it.
    pub section: Section,
    /// The API's module (`partner`).
    pub api: String,
    /// What changed, on one line, for a person (names in backticks).
    pub text: String,
}

impl fmt::Display for Change {
    /// `<level>: <api>: <text>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.level, self.api, self.text)
    }
}

/// Every change from `old` to `new`, sorted by API module, then in the spec's order: the API's
/// settings, shared types, each resource with its types and operations, then events. Things
/// only the old spec has are listed where they stood there.
pub fn diff(old: &[Api], new: &[Api]) -> Vec<Change> {
    let mut olds: Vec<&Api> = old.iter().collect();
    let mut news: Vec<&Api> = new.iter().collect();
    olds.sort_by(|a, b| a.module.cmp(&b.module));
    news.sort_by(|a, b| a.module.cmp(&b.module));
    let mut changes = Vec::new();
    for (o, n) in pair(&olds, &news, |a| a.module.clone()) {
        match (o, n) {
            (Some(o), Some(n)) => changes.extend(ApiDiff::new(o, n).run()),
            (None, Some(n)) => changes.push(whole_api(n, Level::Minor, Section::Added, "added")),
            (Some(o), None) => {
                changes.push(whole_api(o, Level::Major, Section::Removed, "removed"))
            }
            (None, None) => {}
        }
    }
    changes
}

/// The release `changes` need: the largest level among them, `None` when there is none.
pub fn level(changes: &[Change]) -> Option<Level> {
    changes.iter().map(|c| c.level).max()
}

/// The name of the release `changes` need: `major`, `minor`, `patch` or `none`.
pub fn level_name(changes: &[Change]) -> &'static str {
    level(changes).map_or("none", Level::as_str)
}

/// One line per change, then `semver: <level>`: the output of `partnerstack-codegen diff`.
pub fn plain(changes: &[Change]) -> String {
    let mut out = String::new();
    for c in changes {
        out.push_str(&format!("{c}\n"));
    }
    out.push_str(&format!("semver: {}\n", level_name(changes)));
    out
}

/// Keep a Changelog sections (`### Added`, `### Changed`, `### Deprecated`, `### Removed`,
/// each only when it has a change) with a `- <level>: <api>: <text>` bullet per change, then
/// `<!-- semver: <level> -->`: the output of `partnerstack-codegen diff --changelog`.
pub fn changelog(changes: &[Change]) -> String {
    let mut out = String::new();
    for section in Section::ALL {
        let bullets: Vec<String> = changes
            .iter()
            .filter(|c| c.section == section)
            .map(|c| format!("- {c}\n"))
            .collect();
        if !bullets.is_empty() {
            out.push_str(&format!(
                "### {}\n\n{}\n",
                section.title(),
                bullets.concat()
            ));
        }
    }
    out.push_str(&format!("<!-- semver: {} -->\n", level_name(changes)));
    out
}

/// The line of a whole API added or removed.
fn whole_api(api: &Api, level: Level, section: Section, what: &str) -> Change {
    Change {
        level,
        section,
        api: api.module.to_string(),
        text: format!("API {what} (module `partnerstack::{}`)", api.module),
    }
}

/// Two lists' items paired by `key`: in the new list's order, each item only the old list has
/// placed after the item it followed there.
fn pair<'a, T, K: PartialEq>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> K,
) -> Vec<(Option<&'a T>, Option<&'a T>)> {
    let only_old = |o: &T| !new.iter().any(|n| key(n) == key(o));
    let mut out = Vec::new();
    let mut next_old = 0;
    for n in new {
        let at = old.iter().position(|o| key(o) == key(n));
        if let Some(at) = at {
            let before = old.get(next_old..at).unwrap_or_default();
            out.extend(
                before
                    .iter()
                    .filter(|o| only_old(o))
                    .map(|o| (Some(o), None)),
            );
            next_old = next_old.max(at + 1);
        }
        out.push((at.and_then(|at| old.get(at)), Some(n)));
    }
    let rest = old.get(next_old..).unwrap_or_default();
    out.extend(rest.iter().filter(|o| only_old(o)).map(|o| (Some(o), None)));
    out
}

/// Pairs items left unpaired by [`pair`] when `same` holds for them, each at most once, first
/// come first served: the new item takes the old one's place.
fn repair<'a, T>(pairs: &mut Vec<(Option<&'a T>, Option<&'a T>)>, same: impl Fn(&T, &T) -> bool) {
    loop {
        let found = pairs.iter().enumerate().find_map(|(i, p)| {
            let (None, Some(n)) = p else { return None };
            pairs.iter().enumerate().find_map(|(j, q)| match q {
                (Some(o), None) if same(o, n) => Some((i, j, *o)),
                _ => None,
            })
        });
        let Some((i, j, o)) = found else { return };
        if let Some(p) = pairs.get_mut(i) {
            p.0 = Some(o);
        }
        pairs.remove(j);
    }
}

/// Text on one line: runs of whitespace (a deprecation note's line breaks) become one space.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A type as the spec writes it (`list<Reward>`, `money`).
fn spec_ty(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Timestamp => "timestamp".into(),
        Ty::Loose(inner) => format!("loose<{}>", spec_ty(inner)),
        Ty::Money => "money".into(),
        Ty::Json => "json".into(),
        Ty::List(inner) => format!("list<{}>", spec_ty(inner)),
        Ty::Map(inner) => format!("map<{}>", spec_ty(inner)),
        Ty::Named(name, _) => name.to_string(),
    }
}

/// A type as the generated Rust code writes it, without paths (`Vec<Reward>`, `i64`).
fn rust_ty(ty: &Ty) -> String {
    match ty {
        Ty::String => "String".into(),
        Ty::Bool => "bool".into(),
        Ty::I32 => "i32".into(),
        Ty::I64 | Ty::Money => "i64".into(),
        Ty::F64 => "f64".into(),
        Ty::Timestamp => "Timestamp".into(),
        Ty::Loose(inner) if **inner == Ty::Bool => "LooseBool".into(),
        Ty::Loose(inner) => format!("Loose<{}>", rust_ty(inner)),
        Ty::Json => "RawJson".into(),
        Ty::List(inner) => format!("Vec<{}>", rust_ty(inner)),
        Ty::Map(inner) if **inner == Ty::Json => "JsonMap".into(),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", rust_ty(inner)),
        Ty::Named(name, _) => name.to_string(),
    }
}

/// A field's presence in words, with the Rust type it gives `ty`.
fn presence_text(presence: Presence, ty: &Ty) -> String {
    let ty = rust_ty(ty);
    match presence {
        Presence::Required => format!("required (`{ty}`)"),
        Presence::RequiredNullable => format!("required, nullable (`Option<{ty}>`)"),
        Presence::Optional => format!("optional (`Option<{ty}>`)"),
        Presence::OptionalNullable => format!("optional, nullable (`Nullable<{ty}>`)"),
    }
}

/// The wrapper a presence puts around a field's type: fields whose presence changes but whose
/// wrapper stays read and build the same in Rust.
fn wrapper(presence: Presence) -> &'static str {
    match presence {
        Presence::Required => "",
        Presence::RequiredNullable | Presence::Optional => "Option",
        Presence::OptionalNullable => "Nullable",
    }
}

/// What an operation returns, in words.
fn response_text(response: &Response) -> String {
    match response {
        Response::Page(item) => format!("pages of `{}`", item.ty),
        Response::Object(ty) => format!("`{}`", rust_ty(ty)),
        Response::List(ty) => format!("`Vec<{}>`", rust_ty(ty)),
        Response::Message => "the message".into(),
        Response::Empty => "nothing".into(),
    }
}

/// A type's kind in words.
fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Object(_) => "object",
        TypeKind::Enum(_) => "enum",
        TypeKind::Alias(_) => "alias",
    }
}

/// Where a type's file is: with the shared types, or with a resource.
fn module_text(module: &str) -> String {
    if module == "common" {
        "the shared types".into()
    } else {
        format!("resource `{module}`")
    }
}

/// The changes of one API present in both specs.
struct ApiDiff<'a> {
    old: &'a Api,
    new: &'a Api,
    /// Types paired across the two specs (renames included), in spec order.
    types: Vec<(Option<&'a TypeDef>, Option<&'a TypeDef>)>,
    /// Which of `types` have been reported.
    reported: Vec<bool>,
    out: Vec<Change>,
}

impl<'a> ApiDiff<'a> {
    fn new(old: &'a Api, new: &'a Api) -> Self {
        let mut types = pair(&old.types, &new.types, |t| t.name.clone());
        repair(&mut types, |o, n| o.module == n.module && same_shape(o, n));
        let reported = vec![false; types.len()];
        ApiDiff {
            old,
            new,
            types,
            reported,
            out: Vec::new(),
        }
    }

    fn run(mut self) -> Vec<Change> {
        self.settings();
        self.types_of("common");
        for (o, n) in pair(&self.old.resources, &self.new.resources, |r| {
            r.module.clone()
        }) {
            self.resource(o, n);
        }
        self.types_of_any_module();
        self.events();
        self.out
    }

    fn push(&mut self, level: Level, section: Section, text: String) {
        self.out.push(Change {
            level,
            section,
            api: self.new.module.to_string(),
            text,
        });
    }

    fn patch(&mut self, text: String) {
        self.push(Level::Patch, Section::Changed, text);
    }

    fn major(&mut self, text: String) {
        self.push(Level::Major, Section::Changed, text);
    }

    fn removed(&mut self, text: String) {
        self.push(Level::Major, Section::Removed, text);
    }

    /// A patch line when the doc of `what` changed.
    fn doc(&mut self, what: &str, old: &str, new: &str) {
        if old != new {
            self.patch(format!("doc of {what} changed"));
        }
    }

    /// A minor line when `what` became deprecated, a patch line when it no longer is or its
    /// note changed.
    fn deprecation(&mut self, what: &str, old: &Option<String>, new: &Option<String>) {
        match (old, new) {
            (None, Some(note)) => self.push(
                Level::Minor,
                Section::Deprecated,
                format!("{what} deprecated: {}", one_line(note)),
            ),
            (Some(_), None) => self.patch(format!("{what} no longer deprecated")),
            (Some(a), Some(b)) if a != b => self.patch(format!(
                "deprecation note of {what} changed: {}",
                one_line(b)
            )),
            _ => {}
        }
    }

    /// The API's own settings: title, docs, base URL, authentication, envelope, pagination.
    fn settings(&mut self) {
        let (old, new) = (self.old, self.new);
        if old.title != new.title {
            self.patch(format!(
                "title changed from \"{}\" to \"{}\"",
                one_line(&old.title),
                one_line(&new.title)
            ));
        }
        self.doc("the module", &old.doc, &new.doc);
        if old.base_url != new.base_url {
            self.patch(format!(
                "default base URL changed from `{}` to `{}`",
                old.base_url, new.base_url
            ));
        }
        if old.auth != new.auth {
            self.major(format!(
                "authentication changed from {} to {} (`Client::new` and the builder's \
                 credential setters change)",
                auth_text(&old.auth),
                auth_text(&new.auth)
            ));
        }
        if old.envelope != new.envelope {
            self.patch(format!(
                "response envelope changed from {} to {}",
                envelope_text(old.envelope),
                envelope_text(new.envelope)
            ));
        }
        match (&old.pagination, &new.pagination) {
            (None, Some(_)) => self.push(
                Level::Minor,
                Section::Added,
                "pagination rules added (list requests get their page setters)".into(),
            ),
            (Some(_), None) => self.removed("pagination rules removed".into()),
            (Some(o), Some(n)) => self.pagination(o, n),
            (None, None) => {}
        }
    }

    fn pagination(&mut self, old: &Pagination, new: &Pagination) {
        for (what, o, n) in [
            ("page size", &old.limit, &new.limit),
            ("forward cursor", &old.after, &new.after),
            ("backward cursor", &old.before, &new.before),
        ] {
            self.page_param(what, o, n);
        }
        if (old.limit_min, old.limit_max) != (new.limit_min, new.limit_max) {
            self.patch(format!(
                "page size limits changed from {}..={} to {}..={}",
                old.limit_min, old.limit_max, new.limit_min, new.limit_max
            ));
        }
        for (what, o, n) in [
            ("cursor field", &old.cursor_field, &new.cursor_field),
            ("page items key", &old.items_key, &new.items_key),
            ("page has-more key", &old.has_more_key, &new.has_more_key),
            ("page total key", &old.total_key, &new.total_key),
        ] {
            if o != n {
                self.patch(format!("pagination {what} changed from `{o}` to `{n}`"));
            }
        }
    }

    fn page_param(&mut self, what: &str, old: &PageParam, new: &PageParam) {
        if old.setter != new.setter {
            self.major(format!(
                "{what} setter of every list request renamed from `{}` to `{}`",
                old.setter, new.setter
            ));
        }
        if old.wire != new.wire {
            self.patch(format!(
                "{what} query parameter changed from `{}` to `{}`",
                old.wire, new.wire
            ));
        }
    }

    /// The types whose file is `module` (the new one, or the old one for a removed type).
    fn types_of(&mut self, module: &str) {
        for i in 0..self.types.len() {
            let Some(&(o, n)) = self.types.get(i) else {
                continue;
            };
            let home = n.or(o).map(|t| t.module.as_str());
            if home == Some(module) && !self.reported.get(i).copied().unwrap_or(true) {
                if let Some(done) = self.reported.get_mut(i) {
                    *done = true;
                }
                self.type_pair(o, n);
            }
        }
    }

    /// Types not reported with a resource or the shared ones (a module no resource has).
    fn types_of_any_module(&mut self) {
        let modules: Vec<String> = self
            .types
            .iter()
            .zip(&self.reported)
            .filter(|(_, done)| !**done)
            .filter_map(|((o, n), _)| n.or(*o).map(|t| t.module.to_string()))
            .collect();
        for module in modules {
            self.types_of(&module);
        }
    }

    fn resource(&mut self, old: Option<&'a Resource>, new: Option<&'a Resource>) {
        match (old, new) {
            (None, Some(n)) => {
                let ops: Vec<String> = n
                    .operations
                    .iter()
                    .map(|op| format!("`{}`", op.method_name))
                    .collect();
                self.push(
                    Level::Minor,
                    Section::Added,
                    format!(
                        "resource `{}` added (`client.{}()`{}{})",
                        n.module,
                        n.accessor,
                        if ops.is_empty() { "" } else { " with " },
                        ops.join(", ")
                    ),
                );
                self.types_of(&n.module);
            }
            (Some(o), None) => {
                self.removed(format!(
                    "resource `{}` removed (`client.{}()` and its operations)",
                    o.module, o.accessor
                ));
                self.types_of(&o.module);
            }
            (Some(o), Some(n)) => {
                if (&o.accessor, &o.struct_name) != (&n.accessor, &n.struct_name) {
                    self.major(format!(
                        "resource `{}` renamed in Rust from `client.{}()` (`{}`) to `client.{}()` \
                         (`{}`)",
                        n.module, o.accessor, o.struct_name, n.accessor, n.struct_name
                    ));
                }
                self.doc(&format!("resource `{}`", n.module), &o.doc, &n.doc);
                self.types_of(&n.module);
                for (op_old, op_new) in pair(&o.operations, &n.operations, |op| op.id.clone()) {
                    self.operation(n, op_old, op_new);
                }
            }
            (None, None) => {}
        }
    }

    fn type_pair(&mut self, old: Option<&'a TypeDef>, new: Option<&'a TypeDef>) {
        match (old, new) {
            (None, Some(n)) => self.push(
                Level::Minor,
                Section::Added,
                format!("type `{}` added ({})", n.name, kind_name(&n.kind)),
            ),
            (Some(o), None) => self.removed(format!("type `{}` removed", o.name)),
            (Some(o), Some(n)) => self.type_changes(o, n),
            (None, None) => {}
        }
    }

    fn type_changes(&mut self, old: &'a TypeDef, new: &'a TypeDef) {
        if old.name != new.name {
            self.major(format!("type `{}` renamed to `{}`", old.name, new.name));
        }
        let name = &new.name;
        if old.module != new.module {
            self.patch(format!(
                "type `{name}` moved from {} to {} (still `models::{name}`)",
                module_text(&old.module),
                module_text(&new.module)
            ));
        }
        self.doc(&format!("type `{name}`"), &old.doc, &new.doc);
        match (&old.kind, &new.kind) {
            (TypeKind::Object(o), TypeKind::Object(n)) => self.object(name, o, n),
            (TypeKind::Enum(o), TypeKind::Enum(n)) => self.enumeration(name, o, n),
            (TypeKind::Alias(o), TypeKind::Alias(n)) => {
                self.ty_change(&format!("alias `{name}`"), o, n)
            }
            (o, n) => self.major(format!(
                "type `{name}` changed from an {} to an {}",
                kind_name(o),
                kind_name(n)
            )),
        }
    }

    fn object(&mut self, name: &str, old: &'a Object, new: &'a Object) {
        match (old.input, new.input) {
            (false, true) => self.push(
                Level::Minor,
                Section::Added,
                format!(
                    "type `{name}` is now part of a request body: it gets a setter per optional field"
                ),
            ),
            (true, false) => self.removed(format!(
                "type `{name}` is no longer part of a request body: its setters are removed"
            )),
            _ => {}
        }
        let mut fields = pair(&old.fields, &new.fields, |f| f.json_name.clone());
        repair(&mut fields, |o, n| o.rust_name == n.rust_name);
        repair(&mut fields, |o, n| {
            o.presence() == n.presence() && self.same_written(&o.ty, &n.ty)
        });
        for (o, n) in fields {
            match (o, n) {
                (None, Some(n)) => self.field_added(name, old, new, n),
                (Some(o), None) => self.removed(format!("field `{name}.{}` removed", o.rust_name)),
                (Some(o), Some(n)) => self.field(name, o, n),
                (None, None) => {}
            }
        }
        for (o, n) in pair(&old.one_of, &new.one_of, |g| g.rust_name.clone()) {
            match (o, n) {
                (None, Some(n)) => self.push(
                    Level::Major,
                    Section::Added,
                    format!(
                        "one_of group `{name}.{}` added (enum `{}`: {})",
                        n.rust_name,
                        n.enum_name,
                        new_argument(name, old, new)
                    ),
                ),
                (Some(o), None) => self.removed(format!(
                    "one_of group `{name}.{}` removed (enum `{}`)",
                    o.rust_name, o.enum_name
                )),
                (Some(o), Some(n)) => self.one_of(name, o, n),
                (None, None) => {}
            }
        }
    }

    fn field_added(&mut self, name: &str, old: &Object, new: &Object, f: &Field) {
        let what = format!("field `{name}.{}` added", f.rust_name);
        if f.presence() == Presence::Required {
            self.push(
                Level::Major,
                Section::Added,
                format!(
                    "{what} (required, non-null: {})",
                    new_argument(name, old, new)
                ),
            );
        } else {
            let presence = match f.presence() {
                Presence::RequiredNullable => "required, nullable",
                Presence::OptionalNullable => "optional, nullable",
                _ => "optional",
            };
            self.push(Level::Minor, Section::Added, format!("{what} ({presence})"));
        }
    }

    fn field(&mut self, name: &str, old: &Field, new: &Field) {
        let what = format!("field `{name}.{}`", new.rust_name);
        if old.rust_name != new.rust_name {
            self.major(format!(
                "field `{name}.{}` renamed to `{}`",
                old.rust_name, new.rust_name
            ));
        }
        if old.json_name != new.json_name && old.rust_name == new.rust_name {
            self.patch(format!(
                "{what} is now `{}` in JSON (was `{}`)",
                new.json_name, old.json_name
            ));
        }
        self.ty_change(&what, &old.ty, &new.ty);
        let (p, q) = (old.presence(), new.presence());
        if p != q {
            let text = format!(
                "{what} optionality changed from {} to {}",
                presence_text(p, &old.ty),
                presence_text(q, &new.ty)
            );
            if wrapper(p) == wrapper(q) {
                self.patch(format!("{text}; its Rust type is unchanged"));
            } else {
                self.major(text);
            }
        }
        self.doc(&what, &old.doc, &new.doc);
        self.deprecation(&what, &old.deprecated, &new.deprecated);
    }

    fn one_of(&mut self, name: &str, old: &OneOf, new: &OneOf) {
        let what = format!("one_of group `{name}.{}`", new.rust_name);
        if old.enum_name != new.enum_name {
            self.major(format!(
                "{what}: enum `{}` renamed to `{}`",
                old.enum_name, new.enum_name
            ));
        }
        self.doc(&what, &old.doc, &new.doc);
        let enum_name = &new.enum_name;
        for (o, n) in pair(&old.variants, &new.variants, |v| v.json_name.clone()) {
            match (o, n) {
                (None, Some(n)) => self.push(
                    Level::Minor,
                    Section::Added,
                    format!(
                        "{what}: field `{}` added as variant `{enum_name}::{}`",
                        n.json_name, n.variant
                    ),
                ),
                (Some(o), None) => self.removed(format!(
                    "{what}: variant `{enum_name}::{}` (field `{}`) removed",
                    o.variant, o.json_name
                )),
                (Some(o), Some(n)) => self.one_of_variant(&what, enum_name, o, n),
                (None, None) => {}
            }
        }
    }

    fn one_of_variant(
        &mut self,
        group: &str,
        enum_name: &str,
        old: &OneOfVariant,
        new: &OneOfVariant,
    ) {
        if old.variant != new.variant {
            self.major(format!(
                "{group}: variant `{enum_name}::{}` renamed to `{}`",
                old.variant, new.variant
            ));
        }
        let what = format!("variant `{enum_name}::{}` of {group}", new.variant);
        self.ty_change(&what, &old.ty, &new.ty);
        self.doc(&what, &old.doc, &new.doc);
    }

    fn enumeration(&mut self, name: &str, old: &Enum, new: &Enum) {
        match (old.open(), new.open()) {
            (true, false) => self.major(format!(
                "enum `{name}` is now closed: its `Unknown(String)` variant is removed and an \
                 unknown value is an error"
            )),
            (false, true) => self.major(format!(
                "enum `{name}` is now open: it gains an `Unknown(String)` variant and \
                 `#[non_exhaustive]`"
            )),
            _ => {}
        }
        let mut values = pair(&old.values, &new.values, |v| v.wire.clone());
        repair(&mut values, |o, n| o.variant == n.variant);
        for (o, n) in values {
            match (o, n) {
                (None, Some(n)) => self.value_added(name, old, new, n),
                (Some(o), None) => self.removed(format!(
                    "enum `{name}` value `{}` removed (variant `{name}::{}`)",
                    o.wire, o.variant
                )),
                (Some(o), Some(n)) => self.value(name, o, n),
                (None, None) => {}
            }
        }
    }

    fn value_added(&mut self, name: &str, old: &Enum, new: &Enum, v: &EnumValue) {
        let what = format!("enum `{name}` value `{}` added", v.wire);
        if old.open() && new.open() {
            self.push(
                Level::Minor,
                Section::Added,
                format!(
                    "{what}: it used to arrive as `Unknown(\"{}\")` and now gets its own variant \
                     `{}`, so code matching on `Unknown` changes behaviour",
                    v.wire, v.variant
                ),
            );
        } else {
            // A closed enum is `#[non_exhaustive]` too; one that turned open or closed has its
            // own, breaking, line.
            self.push(
                Level::Minor,
                Section::Added,
                format!("{what} as variant `{name}::{}`", v.variant),
            );
        }
    }

    fn value(&mut self, name: &str, old: &EnumValue, new: &EnumValue) {
        if old.variant != new.variant {
            self.major(format!(
                "enum `{name}` value `{}`: variant `{name}::{}` renamed to `{}`",
                new.wire, old.variant, new.variant
            ));
        }
        if old.wire != new.wire {
            self.patch(format!(
                "enum `{name}` variant `{name}::{}` is now `{}` on the wire (was `{}`)",
                new.variant, new.wire, old.wire
            ));
        }
        self.doc(
            &format!("enum `{name}` value `{}`", new.wire),
            &old.doc,
            &new.doc,
        );
    }

    fn operation(&mut self, res: &Resource, old: Option<&Operation>, new: Option<&Operation>) {
        match (old, new) {
            (None, Some(n)) => self.push(
                Level::Minor,
                Section::Added,
                format!(
                    "operation `{}` added (`client.{}().{}(…)`, request `{}`)",
                    n.id, res.accessor, n.method_name, n.request_type
                ),
            ),
            (Some(o), None) => self.removed(format!(
                "operation `{}` removed (`client.{}().{}(…)`, request `{}`)",
                o.id, res.accessor, o.method_name, o.request_type
            )),
            (Some(o), Some(n)) => self.operation_changes(res, o, n),
            (None, None) => {}
        }
    }

    fn operation_changes(&mut self, res: &Resource, old: &Operation, new: &Operation) {
        let what = format!("operation `{}`", new.id);
        if old.method_name != new.method_name {
            self.major(format!(
                "{what}: method `client.{}().{}(…)` renamed to `{}`",
                res.accessor, old.method_name, new.method_name
            ));
        }
        if old.request_type != new.request_type {
            self.major(format!(
                "{what}: request type `{}` renamed to `{}`",
                old.request_type, new.request_type
            ));
        }
        if old.http_method != new.http_method {
            self.patch(format!(
                "{what}: HTTP method changed from {} to {}",
                old.http_method.as_str(),
                new.http_method.as_str()
            ));
        }
        if old.path_template != new.path_template {
            self.patch(format!(
                "{what}: path changed from `{}` to `{}`",
                old.path_template, new.path_template
            ));
        }
        let call = format!("`client.{}().{}(…)`", res.accessor, new.method_name);
        let place = Place {
            op: &what,
            call: &call,
            request: &new.request_type,
        };
        self.params(place, ParamKind::Path, &old.path_params, &new.path_params);
        self.params(place, ParamKind::Query, &old.query, &new.query);
        self.argument_order(&what, &call, old, new);
        match (&old.body, &new.body) {
            (None, Some(b)) => self.push(
                Level::Major,
                Section::Added,
                format!(
                    "{what}: request body `{}` added (a new argument of {call})",
                    rust_ty(&b.ty)
                ),
            ),
            (Some(b), None) => self.removed(format!(
                "{what}: request body `{}` removed (an argument of {call})",
                rust_ty(&b.ty)
            )),
            (Some(o), Some(n)) => self.ty_change(&format!("{what}: request body"), &o.ty, &n.ty),
            (None, None) => {}
        }
        if !self.same_response(&old.response, &new.response) {
            self.major(format!(
                "{what}: response changed from {} to {}",
                response_text(&old.response),
                response_text(&new.response)
            ));
        }
        if old.retry_safe != new.retry_safe {
            self.patch(if new.retry_safe {
                format!("{what} is now retried after a failure that may have reached the server")
            } else {
                format!(
                    "{what} is no longer retried after a failure that may have reached the server"
                )
            });
        }
        self.doc(&what, &old.doc, &new.doc);
        self.deprecation(&what, &old.deprecated, &new.deprecated);
    }

    /// Path or query parameters, paired by wire name (a path parameter renamed in place is
    /// still the same argument). Path parameters and required query parameters are positional
    /// arguments of the accessor `call`; optional query parameters are setters of `request`.
    fn params(&mut self, place: Place<'_>, kind: ParamKind, old: &[Param], new: &[Param]) {
        let mut params = pair(old, new, |p| p.wire.clone());
        if kind == ParamKind::Path {
            let index = |list: &[Param], p: &Param| list.iter().position(|q| std::ptr::eq(q, p));
            repair(&mut params, |o, n| {
                index(old, o) == index(new, n) && self.same_written(&o.ty, &n.ty)
            });
        }
        for (o, n) in params {
            match (o, n) {
                (None, Some(n)) if kind.is_argument(n) => self.push(
                    Level::Major,
                    Section::Added,
                    format!(
                        "{}: {} `{}` added (a new argument of {})",
                        place.op,
                        kind.name(n),
                        n.wire,
                        place.call
                    ),
                ),
                (None, Some(n)) => self.push(
                    Level::Minor,
                    Section::Added,
                    format!(
                        "{}: optional query parameter `{}` added (setter `{}::{}`)",
                        place.op, n.wire, place.request, n.rust_name
                    ),
                ),
                (Some(o), None) => self.removed(format!(
                    "{}: {} `{}` removed",
                    place.op,
                    kind.name(o),
                    o.wire
                )),
                (Some(o), Some(n)) => self.param(place, kind, o, n),
                (None, None) => {}
            }
        }
    }

    fn param(&mut self, place: Place<'_>, kind: ParamKind, old: &Param, new: &Param) {
        let what = format!("{} parameter `{}` of {}", kind.word(), new.wire, place.op);
        if old.wire != new.wire {
            self.patch(format!(
                "{}: path parameter `{}` renamed to `{}` (the same argument of {})",
                place.op, old.wire, new.wire, place.call
            ));
        }
        match (kind.is_argument(old), kind.is_argument(new)) {
            (false, true) => self.major(format!(
                "{what} is now required: a new argument of {} instead of the setter `{}::{}`",
                place.call, place.request, old.rust_name
            )),
            (true, false) => self.major(format!(
                "{what} is now optional: the setter `{}::{}` instead of an argument of {}",
                place.request, new.rust_name, place.call
            )),
            (false, false) if old.rust_name != new.rust_name => self.major(format!(
                "{what}: setter `{}::{}` renamed to `{}`",
                place.request, old.rust_name, new.rust_name
            )),
            _ => {}
        }
        self.ty_change(&what, &old.ty, &new.ty);
        self.doc(&what, &old.doc, &new.doc);
    }

    /// A major line when arguments of `call` that both versions have come in another order.
    fn argument_order(&mut self, op: &str, call: &str, old: &Operation, new: &Operation) {
        let (a, b) = (arguments(old), arguments(new));
        let common = |from: &[String], other: &[String]| -> Vec<String> {
            from.iter().filter(|x| other.contains(x)).cloned().collect()
        };
        let (a, b) = (common(&a, &b), common(&b, &a));
        if a != b {
            self.major(format!(
                "{op}: arguments of {call} reordered from ({}) to ({})",
                a.join(", "),
                b.join(", ")
            ));
        }
    }

    fn events(&mut self) {
        let module = format!("`partnerstack::{}::events::Event`", self.new.module);
        match (&self.old.events, &self.new.events) {
            (None, Some(_)) => self.push(
                Level::Minor,
                Section::Added,
                format!("events added ({module})"),
            ),
            (Some(_), None) => self.removed(format!("events removed ({module})")),
            (Some(o), Some(n)) => self.event_changes(o, n),
            (None, None) => {}
        }
    }

    fn event_changes(&mut self, old: &'a Events, new: &'a Events) {
        if old.envelope != new.envelope {
            self.major(format!(
                "events: delivery envelope changed from {} to {}",
                event_envelope_text(old.envelope),
                event_envelope_text(new.envelope)
            ));
        }
        self.doc("the events module", &old.doc, &new.doc);
        let key = |k: &EventKind| {
            k.names
                .first()
                .cloned()
                .unwrap_or_else(|| k.variant.to_string())
        };
        for (o, n) in pair(&old.kinds, &new.kinds, key) {
            match (o, n) {
                (None, Some(n)) => self.push(
                    Level::Minor,
                    Section::Added,
                    format!(
                        "event `{}` added: it used to arrive as `Event::Unknown` and now gets its \
                         own variant `Event::{}`, so code matching on `Unknown` changes behaviour",
                        key(n),
                        n.variant
                    ),
                ),
                (Some(o), None) => self.removed(format!(
                    "event `{}` removed (variant `Event::{}`)",
                    key(o),
                    o.variant
                )),
                (Some(o), Some(n)) => self.event(&key(n), o, n),
                (None, None) => {}
            }
        }
    }

    fn event(&mut self, name: &str, old: &EventKind, new: &EventKind) {
        let what = format!("event `{name}`");
        if old.variant != new.variant {
            self.major(format!(
                "{what}: variant `Event::{}` renamed to `Event::{}`",
                old.variant, new.variant
            ));
        }
        self.ty_change(&format!("{what}: payload"), &old.payload, &new.payload);
        for m in new
            .match_names
            .iter()
            .filter(|m| !old.match_names.contains(m))
        {
            self.push(
                Level::Minor,
                Section::Added,
                format!(
                    "{what} now also matches deliveries named `{m}`: they used to arrive as \
                     `Event::Unknown` and now as `Event::{}`",
                    new.variant
                ),
            );
        }
        for m in old
            .match_names
            .iter()
            .filter(|m| !new.match_names.contains(m))
        {
            self.removed(format!(
                "{what} no longer matches deliveries named `{m}`: they now arrive as \
                 `Event::Unknown`"
            ));
        }
        self.doc(&what, &old.doc, &new.doc);
    }

    /// Reports a change of `what`'s type: major when the Rust type differs, a patch when only
    /// the spec's spelling does (`money` for `i64`, an alias for its target).
    fn ty_change(&mut self, what: &str, old: &Ty, new: &Ty) {
        if self.same_written(old, new) {
            return;
        }
        if self.same_rust(old, new) {
            self.patch(format!(
                "{what} type changed from `{}` to `{}` in the spec; its Rust type is the same",
                spec_ty(old),
                spec_ty(new)
            ));
        } else {
            self.major(format!(
                "{what} type changed from `{}` to `{}`",
                rust_ty(old),
                rust_ty(new)
            ));
        }
    }

    /// The new name of the old type `name` (itself unless it was renamed).
    fn renamed<'n>(&'n self, name: &'n str) -> &'n str {
        self.types
            .iter()
            .find_map(|(o, n)| match (o, n) {
                (Some(o), Some(n)) if o.name == name => Some(n.name.as_str()),
                _ => None,
            })
            .unwrap_or(name)
    }

    /// Whether two types are written the same, the old one's names read as renamed.
    fn same_written(&self, old: &Ty, new: &Ty) -> bool {
        match (old, new) {
            (Ty::List(a), Ty::List(b)) | (Ty::Map(a), Ty::Map(b)) => self.same_written(a, b),
            (Ty::Named(a, _), Ty::Named(b, _)) => self.renamed(a) == b,
            (a, b) => a == b,
        }
    }

    /// Whether two types are one Rust type: aliases read as their targets, `money` as `i64`,
    /// the old spec's names as renamed.
    fn same_rust(&self, old: &Ty, new: &Ty) -> bool {
        let (a, b) = (rusty(old, self.old, 0), rusty(new, self.new, 0));
        match (&a, &b) {
            (Ty::List(x), Ty::List(y)) | (Ty::Map(x), Ty::Map(y)) => self.same_rust(x, y),
            (Ty::Named(x, _), Ty::Named(y, _)) => self.renamed(x) == y,
            (x, y) => x == y,
        }
    }

    fn same_response(&self, old: &Response, new: &Response) -> bool {
        match (old, new) {
            (Response::Page(a), Response::Page(b)) => self.renamed(&a.ty) == b.ty.as_str(),
            (Response::Object(a), Response::Object(b)) | (Response::List(a), Response::List(b)) => {
                self.same_rust(a, b)
            }
            (Response::Message, Response::Message) | (Response::Empty, Response::Empty) => true,
            _ => false,
        }
    }
}

/// Where a parameter is, for its lines: the operation, its accessor call and request type.
#[derive(Clone, Copy)]
struct Place<'p> {
    op: &'p str,
    call: &'p str,
    request: &'p str,
}

/// Path or query.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ParamKind {
    Path,
    Query,
}

impl ParamKind {
    fn word(self) -> &'static str {
        match self {
            ParamKind::Path => "path",
            ParamKind::Query => "query",
        }
    }

    /// Whether the parameter is an argument of the accessor (else a setter of the request).
    fn is_argument(self, p: &Param) -> bool {
        self == ParamKind::Path || p.required
    }

    /// The parameter's kind in words (`path parameter`, `required query parameter`).
    fn name(self, p: &Param) -> &'static str {
        match (self, p.required) {
            (ParamKind::Path, _) => "path parameter",
            (ParamKind::Query, true) => "required query parameter",
            (ParamKind::Query, false) => "optional query parameter",
        }
    }
}

/// The accessor's arguments of an operation, in order, by identity: path parameters, required
/// query parameters, then the body.
fn arguments(op: &Operation) -> Vec<String> {
    let path = op.path_params.iter().map(|p| format!("`{}`", p.wire));
    let query = op
        .query
        .iter()
        .filter(|p| p.required)
        .map(|p| format!("`{}`", p.wire));
    let body = op.body.as_ref().map(|_| "body".to_string());
    path.chain(query).chain(body).collect()
}

/// A type with its aliases read as their targets (as Rust does with `pub type`) and `money` as
/// `i64`, at the top level; `depth` bounds a chain of aliases.
fn rusty(ty: &Ty, api: &Api, depth: u32) -> Ty {
    match ty {
        Ty::Money => Ty::I64,
        Ty::Named(name, _) if depth < 16 => {
            let target = api.types.iter().find_map(|t| match &t.kind {
                TypeKind::Alias(target) if &t.name == name => Some(target),
                _ => None,
            });
            match target {
                Some(target) => rusty(target, api, depth + 1),
                None => ty.clone(),
            }
        }
        _ => ty.clone(),
    }
}

/// What a new constructor argument does to how the model `name` is built: `new(…)` takes one
/// more, or gives way to `builder()` (from two arguments on), or `builder()` sets one more.
fn new_argument(name: &str, old: &Object, new: &Object) -> String {
    match (&old.builder, &new.builder) {
        (None, Some(_)) => format!("`{name}::new(…)` is replaced by `{name}::builder()`"),
        (_, Some(_)) => format!("a new argument of `{name}::builder()`"),
        (_, None) => format!("a new argument of `{name}::new(…)`"),
    }
}

/// A response envelope in words.
fn envelope_text(envelope: Envelope) -> &'static str {
    match envelope {
        Envelope::DataMessageStatus => "`{data, message, status}`",
        Envelope::None => "none (the body is the payload)",
    }
}

/// An event envelope in words.
fn event_envelope_text(envelope: EventEnvelope) -> &'static str {
    match envelope {
        EventEnvelope::Postback => "postback (`{event, data, test}`)",
        EventEnvelope::Flat => "flat (the payload's fields beside `event`)",
    }
}

/// Authentication in words.
fn auth_text(auth: &Auth) -> String {
    match auth {
        Auth::Bearer { credential } => format!("a bearer token (`{credential}`)"),
        Auth::Basic => "HTTP Basic".into(),
    }
}

/// Whether two types are the same but for their name and docs: what a rename leaves alike.
fn same_shape(old: &TypeDef, new: &TypeDef) -> bool {
    shape(&old.kind) == shape(&new.kind)
}

/// A type without its docs and deprecation notes, and without the names made from its own
/// name (its builder's, its decoder's field enum, its `one_of` enums').
fn shape(kind: &TypeKind) -> TypeKind {
    let mut kind = kind.clone();
    match &mut kind {
        TypeKind::Object(o) => {
            o.builder = None;
            o.decoder.fields = crate::names::anonymous();
            for f in &mut o.fields {
                f.doc.clear();
                f.deprecated = None;
            }
            for g in &mut o.one_of {
                g.enum_name = crate::names::anonymous();
                g.doc.clear();
                g.variants.iter_mut().for_each(|v| v.doc.clear());
            }
        }
        TypeKind::Enum(e) => e.values.iter_mut().for_each(|v| v.doc.clear()),
        TypeKind::Alias(_) => {}
    }
    kind
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_order_so_max_is_the_release() {
        assert!(Level::Patch < Level::Minor && Level::Minor < Level::Major);
        let change = |level| Change {
            level,
            section: Section::Changed,
            api: "a".into(),
            text: "t".into(),
        };
        assert_eq!(level(&[]), None);
        assert_eq!(level_name(&[]), "none");
        let changes = [
            change(Level::Patch),
            change(Level::Major),
            change(Level::Minor),
        ];
        assert_eq!(level(&changes), Some(Level::Major));
    }

    #[test]
    fn pairs_keep_the_new_order_and_old_only_items_where_they_stood() {
        let old = ["a", "b", "c", "d"];
        let new = ["a", "x", "c", "b"];
        let pairs = pair(&old, &new, |s| s.to_string());
        let shown: Vec<String> = pairs
            .iter()
            .map(|(o, n)| {
                format!(
                    "{}>{}",
                    o.copied().unwrap_or("-"),
                    n.copied().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(shown, ["a>a", "->x", "c>c", "b>b", "d>-"]);
    }

    #[test]
    fn repair_pairs_each_leftover_once() {
        let old = ["a1", "b1", "c1"];
        let new = ["a2", "c2", "b2"];
        let mut pairs = pair(&old, &new, |s| s.to_string());
        repair(&mut pairs, |o, n| o.get(..1) == n.get(..1) && o != &"c1");
        let shown: Vec<String> = pairs
            .iter()
            .map(|(o, n)| {
                format!(
                    "{}>{}",
                    o.copied().unwrap_or("-"),
                    n.copied().unwrap_or("-")
                )
            })
            .collect();
        assert_eq!(shown, ["a1>a2", "->c2", "b1>b2", "c1>-"]);
    }

    #[test]
    fn lines_are_one_line() {
        assert_eq!(
            one_line("use `x`\n  instead,\tplease"),
            "use `x` instead, please"
        );
    }
}

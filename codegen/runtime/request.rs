//! Requests as data: which operation, which path, which query, before any HTTP happens.

use std::fmt;
use std::time::{Duration, Instant};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use reqwest::Method;

use crate::error::Error;

/// A fixed description of one operation; the generator emits one constant per operation.
#[derive(Debug)]
pub(crate) struct Operation {
    /// Stable id, like `rewards.list`.
    pub id: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The path template, for errors and logs.
    pub path: &'static str,
    /// Whether sending it twice is harmless (the spec's `retry`).
    pub retry_safe: bool,
}

/// Bytes left as they are in a path segment: RFC 3986 unreserved characters. Everything else,
/// `/`, `?`, `#`, `%` and non-ASCII included, is percent-encoded, so a value stays one segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A request path being put together from literal text and percent-encoded parameters.
/// `Debug` does not show it: it holds the caller's path parameters.
#[derive(Clone, Default)]
pub(crate) struct Path {
    rendered: String,
    /// The first parameter that cannot be sent safely.
    invalid: Option<String>,
}

impl Path {
    /// Appends text from the path template, as is.
    pub fn literal(mut self, text: &str) -> Self {
        self.rendered.push_str(text);
        self
    }

    /// Appends a parameter value, percent-encoded.
    ///
    /// An empty value, `.` or `..` would change which resource the path names (URL parsers
    /// resolve dot segments, even encoded ones), so they are refused before sending.
    pub fn param(mut self, name: &str, value: &str) -> Self {
        if matches!(value, "" | "." | "..") && self.invalid.is_none() {
            self.invalid = Some(format!(
                "path parameter `{name}` cannot be {value:?}: it would change the path"
            ));
        }
        self.rendered.extend(utf8_percent_encode(value, SEGMENT));
        self
    }

    /// The encoded path, or why it cannot be sent.
    pub fn finish(&self, op: &'static Operation) -> Result<&str, Error> {
        match &self.invalid {
            Some(reason) => Err(Error::invalid(Some(op.id), reason.clone())),
            None => Ok(&self.rendered),
        }
    }
}

impl fmt::Debug for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Path(<private>)")
    }
}

/// Query parameters in the order they were set. `Debug` shows their names, not their values.
#[derive(Clone, Default)]
pub(crate) struct Query(Vec<(&'static str, String)>);

impl fmt::Debug for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Query")
            .field(&self.0.iter().map(|(name, _)| *name).collect::<Vec<_>>())
            .finish()
    }
}

impl Query {
    /// Sets a single-valued parameter, replacing an earlier value.
    pub fn set(&mut self, name: &'static str, value: String) {
        self.0.retain(|(n, _)| *n != name);
        self.0.push((name, value));
    }

    /// Sets a list parameter: the name repeated once per value, replacing earlier values.
    pub fn set_all(&mut self, name: &'static str, values: impl IntoIterator<Item = String>) {
        self.0.retain(|(n, _)| *n != name);
        self.0.extend(values.into_iter().map(|v| (name, v)));
    }

    /// The value of a single-valued parameter, if set.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Removes a parameter (every value of it).
    pub fn remove(&mut self, name: &str) {
        self.0.retain(|(n, _)| *n != name);
    }

    /// The parameters, in order.
    pub fn pairs(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0.iter().map(|(n, v)| (*n, v.as_str()))
    }
}

/// An API's cursor pagination rules, emitted once per API from its spec.
#[derive(Debug)]
pub(crate) struct PageRules {
    /// Page-size parameter name.
    pub limit_param: &'static str,
    /// Smallest page size.
    pub limit_min: u32,
    /// Largest page size.
    pub limit_max: u32,
    /// Forward cursor parameter name.
    pub after_param: &'static str,
    /// Backward cursor parameter name.
    pub before_param: &'static str,
    /// Key of a page's item list.
    pub items_key: &'static str,
    /// Key of a page's "more items follow" flag.
    pub has_more_key: &'static str,
    /// Key of a page's total count.
    pub total_key: &'static str,
    /// Key of the items' field whose value is their cursor.
    pub cursor_key: &'static str,
}

/// Where a list request starts and how big its pages are. `Debug` shows whether a cursor is
/// set, not its key.
#[derive(Clone, Default, PartialEq)]
pub(crate) struct PageQuery {
    /// Page size, when set.
    pub limit: Option<u32>,
    /// Return items after this key.
    pub after: Option<String>,
    /// Return items before this key.
    pub before: Option<String>,
}

impl fmt::Debug for PageQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PageQuery")
            .field("limit", &self.limit)
            .field("after", &self.after.as_ref().map(|_| "<private>"))
            .field("before", &self.before.as_ref().map(|_| "<private>"))
            .finish()
    }
}

impl PageQuery {
    /// Checks the arguments and writes them into `query`.
    pub fn apply(
        &self,
        rules: &PageRules,
        op: &'static Operation,
        query: &mut Query,
    ) -> Result<(), Error> {
        if let Some(limit) = self.limit {
            if !(rules.limit_min..=rules.limit_max).contains(&limit) {
                return Err(Error::invalid(
                    Some(op.id),
                    format!(
                        "`limit` must be between {} and {}, got {limit}",
                        rules.limit_min, rules.limit_max
                    ),
                ));
            }
            query.set(rules.limit_param, limit.to_string());
        }
        match (&self.after, &self.before) {
            (Some(_), Some(_)) => {
                return Err(Error::invalid(
                    Some(op.id),
                    format!(
                        "`{}` and `{}` cannot be used together",
                        rules.after_param, rules.before_param
                    ),
                ));
            }
            (Some(key), None) => query.set(rules.after_param, key.clone()),
            (None, Some(key)) => query.set(rules.before_param, key.clone()),
            (None, None) => {}
        }
        Ok(())
    }

    /// True when walking backward (the caller started from `before`).
    pub fn backward(&self) -> bool {
        self.before.is_some()
    }

    /// Moves the cursor to `key`, keeping the direction.
    pub fn advance(&mut self, key: String) {
        if self.backward() {
            self.before = Some(key);
        } else {
            self.after = Some(key);
        }
    }
}

/// One request, ready for the transport.
#[derive(Debug, Clone)]
pub(crate) struct Request {
    /// What it is.
    pub op: &'static Operation,
    /// Its path, with parameters encoded.
    pub path: Path,
    /// Its query.
    pub query: Query,
    /// Its JSON body, if it has one.
    pub body: Option<JsonBody>,
    /// When the whole call must be over.
    pub deadline: Deadline,
}

/// The time limit of a call (or a whole walk through a list), on top of the retry policy's.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) enum Deadline {
    /// No limit of its own.
    #[default]
    None,
    /// This long from when the call starts.
    After(Duration),
    /// This instant (a walk fixes it when it starts, so every page shares it).
    At(Instant),
}

impl Deadline {
    /// The instant, for a call starting at `start`.
    pub fn at(self, start: Instant) -> Option<Instant> {
        match self {
            Deadline::None => None,
            Deadline::After(d) => start.checked_add(d),
            Deadline::At(at) => Some(at),
        }
    }
}

impl Request {
    /// A request for `op` at `path`, with an empty query and no body.
    pub fn new(op: &'static Operation, path: Path) -> Self {
        Request {
            op,
            path,
            query: Query::default(),
            body: None,
            deadline: Deadline::None,
        }
    }

    /// Adds a JSON body, serialized now so the request can be sent (and retried) as bytes.
    pub fn json_body<T: serde::Serialize>(mut self, body: &T) -> Self {
        self.body = Some(JsonBody(
            serde_json::to_vec(body).map_err(|e| format!("the body cannot be serialized: {e}")),
        ));
        self
    }
}

/// A serialized JSON body, or why serializing failed (reported when the request is sent).
/// `Debug` shows only its size: bodies carry customer data.
#[derive(Clone)]
pub(crate) struct JsonBody(pub Result<Vec<u8>, String>);

impl fmt::Debug for JsonBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Ok(bytes) => write!(f, "JsonBody({} bytes)", bytes.len()),
            Err(e) => write!(f, "JsonBody(invalid: {e})"),
        }
    }
}

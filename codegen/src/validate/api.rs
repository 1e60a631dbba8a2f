//! The `api:` block: module name, title, base URL, auth, envelope and pagination.

use super::{Header, Validator};
use crate::diag::Reporter;
use crate::ir::*;
use crate::names;
use crate::spec::*;

impl Validator<'_> {
    pub(super) fn api_header(&mut self, raw: &RawSpec) -> Option<Header> {
        let api = raw.api.as_ref()?;
        let module = self.api_module(api);
        let title = api
            .title
            .as_ref()
            .map(|t| super::doc_text::clean(&t.value).replace('\n', " "));
        let doc = self.doc(&api.doc, "`api`");
        let base_url = self.base_url(api);
        let auth = self.auth(api);
        let envelope = self.envelope(api);
        let config_field = self.config_field(api, auth.as_ref());
        let pagination = api.pagination.as_ref().and_then(|p| self.pagination(p));
        Some(Header {
            module: module?,
            module_loc: api.name.as_ref().map_or(api.loc, |n| n.loc),
            title: title?,
            doc,
            base_url: base_url?,
            auth: auth?,
            envelope: envelope?,
            pagination,
            config_field,
        })
    }

    /// The API's module name: its `name:`, which must be a Rust module name not taken at the
    /// crate root.
    fn api_module(&mut self, api: &RawApi) -> Option<names::Ident> {
        let n = api.name.as_ref()?;
        match names::module_name(&n.value) {
            Some(m) if m == n.value && names::crate_root_holds(&m) => {
                self.r.error_hint(
                    n.loc,
                    format!("API name `{m}` is taken at the crate root by the client's own code"),
                    "choose another `name:`; the runtime's modules and the crates the client \
                     uses are taken",
                );
                None
            }
            Some(m) if m == n.value => Some(m),
            _ => {
                self.r.error_hint(
                    n.loc,
                    format!("`{}` cannot be a Rust module name", n.value),
                    "use lowercase letters, digits and `_`, not a Rust keyword",
                );
                None
            }
        }
    }

    /// The base URL, without a trailing `/`.
    fn base_url(&mut self, api: &RawApi) -> Option<String> {
        let u = api.base_url.as_ref()?;
        let ok = usable_base_url(&u.value);
        if !ok {
            self.r.error_hint(
                u.loc,
                format!("`{}` is not a usable base URL", u.value),
                "write it as `https://host` with an optional port and path, and no user, \
                 query or fragment; callers can point a client at `http://` test servers \
                 themselves",
            );
        }
        ok.then(|| u.value.trim_end_matches('/').to_string())
    }

    /// The auth scheme, and a bearer token's credential name.
    fn auth(&mut self, api: &RawApi) -> Option<Auth> {
        let a = api.auth.as_ref()?;
        let auth = match a.value.as_str() {
            // An unusable credential name is reported by `config_field`.
            "bearer" => Some(Auth::Bearer {
                credential: match &api.credential {
                    None => names::value_name(names::DEFAULT_CREDENTIAL)?,
                    Some(c) => names::value_name(&c.value).filter(|n| *n == c.value)?,
                },
            }),
            "basic" => Some(Auth::Basic),
            _ => None,
        };
        if auth.is_none() {
            self.r.error_hint(
                a.loc,
                format!("unknown auth scheme `{}`", a.value),
                "the runtime knows `bearer` (a token) and `basic` (public key : secret key)",
            );
        }
        auth
    }

    /// The response envelope: `data` (`{data, message, status}`) unless the spec says `none`.
    fn envelope(&mut self, api: &RawApi) -> Option<Envelope> {
        let Some(e) = &api.envelope else {
            return Some(Envelope::DataMessageStatus);
        };
        match e.value.as_str() {
            "data" => Some(Envelope::DataMessageStatus),
            "none" => Some(Envelope::None),
            other => {
                self.r.error_hint(
                    e.loc,
                    format!("unknown envelope `{other}`"),
                    "`data` ({data, message, status}) or `none` (the body is the payload)",
                );
                None
            }
        }
    }

    /// The client builder's settings field: a name the credentials leave free. A bearer
    /// token's `credential` name is checked here too.
    fn config_field(&mut self, api: &RawApi, auth: Option<&Auth>) -> names::Ident {
        // The builder's fields: the credentials, then its settings under a name left free.
        let mut fields = names::Scope::default();
        if let Some(c) = &api.credential {
            let valid = names::value_name(&c.value).is_some_and(|n| n == c.value);
            if !valid || api.auth.as_ref().is_some_and(|a| a.value != "bearer") {
                self.r.error_hint(
                    c.loc,
                    format!("`credential` `{}` is not usable", c.value),
                    "name the bearer token in snake_case, like `tracking_token`; basic auth \
                     always takes `public_key` and `secret_key`",
                );
            } else if names::BUILDER_METHODS.contains(&c.value.as_str()) {
                self.r.error_hint(
                    c.loc,
                    format!(
                        "`credential` `{}` would be a builder setter every client already has",
                        c.value
                    ),
                    "name the token for what it is, like `api_key` or `tracking_token`",
                );
            }
        }
        match auth {
            Some(Auth::Bearer { credential }) => fields.claim(credential),
            _ => names::BASIC_CREDENTIALS.iter().all(|c| fields.claim(c)),
        };
        fields.fresh(names::CONFIG_FIELD)
    }

    fn pagination(&mut self, p: &RawPagination) -> Option<Pagination> {
        // The three request parameters become setters on every list request.
        let mut setters = names::Scope::with(names::REQUEST_METHODS);
        for m in names::LIST_METHODS {
            setters.claim(m);
        }
        let limit_param = p
            .limit_param
            .as_ref()
            .and_then(|s| self.page_param(s, &mut setters));
        let after = p
            .after
            .as_ref()
            .and_then(|s| self.page_param(s, &mut setters));
        let before = p
            .before
            .as_ref()
            .and_then(|s| self.page_param(s, &mut setters));
        let min = p.limit_min.as_ref().cloned();
        let max = p.limit_max.as_ref().cloned();
        let cursor = p.cursor.as_ref().map(|s| s.value.clone());
        // The page's keys, with PartnerStack's as defaults.
        let mut keys: Vec<String> = Vec::new();
        let mut key = |given: &Option<Spanned<String>>, default: &str, r: &mut Reporter| {
            let (value, loc) = given
                .as_ref()
                .map_or((default, p.loc), |s| (s.value.as_str(), s.loc));
            if value.is_empty() || keys.iter().any(|k| k == value) {
                r.error(loc, format!("page key `{value}` is empty or used twice"));
            }
            keys.push(value.to_string());
            value.to_string()
        };
        let items_key = key(&p.items, "items", self.r);
        let has_more_key = key(&p.has_more, "has_more", self.r);
        let total_key = key(&p.total, "total", self.r);
        let (min, max) = (min?, max?);
        let bounds = match (u32::try_from(min.value), u32::try_from(max.value)) {
            (Ok(lo), Ok(hi)) if lo >= 1 && lo <= hi => Some((lo, hi)),
            _ => {
                self.r.error(
                    min.loc,
                    format!(
                        "page size bounds {}..={} are not a range of positive integers",
                        min.value, max.value
                    ),
                );
                None
            }
        };
        let (limit_min, limit_max) = bounds?;
        Some(Pagination {
            limit: limit_param?,
            limit_min,
            limit_max,
            after: after?,
            before: before?,
            cursor_field: cursor?,
            items_key,
            has_more_key,
            total_key,
        })
    }

    /// A pagination query parameter and its setter, which every list request has.
    fn page_param(&mut self, s: &Spanned<String>, setters: &mut names::Scope) -> Option<PageParam> {
        let Some(setter) = names::value_name(&s.value) else {
            self.r.error_hint(
                s.loc,
                format!(
                    "pagination parameter `{}` has no letters a setter name can be made of",
                    s.value
                ),
                "name the query parameter as PartnerStack does, like `starting_after`",
            );
            return None;
        };
        let free = self.claim(
            setters,
            &setter,
            s.loc,
            || format!("pagination parameter `{}` would be the list setter `{setter}`, which every list request already has", s.value),
            "each of `limit`, `after` and `before` needs a name of its own, other than `send`, `deadline`, `pages` and `items`",
        );
        let Some(flag) = names::flag(&s.value) else {
            self.r.error_hint(
                s.loc,
                format!(
                    "pagination parameter `{}` cannot be a command-line flag",
                    s.value
                ),
                "name the query parameter as PartnerStack does, like `starting_after`",
            );
            return None;
        };
        if names::CLI_FLAGS.contains(&flag.as_str()) {
            self.r.error_hint(
                s.loc,
                format!(
                    "pagination parameter `{}` would be the flag `--{flag}`, which the command line has already",
                    s.value
                ),
                "name the query parameter as PartnerStack does, like `starting_after`",
            );
            return None;
        }
        free.then(|| PageParam {
            wire: s.value.clone(),
            setter,
            flag,
        })
    }
}

/// Whether a spec's base URL is one every client can be built with: `https`, a host, no user
/// name or password, no query or fragment, a valid port.
fn usable_base_url(text: &str) -> bool {
    let Ok(url) = url::Url::parse(text) else {
        return false;
    };
    url.scheme() == "https"
        && url.host_str().is_some_and(|h| !h.is_empty())
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && text.starts_with("https://")
        && !text.contains(char::is_whitespace)
}

//! The `api:` block: module name, title, base URL, auth, envelope and pagination.

use super::{Header, Validator};
use crate::ir::*;
use crate::names;
use crate::spec::*;

impl Validator<'_> {
    pub(super) fn api_header(&mut self, raw: &RawSpec) -> Option<Header> {
        let api = raw.api.as_ref()?;
        let name = api.name.as_ref().cloned();
        let module = name.and_then(|n| match names::value_name(&n.value) {
            Some(m) if m == n.value => Some(m),
            _ => {
                self.r.error_hint(
                    n.loc,
                    format!("`{}` cannot be a Rust module name", n.value),
                    "use lowercase letters, digits and `_`",
                );
                None
            }
        });
        let title = api.title.as_ref().map(|t| t.value.clone());
        let doc = self.doc(&api.doc, "`api`");
        let base_url = api.base_url.as_ref().and_then(|u| {
            let ok = u.value.starts_with("https://")
                && u.value.len() > "https://".len()
                && !u.value.contains(['?', '#', ' ']);
            if !ok {
                self.r.error_hint(
                    u.loc,
                    format!("`{}` is not a usable base URL", u.value),
                    "write it as `https://host` with an optional path and no query; \
                     callers can point a client at `http://` test servers themselves",
                );
            }
            ok.then(|| u.value.trim_end_matches('/').to_string())
        });
        let auth = api.auth.as_ref().and_then(|a| {
            let auth = match a.value.as_str() {
                "bearer" => Some(Auth::Bearer {
                    credential: api
                        .credential
                        .as_ref()
                        .map_or_else(|| "api_key".to_string(), |c| c.value.clone()),
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
        });
        let envelope = match &api.envelope {
            None => Some(Envelope::DataMessageStatus),
            Some(e) => match e.value.as_str() {
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
            },
        };
        if let Some(c) = &api.credential {
            let valid = names::value_name(&c.value).is_some_and(|n| n == c.value);
            if !valid || api.auth.as_ref().is_some_and(|a| a.value != "bearer") {
                self.r.error_hint(
                    c.loc,
                    format!("`credential` `{}` is not usable", c.value),
                    "name the bearer token in snake_case, like `tracking_token`; basic auth always takes `public_key` and `secret_key`",
                );
            }
        }
        let pagination = api.pagination.as_ref().and_then(|p| self.pagination(p));
        Some(Header {
            module: module?,
            title: title?,
            doc,
            base_url: base_url?,
            auth: auth?,
            envelope: envelope?,
            pagination,
        })
    }

    fn pagination(&mut self, p: &RawPagination) -> Option<Pagination> {
        let limit_param = p.limit_param.as_ref().map(|s| s.value.clone());
        let min = p.limit_min.as_ref().cloned();
        let max = p.limit_max.as_ref().cloned();
        let after = p.after.as_ref().map(|s| s.value.clone());
        let before = p.before.as_ref().map(|s| s.value.clone());
        let cursor = p.cursor.as_ref().map(|s| s.value.clone());
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
            limit_param: limit_param?,
            limit_min,
            limit_max,
            after_param: after?,
            before_param: before?,
            cursor_field: cursor?,
        })
    }
}

//! One request in, one answer out: routing by path and credential, then what the operation
//! does (list, create, read, update, delete, or a canned answer), over the store.

use serde_json::{Map, Value, json};

use crate::auth::{self, Credentials};
use crate::clock::now_ms;
use crate::deliver::Changed;
use crate::object;
use crate::page;
use crate::reply::{Body, Reply};
use crate::store::Store;
use crate::table::{Answer, ApiTable, Change, Kind, Method, Route, Segment, Ty, TypeKind};
use crate::validate;
use crate::views;
use crate::world;

/// A request as the core sees it.
pub(crate) struct Incoming<'a> {
    pub method: &'a hyper::Method,
    /// The path as sent, percent-encoding included.
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub authorization: Option<&'a [u8]>,
    pub body: &'a [u8],
}

/// Everything a request can touch.
pub(crate) struct State {
    pub apis: &'static [&'static ApiTable],
    pub credentials: Credentials,
    pub store: std::sync::Mutex<Store>,
}

/// A matched route with its decoded path parameters.
pub(crate) struct Matched {
    pub api: &'static ApiTable,
    pub route: &'static Route,
    params: Vec<String>,
}

/// The route a request names and its credential opens, or the error answer (404, 401, 405).
pub(crate) fn resolve(state: &State, req: &Incoming<'_>) -> Result<Matched, Reply> {
    let Some(segments) = split(req.path) else {
        return Err(Reply::error(404, "Not found"));
    };
    let method = Method::from_http(req.method);
    // APIs with a route for this method and path; failing that, for this path at all (then the
    // method is wrong).
    let mut by_method = Vec::new();
    let mut by_path = Vec::new();
    for api in state.apis {
        for route in api.routes {
            if let Some(params) = matches(route, &segments) {
                let m = Matched { api, route, params };
                if Some(route.method) == method {
                    by_method.push(m);
                } else {
                    by_path.push(m);
                }
            }
        }
    }
    let allowed = !by_method.is_empty();
    let candidates = if allowed { by_method } else { by_path };
    if candidates.is_empty() {
        return Err(Reply::error(404, "Not found"));
    }
    let presented = auth::presented(req.authorization);
    let mut opened: Vec<Matched> = candidates
        .into_iter()
        .filter(|m| auth::opens(&state.credentials, m.api, &presented))
        .collect();
    if opened.is_empty() {
        let message = match presented {
            auth::Presented::None => "Authentication credentials were not provided",
            _ => "Invalid authentication credentials",
        };
        return Err(Reply::error(401, message));
    }
    if !allowed {
        return Err(Reply::error(
            405,
            format!("Method {} not allowed", req.method),
        ));
    }
    // The most specific route: most literal segments (`/deals/form-templates` before
    // `/deals/{deal_key}`).
    opened.sort_by_key(|m| {
        std::cmp::Reverse(
            m.route
                .segments
                .iter()
                .filter(|s| matches!(s, Segment::Literal(_)))
                .count(),
        )
    });
    opened
        .into_iter()
        .next()
        .ok_or_else(|| Reply::error(404, "Not found"))
}

/// What the operation `m` answers to `req`; `after` sees the store and what changed in it
/// while the store is still locked (so the events of changes are queued in their order).
pub(crate) fn answer(
    state: &State,
    m: &Matched,
    req: &Incoming<'_>,
    after: impl FnOnce(&Store, &[Changed]),
) -> Reply {
    let mut store = match state.store.lock() {
        Ok(store) => store,
        Err(poisoned) => poisoned.into_inner(),
    };
    let mut changes = Vec::new();
    let mut reply = match run(&mut store, m, req, &mut changes) {
        Ok(reply) => reply,
        Err(reply) => reply,
    };
    after(&store, &changes);
    drop(store);
    if let Some(page) = reply.page.take() {
        reply.body = page.write();
    }
    reply.operation = Some(m.route.op);
    reply
}

/// The path's segments, or `None` for a path that cannot be a route (no leading `/`).
fn split(path: &str) -> Option<Vec<&str>> {
    path.strip_prefix('/').map(|p| p.split('/').collect())
}

/// The decoded path parameters, when `route` matches the segments.
fn matches(route: &Route, segments: &[&str]) -> Option<Vec<String>> {
    if route.segments.len() != segments.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, got) in route.segments.iter().zip(segments) {
        match want {
            Segment::Literal(l) => {
                if l != got {
                    return None;
                }
            }
            Segment::Param(_) => {
                let decoded = percent_encoding::percent_decode_str(got)
                    .decode_utf8()
                    .ok()?;
                if decoded.is_empty() {
                    return None;
                }
                params.push(decoded.into_owned());
            }
        }
    }
    Some(params)
}

fn run(
    store: &mut Store,
    m: &Matched,
    req: &Incoming<'_>,
    changes: &mut Vec<Changed>,
) -> Result<Reply, Reply> {
    let api = m.api;
    let route = m.route;
    let query = page::parse_query(req.query);
    page::check_query(api, route, &query)?;
    let body = match route.body {
        Some(ty) => Some(body(api, ty, req.body)?),
        None => None,
    };
    let id = m.params.last().map(String::as_str).unwrap_or_default();
    let not_found = || {
        Reply::error(
            404,
            format!("Not found: no object with key '{}'", validate::excerpt(id)),
        )
    };
    let apis = store.apis();
    match route.kind {
        Kind::List(path) => {
            let Some(c) = api.collection(path) else {
                return Err(not_found());
            };
            // Each item shown as this API shows it, straight from the store.
            let show = |o: &Value| views::render(api, c, o);
            let listed = page::list(api, route, store.items(api, c), &query, show)?;
            Ok(Reply {
                status: 200,
                operation: None,
                body: Vec::new(),
                page: Some(Box::new(Body::Listed {
                    message: api.envelope.then_some("Page returned successfully"),
                    listed,
                })),
            })
        }
        Kind::Create(path) => {
            let Some(c) = api.collection(path) else {
                return Err(not_found());
            };
            let item = c.item;
            let views = views::views(apis, views::home(api, c));
            let sent = body.as_ref().and_then(Value::as_object);
            let chosen = world::named(apis, api, &*store, route.body, sent)?;
            let now = now_ms();
            let mut object = object::create(api, item, route.body, sent, now, store.rng())?;
            // The other APIs' views of the object: what the server gives them by default.
            for (other, oc) in views.iter().filter(|(a, _)| a.name != api.name) {
                object::complete(other, oc.item, &mut object, now, store.rng());
            }
            world::fill(&views, &mut object, &chosen, false);
            for (a, vc) in views.iter() {
                object::check_unique(a, vc.item, &object, store.list(api.name, path).iter())?;
            }
            check_targets(api, item, &object)?;
            store.insert(api.name, path, object.clone());
            changes.push(Changed {
                api,
                item,
                change: Change::Created,
                object: object.clone(),
            });
            Ok(success(
                api,
                "Created successfully",
                Some(views::render(api, c, &object)),
            ))
        }
        Kind::Read(path, fields) => {
            let Some(c) = api.collection(path) else {
                return Err(not_found());
            };
            let index = store.find(api, path, fields, id).ok_or_else(not_found)?;
            let object = store
                .list(api.name, path)
                .get(index)
                .map(|o| views::render(api, c, o));
            Ok(success(api, "Retrieved successfully", object))
        }
        Kind::Update(path, fields) => {
            let Some(c) = api.collection(path) else {
                return Err(not_found());
            };
            let index = store.find(api, path, fields, id).ok_or_else(not_found)?;
            let item = c.item;
            let views = views::views(apis, views::home(api, c));
            let list = store.list(api.name, path);
            let current = list.get(index).ok_or_else(not_found)?;
            let sent = body.as_ref().and_then(Value::as_object);
            let chosen = world::named(apis, api, &*store, route.body, sent)?;
            let mut changed = object::update(api, item, route.body, sent, current, now_ms())?;
            world::fill(&views, &mut changed, &chosen, false);
            let others = list
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, o)| o);
            for (a, vc) in views.iter() {
                object::check_unique(a, vc.item, &changed, others.clone())?;
            }
            check_targets(api, item, &changed)?;
            let slot = store.get_mut(api.name, path, index).ok_or_else(not_found)?;
            *slot = changed.clone();
            changes.push(Changed {
                api,
                item,
                change: Change::Updated,
                object: changed.clone(),
            });
            Ok(success(
                api,
                "Updated successfully",
                Some(views::render(api, c, &changed)),
            ))
        }
        Kind::Delete(path, fields) => {
            let Some(c) = api.collection(path) else {
                return Err(not_found());
            };
            let index = store.find(api, path, fields, id).ok_or_else(not_found)?;
            let removed = store.remove(api.name, path, index);
            if let Some(object) = &removed {
                changes.push(Changed {
                    api,
                    item: c.item,
                    change: Change::Deleted,
                    object: object.clone(),
                });
            }
            let data = match route.answer {
                Answer::Message | Answer::Empty => None,
                _ => removed.map(|o| views::render(api, c, &o)),
            };
            Ok(success(api, "Deleted successfully", data))
        }
        Kind::Canned => Ok(canned(api, store, route)),
    }
}

/// A registration of deliveries (a webhook) must name a target the fake can reach: an
/// `http://` URL on this machine.
fn check_targets(api: &ApiTable, item: &str, object: &Value) -> Result<(), Reply> {
    let Some(t) = api.events.as_ref().and_then(|e| e.targets.as_ref()) else {
        return Ok(());
    };
    if t.item != item {
        return Ok(());
    }
    match object.get(t.url).and_then(Value::as_str) {
        Some(url) => crate::deliver::parse_target(url)
            .map(|_| ())
            .map_err(|e| Reply::error(400, format!("'{}': {e}", t.url))),
        None => Ok(()),
    }
}

/// The request body parsed and checked against `ty`.
fn body(api: &ApiTable, ty: Ty, raw: &[u8]) -> Result<Value, Reply> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        return Err(Reply::error(400, "A JSON request body is required"));
    }
    let value = crate::json::parse(raw)
        .map_err(|e| Reply::error(400, format!("The request body is not valid JSON: {e}")))?;
    validate::check(api, ty, &value, "").map_err(|m| Reply::error(400, m))?;
    Ok(value)
}

/// A successful answer: the envelope around `data`, or `data` itself for an API without one.
fn success(api: &ApiTable, message: &str, data: Option<Value>) -> Reply {
    // Written into the body by `answer`, once the store is unlocked.
    let page = if api.envelope {
        Some(json!({"data": data.unwrap_or(Value::Null), "message": message, "status": 200}))
    } else {
        data
    };
    let page = page.map(|v| Box::new(Body::Value(v)));
    Reply {
        status: 200,
        operation: None,
        body: Vec::new(),
        page,
    }
}

/// A value of the operation's answer type, for operations the store does not model.
fn canned(api: &ApiTable, store: &mut Store, route: &Route) -> Reply {
    let now = now_ms();
    let data = match route.answer {
        Answer::Empty => return success(api, "Success", None),
        Answer::Message => return success(api, "Success", None),
        Answer::Page(_) => {
            let p = api.pagination.as_ref();
            let mut page = Map::new();
            page.insert(p.map_or("items", |p| p.items).into(), json!([]));
            page.insert(p.map_or("has_more", |p| p.has_more).into(), json!(false));
            page.insert(p.map_or("total", |p| p.total).into(), json!(0));
            Value::Object(page)
        }
        Answer::Object(ty) => sample(api, store, ty, now),
        Answer::List(ty) => Value::Array((0..3).map(|_| sample(api, store, ty, now)).collect()),
    };
    success(api, "Success", Some(data))
}

fn sample(api: &ApiTable, store: &mut Store, ty: Ty, now: i64) -> Value {
    match ty {
        Ty::Named(name)
            if matches!(
                api.type_named(name).map(|t| &t.kind),
                Some(TypeKind::Object { .. })
            ) =>
        {
            store.sample(api, name, now)
        }
        _ => Value::Object(Map::new()),
    }
}

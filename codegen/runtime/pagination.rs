//! Streams that walk a cursor-paginated list page by page.

use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::error::{Error, RequestInfo, Result};
use crate::page::{Page, Scanned};
use crate::request::{Deadline, PageQuery, PageRules, Request};
use crate::transport::{RawPage, Transport};

/// A stream of the pages of a list, each requested while the one before it decodes.
///
/// **Prefetch** (on by default): the request for the next page is sent as soon as the
/// current page says where the next one starts, before that page is decoded. On a tokio
/// runtime, each page's request runs on a task of its own, which also makes a quick pass over
/// the answer's JSON for `has_more` and the items' keys; the stream decodes the page on the
/// caller's task, after letting the next page's task start. So the server's time overlaps the
/// decoding, and its latency overlaps the caller's work on the page it holds. Since that task
/// reads the answer by itself, a caller that keeps a page for long does not make the next
/// page's request time out unread. On a current-thread runtime, where that task could only run
/// on the caller's one thread, there is no quick pass: the next page is requested as soon as
/// the current one is decoded, before the caller gets it, and its task reads and decodes it
/// whenever the caller's task waits. (Outside a tokio runtime, or once its runtime is shutting
/// down, requests run on the caller's task instead.) At most one page is requested beyond
/// the one the caller is waiting for or holding. Memory: the page the caller holds, the next
/// one (its body, then its items), and while the caller waits for that one, the body of the
/// page after it. Dropping the stream aborts those tasks: nothing more is requested (a
/// request being sent at that very moment may still go out), and a request under way is
/// abandoned.
///
/// A caller that stops early, or a walk that ends in an error, has caused one request more
/// than it used; [`prefetch(false)`](Pages::prefetch) sends each request only when the next
/// page is asked for, on the caller's task. Errors, retries, the deadline, the loop guard and
/// `max_pages` apply to a prefetched page exactly as to any other, and every page is
/// delivered once, in order. The quick pass only decides when to ask: the next page
/// is not requested from it if one of the page's keys is a cursor already used (the loop
/// guard will refuse the page), and is kept only if the decoded page leads to the same
/// cursor.
///
/// Walks forward with the last key of each page, or backward with the first key when the
/// request set the backward cursor (the API's spec names both cursor parameters and the page's
/// keys: `starting_after`, `ending_before`, `has_more` on PartnerStack's). It ends after a
/// page that says no more items follow, an empty page, or the first error. Once ended, it
/// stays ended.
///
/// A walk cannot deliver an item twice or end as if complete when it is not:
///
/// - a page holding a key the walk already used as a cursor (or started from) — a server that
///   repeats a page, or cursors that cycle — is not delivered; the stream ends with
///   [`Error::PaginationLoop`] instead;
/// - with [`max_pages`](Pages::max_pages) set, a walk that reaches the limit while the server
///   still says more items follow ends with [`Error::PageLimitReached`].
///
/// A server that never stops is bounded by the request's `deadline` (which covers the whole
/// walk) or by `max_pages`. The walk also keeps a 64-bit fingerprint per page to recognise
/// the cursors already used.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    walk: Walk<T>,
    /// Pages requested and not yet delivered, in order: the next one the caller gets and, at
    /// most, the one after it.
    queue: VecDeque<Slot<T>>,
    max_pages: Option<u64>,
    prefetch: bool,
    ended: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.walk.pages)
            .field("in_flight", &self.queue.len())
            .field("max_pages", &self.max_pages)
            .field("prefetch", &self.prefetch)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

/// How a walk reads an item's cursor: borrowed from a decoded model, or found in a
/// [`JsonItem`](crate::JsonItem)'s text (owned only when it holds escapes); `None` when the item
/// has none, which ends the walk with a decode error.
pub(crate) type CursorOf<T> = for<'a> fn(&'a T) -> Option<Cow<'a, str>>;

/// The error for an item whose `field` (its cursor, or its creation time) is missing or not
/// `what`, which only a [`JsonItem`](crate::JsonItem) can be (a model without it does not
/// decode). Its path is written as a typed decode error's: `data.items[1].key`, or
/// `data.items[].created_at` without the item's place (`index`).
pub(crate) fn unreadable_field(
    transport: &Transport,
    rules: &PageRules,
    request: &Request,
    index: Option<usize>,
    field: &str,
    what: &str,
) -> Error {
    let (op, prefix) = (request.op, transport.envelope().path_prefix());
    let place = index.map_or(String::new(), |i| i.to_string());
    Error::Decode {
        path: format!("{prefix}{}[{place}].{field}", rules.items_key),
        excerpt: String::new(),
        // The path names the field (a message's backticked names are hidden in `Display`).
        source: serde::de::Error::custom(format_args!("missing, or not {what}")),
        request: Box::new(RequestInfo::new(op.id, op.method.clone(), op.path, None)),
    }
}

/// Where a walk is: its request, the cursors it used, the pages it delivered.
struct Walk<T> {
    transport: Transport,
    request: Request,
    rules: &'static PageRules,
    /// Where the next page to deliver starts.
    page: PageQuery,
    cursor_of: CursorOf<T>,
    /// Fingerprints of the cursors used so far (the starting one included).
    seen: Seen,
    prints: Fingerprints,
    /// Pages delivered.
    pages: u64,
    /// True once the server said there is no more (or sent an empty page).
    done: bool,
    /// Whether prefetched requests may run on tasks of their own: false once one of those
    /// tasks was lost to its runtime shutting down.
    spawn: bool,
}

/// Fingerprints of cursors: a hash keyed per walk, so that a server cannot aim for two keys
/// that share one. Two different keys of a walk share a fingerprint by chance about once in
/// 2^64 / (items × pages); that would end the walk with a [`Error::PaginationLoop`] it did not
/// need, and never deliver an item twice. One hash per key: the walk fingerprints every item.
#[derive(Clone)]
struct Fingerprints(RandomState);

impl Fingerprints {
    fn of(&self, key: &str) -> u64 {
        self.0.hash_one(key)
    }
}

/// The fingerprints of the cursors used. They are keyed hashes already, so the set takes them
/// as they are instead of hashing them again.
type Seen = HashSet<u64, BuildHasherDefault<AsIs>>;

/// A [`Hasher`] that keeps the `u64` it is given (the only thing [`Seen`] hashes).
#[derive(Default)]
struct AsIs(u64);

impl Hasher for AsIs {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not reached through `Seen`; folds the bytes in, should anything else be hashed.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// One page requested: where it starts, what its scan found, and how far it got.
struct Slot<T> {
    query: PageQuery,
    /// Where the page after it starts, and its items' fingerprints, once fetched (with
    /// prefetch).
    scanned: Option<Scanned>,
    stage: Stage<T>,
}

enum Stage<T> {
    /// The request, on the caller's task: with prefetch off (it answers the page decoded),
    /// outside a tokio runtime, or once a task was lost to its runtime shutting down.
    Local(Pin<Box<dyn Future<Output = Result<Answer<T>>> + Send>>),
    /// The request and the quick pass over its answer, on a tokio task of their own (with
    /// prefetch), so that they go on while the caller's task decodes the page before; on a
    /// runtime of one thread, the request and the page's decoding, without the pass.
    Spawned(Fetch<T>),
    /// The task was cancelled before it answered (its runtime shutting down): asked again on
    /// the caller's task.
    Lost,
    /// Fetched and scanned. Decoded on the caller's task when it is the next page to deliver
    /// and the caller waits for it, after yielding once, so that the request for the page after
    /// it, just started, goes out first.
    Fetched {
        raw: Box<RawPage>,
        yielded: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
    },
    Done(Result<Page<T>>),
}

/// What a request on the caller's task answers: the page decoded, or (with prefetch) scanned.
enum Answer<T> {
    Page(Page<T>),
    Raw(Box<RawPage>, Scanned),
}

/// A page's request running on a task of its own; dropping it aborts the task, so nothing of a
/// dropped walk runs on.
struct Fetch<T>(tokio::task::JoinHandle<Result<Answer<T>>>);

impl<T> Drop for Fetch<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

impl<T> Walk<T> {
    fn info(&self) -> Box<RequestInfo> {
        let op = self.request.op;
        Box::new(RequestInfo::new(op.id, op.method.clone(), op.path, None))
    }
}

impl<T: DeserializeOwned + Send + 'static> Walk<T> {
    /// Requests the page that starts at `query`; see [`fetch`](Self::fetch).
    fn request(&mut self, query: PageQuery, scan: bool) -> Slot<T> {
        let stage = self.fetch(&query, scan);
        Slot {
            query,
            scanned: None,
            stage,
        }
    }

    /// With `scan` (prefetch), the answer is scanned and decoded later, and the request runs
    /// on a task of its own when a tokio runtime is there and no task of this walk was lost to
    /// it (on a runtime of one thread, that task decodes it, unscanned); otherwise it runs on
    /// the caller's task, decoded at once unless `scan`.
    fn fetch(&mut self, query: &PageQuery, scan: bool) -> Stage<T> {
        // The walk's deadline starts with its first page and is shared by all of them.
        if let Deadline::After(_) = self.request.deadline {
            self.request.deadline = self
                .request
                .deadline
                .at(std::time::Instant::now())
                .map_or(Deadline::None, Deadline::At);
        }
        let (transport, request, rules) =
            (self.transport.clone(), self.request.clone(), self.rules);
        let page = query.clone();
        if !scan {
            return Stage::Local(Box::pin(async move {
                Ok(Answer::Page(transport.page(&request, rules, &page).await?))
            }));
        }
        let runtime = tokio::runtime::Handle::try_current()
            .ok()
            .filter(|_| self.spawn);
        if let Some(runtime) = &runtime
            && runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::CurrentThread
        {
            // On a runtime of one thread, the quick pass would be work added to the one thread
            // the decoding needs, to overlap nothing more: the page is requested right after
            // the one before it decodes (still while the caller holds that one), and its task
            // decodes it whenever the caller's task waits.
            return Stage::Spawned(Fetch(runtime.spawn(async move {
                Ok(Answer::Page(transport.page(&request, rules, &page).await?))
            })));
        }
        let prints = self.prints.clone();
        let fetch = async move {
            let fingerprint = move |key: &str| prints.of(key);
            let (raw, scanned) = transport
                .raw_page(&request, rules, &page, &fingerprint)
                .await?;
            Ok(Answer::Raw(Box::new(raw), scanned))
        };
        match runtime {
            Some(runtime) => Stage::Spawned(Fetch(runtime.spawn(fetch))),
            None => Stage::Local(Box::pin(fetch)),
        }
    }

    /// Checks a decoded page against the cursors already used and moves past it.
    fn accept(&mut self, page: Page<T>) -> Result<Page<T>> {
        let mut repeated = false;
        for (i, item) in page.items.iter().enumerate() {
            match (self.cursor_of)(item) {
                Some(key) => repeated |= self.seen.contains(&self.prints.of(&key)),
                None => return Err(self.no_cursor(i)),
            }
        }
        if repeated {
            return Err(Error::PaginationLoop {
                pages: self.pages,
                request: self.info(),
            });
        }
        self.pages = self.pages.saturating_add(1);
        let edge = if self.page.backward() {
            page.items.first()
        } else {
            page.items.last()
        };
        match edge.and_then(self.cursor_of) {
            Some(key) if page.has_more => {
                let key = key.into_owned();
                self.seen.insert(self.prints.of(&key));
                self.page.advance(key);
            }
            _ => self.done = true,
        }
        Ok(page)
    }

    /// The error for the `i`th item of a page without a cursor.
    fn no_cursor(&self, i: usize) -> Error {
        unreadable_field(
            &self.transport,
            self.rules,
            &self.request,
            Some(i),
            self.rules.cursor_key,
            "a string",
        )
    }

    /// Whether the walk may request its next page: not ended, and within `max_pages` counting
    /// the `queued` pages requested ahead.
    fn may_request(&self, queued: usize, max_pages: Option<u64>) -> bool {
        let index = self.pages.saturating_add(queued as u64);
        !self.done && max_pages.is_none_or(|limit| index < limit)
    }
}

impl<T: DeserializeOwned + Send + 'static> Slot<T> {
    /// Moves the page along as far as it goes now: fetched, then, if it is the next to deliver
    /// (`front`) and the caller waits for it (`waiting`), decoded. While the caller holds a
    /// page, a request on its own task is only looked at once it has finished.
    fn poll(&mut self, cx: &mut Context<'_>, front: bool, waiting: bool) {
        loop {
            self.stage = match &mut self.stage {
                Stage::Local(fetch) => match fetch.as_mut().poll(cx) {
                    Poll::Pending => return,
                    Poll::Ready(Ok(Answer::Page(page))) => Stage::Done(Ok(page)),
                    Poll::Ready(Ok(Answer::Raw(raw, scanned))) => {
                        self.scanned = Some(scanned);
                        Stage::Fetched { raw, yielded: None }
                    }
                    Poll::Ready(Err(e)) => Stage::Done(Err(e)),
                },
                Stage::Spawned(Fetch(task)) if waiting || task.is_finished() => {
                    match Pin::new(task).poll(cx) {
                        Poll::Pending => return,
                        Poll::Ready(Ok(Ok(Answer::Raw(raw, scanned)))) => {
                            self.scanned = Some(scanned);
                            Stage::Fetched { raw, yielded: None }
                        }
                        Poll::Ready(Ok(Ok(Answer::Page(page)))) => Stage::Done(Ok(page)),
                        Poll::Ready(Ok(Err(e))) => Stage::Done(Err(e)),
                        Poll::Ready(Err(e)) if e.is_panic() => {
                            std::panic::resume_unwind(e.into_panic())
                        }
                        Poll::Ready(Err(_)) => Stage::Lost,
                    }
                }
                Stage::Fetched { raw, yielded } if front && waiting => {
                    let yielded = yielded.get_or_insert_with(|| Box::pin(tokio::task::yield_now()));
                    match yielded.as_mut().poll(cx) {
                        Poll::Pending => return,
                        Poll::Ready(()) => Stage::Done(raw.decode()),
                    }
                }
                Stage::Spawned(_) | Stage::Lost | Stage::Fetched { .. } | Stage::Done(_) => return,
            };
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(
        transport: Transport,
        request: Request,
        rules: &'static PageRules,
        page: PageQuery,
        cursor_of: CursorOf<T>,
    ) -> Self {
        let prints = Fingerprints(RandomState::new());
        let seen = page
            .after
            .iter()
            .chain(&page.before)
            .map(|k| prints.of(k))
            .collect();
        Pages {
            walk: Walk {
                transport,
                request,
                rules,
                page,
                cursor_of,
                seen,
                prints,
                pages: 0,
                done: false,
                spawn: true,
            },
            queue: VecDeque::new(),
            max_pages: None,
            prefetch: true,
            ended: false,
        }
    }

    /// A stream of the items of every page, in order.
    pub fn items(self) -> Items<T> {
        Items {
            pages: self,
            buffer: Vec::new().into_iter(),
        }
    }
}

impl<T> Pages<T> {
    /// Fetches at most `limit` pages. If the server still says more items follow after the
    /// last of them, the stream ends with [`Error::PageLimitReached`] (after delivering every
    /// page), so a walk cut short never looks complete. A limit of 0 fetches nothing.
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.max_pages = Some(limit);
        self
    }

    /// Whether to fetch the next page while the current one decodes and while the caller
    /// works on it (the default, `true`). With `false`, each request is sent only when the
    /// next page is polled for, on the caller's task: one request at a time, and none the
    /// caller does not use. Set it before the first poll.
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.prefetch = prefetch;
        self
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// Moves the pages in flight along, and requests the next one as soon as the last page in
    /// flight says where it starts: up to two pages in flight while the caller waits for the
    /// first of them, one while it holds a page (`waiting` false).
    fn drive(&mut self, cx: &mut Context<'_>, waiting: bool) {
        let most = if waiting { 2 } else { 1 };
        let mut i = 0;
        while let Some(slot) = self.queue.get_mut(i) {
            slot.poll(cx, i == 0, waiting);
            if let Stage::Lost = slot.stage {
                let query = slot.query.clone();
                self.walk.spawn = false;
                let stage = self.walk.fetch(&query, true);
                if let Some(slot) = self.queue.get_mut(i) {
                    slot.stage = stage;
                }
                continue;
            }
            i += 1;
            if i == self.queue.len()
                && i < most
                && self.prefetch
                && let Some(next) = self.scanned_next()
            {
                let slot = self.walk.request(next, true);
                self.queue.push_back(slot);
            }
        }
    }

    /// Where the page after the last one in flight starts, if its scan found it and the walk
    /// will go on from there: no key of that page is a cursor already used (the loop guard
    /// will refuse the page), and `max_pages` allows another.
    fn scanned_next(&self) -> Option<PageQuery> {
        let last = self.queue.back()?;
        if matches!(last.stage, Stage::Done(Err(_))) {
            // That page ends the walk: nothing more to ask for.
            return None;
        }
        let scanned = last.scanned.as_ref()?;
        let key = scanned.next.as_ref()?;
        if !self.walk.may_request(self.queue.len(), self.max_pages)
            || scanned.prints.iter().any(|p| self.walk.seen.contains(p))
            || self.walk.seen.contains(&self.walk.prints.of(key))
        {
            return None;
        }
        let mut next = last.query.clone();
        next.advance(key.clone());
        Some(next)
    }

    /// Drives the page being fetched ahead while the caller holds the current one.
    pub(crate) fn poll_ahead(&mut self, cx: &mut Context<'_>) {
        if !self.ended {
            self.drive(cx, false);
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        if this.queue.is_empty() {
            if this.walk.done {
                this.ended = true;
                return Poll::Ready(None);
            }
            if let Some(limit) = this.max_pages
                && this.walk.pages >= limit
            {
                this.ended = true;
                return Poll::Ready(Some(Err(Error::PageLimitReached {
                    limit,
                    request: this.walk.info(),
                })));
            }
            let slot = this.walk.request(this.walk.page.clone(), this.prefetch);
            this.queue.push_back(slot);
        }
        this.drive(cx, true);
        let result = match this.queue.pop_front() {
            Some(Slot {
                stage: Stage::Done(result),
                ..
            }) => result,
            Some(slot) => {
                this.queue.push_front(slot);
                return Poll::Pending;
            }
            None => return Poll::Pending,
        };
        match result.and_then(|page| this.walk.accept(page)) {
            Ok(page) => {
                // A page requested from the scan is used only if the walk goes on from where
                // it starts (always, unless the scan and the decoding disagree).
                if this
                    .queue
                    .front()
                    .is_some_and(|next| this.walk.done || next.query != this.walk.page)
                {
                    this.queue.clear();
                }
                if this.prefetch
                    && this.queue.is_empty()
                    && this.walk.may_request(0, this.max_pages)
                {
                    let slot = this.walk.request(this.walk.page.clone(), true);
                    this.queue.push_back(slot);
                }
                // The next page's request gets under way while the caller works on this one.
                this.drive(cx, false);
                Poll::Ready(Some(Ok(page)))
            }
            Err(e) => {
                // The first error ends the walk.
                this.ended = true;
                this.queue.clear();
                Poll::Ready(Some(Err(e)))
            }
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for Pages<T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

// Nothing in `Pages` is structurally pinned: requests are boxed.
impl<T> Unpin for Pages<T> {}

/// A stream of the items of a list, across pages; see [`Pages`] for when it ends and how the
/// next page is fetched while you take the items of the current one.
///
/// After an error the stream ends (and stays ended); to resume, start a new request with the
/// forward cursor (`starting_after`) set to the key of the last item you received.
///
/// ```no_run
/// use partnerstack::prelude::*;
///
/// # async fn run(client: partnerstack::partner::Client) -> partnerstack::Result<()> {
/// let mut items = client.rewards().list().items();
/// while let Some(reward) = items.try_next().await? {
///     println!("{} {}", reward.key, reward.created_at);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    buffer: std::vec::IntoIter<T>,
}

impl<T> Items<T> {
    /// Fetches at most `limit` pages; see [`Pages::max_pages`].
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.pages = self.pages.max_pages(limit);
        self
    }

    /// Whether to fetch the next page while the caller takes this one's items (the default,
    /// `true`); see [`Pages::prefetch`].
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.pages = self.pages.prefetch(prefetch);
        self
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("buffered", &self.buffer.len())
            .finish_non_exhaustive()
    }
}

// Nothing in `Items` is structurally pinned: the page stream is boxed and the buffer is a
// plain iterator.
impl<T> Unpin for Items<T> {}

impl<T: DeserializeOwned + Send + 'static> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffer.next() {
                // Keep the next page's request moving while the caller takes this page's items.
                self.pages.poll_ahead(cx);
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => self.buffer = page.items.into_iter(),
                Poll::Ready(Some(Err(e))) => return Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for Items<T> {
    fn is_terminated(&self) -> bool {
        self.pages.is_terminated() && self.buffer.len() == 0
    }
}

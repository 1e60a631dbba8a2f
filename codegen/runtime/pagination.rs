//! Streams that walk a cursor-paginated list page by page.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::error::{Error, RequestInfo, Result};
use crate::page::Page;
use crate::request::{Deadline, PageQuery, PageRules, Request};
use crate::transport::Transport;

/// A stream of the pages of a list, fetched one page ahead of the caller.
///
/// **Prefetch** (on by default): when a page is delivered, the request for the next one is
/// sent at once, so the server's latency overlaps the caller's work on the current page. At
/// most one page is fetched ahead (memory: two pages), and nothing runs in the background: the
/// next page's request is a future held inside the stream and driven whenever the stream is
/// polled (the connection's own task receives the answer meanwhile). Dropping the stream drops
/// that request; nothing is sent after it. A caller that stops early has caused one request
/// more than it used; [`prefetch(false)`](Pages::prefetch) sends each request only when the
/// next page is asked for. Errors, retries, the deadline, the loop guard and `max_pages` apply
/// to a prefetched page exactly as to any other, and every page is delivered once, in order.
/// A caller that keeps a page longer than the client's per-attempt timeout before asking for
/// the next sees that page's request retried (it timed out unread).
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
/// walk) or by `max_pages`. Memory: two pages (one with prefetch off), plus 16 bytes per page
/// walked to recognise the cursors already used.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    /// The walk between pages; `None` while a page is being fetched, or once ended.
    walk: Option<Walk<T>>,
    fetching: Option<Fetch<T>>,
    /// A page fetched ahead that finished before the caller asked for it.
    ahead: Option<(Walk<T>, Result<Page<T>>)>,
    max_pages: Option<u64>,
    prefetch: bool,
    ended: bool,
}

/// One page being fetched; it hands the walk back with the result.
type Fetch<T> = Pin<Box<dyn Future<Output = (Walk<T>, Result<Page<T>>)> + Send>>;

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages")
            .field("pages", &self.walk.as_ref().map(|w| w.pages))
            .field("max_pages", &self.max_pages)
            .field("prefetch", &self.prefetch)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

struct Walk<T> {
    transport: Transport,
    request: Request,
    rules: &'static PageRules,
    page: PageQuery,
    cursor_of: fn(&T) -> &str,
    /// Fingerprints of the cursors used so far (the starting one included).
    seen: HashSet<u128>,
    /// Keyed per walk, so that a server cannot aim for fingerprints that collide.
    keys: (RandomState, RandomState),
    /// Pages delivered.
    pages: u64,
    /// True once the server said there is no more (or sent an empty page).
    done: bool,
}

impl<T> Walk<T> {
    fn fingerprint(&self, key: &str) -> u128 {
        let (a, b) = (self.keys.0.hash_one(key), self.keys.1.hash_one(key));
        (u128::from(a) << 64) | u128::from(b)
    }

    fn info(&self) -> Box<RequestInfo> {
        let op = self.request.op;
        Box::new(RequestInfo::new(op.id, op.method.clone(), op.path, None))
    }
}

impl<T: DeserializeOwned + Send + 'static> Walk<T> {
    /// Fetches the next page and checks it against the cursors already used.
    async fn next(mut self) -> (Self, Result<Page<T>>) {
        // The walk's deadline starts with its first page and is shared by all of them.
        if let Deadline::After(_) = self.request.deadline {
            self.request.deadline = self
                .request
                .deadline
                .at(std::time::Instant::now())
                .map_or(Deadline::None, Deadline::At);
        }
        let result = self
            .transport
            .page::<T>(&self.request, self.rules, &self.page)
            .await;
        let page = match result {
            Ok(page) => page,
            Err(e) => return (self, Err(e)),
        };
        let repeated = page
            .items
            .iter()
            .any(|item| self.seen.contains(&self.fingerprint((self.cursor_of)(item))));
        if repeated {
            let error = Error::PaginationLoop {
                pages: self.pages,
                request: self.info(),
            };
            return (self, Err(error));
        }
        self.pages = self.pages.saturating_add(1);
        let edge = if self.page.backward() {
            page.items.first()
        } else {
            page.items.last()
        };
        match edge.map(self.cursor_of) {
            Some(key) if page.has_more => {
                let key = key.to_owned();
                let print = self.fingerprint(&key);
                self.seen.insert(print);
                self.page.advance(key);
            }
            _ => self.done = true,
        }
        (self, Ok(page))
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(
        transport: Transport,
        request: Request,
        rules: &'static PageRules,
        page: PageQuery,
        cursor_of: fn(&T) -> &str,
    ) -> Self {
        let mut walk = Walk {
            transport,
            request,
            rules,
            page,
            cursor_of,
            seen: HashSet::new(),
            keys: (RandomState::new(), RandomState::new()),
            pages: 0,
            done: false,
        };
        let start: Vec<u128> = walk
            .page
            .after
            .iter()
            .chain(&walk.page.before)
            .map(|k| walk.fingerprint(k))
            .collect();
        walk.seen.extend(start);
        Pages {
            walk: Some(walk),
            fetching: None,
            ahead: None,
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

    /// Whether to fetch the next page while the caller works on the current one (the default,
    /// `true`). With `false`, each request is sent only when the next page is polled for: one
    /// request at a time, and none the caller does not use.
    pub fn prefetch(mut self, prefetch: bool) -> Self {
        self.prefetch = prefetch;
        self
    }
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    /// Sends the request for the next page right after a page is delivered, unless the walk is
    /// over or at its page limit (the next poll then ends it, as without prefetch).
    fn prefetch_next(&mut self, cx: &mut Context<'_>) {
        let Some(walk) = self.walk.take() else {
            return;
        };
        let at_limit = self.max_pages.is_some_and(|limit| walk.pages >= limit);
        if walk.done || at_limit {
            self.walk = Some(walk);
            return;
        }
        self.fetching = Some(Box::pin(walk.next()));
        self.poll_ahead(cx);
    }

    /// Drives the page being fetched ahead, keeping its result until the caller asks for it.
    /// Called on every poll, so the request progresses while the caller consumes items.
    fn poll_ahead(&mut self, cx: &mut Context<'_>) {
        if self.ahead.is_some() {
            return;
        }
        if let Some(fetch) = self.fetching.as_mut()
            && let Poll::Ready(done) = fetch.as_mut().poll(cx)
        {
            self.fetching = None;
            self.ahead = Some(done);
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let (walk, result) = if let Some(done) = self.ahead.take() {
            done
        } else {
            if self.fetching.is_none() {
                let Some(walk) = self.walk.take() else {
                    self.ended = true;
                    return Poll::Ready(None);
                };
                if walk.done {
                    self.ended = true;
                    return Poll::Ready(None);
                }
                if let Some(limit) = self.max_pages
                    && walk.pages >= limit
                {
                    self.ended = true;
                    return Poll::Ready(Some(Err(Error::PageLimitReached {
                        limit,
                        request: walk.info(),
                    })));
                }
                self.fetching = Some(Box::pin(walk.next()));
            }
            let Some(fetch) = self.fetching.as_mut() else {
                return Poll::Pending;
            };
            match fetch.as_mut().poll(cx) {
                Poll::Ready(done) => {
                    self.fetching = None;
                    done
                }
                Poll::Pending => return Poll::Pending,
            }
        };
        if result.is_ok() {
            self.walk = Some(walk);
            if self.prefetch {
                self.prefetch_next(cx);
            }
        } else {
            // The first error ends the walk.
            self.ended = true;
        }
        Poll::Ready(Some(result))
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for Pages<T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

// Nothing in `Pages` is structurally pinned: the fetch is boxed.
impl<T> Unpin for Pages<T> {}

/// A stream of the items of a list, across pages; see [`Pages`] for when it ends and how the
/// next page is fetched while you take the items of the current one.
///
/// After an error the stream ends (and stays ended); to resume, start a new request with the
/// forward cursor (`starting_after`) set to the key of the last item you received.
///
/// ```no_run
/// use futures_util::TryStreamExt;
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

//! Streams that walk a cursor-paginated list page by page.

use std::collections::HashSet;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::page::Page;
use crate::request::{Deadline, PageQuery, PageRules, Request};
use crate::transport::Transport;

/// A stream of the pages of a list, fetched one at a time as you poll.
///
/// Walks forward with the last key of each page, or backward with the first key when the
/// request started with `ending_before`. It ends after a page with `has_more == false`, an
/// empty page, a page whose cursor was already seen (a server loop), or the first error. At
/// most one page is held in memory. Once ended, it stays ended.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<T> {
    inner: Pin<Box<dyn Stream<Item = Result<Page<T>>> + Send>>,
    ended: bool,
}

impl<T> fmt::Debug for Pages<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

struct Walk<T> {
    transport: Transport,
    request: Request,
    rules: &'static PageRules,
    page: PageQuery,
    cursor_of: fn(&T) -> &str,
    seen: HashSet<String>,
    done: bool,
}

impl<T: DeserializeOwned + Send + 'static> Pages<T> {
    pub(crate) fn new(
        transport: Transport,
        request: Request,
        rules: &'static PageRules,
        page: PageQuery,
        cursor_of: fn(&T) -> &str,
    ) -> Self {
        let seen = page.after.iter().chain(&page.before).cloned().collect();
        let walk = Walk {
            transport,
            request,
            rules,
            page,
            cursor_of,
            seen,
            done: false,
        };
        let inner = futures_util::stream::unfold(walk, |mut w| async move {
            if w.done {
                return None;
            }
            // The walk's deadline starts with its first page and is shared by all of them.
            if let Deadline::After(_) = w.request.deadline {
                w.request.deadline = w
                    .request
                    .deadline
                    .at(std::time::Instant::now())
                    .map_or(Deadline::None, Deadline::At);
            }
            let result = w.transport.page::<T>(&w.request, w.rules, &w.page).await;
            match &result {
                Ok(page) => {
                    let edge = if w.page.backward() {
                        page.items.first()
                    } else {
                        page.items.last()
                    };
                    match edge.map(w.cursor_of) {
                        Some(key) if page.has_more && w.seen.insert(key.to_owned()) => {
                            w.page.advance(key.to_owned());
                        }
                        _ => w.done = true,
                    }
                }
                Err(_) => w.done = true,
            }
            Some((result, w))
        });
        Pages {
            inner: Box::pin(inner),
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

impl<T> Stream for Pages<T> {
    type Item = Result<Page<T>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        let next = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None) = next {
            self.ended = true;
        }
        next
    }
}

impl<T> FusedStream for Pages<T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

/// A stream of the items of a list, across pages; see [`Pages`] for when it ends.
///
/// After an error the stream ends (and stays ended); to resume, start a new request with
/// `starting_after` set to the key of the last item you received.
#[must_use = "streams do nothing unless polled"]
pub struct Items<T> {
    pages: Pages<T>,
    buffer: std::vec::IntoIter<T>,
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

impl<T> Stream for Items<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.buffer.next() {
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

impl<T> FusedStream for Items<T> {
    fn is_terminated(&self) -> bool {
        self.pages.is_terminated() && self.buffer.len() == 0
    }
}

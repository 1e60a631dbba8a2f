//! Partitioned walks: a list that filters on creation time, walked as disjoint time windows at
//! once, each with the cursor walk of [`Pages`].

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::{FusedStream, Stream};
use serde::de::DeserializeOwned;

use crate::error::{Error, Result};
use crate::pagination::{CursorOf, Pages, unreadable_field};
use crate::request::{Deadline, PageQuery, PageRules, Request};
use crate::timestamp::Timestamp;
use crate::transport::Transport;

/// How a partitioned walk reads an item's creation time: a decoded model's field, or the one
/// found in a [`JsonItem`](crate::JsonItem)'s text; `None` when the item has none (only a
/// `JsonItem` can lack it), which stops the walk with a decode error.
pub(crate) type CreatedOf<T> = fn(&T) -> Option<Timestamp>;

/// How a list filters on its items' creation time, from the spec (emitted for each list whose
/// query has an `at_least` and an `at_most` filter on the field its items are ordered by).
#[derive(Debug)]
pub(crate) struct CreatedRange {
    /// The items' creation-time field in the JSON (`created_at`).
    pub field: &'static str,
    /// The parameter for "created at or after" (`min_created`).
    pub min_param: &'static str,
    /// The parameter for "created at or before" (`max_created`).
    pub max_param: &'static str,
    /// The list's sort parameter, when it has one.
    pub sort: Option<CreatedSort>,
}

impl CreatedRange {
    /// The error for an item without its creation time ([`unreadable_field`]).
    fn missing(&self, transport: &Transport, rules: &PageRules, request: &Request) -> Error {
        let what = "a time in milliseconds";
        unreadable_field(transport, rules, request, None, self.field, what)
    }
}

/// A list's sort parameter and its values that order by creation time.
#[derive(Debug)]
pub(crate) struct CreatedSort {
    /// The parameter (`order_by`).
    pub param: &'static str,
    /// Newest first (`-created_at`); without it the parameter is left out, which gives the
    /// list's default order, newest first.
    pub newest_first: Option<&'static str>,
    /// Oldest first (`created_at`): finds the oldest item with one request.
    pub oldest_first: Option<&'static str>,
}

/// A window of creation times in milliseconds since the epoch, both ends included (as the
/// API's `min_created` and `max_created` are).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Window {
    /// The oldest millisecond in it.
    pub from: i64,
    /// The newest millisecond in it.
    pub to: i64,
}

/// The most windows a partitioned walk walks at once: each holds its pages and requests, and
/// a few dozen already overlap any latency a list is served with.
pub const MAX_WINDOWS: usize = 64;

impl Window {
    /// At most `n` windows of nearly equal span that cover this one and share no millisecond,
    /// newest first (fewer when it holds fewer milliseconds; one for `n` of 0).
    pub fn split(self, n: usize) -> Vec<Window> {
        let span = i128::from(self.to) - i128::from(self.from) + 1;
        if span <= 0 {
            return Vec::new();
        }
        let n = (n.max(1) as i128).min(span);
        let mut out = Vec::with_capacity(n as usize);
        let mut to = i128::from(self.to);
        for i in 0..n {
            let size = span * (i + 1) / n - span * i / n;
            let from = to - size + 1;
            // Both within `self`, so within i64.
            out.push(Window {
                from: from as i64,
                to: to as i64,
            });
            to = from - 1;
        }
        out
    }

    /// Splits the part of this window not yet walked, when its walk (newest first) has
    /// delivered items down to `seen` (every item newer than `seen`, and maybe some at
    /// `seen`): the walk keeps `[s, seen]`, where `s` is returned, and the older half
    /// `[from, s - 1]` becomes a window of its own. `s` is never above `seen`, so the items at
    /// `seen` (some delivered, maybe more to come on the next page) stay with the walk that
    /// delivers them in order: none is lost or repeated. `None` when only one millisecond is
    /// left.
    pub fn split_rest(self, seen: i64) -> Option<(i64, Window)> {
        let seen = seen.min(self.to);
        if seen <= self.from {
            return None;
        }
        let half = (i128::from(seen) - i128::from(self.from) + 1) / 2;
        // from < s <= seen, so both bounds fit in i64.
        let s = i128::from(self.from) + half;
        Some((
            s as i64,
            Window {
                from: self.from,
                to: (s - 1) as i64,
            },
        ))
    }
}

/// One window being walked.
struct Lane<T> {
    /// What it delivers: `from` rises when the window is split.
    window: Window,
    /// The creation time of the last item delivered.
    seen: Option<i64>,
    /// False once an item came newer than one before it: the server does not order the window
    /// by creation time, so it is neither split nor cut short.
    ordered: bool,
    /// Whether its last page said more items follow.
    more: bool,
    /// Pages received since the walk last counted them.
    new_pages: u64,
    /// `None` once finished: dropping it stops its requests.
    pages: Option<Pages<T>>,
    buffer: std::vec::IntoIter<T>,
}

impl<T: DeserializeOwned + Send + 'static> Lane<T> {
    /// The next item of the window, in list order; `None` when the window is done.
    /// `missing` is the error for an item without a creation time.
    fn poll_item(
        &mut self,
        cx: &mut Context<'_>,
        created_of: CreatedOf<T>,
        missing: impl Fn() -> Error,
    ) -> Poll<Option<Result<T>>> {
        loop {
            if let Some(item) = self.buffer.next() {
                let Some(t) = created_of(&item).map(Timestamp::as_millis) else {
                    return Poll::Ready(Some(Err(missing())));
                };
                if t > self.window.to {
                    // Not this window's (a server ignoring `max_created`): another has it.
                    continue;
                }
                if t < self.window.from {
                    let (from, to) = (self.window.from, self.window.to);
                    // An item of this window after it on the page: the server does not keep
                    // to the bound or the order, so the window is walked to its end.
                    if self.ordered
                        && self
                            .buffer
                            .as_slice()
                            .iter()
                            .filter_map(created_of)
                            .any(|later| (from..=to).contains(&later.as_millis()))
                    {
                        self.ordered = false;
                    }
                    if self.ordered {
                        // Newest first: the rest is older still, and another window's.
                        self.finish();
                        return Poll::Ready(None);
                    }
                    continue;
                }
                if self.seen.is_some_and(|s| t > s) {
                    self.ordered = false;
                }
                self.seen = Some(t);
                if let Some(pages) = &mut self.pages {
                    pages.poll_ahead(cx);
                }
                return Poll::Ready(Some(Ok(item)));
            }
            let Some(pages) = &mut self.pages else {
                return Poll::Ready(None);
            };
            match Pin::new(pages).poll_next(cx) {
                Poll::Ready(Some(Ok(page))) => {
                    self.more = page.has_more;
                    self.new_pages += 1;
                    self.buffer = page.items.into_iter();
                }
                Poll::Ready(Some(Err(e))) => {
                    self.pages = None;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(None) => {
                    self.finish();
                    return Poll::Ready(None);
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    fn finish(&mut self) {
        self.pages = None;
        self.buffer = Vec::new().into_iter();
        self.more = false;
    }

    /// Where the window may be split: it goes on, in order, and has more than one millisecond
    /// left below the last item delivered.
    fn split_point(&self) -> Option<i64> {
        let seen = self.seen?;
        (self.pages.is_some() && self.ordered && self.more && seen > self.window.from)
            .then_some(seen)
    }

    /// What it has not delivered for sure: down from the last item's millisecond (whose items
    /// may not all have come), or the whole window.
    fn unfinished(&self) -> Window {
        let to = match self.seen {
            Some(seen) if self.ordered => seen,
            _ => self.window.to,
        };
        Window {
            from: self.window.from,
            to,
        }
    }
}

/// Finds the window to walk: the caller's range, or the newest and oldest items' times.
type Probe = Pin<Box<dyn Future<Output = Result<Option<Window>>> + Send>>;

/// A stream of the items of a list that filters on creation time, walked as disjoint time
/// windows at once; made by a list request's `items_partitioned(n)`.
///
/// It splits the requested creation-time range (the list's `min_created` and `max_created`,
/// or, where not given, the times of the newest and oldest items, found with one request each)
/// into `n` windows that share no millisecond, and walks up to `n` of them at once, each with
/// the cursor walk of [`Pages`]. When a window has no more to start and a walk turns out to
/// hold many pages, the part of it not yet walked is split again, so the work stays balanced
/// when items are unevenly spread in time.
///
/// **Order: items of one window arrive in list order (newest first); windows interleave.**
/// Collect and sort if you need one order. Every item of the range is delivered once: the
/// windows' bounds are inclusive and never share a millisecond, and a split never separates
/// items created at the same millisecond from the walk that delivers them. That rests on the
/// server keeping to `min_created` or to its newest-first order: a window ends at its first
/// item older than the window, unless an item of the window follows it on the same page
/// (then the window is walked to its end and never split). A server that does neither across
/// pages can end a window early.
///
/// Per window, everything [`Pages`] guarantees holds: the loop guard, retries, the request's
/// `deadline` (fixed when the walk starts and shared by every window) and
/// [`max_pages`](Self::max_pages). The first error of a window ends the stream with
/// [`Error::PartitionedWalkStopped`], which lists the windows not fully delivered, to walk
/// again; an error before any window starts (a rejected argument, or the requests that find
/// the list's range) ends it as itself. Dropping the stream stops every request.
///
/// It walks fewer windows at once when the client receives a 429 (half as many, at least
/// one), and one more each time as many pages as windows walked, four times over, came without
/// one, up to `n`; a `Retry-After` is honoured by the retry policy. With
/// `max_requests_per_second` on the client builder, every request of every window shares that
/// rate. Memory: about three pages per window walked at once.
///
/// Without an oldest-first sort order on the list, a range without `min_created` starts at
/// the Unix epoch (the first windows are then empty and finish with one request each).
///
/// ```no_run
/// use partnerstack::prelude::*;
///
/// # async fn run(client: partnerstack::partner::Client) -> partnerstack::Result<()> {
/// let mut rewards = client.rewards().list().items_partitioned(8);
/// while let Some(reward) = rewards.try_next().await? {
///     println!("{} {}", reward.key, reward.created_at);
/// }
/// # Ok(())
/// # }
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct PartitionedItems<T> {
    transport: Transport,
    request: Request,
    rules: &'static PageRules,
    page: PageQuery,
    cursor_of: CursorOf<T>,
    created_of: CreatedOf<T>,
    range: &'static CreatedRange,
    max_pages: Option<u64>,
    /// The most windows walked at once (`n`).
    most: usize,
    /// Windows walked at once now: lowered by 429s, raised by healthy pages.
    active: usize,
    /// Pages since the last change of `active`.
    healthy: u64,
    /// The client's 429 count when last looked at.
    throttled: u64,
    started: bool,
    probe: Option<Probe>,
    /// Windows not started yet, newest first.
    pending: VecDeque<Window>,
    lanes: Vec<Lane<T>>,
    /// The lane polled first next time, so that no window starves.
    turn: usize,
    ended: bool,
}

impl<T> fmt::Debug for PartitionedItems<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PartitionedItems")
            .field("windows", &self.most)
            .field("active", &self.active)
            .field("walking", &self.lanes.len())
            .field("pending", &self.pending.len())
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

// Nothing is structurally pinned: the probe is boxed, the lanes hold boxed requests.
impl<T> Unpin for PartitionedItems<T> {}

impl<T> PartitionedItems<T> {
    /// Fetches at most `limit` pages per window; see [`Pages::max_pages`]. A window that
    /// reaches it while more items follow ends the walk with [`Error::PageLimitReached`]
    /// (inside [`Error::PartitionedWalkStopped`]).
    pub fn max_pages(mut self, limit: u64) -> Self {
        self.max_pages = Some(limit);
        self
    }
}

impl<T: DeserializeOwned + Send + 'static> PartitionedItems<T> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        transport: Transport,
        request: Request,
        rules: &'static PageRules,
        page: PageQuery,
        cursor_of: CursorOf<T>,
        created_of: CreatedOf<T>,
        range: &'static CreatedRange,
        windows: usize,
    ) -> Self {
        PartitionedItems {
            transport,
            request,
            rules,
            page,
            cursor_of,
            created_of,
            range,
            max_pages: None,
            most: windows,
            active: windows,
            healthy: 0,
            throttled: 0,
            started: false,
            probe: None,
            pending: VecDeque::new(),
            lanes: Vec::new(),
            turn: 0,
            ended: false,
        }
    }

    /// Checks the arguments, fixes the deadline and the order, and starts finding the range.
    fn start(&mut self) -> Result<()> {
        let op = self.request.op;
        if self.most == 0 || self.most > MAX_WINDOWS {
            return Err(Error::invalid(
                Some(op.id),
                format!(
                    "a partitioned walk takes 1 to {MAX_WINDOWS} windows, not {}",
                    self.most
                ),
            ));
        }
        if self.page.after.is_some() || self.page.before.is_some() {
            return Err(Error::invalid(
                Some(op.id),
                format!(
                    "a partitioned walk covers whole time windows and cannot start from a cursor \
                     (`{}` or `{}`); narrow it with `{}` and `{}` instead",
                    self.rules.after_param,
                    self.rules.before_param,
                    self.range.min_param,
                    self.range.max_param
                ),
            ));
        }
        // Fewer requests: the largest pages, unless the caller chose a size.
        self.page.limit.get_or_insert(self.rules.limit_max);
        // One deadline for the whole walk, every window and the probes.
        if let Deadline::After(_) = self.request.deadline {
            self.request.deadline = self
                .request
                .deadline
                .at(std::time::Instant::now())
                .map_or(Deadline::None, Deadline::At);
        }
        let bound = |name: &str, query: &crate::request::Query| -> Result<Option<i64>> {
            match query.get(name) {
                None => Ok(None),
                Some(v) => v.parse::<i64>().map(Some).map_err(|_| {
                    Error::invalid(
                        Some(op.id),
                        format!("`{name}` is not a time in milliseconds"),
                    )
                }),
            }
        };
        let min = bound(self.range.min_param, &self.request.query)?;
        let max = bound(self.range.max_param, &self.request.query)?;
        let mut oldest_first = None;
        if let Some(sort) = &self.range.sort {
            match sort.newest_first {
                Some(value) => self.request.query.set(sort.param, value.to_owned()),
                None => self.request.query.remove(sort.param),
            }
            oldest_first = sort.oldest_first.map(|v| (sort.param, v));
        }
        self.throttled = self.transport.throttled();
        let (transport, request, rules, created_of, range) = (
            self.transport.clone(),
            self.request.clone(),
            self.rules,
            self.created_of,
            self.range,
        );
        self.probe = Some(Box::pin(async move {
            // The newest and oldest item's times, at once, where the caller did not give them.
            let probe = |order: Option<(&'static str, &'static str)>| {
                let (transport, mut request) = (transport.clone(), request.clone());
                async move {
                    if let Some((param, value)) = order {
                        request.query.set(param, value.to_owned());
                    }
                    let first = PageQuery {
                        limit: Some(rules.limit_min.max(1)),
                        ..PageQuery::default()
                    };
                    let page = transport.page::<T>(&request, rules, &first).await?;
                    match page.items.first() {
                        None => Ok(None),
                        // An item without its time is an error here too: taken for an empty
                        // list, it would end the walk as complete with nothing delivered.
                        Some(item) => match created_of(item) {
                            Some(time) => Ok(Some(time.as_millis())),
                            None => Err(range.missing(&transport, rules, &request)),
                        },
                    }
                }
            };
            let newest = async {
                match max {
                    Some(max) => Ok(Some(max)),
                    None => probe(None).await,
                }
            };
            let oldest = async {
                match (min, oldest_first) {
                    (Some(min), _) => Ok(Some(min)),
                    (None, Some(order)) => probe(Some(order)).await,
                    (None, None) => Ok(Some(0)),
                }
            };
            let (newest, oldest) = futures_util::future::try_join(newest, oldest).await?;
            Ok(match (oldest, newest) {
                (Some(from), Some(to)) if from <= to => Some(Window { from, to }),
                _ => None,
            })
        }));
        Ok(())
    }

    fn lane(&self, window: Window) -> Lane<T> {
        let mut request = self.request.clone();
        request
            .query
            .set(self.range.min_param, window.from.to_string());
        request
            .query
            .set(self.range.max_param, window.to.to_string());
        let mut pages = Pages::new(
            self.transport.clone(),
            request,
            self.rules,
            self.page.clone(),
            self.cursor_of,
        );
        if let Some(limit) = self.max_pages {
            pages = pages.max_pages(limit);
        }
        Lane {
            window,
            seen: None,
            ordered: true,
            more: false,
            new_pages: 0,
            pages: Some(pages),
            buffer: Vec::new().into_iter(),
        }
    }

    /// Walks windows up to the number allowed now: the pending ones first, then the older half
    /// of what the widest walk under way has left.
    fn fill(&mut self) {
        while self.lanes.len() < self.active {
            if let Some(window) = self.pending.pop_front() {
                let lane = self.lane(window);
                self.lanes.push(lane);
                continue;
            }
            let widest = self
                .lanes
                .iter_mut()
                .filter_map(|l| {
                    l.split_point()
                        .map(|seen| (seen.saturating_sub(l.window.from), l))
                })
                .max_by_key(|(span, _)| *span);
            let Some((_, lane)) = widest else { break };
            let Some((kept, window)) = lane
                .split_point()
                .and_then(|seen| lane.window.split_rest(seen))
            else {
                break;
            };
            lane.window.from = kept;
            let lane = self.lane(window);
            self.lanes.push(lane);
        }
    }

    /// Half as many windows at once after a 429 (at least one); one more after `4 × active`
    /// pages without one.
    fn adjust(&mut self, pages: u64) {
        let throttled = self.transport.throttled();
        if throttled != self.throttled {
            self.throttled = throttled;
            self.active = (self.active / 2).max(1);
            self.healthy = 0;
            return;
        }
        self.healthy += pages;
        if self.active < self.most && self.healthy >= 4 * self.active as u64 {
            self.active += 1;
            self.healthy = 0;
        }
    }

    /// The windows not fully delivered, oldest first.
    fn unfinished(&self) -> Vec<(Timestamp, Timestamp)> {
        let mut windows: Vec<Window> = self
            .pending
            .iter()
            .copied()
            .chain(self.lanes.iter().map(Lane::unfinished))
            .collect();
        windows.sort_by_key(|w| w.from);
        windows
            .into_iter()
            .map(|w| (Timestamp::from_millis(w.from), Timestamp::from_millis(w.to)))
            .collect()
    }

    fn fail(&mut self, error: Error) -> Poll<Option<Result<T>>> {
        let unfinished = self.unfinished();
        self.ended = true;
        self.lanes.clear();
        self.pending.clear();
        Poll::Ready(Some(Err(Error::PartitionedWalkStopped {
            source: Box::new(error),
            unfinished,
        })))
    }
}

impl<T: DeserializeOwned + Send + 'static> Stream for PartitionedItems<T> {
    type Item = Result<T>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.ended {
            return Poll::Ready(None);
        }
        if !this.started {
            this.started = true;
            if let Err(e) = this.start() {
                this.ended = true;
                return Poll::Ready(Some(Err(e)));
            }
        }
        if let Some(probe) = &mut this.probe {
            match probe.as_mut().poll(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(e)) => {
                    this.probe = None;
                    // Nothing delivered yet: the whole range is still to do, which the error
                    // itself says.
                    this.ended = true;
                    return Poll::Ready(Some(Err(e)));
                }
                Poll::Ready(Ok(range)) => {
                    this.probe = None;
                    this.pending = range.map(|r| r.split(this.most)).unwrap_or_default().into();
                }
            }
        }
        loop {
            this.adjust(0);
            this.fill();
            if this.lanes.is_empty() {
                this.ended = true;
                return Poll::Ready(None);
            }
            // Only the first `active` lanes go on; the others wait (asking nothing more).
            let walking = this.lanes.len().min(this.active);
            let mut finished = None;
            for k in 0..walking {
                let i = (this.turn + k) % walking;
                let (created_of, rules, range) = (this.created_of, this.rules, this.range);
                let missing = || range.missing(&this.transport, rules, &this.request);
                let lane = &mut this.lanes[i];
                let polled = lane.poll_item(cx, created_of, missing);
                let pages = std::mem::take(&mut lane.new_pages);
                if pages > 0 {
                    this.adjust(pages);
                }
                match polled {
                    Poll::Ready(Some(Ok(item))) => {
                        this.turn = (i + 1) % walking;
                        return Poll::Ready(Some(Ok(item)));
                    }
                    Poll::Ready(Some(Err(e))) => return this.fail(e),
                    Poll::Ready(None) => {
                        finished = Some(i);
                        break;
                    }
                    Poll::Pending => {}
                }
            }
            match finished {
                Some(i) => {
                    this.lanes.remove(i);
                    this.turn = 0;
                }
                None => return Poll::Pending,
            }
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> FusedStream for PartitionedItems<T> {
    fn is_terminated(&self) -> bool {
        self.ended
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list as a server holds it: creation times, newest first (ties in a fixed order).
    fn walk_all(
        times: &[i64],
        range: Window,
        n: usize,
        page: usize,
        split_every: usize,
        rng: &mut fastrand::Rng,
    ) -> Vec<usize> {
        // Simulates the walk's window logic over `times` (indices are the items): windows
        // walked page by page, the widest split whenever `split_every` pages went by.
        struct Sim {
            /// The window its requests filter on (set when it starts).
            wire: Window,
            /// What it delivers (`from` rises with splits).
            window: Window,
            /// Position in the window's item list (the server's cursor).
            next: usize,
            seen: Option<i64>,
            more: bool,
            done: bool,
        }
        let in_window = |w: Window| -> Vec<usize> {
            (0..times.len())
                .filter(|i| (w.from..=w.to).contains(&times[*i]))
                .collect()
        };
        let mut pending: VecDeque<Window> = range.split(n).into();
        let mut lanes: Vec<Sim> = Vec::new();
        let mut out = Vec::new();
        let mut steps = 0usize;
        loop {
            while lanes.iter().filter(|l| !l.done).count() < n {
                if let Some(window) = pending.pop_front() {
                    lanes.push(Sim {
                        wire: window,
                        window,
                        next: 0,
                        seen: None,
                        more: true,
                        done: false,
                    });
                    continue;
                }
                break;
            }
            let live: Vec<usize> = (0..lanes.len()).filter(|i| !lanes[*i].done).collect();
            if live.is_empty() {
                break;
            }
            // One page of a random live lane.
            let i = live[rng.usize(..live.len())];
            let lane = &mut lanes[i];
            // The server answers with the filters the window was started with, which may be
            // wider than what the lane delivers after a split.
            let items = in_window(lane.wire);
            let chunk: Vec<usize> = items.iter().skip(lane.next).take(page).copied().collect();
            lane.next += chunk.len();
            lane.more = lane.next < items.len();
            for item in chunk {
                let t = times[item];
                if t < lane.window.from {
                    lane.done = true;
                    break;
                }
                lane.seen = Some(t);
                out.push(item);
            }
            if !lane.more {
                lane.done = true;
            }
            steps += 1;
            if steps.is_multiple_of(split_every) && pending.is_empty() {
                let widest = lanes
                    .iter_mut()
                    .filter(|l| !l.done && l.more)
                    .filter_map(|l| {
                        l.seen
                            .filter(|s| *s > l.window.from)
                            .map(|s| (s - l.window.from, l))
                    })
                    .max_by_key(|(span, _)| *span);
                if let Some((_, lane)) = widest
                    && let Some(seen) = lane.seen
                    && let Some((kept, window)) = lane.window.split_rest(seen)
                {
                    lane.window.from = kept;
                    pending.push_back(window);
                }
            }
        }
        out
    }

    #[test]
    fn windows_cover_the_range_without_sharing_a_millisecond() {
        let mut rng = fastrand::Rng::with_seed(23);
        for _ in 0..2_000 {
            let from = rng.i64(-1_000..1_000);
            let to = from + rng.i64(-2..5_000);
            let n = rng.usize(0..20);
            let windows = Window { from, to }.split(n);
            if to < from {
                assert!(windows.is_empty());
                continue;
            }
            assert!(!windows.is_empty() && windows.len() <= n.max(1));
            assert_eq!(windows[0].to, to);
            assert_eq!(windows.last().map(|w| w.from), Some(from));
            for pair in windows.windows(2) {
                assert_eq!(pair[1].to + 1, pair[0].from, "adjacent, newest first");
            }
            for w in &windows {
                assert!(w.from <= w.to);
            }
        }
        let extreme = Window {
            from: i64::MIN,
            to: i64::MAX,
        }
        .split(7);
        assert_eq!((extreme[0].to, extreme[6].from), (i64::MAX, i64::MIN));
    }

    #[test]
    fn a_split_keeps_the_edge_millisecond_with_the_walk_that_delivers_it() {
        let w = Window { from: 10, to: 20 };
        assert_eq!(w.split_rest(10), None);
        assert_eq!(w.split_rest(11), Some((11, Window { from: 10, to: 10 })));
        assert_eq!(w.split_rest(20), Some((15, Window { from: 10, to: 14 })));
        let mut rng = fastrand::Rng::with_seed(7);
        for _ in 0..5_000 {
            let from = rng.i64(..);
            let seen = rng.i64(from..=i64::MAX);
            let w = Window {
                from,
                to: seen.saturating_add(rng.i64(0..3)),
            };
            match w.split_rest(seen) {
                None => assert_eq!(seen, from),
                Some((kept, older)) => {
                    assert!(from < kept && kept <= seen, "the seen millisecond stays");
                    assert_eq!((older.from, older.to), (from, kept - 1));
                }
            }
        }
    }

    /// Any list, any windows, any page size, splits at any time: every item exactly once.
    #[test]
    fn every_item_is_delivered_exactly_once_whatever_the_splits() {
        let mut rng = fastrand::Rng::with_seed(2323);
        for case in 0..300 {
            let len = rng.usize(0..400);
            // Clustered times: many items on a few milliseconds, some spread out.
            let spots: Vec<i64> = (0..rng.usize(1..6)).map(|_| rng.i64(0..1_000)).collect();
            let mut times: Vec<i64> = (0..len)
                .map(|_| match rng.u8(0..3) {
                    0 => rng.i64(0..1_000),
                    _ => spots[rng.usize(..spots.len())],
                })
                .collect();
            times.sort_unstable_by(|a, b| b.cmp(a));
            let range = Window {
                from: rng.i64(-5..50),
                to: rng.i64(950..1_005),
            };
            let n = rng.usize(1..10);
            let page = rng.usize(1..30);
            let split_every = rng.usize(1..5);
            let mut got = walk_all(&times, range, n, page, split_every, &mut rng);
            got.sort_unstable();
            let want: Vec<usize> = (0..times.len())
                .filter(|i| (range.from..=range.to).contains(&times[*i]))
                .collect();
            assert_eq!(
                got, want,
                "case {case}: n {n}, page {page}, split every {split_every}"
            );
        }
    }
}

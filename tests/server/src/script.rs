//! Handlers that answer from a script rather than from the request.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::reply::Reply;
use crate::seen::Seen;

/// Answers the first request with `replies[0]`, the second with `replies[1]`, …, and every
/// request after the last with the last one (a 404 with an empty body when `replies` is
/// empty).
pub fn in_turn(replies: Vec<Reply>) -> impl Fn(&Seen) -> Reply + Send + Sync + 'static {
    let next = AtomicUsize::new(0);
    move |_| {
        let n = next.fetch_add(1, Ordering::SeqCst);
        replies
            .get(n)
            .or(replies.last())
            .cloned()
            .unwrap_or_else(|| Reply::status(404))
    }
}

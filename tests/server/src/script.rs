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

#[cfg(test)]
mod tests {
    use super::*;

    fn seen() -> Seen {
        Seen {
            method: "GET".into(),
            target: "/".into(),
            path: "/".into(),
            query: Vec::new(),
            headers: hyper::HeaderMap::new(),
            body: Vec::new(),
        }
    }

    #[test]
    fn replies_come_in_turn_and_the_last_one_stays() {
        let script = in_turn(vec![Reply::status(500), Reply::status(200)]);
        let got: Vec<u16> = (0..4).map(|_| script(&seen()).status).collect();
        assert_eq!(got, [500, 200, 200, 200]);
        assert_eq!(in_turn(Vec::new())(&seen()).status, 404);
    }
}

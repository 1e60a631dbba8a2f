//! The body of an answer: sent whole, in pieces, cut short, or trickled.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// The wait between two bytes of a trickled body.
const TRICKLE: Duration = Duration::from_millis(50);

/// Why a body stopped before its end: hyper then closes the connection.
#[derive(Debug)]
pub(crate) struct Cut;

impl std::fmt::Display for Cut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("cut short on purpose")
    }
}

impl std::error::Error for Cut {}

/// An answer's body. Only `Whole` has a length of its own; for the others the fault sets the
/// `Content-Length` header, which hyper then holds the body to.
pub(crate) enum Out {
    /// All of it at once.
    Whole(Option<Bytes>),
    /// These bytes, then (once hyper has flushed them: it flushes when the body is pending)
    /// an error, on which hyper closes the connection.
    CutAfter { bytes: Option<Bytes>, flushed: bool },
    /// One byte every [`TRICKLE`].
    Trickle { bytes: Bytes, next: Pin<Box<Sleep>> },
    /// `size` bytes at a time, each piece flushed before the next (hyper flushes when the body
    /// is pending), with no length announced: the client reads it as several chunks.
    Pieces {
        bytes: Bytes,
        size: usize,
        flushed: bool,
    },
}

impl Out {
    pub(crate) fn trickle(bytes: Bytes) -> Out {
        Out::Trickle {
            bytes,
            next: Box::pin(tokio::time::sleep(Duration::ZERO)),
        }
    }
}

impl http_body::Body for Out {
    type Data = Bytes;
    type Error = Cut;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Cut>>> {
        match self.get_mut() {
            Out::Whole(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Out::CutAfter { bytes, flushed } => {
                if let Some(b) = bytes.take() {
                    return Poll::Ready(Some(Ok(Frame::data(b))));
                }
                if !*flushed {
                    *flushed = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                Poll::Ready(Some(Err(Cut)))
            }
            Out::Pieces {
                bytes,
                size,
                flushed,
            } => {
                if bytes.is_empty() {
                    return Poll::Ready(None);
                }
                if !*flushed {
                    *flushed = true;
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
                *flushed = false;
                let piece = bytes.split_to((*size).clamp(1, bytes.len()));
                Poll::Ready(Some(Ok(Frame::data(piece))))
            }
            Out::Trickle { bytes, next } => {
                if bytes.is_empty() {
                    return Poll::Ready(None);
                }
                if next.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                next.as_mut().reset(Instant::now() + TRICKLE);
                Poll::Ready(Some(Ok(Frame::data(bytes.split_to(1)))))
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Out::Whole(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Out::Whole(bytes) => SizeHint::with_exact(bytes.as_ref().map_or(0, |b| b.len() as u64)),
            Out::CutAfter { .. } | Out::Trickle { .. } | Out::Pieces { .. } => SizeHint::default(),
        }
    }
}

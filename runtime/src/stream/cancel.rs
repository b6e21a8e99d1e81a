//! [`StreamCancelling`], the future of [`CallbackStream::cancel`](super::CallbackStream::cancel)
//! and [`CStream::cancel`](crate::ffi::CStream::cancel).

use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::Stream;

/// The future of a cancelled stream: the items that were still queued or arrived until the
/// legacy side dropped the callback, in order.
#[must_use = "futures do nothing unless awaited; dropping this one drops the stream"]
pub struct StreamCancelling<S: Stream> {
    stream: S,
    items: Vec<S::Item>,
}

impl<S: Stream> StreamCancelling<S> {
    pub(crate) fn new(stream: S) -> Self {
        StreamCancelling {
            stream,
            items: Vec::new(),
        }
    }
}

impl<S: Stream + Unpin> Unpin for StreamCancelling<S> {}

impl<S: Stream + Unpin> Future for StreamCancelling<S> {
    type Output = Vec<S::Item>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<S::Item>> {
        let this = self.get_mut();
        loop {
            match Pin::new(&mut this.stream).poll_next(cx) {
                Poll::Ready(Some(item)) => this.items.push(item),
                Poll::Ready(None) => return Poll::Ready(std::mem::take(&mut this.items)),
                Poll::Pending => return Poll::Pending,
            }
        }
    }
}

impl<S: Stream + fmt::Debug> fmt::Debug for StreamCancelling<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamCancelling")
            .field("stream", &self.stream)
            .field("items", &self.items.len())
            .finish()
    }
}

//! [`Cancelling`], the future of [`Promise::cancel`] and of [`CallbackStream::cancel`]: one
//! future that waits until the cancelled callback is done, with what arrived late.

use alloc::vec::Vec;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::FusedFuture;

use crate::{CallbackStream, Promise};

/// The future of a cancelled [`Promise`] or [`CallbackStream`]: it resolves once the legacy side
/// is done with the callback, to what arrived after the cancel.
///
/// - `Cancelling<Promise<T>>`, from [`Promise::cancel`], resolves to `Some(value)` when the
///   callback is called, or `None` when it is dropped uncalled.
/// - `Cancelling<CallbackStream<T>>`, from [`CallbackStream::cancel`], resolves to the items
///   still queued or arriving until the callback is dropped, in order.
///
/// Dropping it drops the promise or the stream (the cancel hook has run already). A C callback's
/// panic is resumed when it is polled, as by the promise or the stream itself.
///
/// ```
/// use callback_async::{Cancelling, Promise};
///
/// # futures::executor::block_on(async {
/// let (resolver, promise) = callback_async::channel::<u8>();
/// let cancelling: Cancelling<Promise<u8>> = promise.cancel();
/// resolver.resolve(3); // arrives after the cancel
/// assert_eq!(cancelling.await, Some(3));
/// # });
/// ```
#[must_use = "futures do nothing unless awaited; dropping this one drops what was cancelled"]
pub struct Cancelling<P> {
    cancelled: P,
}

impl<P> Cancelling<P> {
    pub(crate) fn new(cancelled: P) -> Self {
        Cancelling { cancelled }
    }
}

impl<P: Unpin> Unpin for Cancelling<P> {}

impl<T> Future for Cancelling<Promise<T>> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let promise = &mut self.get_mut().cancelled;
        if promise.is_terminated() {
            // Its value was handed out before the cancel: nothing more arrives.
            return Poll::Ready(None);
        }
        promise.poll_settled(cx).map(Result::ok)
    }
}

impl<T> FusedFuture for Cancelling<Promise<T>> {
    fn is_terminated(&self) -> bool {
        self.cancelled.is_terminated()
    }
}

impl<T> Future for Cancelling<CallbackStream<T>> {
    type Output = Vec<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        self.get_mut().cancelled.poll_rest(cx)
    }
}

impl<T> FusedFuture for Cancelling<CallbackStream<T>> {
    fn is_terminated(&self) -> bool {
        futures_core::FusedStream::is_terminated(&self.cancelled)
    }
}

impl<P: fmt::Debug> fmt::Debug for Cancelling<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cancelling")
            .field("cancelled", &self.cancelled)
            .finish()
    }
}

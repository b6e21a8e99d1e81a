//! Blocking waits, for callers that are not async yet.

use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::sync::Arc;
use std::task::Wake;
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use crate::{OrDropped, Promise};

struct Unpark(Thread);

impl Wake for Unpark {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Polls `future` on this thread, parking between polls, until it is ready or `deadline` passes.
fn block_on<F: Future + Unpin>(future: &mut F, deadline: Option<Instant>) -> Option<F::Output> {
    let waker = Waker::from(Arc::new(Unpark(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(output) = Pin::new(&mut *future).poll(&mut cx) {
            return Some(output);
        }
        match deadline {
            None => thread::park(),
            Some(deadline) => {
                let left = deadline.saturating_duration_since(Instant::now());
                if left.is_zero() {
                    return None;
                }
                thread::park_timeout(left);
            }
        }
    }
}

impl<T> Promise<T> {
    /// Blocks the current thread until the value arrives, for code that is not async yet.
    ///
    /// Like `.await`, it panics if the callback is dropped uncalled; `promise.or_dropped().wait()`
    /// returns `Err(Dropped)` instead. Do not call it on an async executor's thread: the callback
    /// may need that thread to run.
    ///
    /// ```
    /// #[callback_async::callback_async]
    /// fn legacy(done: impl FnOnce(u8) + Send + 'static) {
    ///     std::thread::spawn(move || done(7));
    /// }
    ///
    /// assert_eq!(legacy_async().wait(), 7);
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn wait(mut self) -> T {
        match block_on(&mut self, None) {
            Some(value) => value,
            None => unreachable!("a wait without a deadline only returns with the value"),
        }
    }

    /// Blocks the current thread until the value arrives or `timeout` passes; on timeout it gives
    /// the promise back, still pending, so the caller may wait again or drop it.
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let (resolver, promise) = callback_async::channel::<u8>();
    /// let promise = promise.wait_timeout(Duration::from_millis(5)).unwrap_err();
    /// resolver.resolve(3);
    /// assert_eq!(promise.wait_timeout(Duration::from_secs(1)).ok(), Some(3));
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn wait_timeout(mut self, timeout: Duration) -> Result<T, Promise<T>> {
        let deadline = Instant::now().checked_add(timeout);
        match block_on(&mut self, deadline) {
            Some(value) => Ok(value),
            None => Err(self),
        }
    }
}

impl<T> OrDropped<T> {
    /// Blocks the current thread until the value arrives or the callback is dropped.
    ///
    /// ```
    /// let (resolver, promise) = callback_async::channel::<u8>();
    /// drop(resolver);
    /// assert_eq!(promise.or_dropped().wait(), Err(callback_async::Dropped));
    /// ```
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn wait(mut self) -> Result<T, crate::Dropped> {
        match block_on(&mut self, None) {
            Some(result) => result,
            None => unreachable!("a wait without a deadline only returns with the value"),
        }
    }
}

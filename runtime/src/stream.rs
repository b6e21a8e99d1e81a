//! Callbacks that fire many times: [`CallbackStream`], its [`StreamSender`], and the
//! [`stream_channel`] / [`stream_channel_bounded`] that create them.

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use futures_core::{FusedStream, Stream};

use crate::oneshot::SendValue;

/// The items of a callback that fires many times, as a [`Stream`].
///
/// Each call of the callback becomes one item, in call order; the stream ends when the legacy
/// side drops the callback (its [`StreamSender`]). It is `Send` when `T` is, and `'static` when
/// `T` is.
///
/// # Buffering
///
/// A callback cannot wait for a slow consumer, so items that arrive faster than they are consumed
/// are queued: without limit by default ([`stream_channel`]), or up to a capacity past which the
/// **oldest** queued item is discarded for each new one ([`stream_channel_bounded`]), which keeps
/// the most recent events of a watcher or a subscription. [`CallbackStream::discarded`] counts
/// what a bound discarded.
///
/// Dropping the stream makes later callback calls cheap no-ops (a lock and a flag check; the item
/// is dropped at once).
#[must_use = "streams do nothing unless polled"]
pub struct CallbackStream<T> {
    shared: Arc<StreamState<T>>,
    /// Items taken from the shared queue in one batch, so that the consumer locks once per batch.
    ready: VecDeque<T>,
    finished: bool,
    on_drop: Option<Box<dyn FnOnce() + Send>>,
}

/// The sending half of a [`CallbackStream`]: each [`send`](StreamSender::send) is one item.
///
/// `send` takes `&self`, and the sender is `Send + Sync` when `T: Send`, so a closure that owns
/// it satisfies `Fn`, `FnMut` and `FnOnce` bounds with `Send + Sync + 'static`. Dropping it ends
/// the stream.
pub struct StreamSender<T> {
    shared: Arc<StreamState<T>>,
}

// SAFETY: what the auto traits would derive from the fields (an `Arc` of a `Mutex` of the queue
// of `T`s: `Send` and `Sync` when `T: Send`), with the bound spelled `SendValue` (which is `Send`)
// so that an unmet bound says that the stream's items must be `Send`.
unsafe impl<T: SendValue> Send for StreamSender<T> {}
// SAFETY: as for `Send`: `send(&self)` moves a `T` into the queue under its lock.
unsafe impl<T: SendValue> Sync for StreamSender<T> {}

/// What a [`CallbackStream`] and its [`StreamSender`] share: the queue, behind one lock, and its
/// capacity.
struct StreamState<T> {
    queue: Mutex<Queue<T>>,
    capacity: usize,
}

struct Queue<T> {
    items: VecDeque<T>,
    waker: Option<Waker>,
    sender_gone: bool,
    stream_gone: bool,
    /// Ended from outside the sender (see [`StreamCloser`]): later items are refused.
    closed: bool,
    discarded: u64,
}

impl<T> StreamState<T> {
    fn lock(&self) -> MutexGuard<'_, Queue<T>> {
        self.queue.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Creates an unbounded [`CallbackStream`] and its sender.
///
/// ```
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (sender, stream) = callback_async::stream_channel();
/// std::thread::spawn(move || {
///     for i in 0..3 {
///         sender.send(i);
///     }
/// });
/// assert_eq!(stream.collect::<Vec<_>>().await, [0, 1, 2]);
/// # });
/// ```
pub fn stream_channel<T>() -> (StreamSender<T>, CallbackStream<T>) {
    with_capacity(usize::MAX)
}

/// Creates a [`CallbackStream`] that queues at most `capacity` items (at least one): when it is
/// full, each new item discards the oldest queued one.
///
/// ```
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (sender, mut stream) = callback_async::stream_channel_bounded(2);
/// for i in 0..5 {
///     sender.send(i);
/// }
/// drop(sender);
/// assert_eq!(stream.discarded(), 3);
/// assert_eq!(stream.collect::<Vec<_>>().await, [3, 4]);
/// # });
/// ```
pub fn stream_channel_bounded<T>(capacity: usize) -> (StreamSender<T>, CallbackStream<T>) {
    with_capacity(capacity.max(1))
}

fn with_capacity<T>(capacity: usize) -> (StreamSender<T>, CallbackStream<T>) {
    let shared = Arc::new(StreamState {
        queue: Mutex::new(Queue {
            items: VecDeque::new(),
            waker: None,
            sender_gone: false,
            stream_gone: false,
            closed: false,
            discarded: 0,
        }),
        capacity,
    });
    let stream = CallbackStream {
        shared: Arc::clone(&shared),
        ready: VecDeque::new(),
        finished: false,
        on_drop: None,
    };
    (StreamSender { shared }, stream)
}

impl<T> StreamSender<T> {
    /// Queues `item` for the stream and wakes its consumer; a no-op once the stream is dropped.
    pub fn send(&self, item: T) {
        let mut queue = self.shared.lock();
        if queue.stream_gone || queue.closed {
            queue.discarded += u64::from(queue.closed);
            drop(queue);
            drop(item);
            return;
        }
        // Only reachable with a bound; the oldest item goes, outside the lock.
        let evicted = if queue.items.len() + 1 > self.shared.capacity {
            queue.discarded += 1;
            queue.items.pop_front()
        } else {
            None
        };
        queue.items.push_back(item);
        let waker = queue.waker.take();
        drop(queue);
        drop(evicted);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Tells whether the stream is still consumed: `false` once it has been dropped, so a producer
    /// can stop early.
    pub fn is_awaited(&self) -> bool {
        !self.shared.lock().stream_gone
    }
}

impl<T> Drop for StreamSender<T> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.sender_gone = true;
        let waker = queue.waker.take();
        drop(queue);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Ends a stream while its sender may live on: once closed, the stream yields the items already
/// queued and then ends, and the sender's later items are refused (dropped, and counted by
/// [`CallbackStream::discarded`]). Closing is idempotent; dropping the closer closes.
///
/// `promisify!`'s progress streams end this way when their completion settles, even if the API
/// keeps the progress callback.
pub(crate) struct StreamCloser<T> {
    shared: Arc<StreamState<T>>,
}

impl<T> StreamCloser<T> {
    /// A closer for `sender`'s stream.
    pub(crate) fn new(sender: &StreamSender<T>) -> Self {
        StreamCloser {
            shared: Arc::clone(&sender.shared),
        }
    }

    pub(crate) fn close(&self) {
        let mut queue = self.shared.lock();
        queue.closed = true;
        let waker = queue.waker.take();
        drop(queue);
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for StreamCloser<T> {
    fn drop(&mut self) {
        self.close();
    }
}

impl<T> CallbackStream<T> {
    /// How many items were discarded: by a bounded stream because its consumer was slower than the
    /// callback, or because they arrived after the stream was closed (a progress stream whose
    /// operation completed). Always 0 for an unbounded stream that is never closed.
    pub fn discarded(&self) -> u64 {
        self.shared.lock().discarded
    }

    pub(crate) fn set_on_drop(&mut self, hook: Box<dyn FnOnce() + Send>) {
        self.on_drop = Some(hook);
    }
}

// Items are only moved out, never pinned.
impl<T> Unpin for CallbackStream<T> {}

impl<T> Stream for CallbackStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        if let Some(item) = this.ready.pop_front() {
            return Poll::Ready(Some(item));
        }
        if this.finished {
            return Poll::Ready(None);
        }
        let mut queue = this.shared.lock();
        if !queue.items.is_empty() {
            // Swap buffers: both keep their capacity, so steady streams stop allocating.
            std::mem::swap(&mut this.ready, &mut queue.items);
            drop(queue);
            return Poll::Ready(this.ready.pop_front());
        }
        if queue.sender_gone || queue.closed {
            drop(queue);
            this.finished = true;
            return Poll::Ready(None);
        }
        match &mut queue.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (
            self.ready.len(),
            if self.finished {
                Some(self.ready.len())
            } else {
                None
            },
        )
    }
}

impl<T> FusedStream for CallbackStream<T> {
    fn is_terminated(&self) -> bool {
        self.finished && self.ready.is_empty()
    }
}

impl<T> Drop for CallbackStream<T> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.stream_gone = true;
        let items = std::mem::take(&mut queue.items);
        let waker = queue.waker.take();
        drop(queue);
        // User code (the cancel hook, the items' `Drop`) runs outside the lock; the hook first,
        // so that a panicking item cannot skip the cancellation.
        if let Some(hook) = self.on_drop.take() {
            hook();
        }
        drop((waker, items));
    }
}

impl<T> fmt::Debug for CallbackStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallbackStream")
            .field("ready", &self.ready.len())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for StreamSender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamSender")
            .field("is_awaited", &self.is_awaited())
            .finish()
    }
}

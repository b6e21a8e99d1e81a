//! Callbacks that fire many times: [`CallbackStream`], its [`StreamSender`], the
//! [`stream_channel`] / [`stream_channel_bounded`] / [`stream_channel_bounded_with`] that create
//! them, and [`StreamCancelling`], the future of [`CallbackStream::cancel`].

mod cancel;
mod state;

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::collections::VecDeque;
use std::sync::Arc;

use futures_core::{FusedStream, Stream};

use crate::oneshot::SendValue;

pub use cancel::StreamCancelling;
pub use state::Overflow;
use state::{PREALLOCATED, StreamState, thread_mark};

/// The items of a callback that fires many times, as a [`Stream`].
///
/// Each call of the callback becomes one item, in call order; the stream ends when the legacy
/// side drops the callback (its [`StreamSender`]), or after [`close`](CallbackStream::close). It
/// is `Send` when `T` is, and `'static` when `T` is.
///
/// # Buffering
///
/// A callback cannot wait for a slow consumer, so items that arrive faster than they are consumed
/// are queued: without limit by default ([`stream_channel`]), or up to a bound, past which the
/// stream's [`Overflow`] policy discards the oldest queued item (the default,
/// [`stream_channel_bounded`]), discards the new one, or makes the producer wait
/// ([`stream_channel_bounded_with`]). Both macros take the bound as `stream(bound = N, overflow =
/// drop_oldest | drop_newest | block)`. [`CallbackStream::discarded`] counts what was discarded.
///
/// Dropping the stream makes later callback calls cheap no-ops (a lock and a flag check; the item
/// is dropped at once).
///
/// # Signal handlers
///
/// A callback that runs in a signal handler (`signal_hook::low_level::register`) may interrupt
/// its own stream's consumer while it holds the stream's lock. Such a send never deadlocks: it
/// drops its item and counts it in [`discarded`](CallbackStream::discarded), since the lock may
/// be its own thread's (and, with the `tracing` feature, the consumer warns at its next poll).
/// Sends on other threads queue as usual; with a bound, a send neither allocates nor waits there.
/// Only the send is made for this: the callback of a progress stream's completion, `close` and
/// dropping the sender still take the lock, and a send wakes the consumer through its executor's
/// waker, which is the executor's to make signal-safe (`futures::executor`'s is: it unparks a
/// thread). To receive signals without losing any, prefer `signal-hook`'s own iterator
/// (`signal_hook::iterator::Signals`), which hands them over through a self-pipe.
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
    with_state(StreamState::new(usize::MAX, Overflow::DropOldest))
}

/// Creates a [`CallbackStream`] that queues at most `capacity` items (at least one): when it is
/// full, each new item discards the oldest queued one ([`Overflow::DropOldest`]).
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
    stream_channel_bounded_with(capacity, Overflow::DropOldest)
}

/// Creates a [`CallbackStream`] that queues at most `capacity` items (at least one), and applies
/// `overflow` to a new item when it is full.
///
/// The consumer takes the whole queue at once into a buffer of its own, which frees all its
/// places; so a producer may run up to `2 * capacity` items ahead of what the stream has yielded
/// (`tokio::sync::mpsc::channel(capacity)` lets it run `capacity` ahead). Its buffers are
/// allocated here (up to 4,096 items each), so that a send never allocates.
///
/// ```
/// use callback_async::Overflow;
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (sender, stream) = callback_async::stream_channel_bounded_with(2, Overflow::DropNewest);
/// for i in 0..5 {
///     sender.send(i);
/// }
/// drop(sender);
/// assert_eq!(stream.discarded(), 3);
/// assert_eq!(stream.collect::<Vec<_>>().await, [0, 1]);
///
/// // `Block`: a producer on its own thread waits for room, and nothing is lost.
/// let (sender, stream) = callback_async::stream_channel_bounded_with(2, Overflow::Block);
/// std::thread::spawn(move || (0..100).for_each(|i| sender.send(i)));
/// assert_eq!(stream.collect::<Vec<_>>().await, (0..100).collect::<Vec<_>>());
/// # });
/// ```
pub fn stream_channel_bounded_with<T>(
    capacity: usize,
    overflow: Overflow,
) -> (StreamSender<T>, CallbackStream<T>) {
    with_state(StreamState::new(capacity.max(1), overflow))
}

fn with_state<T>(state: StreamState<T>) -> (StreamSender<T>, CallbackStream<T>) {
    let ready = if state.capacity == usize::MAX {
        VecDeque::new()
    } else {
        VecDeque::with_capacity(state.capacity.min(PREALLOCATED))
    };
    let shared = Arc::new(state);
    let stream = CallbackStream {
        shared: Arc::clone(&shared),
        ready,
        finished: false,
        on_drop: None,
    };
    (StreamSender { shared }, stream)
}

impl<T> StreamSender<T> {
    /// Queues `item` for the stream and wakes its consumer, by the stream's [`Overflow`] policy
    /// when it is full. The item is refused (dropped, and counted by
    /// [`CallbackStream::discarded`]) once the stream is closed, and dropped at once once the
    /// stream is dropped.
    pub fn send(&self, item: T) {
        self.shared.send(item);
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
        close(&self.shared);
    }
}

impl<T> Drop for StreamCloser<T> {
    fn drop(&mut self) {
        self.close();
    }
}

/// Refuses later items, wakes the consumer and the producers waiting for room.
fn close<T>(shared: &StreamState<T>) {
    let mut queue = shared.lock();
    queue.closed = true;
    shared.notify_room(&queue);
    let waker = queue.waker.take();
    drop(queue);
    if let Some(waker) = waker {
        waker.wake();
    }
}

impl<T> CallbackStream<T> {
    /// How many items were discarded: by a bounded stream's [`Overflow`] policy because its
    /// consumer was slower than the callback, because they arrived after the stream was closed,
    /// or because the callback ran in a signal handler that interrupted the stream's own code
    /// (see [signal handlers](CallbackStream#signal-handlers)). Always 0 for an unbounded stream
    /// that is never closed and never sent to from a signal handler.
    pub fn discarded(&self) -> u64 {
        let queue = self.shared.lock();
        self.shared.discarded(&queue)
    }

    /// Ends the stream from the consumer's side, as tokio's `Receiver::close` does, while the
    /// legacy API may still hold the callback: the items already queued are still yielded, later
    /// calls of the callback are refused (their items dropped, and counted by
    /// [`discarded`](CallbackStream::discarded)), and then the stream ends. Producers waiting for
    /// room ([`Overflow::Block`]) return at once. Closing twice is a no-op.
    ///
    /// Many APIs keep their callbacks until they are dropped (curl's `Easy`, git2's builders,
    /// tokio's runtime `Builder`), so their streams would otherwise not end when the operation
    /// does:
    ///
    /// ```
    /// use futures::StreamExt;
    ///
    /// # futures::executor::block_on(async {
    /// let mut builder = tokio::runtime::Builder::new_multi_thread();
    /// builder.worker_threads(2);
    /// // `on_thread_start` returns the builder, hence the pair.
    /// let (_, mut started) = callback_async::promisify!(stream builder.on_thread_start(|| _(())));
    /// let runtime = builder.build().unwrap();
    /// runtime.block_on(async { tokio::task::yield_now().await });
    /// started.next().await; // a worker thread started
    /// started.close(); // the builder still holds the callback
    /// let rest = started.collect::<Vec<()>>().await;
    /// assert!(rest.len() <= 1);
    /// # drop(builder);
    /// # });
    /// ```
    pub fn close(&mut self) {
        close(&self.shared);
    }

    /// Cancels the stream and waits until it has stopped: runs its cancel hook now
    /// (`#[callback_async(stream, cancel = ..)]`), if it has one and its callback is still alive,
    /// then resolves, once the legacy side drops the callback, to the items still queued or
    /// arriving until then, in order.
    ///
    /// A closed stream resolves once its queued items are taken, since nothing more can arrive.
    /// Dropping the returned future drops the stream (the hook has run already).
    ///
    /// ```
    /// use callback_async::callback_async;
    /// use std::sync::{Arc, atomic::{AtomicBool, Ordering}};
    ///
    /// struct Watch(Arc<AtomicBool>);
    ///
    /// impl Watch {
    ///     fn stop(self) {
    ///         self.0.store(true, Ordering::SeqCst);
    ///     }
    /// }
    ///
    /// /// Sends a tick every millisecond until stopped, then one last one, then drops `on_tick`.
    /// #[callback_async(stream, cancel = Watch::stop)]
    /// fn watch(on_tick: impl Fn(u32) + Send + 'static) -> Watch {
    ///     let stop = Arc::new(AtomicBool::new(false));
    ///     let stopped = Arc::clone(&stop);
    ///     std::thread::spawn(move || {
    ///         let mut tick = 0;
    ///         while !stopped.load(Ordering::SeqCst) {
    ///             on_tick(tick);
    ///             tick += 1;
    ///             std::thread::sleep(std::time::Duration::from_millis(1));
    ///         }
    ///         on_tick(u32::MAX); // the last one, after the stop
    ///     });
    ///     Watch(stop)
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let late = watch_stream().cancel().await; // the watcher's thread is done
    /// assert_eq!(late.last(), Some(&u32::MAX));
    /// # });
    /// ```
    pub fn cancel(mut self) -> StreamCancelling<Self> {
        if let Some(hook) = self.on_drop.take() {
            let queue = self.shared.lock();
            let alive = !queue.sender_gone && !queue.closed;
            drop(queue);
            if alive {
                hook();
            }
        }
        StreamCancelling::new(self)
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
        queue.consumer = thread_mark();
        let unreported = this.shared.unreported(&mut queue);
        let poll = if !queue.items.is_empty() {
            // Swap buffers: both keep their capacity, so steady streams stop allocating.
            std::mem::swap(&mut this.ready, &mut queue.items);
            this.shared.notify_room(&queue);
            Poll::Ready(this.ready.pop_front())
        } else if queue.sender_gone || queue.closed {
            this.finished = true;
            Poll::Ready(None)
        } else {
            match &mut queue.waker {
                Some(waker) if waker.will_wake(cx.waker()) => {}
                slot => *slot = Some(cx.waker().clone()),
            }
            Poll::Pending
        };
        drop(queue);
        if unreported != 0 {
            crate::trace::stream_discarded(unreported);
        }
        poll
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
        self.shared.notify_room(&queue);
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

#[cfg(all(test, loom))]
mod loom_tests {
    //! Every interleaving of a stream's producers with its consumer's poll, close and drop, under
    //! each overflow policy (`loom::future::block_on` parks the consumer as an executor would).

    use core::future::poll_fn;
    use core::pin::Pin;

    use futures_core::Stream;
    use loom::thread;

    use super::{CallbackStream, Overflow, stream_channel_bounded_with};

    fn next<T>(stream: &mut CallbackStream<T>) -> Option<T> {
        loom::future::block_on(poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)))
    }

    fn drain<T>(stream: &mut CallbackStream<T>) -> Vec<T> {
        core::iter::from_fn(|| next(stream)).collect()
    }

    /// `Block` with a bound of one: the producer waits for room twice; every item arrives, in
    /// order, and nobody hangs.
    #[test]
    fn blocking_producer_delivers_in_order() {
        loom::model(|| {
            let (sender, mut stream) = stream_channel_bounded_with(1, Overflow::Block);
            let producer = thread::spawn(move || (0..3).for_each(|i| sender.send(i)));
            assert_eq!(drain(&mut stream), [0, 1, 2]);
            assert_eq!(stream.discarded(), 0);
            producer.join().unwrap();
        });
    }

    /// A producer waiting for room while the consumer drops the stream: it returns.
    #[test]
    fn blocking_producer_returns_when_stream_is_dropped() {
        loom::model(|| {
            let (sender, stream) = stream_channel_bounded_with(1, Overflow::Block);
            let producer = thread::spawn(move || (0..2).for_each(|i| sender.send(i)));
            drop(stream);
            producer.join().unwrap();
        });
    }

    /// Sends racing with the consumer's close: what was queued before arrives, the rest is
    /// counted as discarded, and the stream ends although the sender lives on.
    #[test]
    fn close_races_with_sends() {
        for overflow in [Overflow::Block, Overflow::DropNewest] {
            loom::model(move || {
                let (sender, mut stream) = stream_channel_bounded_with(1, overflow);
                let producer = thread::spawn(move || {
                    (0..2).for_each(|i| sender.send(i));
                    sender
                });
                stream.close();
                let delivered = drain(&mut stream);
                let sender = producer.join().unwrap();
                assert!(delivered.is_sorted());
                assert_eq!(delivered.len() as u64 + stream.discarded(), 2);
                drop(sender);
            });
        }
    }

    /// Two producers into a bound of one that drops the oldest: each producer's items stay in
    /// order, and delivered + discarded = sent.
    #[test]
    fn drop_oldest_keeps_each_producers_order() {
        loom::model(|| {
            let (sender, mut stream) = stream_channel_bounded_with(1, Overflow::DropOldest);
            let sender = std::sync::Arc::new(sender);
            let other = std::sync::Arc::clone(&sender);
            let producer = thread::spawn(move || (10..12).for_each(|i| other.send(i)));
            (0..2).for_each(|i| sender.send(i));
            drop(sender);
            let delivered = drain(&mut stream);
            producer.join().unwrap();
            let (first, second): (Vec<u32>, Vec<u32>) = delivered.iter().partition(|&&i| i < 10);
            assert!(first.is_sorted() && second.is_sorted());
            assert_eq!(delivered.len() as u64 + stream.discarded(), 4);
        });
    }

    /// A send that re-enters its thread's held lock (what a signal handler does when it
    /// interrupts the consumer's poll), racing with a send on another thread: the re-entry drops
    /// its item and counts it without touching the lock; the other is delivered.
    #[test]
    fn reentrant_send_is_counted_not_deadlocked() {
        loom::model(|| {
            let (sender, mut stream) = stream_channel_bounded_with(4, Overflow::Block);
            let sender = std::sync::Arc::new(sender);
            let other = std::sync::Arc::clone(&sender);
            let producer = thread::spawn(move || other.send(1));
            let held = stream.shared.lock();
            sender.send(2);
            drop(held);
            drop(sender);
            producer.join().unwrap();
            assert_eq!(drain(&mut stream), [1]);
            assert_eq!(stream.discarded(), 1);
        });
    }

    /// `cancel` racing with the producer's last sends and drop: every item sent before the drop
    /// is in the result, in order.
    #[test]
    fn cancel_collects_late_items() {
        loom::model(|| {
            let (sender, stream) = stream_channel_bounded_with(4, Overflow::DropOldest);
            let producer = thread::spawn(move || (0..2).for_each(|i| sender.send(i)));
            let late = loom::future::block_on(stream.cancel());
            producer.join().unwrap();
            assert_eq!(late, [0, 1]);
        });
    }
}

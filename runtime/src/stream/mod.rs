//! Callbacks that fire many times: [`CallbackStream`], made with its [`StreamSender`] by
//! [`CallbackStream::channel`] or [`CallbackStream::bounded`].

mod state;

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use futures_core::{FusedStream, Stream};

use crate::Cancelling;
use crate::panic::Panic;
use crate::slot::{Claim, RingStream};

pub use state::Overflow;
#[cfg(feature = "std")]
use state::thread_mark;
use state::{Queue, StreamState};

/// The items of a callback that fires many times, as a [`Stream`].
///
/// Each call of the callback becomes one item, in call order; the stream ends when the legacy
/// side drops the callback (its [`StreamSender`]), or after [`close`](CallbackStream::close). It
/// is `Send` when `T` is, and `'static` when `T` is.
///
/// # Buffering
///
/// A callback cannot wait for a slow consumer, so items that arrive faster than they are consumed
/// are queued: without limit by default ([`CallbackStream::channel`]), or up to a bound
/// ([`CallbackStream::bounded`]) on the items sent and not yet yielded, past which the stream's [`Overflow`] policy discards the oldest
/// queued item (the default), discards the new one, or makes the producer wait. Both macros take
/// the bound as `stream(bound = N, overflow = drop_oldest | drop_newest | block)`.
/// [`CallbackStream::discarded`] counts what was discarded.
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
/// (`signal_hook::iterator::Signals`), which hands them over through a self-pipe, or a `static`
/// handler, whose stream takes no lock ([below](CallbackStream#callbacks-without-user-data)).
///
/// # Callbacks without user data
///
/// The stream of a `static |..|` callback ([`promisify!`](crate::promisify#callbacks-without-user-data-a-static-slot))
/// is fed through the call site's `static` slot into a queue allocated when the stream is made,
/// with atomic operations only: a call takes no lock and allocates nothing, so it may be a signal
/// handler (waking the consumer is still its executor's code: poll the stream on another thread
/// than the one the signal interrupts). The queue holds the stream's bound rounded up to a power
/// of two, at least 2 (1,024 when `stream(bound = N)` does not say); past it, the [`Overflow`]
/// policy discards the oldest item or the new one (`block` is refused: a signal handler must not
/// wait). The API may keep the function pointer forever, so such a stream never ends by itself:
/// read it with `take(n)`, or [`close`](CallbackStream::close) it. Dropping it releases the slot:
/// later calls are ignored, and the call site may be used again.
///
/// # Panics in C callbacks
///
/// A C callback's body (`promisify!(stream unsafe { .. })`, see [`ffi`](crate::ffi)) must not
/// unwind into C: its panic is caught there and queued at its place among the items, and the
/// stream resumes it in the consumer's task when it reaches that place (the items before it are
/// yielded first).
///
/// ```
/// use futures::StreamExt;
///
/// #[callback_async::callback_async(stream)]
/// fn ticks(n: u32, on_tick: impl FnMut(u32) + Send + 'static) {
///     std::thread::spawn(move || (0..n).for_each(on_tick));
/// }
///
/// # futures::executor::block_on(async {
/// let stream: callback_async::CallbackStream<u32> = ticks_stream(3);
/// assert_eq!(stream.collect::<Vec<_>>().await, [0, 1, 2]);
/// # });
/// ```
#[must_use = "streams do nothing unless polled"]
pub struct CallbackStream<T> {
    backing: Backing<T>,
}

/// Where a stream's items wait: one stream type, two queues, because a slot's send must take no
/// lock while a [`StreamSender`]'s may (and then batches and blocks, which a ring cannot).
enum Backing<T> {
    /// A queue behind a lock, fed by a [`StreamSender`].
    Queue(Queued<T>),
    /// A lock-free ring, fed through a `static` slot (see [`crate::slot`]).
    Ring(RingStream<T>),
}

/// The consumer's side of the queue backing.
struct Queued<T> {
    shared: Arc<StreamState<T>>,
    batch: Batch<T>,
    on_drop: Option<Box<dyn FnOnce() + Send>>,
}

/// What the consumer has taken from the shared queue and not yielded yet.
struct Batch<T> {
    /// Items: an unbounded stream's whole queue at once, so that its consumer locks once per
    /// batch; a bounded stream's next item (see [`Take`]).
    ready: VecDeque<T>,
    /// The position just after `ready`'s last item (see [`state::Queue::pushed`]).
    ready_end: u64,
    /// Panics taken from the shared queue, each resumed at its position.
    panics: VecDeque<(u64, Panic)>,
    finished: bool,
}

/// The sending half of a [`CallbackStream`]: each [`send`](StreamSender::send) is one item.
///
/// `send` takes `&self`, and the sender is `Send + Sync` when `T: Send`, so a closure that owns
/// it satisfies `Fn`, `FnMut` and `FnOnce` bounds with `Send + Sync + 'static`. Dropping it ends
/// the stream.
///
/// ```
/// use callback_async::{CallbackStream, StreamSender};
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (sender, stream): (StreamSender<u8>, _) = CallbackStream::channel();
/// let on_event = move |event: u8| sender.send(event);
/// std::thread::spawn(move || (1..=3).for_each(on_event)); // dropped at the end: the stream ends
/// assert_eq!(stream.collect::<Vec<_>>().await, [1, 2, 3]);
/// # });
/// ```
pub struct StreamSender<T> {
    shared: Arc<StreamState<T>>,
}

// SAFETY: what the auto traits would derive from the fields (an `Arc` of a `Mutex` of the queue
// of `T`s: `Send` and `Sync` when `T: Send`), so that an unmet bound says that the stream's items
// must be `Send`; spelled `Send`, not `SendValue`, for the reason given at `Resolver`'s.
unsafe impl<T: Send> Send for StreamSender<T> {}
// SAFETY: as for `Send`: `send(&self)` moves a `T` into the queue under its lock.
unsafe impl<T: Send> Sync for StreamSender<T> {}

impl<T> CallbackStream<T> {
    /// Creates an unbounded stream and its sender.
    ///
    /// ```
    /// use callback_async::CallbackStream;
    /// use futures::StreamExt;
    ///
    /// # futures::executor::block_on(async {
    /// let (sender, stream) = CallbackStream::channel();
    /// std::thread::spawn(move || {
    ///     for i in 0..3 {
    ///         sender.send(i);
    ///     }
    /// });
    /// assert_eq!(stream.collect::<Vec<_>>().await, [0, 1, 2]);
    /// # });
    /// ```
    pub fn channel() -> (StreamSender<T>, CallbackStream<T>) {
        with_state(StreamState::new(usize::MAX, Overflow::DropOldest))
    }

    /// Creates a stream that queues at most `bound` items (at least one), and applies `overflow`
    /// to a new item when it is full ([`Overflow::DropOldest`], the macros' default, keeps the
    /// most recent items).
    ///
    /// The bound counts every item sent and not yet yielded, as `tokio::sync::mpsc::channel(bound)`
    /// does: a producer never runs more than `bound` items ahead of the consumer, and after a
    /// burst the consumer sees at most `bound` items. The queue is allocated here (up to 4,096
    /// items), so that a send never allocates.
    ///
    /// ```
    /// use callback_async::{CallbackStream, Overflow};
    /// use futures::StreamExt;
    ///
    /// # futures::executor::block_on(async {
    /// let (sender, stream) = CallbackStream::bounded(2, Overflow::DropOldest);
    /// for i in 0..5 {
    ///     sender.send(i);
    /// }
    /// drop(sender);
    /// assert_eq!(stream.discarded(), 3);
    /// assert_eq!(stream.collect::<Vec<_>>().await, [3, 4]);
    ///
    /// let (sender, stream) = CallbackStream::bounded(2, Overflow::DropNewest);
    /// for i in 0..5 {
    ///     sender.send(i);
    /// }
    /// drop(sender);
    /// assert_eq!(stream.collect::<Vec<_>>().await, [0, 1]);
    ///
    /// // `Block`: a producer on its own thread waits for room, and nothing is lost.
    /// let (sender, stream) = CallbackStream::bounded(2, Overflow::Block);
    /// std::thread::spawn(move || (0..100).for_each(|i| sender.send(i)));
    /// assert_eq!(stream.collect::<Vec<_>>().await, (0..100).collect::<Vec<_>>());
    /// # });
    /// ```
    pub fn bounded(bound: usize, overflow: Overflow) -> (StreamSender<T>, CallbackStream<T>) {
        with_state(StreamState::new(bound.max(1), overflow))
    }
}

fn with_state<T>(state: StreamState<T>) -> (StreamSender<T>, CallbackStream<T>) {
    let shared = Arc::new(state);
    let queued = Queued {
        shared: Arc::clone(&shared),
        batch: Batch {
            ready: VecDeque::new(),
            ready_end: 0,
            panics: VecDeque::new(),
            finished: false,
        },
        on_drop: None,
    };
    let stream = CallbackStream {
        backing: Backing::Queue(queued),
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

    /// Queues the panic of a C callback's body, which the stream resumes at this place.
    #[cfg(feature = "std")]
    pub(crate) fn send_panic(&self, panic: Panic) {
        self.shared.send_panic(panic);
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
// `pub` (in a private module) only because the hidden `__private::ManyCompletion` holds it.
pub struct StreamCloser<T> {
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
    shared.notify_room(&mut queue);
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
        match &self.backing {
            Backing::Queue(queued) => {
                let queue = queued.shared.lock();
                queued.shared.discarded(&queue)
            }
            Backing::Ring(ring) => ring.discarded(),
        }
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
        match &self.backing {
            Backing::Queue(queued) => close(&queued.shared),
            Backing::Ring(ring) => ring.close(),
        }
    }

    /// Cancels the stream and waits until it has stopped: runs its cancel hook now
    /// (`#[callback_async(stream, cancel = ..)]`), if it has one and its callback is still alive,
    /// then resolves, once the legacy side drops the callback, to the items still queued or
    /// arriving until then, in order.
    ///
    /// A closed stream resolves once its queued items are taken, since nothing more can arrive.
    /// Dropping the returned future drops the stream (the hook has run already).
    ///
    /// A `static |..|` callback's stream has no hook, and its API may keep the function pointer
    /// forever: `cancel` closes it and releases its slot (waiting for the calls in progress),
    /// then resolves to the items queued until then.
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
    pub fn cancel(mut self) -> Cancelling<Self> {
        match &mut self.backing {
            Backing::Queue(queued) => queued.run_hook(),
            Backing::Ring(ring) => ring.cancel(),
        }
        Cancelling::new(self)
    }

    /// The rest of a cancelled stream: every item queued until the sender is gone (or the stream
    /// closed), in order; `Pending` until then. A queued panic is resumed now, which would
    /// discard the items anyway.
    pub(crate) fn poll_rest(&mut self, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        match &mut self.backing {
            Backing::Queue(queued) => queued.poll_rest(cx),
            Backing::Ring(ring) => Poll::Ready(ring.rest()),
        }
    }

    pub(crate) fn set_on_drop(&mut self, hook: Box<dyn FnOnce() + Send>) {
        match &mut self.backing {
            Backing::Queue(queued) => queued.on_drop = Some(hook),
            Backing::Ring(_) => unreachable!("a slot's stream has no cancel hook"),
        }
    }

    /// A slot's stream, from its ring.
    pub(crate) fn from_ring(ring: RingStream<T>) -> Self {
        CallbackStream {
            backing: Backing::Ring(ring),
        }
    }

    /// Ties a slot's stream to the slot it releases when dropped.
    pub(crate) fn claiming(mut self, claim: Claim) -> Self {
        match &mut self.backing {
            Backing::Ring(ring) => ring.claiming(claim),
            Backing::Queue(_) => unreachable!("only a slot's stream claims a slot"),
        }
        self
    }
}

impl<T> Queued<T> {
    /// Runs the cancel hook, if any, unless the callback is gone already.
    fn run_hook(&mut self) {
        if let Some(hook) = self.on_drop.take() {
            let queue = self.shared.lock();
            let alive = !queue.sender_gone && !queue.closed;
            drop(queue);
            if alive {
                hook();
            }
        }
    }

    fn poll_rest(&mut self, cx: &mut Context<'_>) -> Poll<Vec<T>> {
        if !self.batch.finished {
            self.refill(cx, Take::All);
        }
        if let Some((_, panic)) = self.batch.panics.pop_front() {
            panic.resume();
        }
        if self.batch.finished {
            Poll::Ready(Vec::from(core::mem::take(&mut self.batch.ready)))
        } else {
            Poll::Pending
        }
    }

    /// The next item of `ready`, or the end of a finished stream; resumes a panic due first.
    #[inline]
    fn next_ready(&mut self) -> Option<Option<T>> {
        if !self.batch.panics.is_empty() {
            self.resume_due_panic();
        }
        match self.batch.ready.pop_front() {
            Some(item) => Some(Some(item)),
            None => self.batch.finished.then_some(None),
        }
    }

    /// Resumes the first panic if the stream has reached its position (every panic is due once
    /// `ready` is empty: none is queued past the last item).
    #[cold]
    fn resume_due_panic(&mut self) {
        let next = self.batch.ready_end - self.batch.ready.len() as u64;
        if self.batch.panics.front().is_some_and(|(at, _)| *at <= next) {
            if let Some((_, panic)) = self.batch.panics.pop_front() {
                panic.resume();
            }
        }
    }

    /// Takes what the consumer may hold of the shared queue (see [`Take`]), notes that the
    /// stream is finished, or registers `cx`'s waker.
    fn refill(&mut self, cx: &mut Context<'_>, take: Take) {
        let mut queue = self.shared.lock();
        #[cfg(feature = "std")]
        {
            queue.consumer = thread_mark();
        }
        let unreported = self.shared.unreported(&mut queue);
        let registered = self.batch.take(&self.shared, &mut queue, take)
            || queue
                .waker
                .as_ref()
                .is_some_and(|old| old.will_wake(cx.waker()));
        drop(queue);
        if !registered {
            self.register(cx, take);
        }
        if unreported != 0 {
            crate::trace::stream_discarded(unreported);
        }
    }

    /// Stores `cx`'s waker for the producers to wake. The clone, and the drop of the waker it
    /// replaces, run the executor's code (or anyone's: a waker may own the last reference to a
    /// task that owns this stream's sender, whose drop takes the lock), so they run outside the
    /// lock, as in tokio's `AtomicWaker`; what arrived in between is taken now, since its sender
    /// found no waker to wake.
    #[cold]
    fn register(&mut self, cx: &Context<'_>, take: Take) {
        let waker = cx.waker().clone();
        let mut queue = self.shared.lock();
        let old = queue.waker.replace(waker);
        self.batch.take(&self.shared, &mut queue, take);
        drop(queue);
        drop(old);
    }

    #[inline]
    fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if let Some(next) = self.next_ready() {
            return Poll::Ready(next);
        }
        self.refill(cx, Take::Next);
        match self.next_ready() {
            Some(next) => Poll::Ready(next),
            None => Poll::Pending,
        }
    }
}

// Items are only moved out, never pinned.
impl<T> Unpin for CallbackStream<T> {}

impl<T> Stream for CallbackStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        match &mut self.get_mut().backing {
            Backing::Queue(queued) => queued.poll_next(cx),
            Backing::Ring(ring) => ring.poll_next(cx),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.backing {
            Backing::Queue(queued) => {
                let ready = queued.batch.ready.len();
                (ready, queued.batch.finished.then_some(ready))
            }
            Backing::Ring(ring) => (0, ring.is_terminated().then_some(0)),
        }
    }
}

impl<T> FusedStream for CallbackStream<T> {
    fn is_terminated(&self) -> bool {
        match &self.backing {
            Backing::Queue(queued) => queued.batch.finished && queued.batch.ready.is_empty(),
            Backing::Ring(ring) => ring.is_terminated(),
        }
    }
}

impl<T> Drop for Queued<T> {
    fn drop(&mut self) {
        let mut queue = self.shared.lock();
        queue.stream_gone = true;
        self.shared.notify_room(&mut queue);
        let items = core::mem::take(&mut queue.items);
        let panics = core::mem::take(&mut queue.panics);
        let waker = queue.waker.take();
        drop(queue);
        // User code (the cancel hook, the items' `Drop`) runs outside the lock; the hook first,
        // so that a panicking item cannot skip the cancellation.
        if let Some(hook) = self.on_drop.take() {
            hook();
        }
        drop((waker, items, panics));
    }
}

impl<T> Batch<T> {
    /// Moves the shared queue's panics, and `take`'s share of its items, into `ready`, freeing
    /// their room, and notes whether the stream is finished. Returns whether the poll has
    /// something to return: an item, for [`Take::Next`]; the end of the stream.
    fn take(&mut self, shared: &StreamState<T>, queue: &mut Queue<T>, take: Take) -> bool {
        if !queue.panics.is_empty() {
            self.panics.append(&mut queue.panics);
        }
        if !queue.items.is_empty() {
            let bounded = shared.bound != usize::MAX;
            if take == Take::Next && bounded {
                self.ready.extend(queue.items.pop_front());
            } else if !bounded && self.ready.is_empty() {
                // Swap buffers: both keep their capacity, so steady streams stop allocating. (A
                // bounded queue keeps its own buffer, allocated up front for signal handlers.)
                core::mem::swap(&mut self.ready, &mut queue.items);
            } else {
                self.ready.append(&mut queue.items);
            }
            self.ready_end = queue.pushed - queue.items.len() as u64;
            shared.notify_room(queue);
        }
        self.finished = queue.items.is_empty() && (queue.sender_gone || queue.closed);
        self.finished || (take == Take::Next && !self.ready.is_empty())
    }
}

/// How much of the shared queue a poll takes into the consumer's own buffer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Take {
    /// What the next item needs: an unbounded stream's whole queue, so that its consumer locks
    /// once per batch; a bounded stream's next item only, so that the items sent and not yet
    /// yielded are those in the queue, at most the bound. (A batch taken out of the queue would
    /// free its room while still unread, and `DropOldest` could not evict from it.)
    Next,
    /// Everything: the rest of a cancelled stream.
    All,
}

impl<T> fmt::Debug for CallbackStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut debug = f.debug_struct("CallbackStream");
        match &self.backing {
            Backing::Queue(queued) => debug
                .field("ready", &queued.batch.ready.len())
                .field("finished", &queued.batch.finished),
            Backing::Ring(ring) => ring.debug_fields(&mut debug),
        };
        debug.finish_non_exhaustive()
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

    use alloc::vec::Vec;
    use core::future::poll_fn;
    use core::pin::Pin;

    use futures_core::Stream;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicU64, Ordering};
    use loom::thread;

    use super::{CallbackStream, Overflow};

    fn next<T>(stream: &mut CallbackStream<T>) -> Option<T> {
        loom::future::block_on(poll_fn(|cx| Pin::new(&mut *stream).poll_next(cx)))
    }

    fn drain<T>(stream: &mut CallbackStream<T>) -> Vec<T> {
        core::iter::from_fn(|| next(stream)).collect()
    }

    /// `Block` with a bound of one: the producer waits for room; every item arrives, in order,
    /// and nobody hangs. (Two items: with a third, the consumer's second lock when it registers
    /// its waker, see `register`, takes the model from half a minute to over ten.)
    #[test]
    fn blocking_producer_delivers_in_order() {
        loom::model(|| {
            let (sender, mut stream) = CallbackStream::bounded(1, Overflow::Block);
            let producer = thread::spawn(move || (0..2).for_each(|i| sender.send(i)));
            assert_eq!(drain(&mut stream), [0, 1]);
            assert_eq!(stream.discarded(), 0);
            producer.join().unwrap();
        });
    }

    /// The bound counts what the consumer has taken: a burst into a bound of two, while the
    /// consumer holds the first of two items, never leaves more than two items sent and neither
    /// yielded nor discarded. (A consumer that took both out of the queue at once held three.)
    #[test]
    fn burst_stays_within_the_bound() {
        loom::model(|| {
            let (sender, mut stream) = CallbackStream::bounded(2, Overflow::DropOldest);
            (0..2).for_each(|i| sender.send(i));
            let sent = Arc::new(AtomicU64::new(2));
            let counted = Arc::clone(&sent);
            let producer = thread::spawn(move || {
                for i in 2..4 {
                    sender.send(i);
                    counted.fetch_add(1, Ordering::SeqCst);
                }
            });
            let mut yielded = 0;
            while let Some(item) = next(&mut stream) {
                yielded += 1;
                // Sends counted after they return, then discards (which later sends only
                // raise): at most what was held when `sent` was read.
                let sent = sent.load(Ordering::SeqCst);
                let held = sent.saturating_sub(yielded + stream.discarded());
                assert!(held <= 2, "{held} items held after yielding {item}");
            }
            producer.join().unwrap();
            assert_eq!(yielded + stream.discarded(), 4);
        });
    }

    /// A producer waiting for room while the consumer drops the stream: it returns.
    #[test]
    fn blocking_producer_returns_when_stream_is_dropped() {
        loom::model(|| {
            let (sender, stream) = CallbackStream::bounded(1, Overflow::Block);
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
                let (sender, mut stream) = CallbackStream::bounded(1, overflow);
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
            let (sender, mut stream) = CallbackStream::bounded(1, Overflow::DropOldest);
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
            let (sender, mut stream) = CallbackStream::bounded(4, Overflow::Block);
            let sender = std::sync::Arc::new(sender);
            let other = std::sync::Arc::clone(&sender);
            let producer = thread::spawn(move || other.send(1));
            let super::Backing::Queue(queued) = &stream.backing else {
                unreachable!("made by `bounded`")
            };
            let held = queued.shared.lock();
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
            let (sender, stream) = CallbackStream::bounded(4, Overflow::DropOldest);
            let producer = thread::spawn(move || (0..2).for_each(|i| sender.send(i)));
            let late = loom::future::block_on(stream.cancel());
            producer.join().unwrap();
            assert_eq!(late, [0, 1]);
        });
    }
}

//! The queue that a [`CallbackStream`](super::CallbackStream) and its
//! [`StreamSender`](super::StreamSender) share, behind one lock, and the rules for taking that
//! lock where a callback may interrupt its own thread (a signal handler).
//!
//! # Re-entry
//!
//! A signal handler runs on whichever thread the signal interrupted. If that thread holds the
//! queue's lock (its consumer is polling, or a producer is sending) and the handler sends, a
//! mutex would deadlock. So every thread counts, in a thread-local, the queue locks it is taking
//! or holding; a send that finds the count above zero is a re-entry and drops its item, without
//! touching the lock, and counts it in an atomic. The count is raised before the lock is taken
//! and lowered after it is released, with compiler fences so that no instruction inside the
//! critical section can be reordered outside the counted window: a handler can only see a lock
//! held by its thread with the count above zero.
//!
//! Nothing else on the send path of a bounded stream allocates (its queue, which never holds more
//! than the bound, is allocated when the stream is made, up to [`PREALLOCATED`] items), and the warning about dropped items is
//! deferred to the consumer's next poll, outside any handler.
//!
//! Without `std` there are no threads to count in: the lock is a critical section
//! ([`interrupt_lock`](crate::interrupt_lock)), inside which no interrupt handler runs, so a send
//! never finds its own core holding the lock, and `Overflow::Block` does not exist.

use alloc::collections::VecDeque;
#[cfg(feature = "std")]
use core::cell::Cell;
#[cfg(feature = "std")]
use core::sync::atomic::compiler_fence;
use core::task::Waker;

use crate::panic::Panic;
#[cfg(feature = "std")]
use crate::sync::{AtomicU64, Condvar, Ordering, thread_local};
use crate::sync::{Mutex, MutexGuard};

/// What a bounded stream does with a new item when its queue is full.
///
/// `#[callback_async(stream(bound = N, overflow = ..))]` and `promisify!(stream(bound = N,
/// overflow = ..) ..)` name these `drop_oldest`, `drop_newest` and `block`;
/// [`CallbackStream::bounded`](crate::CallbackStream::bounded) takes them. Every discarded
/// item is counted by [`CallbackStream::discarded`](crate::CallbackStream::discarded).
///
/// ```
/// use callback_async::{CallbackStream, Overflow};
/// use futures::StreamExt;
///
/// # futures::executor::block_on(async {
/// let (sender, stream) = CallbackStream::bounded(1, Overflow::DropNewest);
/// sender.send(1);
/// sender.send(2); // the queue is full: 2 is discarded
/// drop(sender);
/// assert_eq!(stream.discarded(), 1);
/// assert_eq!(stream.collect::<Vec<_>>().await, [1]);
/// # });
/// ```
///
/// Non-exhaustive because its variants depend on the features: `Block` exists
/// only with `std`, and a feature turned on by another crate must not break a `match`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Overflow {
    /// The oldest queued item is discarded for the new one: the stream keeps the most recent
    /// events (a watcher's, a subscription's). The default.
    #[default]
    DropOldest,
    /// The new item is discarded: the stream keeps the first events.
    DropNewest,
    /// The producer waits, on its own thread, until the consumer takes items (or drops or closes
    /// the stream): nothing is lost, as with a bounded channel's blocking send.
    ///
    /// Waiting is only sound on a thread that the consumer does not need: a legacy API's worker
    /// thread. A send never waits on the thread that last polled the stream (or created it, until
    /// it is first polled), nor inside a signal handler that interrupted the stream's own code,
    /// where it could never wake up: there it discards the new item instead, as
    /// [`DropNewest`](Overflow::DropNewest) does, counted by
    /// [`discarded`](crate::CallbackStream::discarded) (and, with the `tracing` feature, warned
    /// about at the consumer's next poll). Do not use it for a producer that is a task on the
    /// consumer's own executor.
    ///
    /// Only with the `std` feature: without threads, a producer has nowhere to wait.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    Block,
}

/// Bounded streams allocate their queue when they are made, up to this many items, so that
/// sending never allocates (a signal handler must not).
pub(crate) const PREALLOCATED: usize = 4096;

/// What a stream and its sender share.
pub(crate) struct StreamState<T> {
    queue: Mutex<Queue<T>>,
    /// Where producers that [`Overflow::Block`] wait for room.
    #[cfg(feature = "std")]
    room: Condvar,
    /// How many items the queue holds at most (`usize::MAX`: unbounded).
    pub(crate) bound: usize,
    pub(crate) overflow: Overflow,
    /// Items dropped because a send re-entered a thread holding the lock (see the module's
    /// documentation); read without the lock.
    #[cfg(feature = "std")]
    reentered: AtomicU64,
}

pub(crate) struct Queue<T> {
    pub(crate) items: VecDeque<T>,
    /// How many items were ever queued: the last queued item's position, counted from 1 (the
    /// first of `items` is at `pushed - items.len()`, since evicted items leave from the front).
    pub(crate) pushed: u64,
    /// Panics of a C callback's body, each with the number of items queued before it, so that
    /// the stream resumes it when it reaches that position (see [`Queue::pushed`]).
    pub(crate) panics: VecDeque<(u64, Panic)>,
    pub(crate) waker: Option<Waker>,
    pub(crate) sender_gone: bool,
    pub(crate) stream_gone: bool,
    /// Ended from the consumer's side or by a completion: later items are refused.
    pub(crate) closed: bool,
    /// Items discarded under the lock: by the bound, or refused after a close.
    pub(crate) discarded: u64,
    /// The thread that last polled the stream (or created it), which a blocking send never
    /// waits on (see [`thread_mark`]).
    #[cfg(feature = "std")]
    pub(crate) consumer: usize,
    /// Producers waiting for room.
    #[cfg(feature = "std")]
    pub(crate) waiting: usize,
    /// Whether the waiting producers were woken since the last one began to wait: a consumer
    /// that frees room item by item then wakes them once, not once per item (each wake-up of a
    /// condition variable is a system call).
    #[cfg(feature = "std")]
    pub(crate) room_signalled: bool,
    /// Discards not yet warned about (`Block` fallbacks and re-entries), reported by the consumer.
    pub(crate) unreported_fallbacks: u64,
    pub(crate) reported_reentries: u64,
}

#[cfg(all(not(loom), feature = "std"))]
thread_local! {
    /// How many queue locks this thread is taking or holding.
    static LOCKS: Cell<u32> = const { Cell::new(0) };
}

#[cfg(loom)]
thread_local! {
    static LOCKS: Cell<u32> = Cell::new(0);
}

/// This thread, as an address that no other live thread has (its `LOCKS` slot's): reading it
/// allocates nothing and takes no lock, unlike `thread::current()`.
#[cfg(feature = "std")]
pub(crate) fn thread_mark() -> usize {
    LOCKS.with(|locks| core::ptr::from_ref(locks).addr())
}

/// Whether this thread is inside a queue's lock (or taking one): a send now re-entered it.
#[cfg(feature = "std")]
fn inside_lock() -> bool {
    LOCKS.with(Cell::get) != 0
}

/// Without `std`, a send cannot re-enter: the lock is a critical section that no interrupt
/// handler runs inside.
#[cfg(not(feature = "std"))]
fn inside_lock() -> bool {
    false
}

/// The queue's lock, counted in [`LOCKS`] for as long as it is held.
pub(crate) struct Locked<'a, T> {
    guard: Option<MutexGuard<'a, Queue<T>>>,
}

impl<T> core::ops::Deref for Locked<'_, T> {
    type Target = Queue<T>;

    fn deref(&self) -> &Queue<T> {
        self.guard.as_ref().expect("held until dropped")
    }
}

impl<T> core::ops::DerefMut for Locked<'_, T> {
    fn deref_mut(&mut self) -> &mut Queue<T> {
        self.guard.as_mut().expect("held until dropped")
    }
}

impl<T> Drop for Locked<'_, T> {
    fn drop(&mut self) {
        drop(self.guard.take());
        // The release above stays inside the counted window.
        #[cfg(feature = "std")]
        compiler_fence(Ordering::SeqCst);
        #[cfg(feature = "std")]
        LOCKS.with(|locks| locks.set(locks.get() - 1));
    }
}

impl<T> StreamState<T> {
    pub(crate) fn new(bound: usize, overflow: Overflow) -> Self {
        let preallocated = if bound == usize::MAX {
            0
        } else {
            bound.min(PREALLOCATED)
        };
        StreamState {
            queue: Mutex::new(Queue {
                items: VecDeque::with_capacity(preallocated),
                pushed: 0,
                panics: VecDeque::new(),
                waker: None,
                sender_gone: false,
                stream_gone: false,
                closed: false,
                discarded: 0,
                #[cfg(feature = "std")]
                consumer: thread_mark(),
                #[cfg(feature = "std")]
                waiting: 0,
                #[cfg(feature = "std")]
                room_signalled: false,
                unreported_fallbacks: 0,
                reported_reentries: 0,
            }),
            #[cfg(feature = "std")]
            room: Condvar::new(),
            bound,
            overflow,
            #[cfg(feature = "std")]
            reentered: AtomicU64::new(0),
        }
    }

    pub(crate) fn lock(&self) -> Locked<'_, T> {
        #[cfg(feature = "std")]
        LOCKS.with(|locks| locks.set(locks.get() + 1));
        // The acquire below stays inside the counted window.
        #[cfg(feature = "std")]
        compiler_fence(Ordering::SeqCst);
        let guard = crate::sync::lock(&self.queue);
        Locked { guard: Some(guard) }
    }

    /// Every discarded item: under the lock, and by re-entries.
    pub(crate) fn discarded(&self, queue: &Queue<T>) -> u64 {
        queue.discarded + self.reentries()
    }

    /// Items dropped by re-entered sends (see the module's documentation).
    #[cfg(feature = "std")]
    fn reentries(&self) -> u64 {
        self.reentered.load(Ordering::Relaxed)
    }

    #[cfg(not(feature = "std"))]
    fn reentries(&self) -> u64 {
        0
    }

    /// Counts an item dropped by a re-entered send.
    #[cfg(feature = "std")]
    fn count_reentry(&self) {
        self.reentered.fetch_add(1, Ordering::Relaxed);
    }

    #[cfg(not(feature = "std"))]
    fn count_reentry(&self) {}

    /// Queues `item` by the stream's policy and wakes the consumer; refused (dropped and
    /// counted) once the stream is closed, dropped silently once it is gone.
    pub(crate) fn send(&self, item: T) {
        if inside_lock() {
            // A signal handler that interrupted this stream's (or another stream's) code on
            // this thread: the lock may be ours already. Drop the item, touching nothing else.
            self.count_reentry();
            drop(item);
            return;
        }
        let mut queue = self.lock();
        let mut evicted = None;
        if queue.items.len() >= self.bound && !queue.stream_gone && !queue.closed {
            match self.overflow {
                Overflow::DropOldest => {
                    queue.discarded += 1;
                    evicted = queue.items.pop_front();
                }
                Overflow::DropNewest => return refuse(queue, item),
                #[cfg(feature = "std")]
                Overflow::Block => {
                    if queue.consumer == thread_mark() {
                        queue.unreported_fallbacks += 1;
                        return refuse(queue, item);
                    }
                    queue = self.wait_for_room(queue);
                }
            }
        }
        if queue.stream_gone || queue.closed {
            return refuse(queue, item);
        }
        queue.items.push_back(item);
        queue.pushed += 1;
        let waker = queue.waker.take();
        drop(queue);
        drop(evicted);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Queues the panic of a C callback's body at the current position, outside the bound (a
    /// panic is never evicted nor waits for room), and wakes the consumer; refused as an item is
    /// once the stream is closed or gone.
    #[cold]
    #[cfg(feature = "std")]
    pub(crate) fn send_panic(&self, panic: Panic) {
        if inside_lock() {
            self.count_reentry();
            drop(panic);
            return;
        }
        let mut queue = self.lock();
        if queue.stream_gone || queue.closed {
            return refuse(queue, panic);
        }
        let position = queue.pushed;
        queue.panics.push_back((position, panic));
        let waker = queue.waker.take();
        drop(queue);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Waits until the queue has room, or the stream is gone or closed.
    #[cfg(feature = "std")]
    fn wait_for_room<'a>(&'a self, mut queue: Locked<'a, T>) -> Locked<'a, T> {
        queue.waiting += 1;
        while queue.items.len() >= self.bound && !queue.stream_gone && !queue.closed {
            queue.room_signalled = false;
            let guard = queue.guard.take().expect("held until dropped");
            // The lock is released while waiting, but this thread stays counted as inside it:
            // a handler that interrupts the wait drops its item rather than queue behind us.
            let guard = self
                .room
                .wait(guard)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            queue.guard = Some(guard);
        }
        queue.waiting -= 1;
        queue
    }

    /// Wakes the producers waiting for room, if any that was not woken yet (the consumer took
    /// items, or left).
    #[cfg(feature = "std")]
    pub(crate) fn notify_room(&self, queue: &mut Queue<T>) {
        if queue.waiting != 0 && !queue.room_signalled {
            queue.room_signalled = true;
            self.room.notify_all();
        }
    }

    /// Without `std`, no producer waits.
    #[cfg(not(feature = "std"))]
    pub(crate) fn notify_room(&self, _: &mut Queue<T>) {}

    /// The discards that the consumer has not warned about yet, marked as warned.
    pub(crate) fn unreported(&self, queue: &mut Queue<T>) -> u64 {
        let reentries = self.reentries();
        let unreported = queue.unreported_fallbacks + (reentries - queue.reported_reentries);
        queue.unreported_fallbacks = 0;
        queue.reported_reentries = reentries;
        unreported
    }
}

/// An item (or a panic) refused by a full, closed or dropped stream: counted unless the stream is
/// gone, and dropped outside the lock.
fn refuse<T, I>(mut queue: Locked<'_, T>, item: I) {
    if !queue.stream_gone {
        queue.discarded += 1;
    }
    drop(queue);
    drop(item);
}

//! [`SlotStream`]: the stream of a callback reached through a static slot, fed without a lock
//! nor an allocation (a signal handler may feed it).

use core::fmt;
use core::pin::Pin;
use core::task::{Context, Poll};

use alloc::boxed::Box;
use alloc::sync::Arc;

use futures_core::{FusedStream, Stream};

use super::Claim;
use super::ring::Ring;
use super::waker::AtomicWaker;
use crate::Overflow;
use crate::oneshot::SendValue;
use crate::panic::Panic;
// A `usize` count: 64-bit atomics are missing on 32-bit microcontrollers.
use crate::sync::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

/// What the stream and the callback's state share.
struct Channel<T> {
    ring: Ring<T>,
    waker: AtomicWaker,
    closed: AtomicBool,
    discarded: AtomicUsize,
    drop_oldest: bool,
    /// The first panic of a C callback's body, boxed (the panic allocated already).
    panic: AtomicPtr<Panic>,
}

impl<T> Drop for Channel<T> {
    fn drop(&mut self) {
        let panic = self.panic.swap(core::ptr::null_mut(), Ordering::Acquire);
        if !panic.is_null() {
            // SAFETY: a non-null `panic` is the `Box` leaked by `send_panic`, swapped out once.
            drop(unsafe { Box::from_raw(panic) });
        }
    }
}

/// The sending half, owned by the callback's state in the slot.
pub struct SlotSender<T> {
    channel: Arc<Channel<T>>,
}

// SAFETY: what the auto traits would derive (the channel is `Send + Sync` when `T: Send`: its
// ring moves `T`s between threads, never shares one), with the bound spelled `SendValue` (which is
// `Send`) so that an unmet bound says that the callback hands over a value that is not `Send`.
unsafe impl<T: SendValue> Send for SlotSender<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: SendValue> Sync for SlotSender<T> {}

/// The items of a callback that reaches its stream through a static slot: `promisify!(stream
/// f(static |..| _(..)))`, see [`promisify!`](crate::promisify#callbacks-without-user-data-a-static-slot).
///
/// Each call of the callback is one item, in call order. A call only pushes into a queue
/// allocated when the stream was made, with atomic operations, and wakes the consumer: it takes
/// no lock and allocates nothing, so the callback may be a signal handler. The queue holds the
/// stream's bound rounded up to a power of two, at least 2 (1,024 when `stream(bound = N)` does not say);
/// past it, the [`Overflow`] policy discards the oldest item (the default) or the new one, counted
/// by [`discarded`](SlotStream::discarded).
///
/// Waking the consumer runs its executor's waker inside the call: with a signal handler, poll the
/// stream on another thread than the one the signal interrupts, or with an executor whose wake
/// is signal-safe (`futures::executor`'s unparks a thread).
///
/// The API may keep the function pointer forever, so the stream never ends by itself: read it
/// with `take(n)`, or [`close`](SlotStream::close) it. Dropping it releases the slot: later calls
/// are ignored, and the call site may be used again.
#[must_use = "streams do nothing unless polled"]
pub struct SlotStream<T> {
    // Dropped first: releasing the slot waits for the calls in progress, which use the channel.
    claim: Option<Claim>,
    channel: Arc<Channel<T>>,
    finished: bool,
}

/// A stream and its sender, the stream not claiming any slot yet.
pub(crate) fn channel<T>(bound: usize, overflow: Overflow) -> (SlotSender<T>, SlotStream<T>) {
    let channel = Arc::new(Channel {
        ring: Ring::new(bound),
        waker: AtomicWaker::new(),
        closed: AtomicBool::new(false),
        discarded: AtomicUsize::new(0),
        drop_oldest: overflow == Overflow::DropOldest,
        panic: AtomicPtr::new(core::ptr::null_mut()),
    });
    let stream = SlotStream {
        claim: None,
        channel: Arc::clone(&channel),
        finished: false,
    };
    (SlotSender { channel }, stream)
}

impl<T> SlotSender<T> {
    /// Queues `item` and wakes the consumer: no lock, no allocation.
    pub fn send(&self, item: T) {
        let channel = &*self.channel;
        if channel.closed.load(Ordering::Acquire) {
            channel.discarded.fetch_add(1, Ordering::Relaxed);
            return;
        }
        let refused = match channel.ring.push(item) {
            Ok(()) => None,
            Err(item) if channel.drop_oldest => {
                // Make room by discarding the oldest; a racing producer may take it first.
                drop(channel.ring.pop());
                channel.discarded.fetch_add(1, Ordering::Relaxed);
                channel.ring.push(item).err()
            }
            Err(item) => Some(item),
        };
        if refused.is_some() {
            channel.discarded.fetch_add(1, Ordering::Relaxed);
        }
        channel.waker.wake();
    }

    /// Keeps the first panic of a C callback's body, which the stream resumes once the items
    /// queued before it are yielded.
    #[cfg(feature = "std")]
    pub(crate) fn send_panic(&self, panic: Panic) {
        let boxed = Box::into_raw(Box::new(panic));
        let kept = self.channel.panic.compare_exchange(
            core::ptr::null_mut(),
            boxed,
            Ordering::Release,
            Ordering::Relaxed,
        );
        if kept.is_err() {
            // SAFETY: `boxed` was leaked just above and never shared.
            drop(unsafe { Box::from_raw(boxed) });
        }
        self.channel.waker.wake();
    }
}

impl<T> SlotStream<T> {
    /// Ends the stream while the API may still call the function pointer: the items queued are
    /// still yielded, later calls are refused (counted by [`discarded`](SlotStream::discarded)),
    /// and then the stream ends. The slot stays claimed until the stream is dropped.
    pub fn close(&mut self) {
        self.channel.closed.store(true, Ordering::Release);
    }

    /// How many items were discarded: by the [`Overflow`] policy when the queue was full, or
    /// because they came after [`close`](SlotStream::close).
    pub fn discarded(&self) -> u64 {
        self.channel.discarded.load(Ordering::Relaxed) as u64
    }

    /// Ties the stream to the slot it releases when dropped.
    pub(crate) fn claiming(mut self, claim: Claim) -> Self {
        self.claim = Some(claim);
        self
    }

    /// The next item, a panic to resume, or the end once closed and drained.
    fn next_now(&mut self) -> Option<Option<T>> {
        if let Some(item) = self.channel.ring.pop() {
            return Some(Some(item));
        }
        let panic = self
            .channel
            .panic
            .swap(core::ptr::null_mut(), Ordering::Acquire);
        if !panic.is_null() {
            // SAFETY: a non-null `panic` is the `Box` leaked by `send_panic`, swapped out once.
            unsafe { Box::from_raw(panic) }.resume();
        }
        self.channel.closed.load(Ordering::Acquire).then_some(None)
    }
}

impl<T> Stream for SlotStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        let next = match this.next_now() {
            Some(next) => Some(next),
            None => {
                this.channel.waker.register(cx.waker());
                // An item (or the close) may have come before the registration.
                this.next_now()
            }
        };
        match next {
            Some(None) => {
                this.finished = true;
                Poll::Ready(None)
            }
            Some(item) => Poll::Ready(item),
            None => Poll::Pending,
        }
    }
}

impl<T> FusedStream for SlotStream<T> {
    fn is_terminated(&self) -> bool {
        self.finished
    }
}

impl<T> fmt::Debug for SlotStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SlotStream")
            .field("capacity", &self.channel.ring.capacity())
            .field("discarded", &self.discarded())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

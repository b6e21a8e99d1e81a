//! The ring backing of a [`CallbackStream`](crate::CallbackStream): the stream of a callback
//! reached through a static slot, fed without a lock nor an allocation (a signal handler may feed
//! it).

use core::fmt;
use core::task::{Context, Poll};

use alloc::boxed::Box;
use alloc::sync::Arc;
use alloc::vec::Vec;

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

/// The consumer's side: a `static |..|` callback's [`CallbackStream`](crate::CallbackStream)
/// (whose documentation says what a user sees).
///
/// A call only pushes into the ring allocated when the stream was made, with atomic operations,
/// and wakes the consumer: no lock, no allocation. The ring holds the bound rounded up to a power
/// of two, at least 2. The API may keep the function pointer forever, so the stream ends only when
/// closed; dropping it releases the slot.
pub(crate) struct RingStream<T> {
    // Dropped first: releasing the slot waits for the calls in progress, which use the channel.
    claim: Option<Claim>,
    channel: Arc<Channel<T>>,
    finished: bool,
}

/// A stream and its sender, the stream not claiming any slot yet.
pub(crate) fn channel<T>(bound: usize, overflow: Overflow) -> (SlotSender<T>, RingStream<T>) {
    let channel = Arc::new(Channel {
        ring: Ring::new(bound),
        waker: AtomicWaker::new(),
        closed: AtomicBool::new(false),
        discarded: AtomicUsize::new(0),
        drop_oldest: overflow == Overflow::DropOldest,
        panic: AtomicPtr::new(core::ptr::null_mut()),
    });
    let stream = RingStream {
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

impl<T> RingStream<T> {
    /// Refuses later calls' items (counted as discarded); the queued ones are still yielded. The
    /// slot stays claimed until the stream is dropped.
    pub(crate) fn close(&self) {
        self.channel.closed.store(true, Ordering::Release);
    }

    /// Closes and releases the slot, which waits for the calls in progress: nothing arrives
    /// after this, so [`rest`](RingStream::rest) holds every item not yet yielded.
    pub(crate) fn cancel(&mut self) {
        self.close();
        drop(self.claim.take());
    }

    /// Every item still queued, in order; a kept panic is resumed instead, as the queue backing
    /// does (it would discard the items anyway).
    pub(crate) fn rest(&mut self) -> Vec<T> {
        let mut rest = Vec::new();
        while let Some(Some(item)) = self.next_now() {
            rest.push(item);
        }
        self.finished = true;
        rest
    }

    /// How many items were discarded: by the [`Overflow`] policy when the ring was full, or
    /// because they came after the close.
    pub(crate) fn discarded(&self) -> u64 {
        self.channel.discarded.load(Ordering::Relaxed) as u64
    }

    /// Ties the stream to the slot it releases when dropped.
    pub(crate) fn claiming(&mut self, claim: Claim) {
        self.claim = Some(claim);
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

    pub(crate) fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        if self.finished {
            return Poll::Ready(None);
        }
        let next = match self.next_now() {
            Some(next) => Some(next),
            None => {
                self.channel.waker.register(cx.waker());
                // An item (or the close) may have come before the registration.
                self.next_now()
            }
        };
        match next {
            Some(None) => {
                self.finished = true;
                Poll::Ready(None)
            }
            Some(item) => Poll::Ready(item),
            None => Poll::Pending,
        }
    }

    pub(crate) fn is_terminated(&self) -> bool {
        self.finished
    }

    /// `CallbackStream`'s `Debug` fields for this backing.
    pub(crate) fn debug_fields<'a, 'b, 'c>(
        &self,
        f: &'a mut fmt::DebugStruct<'b, 'c>,
    ) -> &'a mut fmt::DebugStruct<'b, 'c> {
        f.field("capacity", &self.channel.ring.capacity())
            .field("discarded", &self.discarded())
            .field("finished", &self.finished)
    }
}

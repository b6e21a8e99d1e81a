//! The channel behind a [`Promise`](crate::Promise): one heap block per call, which holds the
//! state, the awaiting task's waker and the value; one [`Sender`] (the callback's side) and one
//! [`Receiver`] (the promise's).
//!
//! It does less than a general oneshot channel, because a promise needs less: no blocking
//! receive (the promise's `wait` polls it as a future), no receiver-side close, no sender-side
//! waiting. On the common path, a callback called before the promise is first polled, it costs
//! one store and one atomic add to send, one acquire load to receive, and the block is freed by
//! whoever takes the value, with no further atomics.
//!
//! # States
//!
//! `state` is a set of bits:
//!
//! - [`WAITING`]: the receiver has stored a waker in `waker`.
//! - [`VALUE`]: the sender has written `value` and is done with it.
//! - [`PANIC`], always with `VALUE`: what the sender wrote is the panic of a C callback's body
//!   (see [`Sender::send_panic`]) rather than a value.
//! - [`CLOSED`]: the sender was dropped without sending.
//! - [`RECEIVER_GONE`]: the receiver was dropped; it never touches the block again.
//!
//! Only the sender sets `VALUE` or `CLOSED`, once, with an atomic add whose result tells it what
//! to do: nothing (`EMPTY`), wake the receiver (`WAITING`), or free the block (`RECEIVER_GONE`).
//! Only the receiver sets and clears `WAITING` while neither is set; once the sender has set one
//! of them, a `WAITING` bit means that the sender is moving the waker out to wake it (the "waking
//! window"), and the sender clears it, with a second atomic, when it no longer touches the block.
//! So:
//!
//! - the sender has finished with the block exactly when `VALUE` or `CLOSED` is set and
//!   `WAITING` is not, and the receiver then owns the block and frees it;
//! - when the receiver leaves first (`RECEIVER_GONE`), the sender frees the block at its next
//!   atomic operation (its send, its drop, or the end of its waking window).
//!
//! Exactly one side frees the block, and the one that frees it has synchronised (acquire) with
//! every access of the other. A value that is still in the block when it is freed is moved out
//! first and dropped after the block is freed, so a panicking `Drop` cannot leak the block.
//!
//! `RUSTFLAGS="--cfg loom" cargo test -p callback-async --lib --release` checks every
//! interleaving of send, close, poll (waker registration and replacement) and drop (see the
//! `loom_tests` module below).

use crate::panic::Panic;
use alloc::boxed::Box;
use core::marker::PhantomData;
use core::mem::{self, ManuallyDrop, MaybeUninit};
use core::panic::Location;
use core::ptr::{self, NonNull};
use core::task::{Context, Poll, Waker};

use crate::sync::{AtomicU8, Ordering, UnsafeCell};

/// Both sides alive, no waker, nothing sent.
const EMPTY: u8 = 0;
/// The receiver stored a waker.
const WAITING: u8 = 0b0001;
/// The sender wrote the value.
const VALUE: u8 = 0b0010;
/// The sender was dropped without sending.
const CLOSED: u8 = 0b0100;
/// The receiver was dropped.
const RECEIVER_GONE: u8 = 0b1000;
/// Set with `VALUE`: the slot holds a [`Panic`], not a value.
const PANIC: u8 = 0b1_0000;
/// The sender wrote a panic.
const PANICKED: u8 = VALUE | PANIC;

/// Why a receiver got no value: the sender was dropped without sending (with the place that
/// created the channel), or it sent a panic.
pub(crate) enum NoValue {
    Closed(&'static Location<'static>),
    Panicked(Panic),
}

/// What a settled block holds, moved out of it.
enum Outcome<T> {
    Value(T),
    Panic(Panic),
}

/// The one allocation of a call: 16 bytes of waker, the value (or, until it is sent, the place
/// that created the channel), and a byte of state (32 bytes for a `u64` or anything smaller).
struct Block<T> {
    state: AtomicU8,
    waker: UnsafeCell<MaybeUninit<Waker>>,
    value: UnsafeCell<Slot<T>>,
}

// The block of a `u64` promise stays 32 bytes with a panic's slot (loom's cells are larger) on
// 64-bit targets.
#[cfg(all(not(loom), target_pointer_width = "64"))]
const _: () = assert!(size_of::<Block<u64>>() == 32);

/// The value's slot. Until the sender writes the value, it holds the place that created the
/// channel (one word, which a value's slot always has room for within "32 bytes plus the
/// value"), for the message of a sender dropped without sending: the promise itself then needs
/// no room for it. A sender that sends a panic writes it here instead of a value (one word too).
union Slot<T> {
    value: ManuallyDrop<T>,
    panic: ManuallyDrop<Panic>,
    created_at: &'static Location<'static>,
}

/// A new channel, created at `created_at`: its block is allocated here, once.
#[inline]
pub(crate) fn channel<T>(created_at: &'static Location<'static>) -> (Sender<T>, Receiver<T>) {
    let block = Box::new(Block {
        state: AtomicU8::new(EMPTY),
        waker: UnsafeCell::new(MaybeUninit::uninit()),
        value: UnsafeCell::new(Slot { created_at }),
    });
    let block = NonNull::from(Box::leak(block));
    (
        Sender {
            block,
            _owns: PhantomData,
        },
        Receiver {
            block: Some(block),
            _owns: PhantomData,
        },
    )
}

/// Frees the block.
///
/// # Safety
///
/// `block` came from [`channel`], the caller is the side that frees it (see the module's
/// documentation), it has synchronised with every access of the other side, and the block holds
/// no value or waker that still needs dropping (they were moved out or never written).
#[inline]
unsafe fn free<T>(block: NonNull<Block<T>>) {
    // SAFETY: the caller guarantees that the block is ours alone to free, and that it came from
    // `Box::leak` in `channel`; `Block`'s fields have no drop glue of their own (`MaybeUninit`).
    drop(unsafe { Box::from_raw(block.as_ptr()) });
}

/// Moves the value out of the block.
///
/// # Safety
///
/// The caller has exclusive access to `value`, which the sender has written and nobody moved out.
#[inline]
unsafe fn take_value<T>(block: &Block<T>) -> T {
    // SAFETY: the caller guarantees exclusive access and an initialised value.
    block
        .value
        .with_mut(|slot| unsafe { ManuallyDrop::into_inner(ptr::read(&raw const (*slot).value)) })
}

/// Moves what the sender wrote out of the block, by the state that says what it is (`PANICKED`
/// or `VALUE`); `None` for a closed channel.
///
/// # Safety
///
/// The caller has exclusive access to the slot, and `state` was read after the sender settled.
#[inline]
// Without `std`, `Panic` is empty: the panic's branch is dead, as it should be.
#[cfg_attr(not(feature = "std"), allow(unreachable_code, unused_variables))]
unsafe fn take_outcome<T>(block: &Block<T>, state: u8) -> Option<Outcome<T>> {
    if state & PANICKED == PANICKED {
        // SAFETY: the caller guarantees exclusive access; `PANIC` says the slot holds a panic.
        let panic = block.value.with_mut(|slot| unsafe {
            ManuallyDrop::into_inner(ptr::read(&raw const (*slot).panic))
        });
        Some(Outcome::Panic(panic))
    } else if state & VALUE != 0 {
        // SAFETY: the caller guarantees exclusive access; `VALUE` alone says the slot holds one.
        Some(Outcome::Value(unsafe { take_value(block) }))
    } else {
        None
    }
}

/// The place that created the channel, which the slot holds until a value is sent.
///
/// # Safety
///
/// The caller has exclusive access to the slot, and the sender has not written a value (it
/// closed the channel).
#[inline]
unsafe fn created_at<T>(block: &Block<T>) -> &'static Location<'static> {
    // SAFETY: the caller guarantees exclusive access; without a value, the slot still holds the
    // location written by `channel`.
    block.value.with_mut(|slot| unsafe { (*slot).created_at })
}

/// Moves the waker out of the block, with shared access (the receiver may compare it with
/// `will_wake` at the same time; it never writes it while `WAITING` is set).
///
/// # Safety
///
/// `WAITING` was set when the caller's atomic operation read the state, and nobody moved the
/// waker out since.
#[inline]
unsafe fn take_waker<T>(block: &Block<T>) -> Waker {
    // SAFETY: the caller guarantees an initialised waker that nobody writes meanwhile.
    block
        .waker
        .with(|waker| unsafe { ptr::read(waker).assume_init() })
}

/// The sending half: settles the receiver once, by [`send`](Sender::send) or by being dropped.
pub(crate) struct Sender<T> {
    block: NonNull<Block<T>>,
    /// The block may own a `T` that this side drops.
    _owns: PhantomData<T>,
}

/// `Send`, under a name whose unmet bound explains itself: a callback that must be `Send` owns a
/// `Sender`, and the value it hands over is what decides whether it is. Implemented for every
/// `Send` type, and for no other.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be sent between threads safely, and the callback hands it over",
    label = "the callback hands over a value that is not `Send`",
    note = "the API asks for a `Send` callback (it may call it on another thread), so what the \
            callback hands over must be `Send` too: hand over an owned, `Send` value (an `Arc` \
            instead of an `Rc`, an owned copy instead of a borrowed or thread-bound handle)"
)]
pub trait SendValue: Send {}

impl<T: Send> SendValue for T {}

// SAFETY: the sender only moves a `T` into the block (or takes a refused one back), which
// `T: Send` allows across threads; the block's other fields are a `Waker` (`Send`) and atomics.
// Spelled `Send`, not `SendValue`, for the reason given at `Resolver`'s.
unsafe impl<T: Send> Send for Sender<T> {}

// SAFETY: `&Sender` only gives `is_closed`, which reads the atomic state; no `T` is reachable.
unsafe impl<T> Sync for Sender<T> {}

impl<T> Sender<T> {
    /// Sends `value`; gives it back if the receiver is gone (the block is freed by then, so
    /// dropping the value cannot leak it, even if its `Drop` panics).
    #[inline]
    pub(crate) fn send(self, value: T) -> Result<(), T> {
        // SAFETY: `VALUE` alone says that the slot holds a value, written here.
        let refused = unsafe {
            self.settle(VALUE, |slot| {
                ptr::write(&raw mut (*slot).value, ManuallyDrop::new(value));
            })
        };
        match refused {
            Some(Outcome::Value(value)) => Err(value),
            _ => Ok(()),
        }
    }

    /// Sends the panic of a C callback's body, for the receiver to resume; dropped (after the
    /// block is freed) if the receiver is gone.
    #[cold]
    #[cfg(feature = "std")]
    pub(crate) fn send_panic(self, panic: Panic) {
        // SAFETY: `PANICKED` says that the slot holds a panic, written here.
        let refused = unsafe {
            self.settle(PANICKED, |slot| {
                ptr::write(&raw mut (*slot).panic, ManuallyDrop::new(panic));
            })
        };
        drop(refused);
    }

    /// Writes the slot with `write`, then sets `bits` (`VALUE` or `PANICKED`); gives back what
    /// was written if the receiver is gone.
    ///
    /// # Safety
    ///
    /// `bits` says what `write` writes into the slot.
    #[inline(always)]
    unsafe fn settle(self, bits: u8, write: impl FnOnce(*mut Slot<T>)) -> Option<Outcome<T>> {
        let block = self.block;
        // The send settles the channel: the sender's `Drop` (a close) must not run.
        mem::forget(self);
        // SAFETY: the block lives until the sender's atomic operation below says otherwise: the
        // receiver never frees it before the sender has set `VALUE` or `CLOSED`.
        let shared = unsafe { block.as_ref() };
        // Until `VALUE` is set, only the sender touches the slot (the location it holds until
        // then is `Copy`: overwriting it drops nothing).
        shared.value.with_mut(write);
        // Release: the receiver's acquire load that sees `VALUE` sees the value. Acquire: the
        // waker's write (`WAITING`) and the receiver's last accesses (`RECEIVER_GONE`).
        let previous = shared.state.fetch_add(bits, Ordering::AcqRel);
        if previous == EMPTY {
            return None;
        }
        // SAFETY: `previous` is what this sender's operation read, and it set `bits`.
        unsafe { finish(block, previous, bits) }
    }

    /// Tells whether the receiver is gone, so that a send would be refused.
    #[inline]
    pub(crate) fn is_closed(&self) -> bool {
        // SAFETY: the block lives as long as the sender (see `send`).
        let shared = unsafe { self.block.as_ref() };
        shared.state.load(Ordering::Relaxed) & RECEIVER_GONE != 0
    }
}

impl<T> Drop for Sender<T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the block lives as long as the sender (see `send`).
        let shared = unsafe { self.block.as_ref() };
        // Orderings as in `send`.
        let previous = shared.state.fetch_add(CLOSED, Ordering::AcqRel);
        if previous != EMPTY {
            // SAFETY: `previous` is what this sender's operation read, and it set `CLOSED`.
            drop(unsafe { finish(self.block, previous, CLOSED) });
        }
    }
}

/// The sender's work after it set `bits` (`VALUE`, `PANICKED` or `CLOSED`) and read `previous`
/// (not `EMPTY`): wake the receiver, or free the block if the receiver is gone. Returns what it
/// sent if that is still the sender's to drop (the receiver is gone); the block is freed by then.
///
/// # Safety
///
/// `previous` is the state that the sender's own `fetch_add` of `bits` returned, on the block of
/// `block`, and the sender has touched nothing since.
#[cold]
#[inline(never)]
unsafe fn finish<T>(block: NonNull<Block<T>>, previous: u8, bits: u8) -> Option<Outcome<T>> {
    // SAFETY: the receiver cannot free the block until this function clears `WAITING` (the
    // waking window), and does not free it at all when `RECEIVER_GONE` is set: then it is ours.
    let shared = unsafe { block.as_ref() };
    debug_assert_eq!(previous & (VALUE | CLOSED), 0, "the sender settles once");
    if previous & RECEIVER_GONE != 0 {
        // The receiver is gone: the block is ours (the acquire of our `fetch_add` synchronised
        // with its release). A waker it left behind is dropped here.
        // SAFETY: `WAITING` was set and nobody moved the waker: the receiver never touches the
        // block again, and this sender did not take it.
        let waker = (previous & WAITING != 0).then(|| unsafe { take_waker(shared) });
        // SAFETY: the receiver never read what the sender wrote (`bits` say what).
        let value = unsafe { take_outcome(shared, bits) };
        // SAFETY: ours to free; the value and the waker were moved out.
        unsafe { free(block) };
        drop(waker);
        return value;
    }
    // `WAITING`, receiver alive: the waking window. The receiver will not touch the waker (it
    // sees `VALUE` or `CLOSED` with `WAITING`, and waits) nor free the block until we clear
    // `WAITING`.
    // SAFETY: `WAITING` was set by the receiver after it wrote the waker (release, acquired by
    // our `fetch_add`), and only this sender moves it out.
    let waker = unsafe { take_waker(shared) };
    // Release: our read of the waker happens before the receiver frees the block. Acquire: the
    // receiver's last accesses, if it left meanwhile.
    let previous = shared.state.fetch_sub(WAITING, Ordering::AcqRel);
    if previous & RECEIVER_GONE != 0 {
        // The receiver left during the window and left the block to us.
        // SAFETY: as above: what was sent is ours, the block ours to free.
        let value = unsafe { take_outcome(shared, bits) };
        // SAFETY: ours to free; the value was moved out and the waker is ours.
        unsafe { free(block) };
        drop(waker);
        return value;
    }
    waker.wake();
    None
}

/// The receiving half, polled by the promise. Once a poll returns `Ready`, the block is freed and
/// the receiver is spent.
///
/// It has no `Drop`, so that the promise's states carry no drop glue: its owner calls
/// [`abandon`](Receiver::abandon) unless a poll returned `Ready` (forgetting to would leak the
/// block, never free it twice).
pub(crate) struct Receiver<T> {
    /// `None` once spent.
    block: Option<NonNull<Block<T>>>,
    /// The block may own a `T` that this side drops.
    _owns: PhantomData<T>,
}

// SAFETY: the receiver only moves a `T` out of the block (or drops one left there), which
// `T: Send` allows across threads; the waker it stores is `Send`.
unsafe impl<T: Send> Send for Receiver<T> {}

impl<T> Receiver<T> {
    /// The receiver as a pointer (its block's, null once spent), for a promise that keeps it
    /// in an untyped word; [`from_raw`](Receiver::from_raw) gives it back.
    #[inline(always)]
    pub(crate) fn into_raw(self) -> *mut () {
        self.block
            .map_or(ptr::null_mut(), |block| block.as_ptr().cast())
    }

    /// The receiver that [`into_raw`](Receiver::into_raw) gave.
    ///
    /// # Safety
    ///
    /// `raw` came from `into_raw` on a receiver of the same `T`, and the receivers made from it
    /// are used as one: none is used after another was spent or abandoned.
    #[inline(always)]
    pub(crate) unsafe fn from_raw(raw: *mut ()) -> Self {
        Receiver {
            block: NonNull::new(raw.cast()),
            _owns: PhantomData,
        }
    }

    /// The value, or why there is none (the place that created the channel if the sender was
    /// dropped without sending, or the panic it sent); `Pending` until then, with `cx`'s waker
    /// stored to be woken.
    #[inline]
    pub(crate) fn poll(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, NoValue>> {
        let Some(block) = self.block else {
            // A spent receiver; the promise never polls one.
            return Poll::Ready(Err(NoValue::Closed(Location::caller())));
        };
        // SAFETY: the block lives until the receiver frees it or sets `RECEIVER_GONE`.
        let shared = unsafe { block.as_ref() };
        // Acquire: the sender's write of the value, and all its accesses (it is done).
        let state = shared.state.load(Ordering::Acquire);
        if state == VALUE {
            self.block = None;
            // SAFETY: `VALUE` without `WAITING`: the sender is done and the value written.
            let value = unsafe { take_value(shared) };
            // SAFETY: the sender is done (acquired above), the value moved out, no waker stored.
            unsafe { free(block) };
            return Poll::Ready(Ok(value));
        }
        self.poll_slow(block, state, cx)
    }

    #[inline(never)]
    fn poll_slow(
        &mut self,
        block: NonNull<Block<T>>,
        mut state: u8,
        cx: &mut Context<'_>,
    ) -> Poll<Result<T, NoValue>> {
        // SAFETY: as in `poll`.
        let shared = unsafe { block.as_ref() };
        loop {
            match state {
                EMPTY => {
                    let waker = cx.waker().clone();
                    // SAFETY: without `WAITING`, the sender never touches `waker`, and the slot
                    // holds no waker (it was never written, or moved out or dropped).
                    shared
                        .waker
                        .with_mut(|slot| unsafe { (*slot).write(waker) });
                    // Release: the sender's acquire sees the waker. Acquire on failure: the
                    // sender settled meanwhile, and is done.
                    match shared.state.compare_exchange(
                        EMPTY,
                        WAITING,
                        Ordering::Release,
                        Ordering::Acquire,
                    ) {
                        Ok(_) => return Poll::Pending,
                        Err(actual) => {
                            // SAFETY: `WAITING` was never set: the waker is still ours alone.
                            shared
                                .waker
                                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
                            state = actual;
                        }
                    }
                }
                WAITING => {
                    // SAFETY: our waker is stored; the sender may be moving it out at the same
                    // time (a read too), but nobody writes or drops it while `WAITING` is set.
                    let same = shared
                        .waker
                        .with(|slot| unsafe { (*slot).assume_init_ref().will_wake(cx.waker()) });
                    if same {
                        return Poll::Pending;
                    }
                    // Another waker: take the slot back before replacing it.
                    match shared.state.compare_exchange(
                        WAITING,
                        EMPTY,
                        Ordering::Acquire,
                        Ordering::Acquire,
                    ) {
                        Ok(_) => {
                            // SAFETY: `WAITING` cleared by us before the sender settled: the
                            // sender never reads this waker, which is ours to drop.
                            shared
                                .waker
                                .with_mut(|slot| unsafe { (*slot).assume_init_drop() });
                            state = EMPTY;
                        }
                        Err(actual) => state = actual,
                    }
                }
                VALUE | PANICKED | CLOSED => {
                    self.block = None;
                    // SAFETY: settled without `WAITING`: the sender is done, and we acquired its
                    // accesses; the slot holds what `state` says, and still the location if
                    // `CLOSED`.
                    let result = match unsafe { take_outcome(shared, state) } {
                        Some(Outcome::Value(value)) => Ok(value),
                        Some(Outcome::Panic(panic)) => Err(NoValue::Panicked(panic)),
                        None => Err(NoValue::Closed(unsafe { created_at(shared) })),
                    };
                    // SAFETY: the sender is done, the value moved out, no waker stored.
                    unsafe { free(block) };
                    return Poll::Ready(result);
                }
                _ => {
                    // Settled with `WAITING`: the sender is waking the waker it
                    // found, which may not be this one. Ask to be polled again; the window is a
                    // few instructions long.
                    cx.waker().wake_by_ref();
                    return Poll::Pending;
                }
            }
        }
    }

    /// Tells whether the sender has not settled yet: neither sent nor been dropped.
    #[inline]
    pub(crate) fn is_pending(&self) -> bool {
        self.block.is_some_and(|block| {
            // SAFETY: the block lives until the receiver frees it or sets `RECEIVER_GONE`.
            let shared = unsafe { block.as_ref() };
            shared.state.load(Ordering::Acquire) & (VALUE | CLOSED) == 0
        })
    }

    /// Drops the receiving side; tells whether the sender had not settled yet (the operation is
    /// still running). The receiver is spent afterwards.
    pub(crate) fn abandon(&mut self) -> bool {
        let Some(block) = self.block.take() else {
            return false;
        };
        // SAFETY: the block lives until the receiver frees it or sets `RECEIVER_GONE`.
        let shared = unsafe { block.as_ref() };
        // Release: the sender, which frees the block if it has not settled, sees our last
        // accesses. Acquire: the sender's, if it is done and we free the block.
        let previous = shared.state.fetch_add(RECEIVER_GONE, Ordering::AcqRel);
        if previous & (VALUE | CLOSED) == 0 {
            // Not settled: the sender frees the block, and drops our waker if we stored one.
            return true;
        }
        if previous & WAITING != 0 {
            // Settled, in the waking window: the sender frees the block when it closes it.
            return false;
        }
        // SAFETY: settled without `WAITING`: the sender is done and wrote what `previous` says.
        let value = unsafe { take_outcome(shared, previous) };
        // SAFETY: the sender is done (acquired above), the value moved out, no waker stored.
        unsafe { free(block) };
        drop(value);
        false
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    //! Every interleaving of the two sides, with values and wakers that count their drops (loom
    //! also reports a leaked `loom::sync::Arc`).

    use alloc::boxed::Box;
    use core::task::{Context, Poll, Waker};
    use std::task::Wake;

    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::thread;

    use core::panic::Location;

    use super::{NoValue, Receiver, Sender};
    use crate::panic::Panic;

    /// A channel created here.
    fn channel<T>() -> (Sender<T>, Receiver<T>) {
        super::channel(here())
    }

    fn here() -> &'static Location<'static> {
        Location::caller()
    }

    /// A waker that counts its wakes.
    struct Count(AtomicUsize);

    impl Wake for Count {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }

        fn wake_by_ref(self: &std::sync::Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting_waker() -> (std::sync::Arc<Count>, Waker) {
        let count = std::sync::Arc::new(Count(AtomicUsize::new(0)));
        (count.clone(), Waker::from(count))
    }

    fn poll<T>(receiver: &mut Receiver<T>, waker: &Waker) -> Poll<Result<T, NoValue>> {
        receiver.poll(&mut Context::from_waker(waker))
    }

    /// Polls until ready, the way an executor would: again only once woken.
    fn block_on<T>(receiver: &mut Receiver<T>) -> Result<T, NoValue> {
        let (count, waker) = counting_waker();
        let mut seen = 0;
        loop {
            if let Poll::Ready(result) = poll(receiver, &waker) {
                return result;
            }
            // Parked until the waker is woken (loom explores the wake's every placement).
            loop {
                let now = count.0.load(Ordering::SeqCst);
                if now != seen {
                    seen = now;
                    break;
                }
                thread::yield_now();
            }
        }
    }

    /// Send on another thread while the receiver polls, registers its waker and sleeps: the value
    /// arrives exactly once and the block is freed (a leaked value would be a leaked `Arc`).
    #[test]
    fn send_races_with_poll() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<Arc<u8>>();
            let value = Arc::new(5);
            let sent = Arc::clone(&value);
            let handle = thread::spawn(move || sender.send(sent).is_ok());
            let Ok(received) = block_on(&mut receiver) else {
                panic!("sent")
            };
            assert_eq!(*received, 5);
            assert!(handle.join().unwrap(), "the receiver was alive");
            drop(received);
            assert_eq!(Arc::strong_count(&value), 1);
        });
    }

    /// The sender dropped without sending while the receiver polls: `Closed`, never a hang, with
    /// the place that created the channel (read from the value's slot after the close).
    #[test]
    fn close_races_with_poll() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<Arc<u8>>();
            let handle = thread::spawn(move || drop(sender));
            let closed = block_on(&mut receiver).map(|_| ());
            assert!(matches!(closed, Err(NoValue::Closed(at)) if at == here()));
            handle.join().unwrap();
        });
    }

    /// Send while the receiver is dropped, after at most one poll that may have stored a waker:
    /// the value is dropped exactly once, by whichever side frees the block.
    #[test]
    fn send_races_with_receiver_drop() {
        for polls in 0..2 {
            loom::model(move || {
                let (sender, mut receiver) = channel::<Arc<u8>>();
                let value = Arc::new(5);
                let sent = Arc::clone(&value);
                let handle = thread::spawn(move || drop(sender.send(sent)));
                let (_count, waker) = counting_waker();
                let mut got = None;
                if polls == 1 {
                    if let Poll::Ready(result) = poll(&mut receiver, &waker) {
                        let Ok(value) = result else { panic!("sent") };
                        got = Some(value);
                    }
                }
                let pending = receiver.abandon();
                handle.join().unwrap();
                assert!(!pending || got.is_none());
                drop(got);
                assert_eq!(Arc::strong_count(&value), 1, "dropped exactly once");
            });
        }
    }

    /// Close while the receiver is dropped (with a stored waker or not): nothing leaks.
    #[test]
    fn close_races_with_receiver_drop() {
        for polls in 0..2 {
            loom::model(move || {
                let (sender, mut receiver) = channel::<Arc<u8>>();
                let handle = thread::spawn(move || drop(sender));
                let (count, waker) = counting_waker();
                if polls == 1 {
                    let _ = poll(&mut receiver, &waker);
                }
                receiver.abandon();
                handle.join().unwrap();
                drop(waker);
                assert_eq!(
                    std::sync::Arc::strong_count(&count),
                    1,
                    "the stored waker was dropped"
                );
            });
        }
    }

    /// The task moves between polls: the second poll's waker replaces the first, and is the one
    /// woken (or the second poll sees the value).
    #[test]
    fn replaced_waker_is_woken() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<u8>();
            let handle = thread::spawn(move || sender.send(3).is_ok());
            let (_first_count, first) = counting_waker();
            let (second_count, second) = counting_waker();
            let result = match poll(&mut receiver, &first) {
                Poll::Ready(result) => Some(result),
                Poll::Pending => match poll(&mut receiver, &second) {
                    Poll::Ready(result) => Some(result),
                    Poll::Pending => None,
                },
            };
            assert!(handle.join().unwrap());
            let result = match result {
                Some(result) => result,
                None => {
                    assert!(
                        second_count.0.load(Ordering::SeqCst) >= 1,
                        "the latest waker is woken"
                    );
                    match poll(&mut receiver, &second) {
                        Poll::Ready(result) => result,
                        Poll::Pending => panic!("the sender is done: the value is there"),
                    }
                }
            };
            assert!(matches!(result, Ok(3)));
        });
    }

    /// A second poll with the same waker keeps it (no replacement), racing with a send.
    #[test]
    fn same_waker_is_kept() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<u8>();
            let handle = thread::spawn(move || sender.send(4).is_ok());
            let (count, waker) = counting_waker();
            let mut result = None;
            for _ in 0..2 {
                if let Poll::Ready(ready) = poll(&mut receiver, &waker) {
                    result = Some(ready);
                    break;
                }
            }
            assert!(handle.join().unwrap());
            let result = result.unwrap_or_else(|| {
                assert!(count.0.load(Ordering::SeqCst) >= 1, "woken");
                match poll(&mut receiver, &waker) {
                    Poll::Ready(result) => result,
                    Poll::Pending => panic!("the sender is done: the value is there"),
                }
            });
            assert!(matches!(result, Ok(4)));
        });
    }

    /// A panic sent while the receiver polls: it arrives as `Panicked`, exactly once, with its
    /// payload (an `Arc` that loom would report leaked).
    #[test]
    fn panic_races_with_poll() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<u8>();
            let payload = Arc::new(9_u8);
            let sent = Arc::clone(&payload);
            let handle = thread::spawn(move || sender.send_panic(Panic::new(Box::new(sent))));
            let Err(NoValue::Panicked(panic)) = block_on(&mut receiver) else {
                panic!("the panic arrives")
            };
            handle.join().unwrap();
            assert_eq!(
                panic.payload().downcast_ref::<Arc<u8>>().map(|p| **p),
                Some(9)
            );
            drop(panic);
            assert_eq!(Arc::strong_count(&payload), 1);
        });
    }

    /// A panic sent while the receiver is dropped (after at most one poll): the payload is
    /// dropped exactly once, by whichever side frees the block.
    #[test]
    fn panic_races_with_receiver_drop() {
        for polls in 0..2 {
            loom::model(move || {
                let (sender, mut receiver) = channel::<u8>();
                let payload = Arc::new(1_u8);
                let sent = Arc::clone(&payload);
                let handle = thread::spawn(move || sender.send_panic(Panic::new(Box::new(sent))));
                let (_count, waker) = counting_waker();
                let got = if polls == 1 {
                    match poll(&mut receiver, &waker) {
                        Poll::Ready(result) => Some(result),
                        Poll::Pending => None,
                    }
                } else {
                    None
                };
                if got.is_none() {
                    receiver.abandon();
                }
                handle.join().unwrap();
                drop(got);
                assert_eq!(Arc::strong_count(&payload), 1, "dropped exactly once");
            });
        }
    }

    /// `is_closed` becomes true only once the receiver is gone, and a send after that is
    /// refused with the value given back.
    #[test]
    fn is_closed_and_refused_send() {
        loom::model(|| {
            let (sender, mut receiver) = channel::<Arc<u8>>();
            let handle = thread::spawn(move || receiver.abandon());
            let closed = sender.is_closed();
            let value = Arc::new(1);
            let result = sender.send(Arc::clone(&value));
            handle.join().unwrap();
            if closed {
                assert!(result.is_err(), "closed means a send is refused");
            }
            drop(result);
            assert_eq!(Arc::strong_count(&value), 1);
        });
    }
}

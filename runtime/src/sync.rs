//! The synchronisation primitives of the runtime's own code, swapped for loom's under `--cfg loom`
//! so that `RUSTFLAGS="--cfg loom" cargo test -p callback-async --lib --release` checks every
//! interleaving of [`TakeOnce`](crate::take_once), of the promise's channel
//! ([`oneshot`](crate::oneshot)) and of the stream's queue ([`stream`](crate::stream)).

#[cfg(loom)]
pub(crate) use loom::cell::UnsafeCell;
#[cfg(loom)]
pub(crate) use loom::sync::atomic::{
    AtomicBool, AtomicPtr, AtomicU8, AtomicU64, AtomicUsize, Ordering,
};
#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};
#[cfg(loom)]
pub(crate) use loom::thread_local;

#[cfg(not(loom))]
pub(crate) use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU8, AtomicUsize, Ordering};
// 64-bit atomics are missing on 32-bit microcontrollers (`thumbv7em`): only `std` counts in them.
#[cfg(all(not(loom), feature = "std"))]
pub(crate) use core::sync::atomic::AtomicU64;
#[cfg(all(not(loom), feature = "std"))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};
#[cfg(all(not(loom), feature = "std"))]
pub(crate) use std::thread_local;

// Without `std`, a critical section (see `interrupt_lock`).
#[cfg(not(feature = "std"))]
pub(crate) use crate::interrupt_lock::{Mutex, MutexGuard};

/// Locks `mutex`, ignoring `std`'s poisoning, as the stream always did: its queue's fields stay
/// valid on their own when a panic interrupts an update.
#[cfg(feature = "std")]
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Locks `mutex`: enters a critical section, which nothing can poison.
#[cfg(not(feature = "std"))]
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock()
}

/// `core::cell::UnsafeCell` with loom's closure-based access, so that one code path serves both.
#[cfg(not(loom))]
pub(crate) struct UnsafeCell<T>(core::cell::UnsafeCell<T>);

#[cfg(not(loom))]
impl<T> UnsafeCell<T> {
    #[inline(always)]
    pub(crate) const fn new(value: T) -> Self {
        UnsafeCell(core::cell::UnsafeCell::new(value))
    }

    /// Shared (read-only) access; loom checks that no `with_mut` runs at the same time.
    #[inline(always)]
    pub(crate) fn with<R>(&self, f: impl FnOnce(*const T) -> R) -> R {
        f(self.0.get())
    }

    /// Exclusive access; loom checks that no other access runs at the same time.
    #[inline(always)]
    pub(crate) fn with_mut<R>(&self, f: impl FnOnce(*mut T) -> R) -> R {
        f(self.0.get())
    }
}

/// Polls `future` to completion on a loom thread, as an executor would, yielding to the other
/// threads between polls, so that loom sees progress where the code under test asks to be polled
/// again at once (the promise's waking window).
#[cfg(all(test, loom))]
pub(crate) fn block_on<F: core::future::Future>(future: F) -> F::Output {
    use core::task::{Context, Poll, Waker};

    let mut future = core::pin::pin!(future);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        loom::thread::yield_now();
    }
}

//! The lock of a stream's queue without `std`: a critical section, from the `critical-section`
//! crate, which the platform implements (on a single-core microcontroller, by masking interrupts).
//!
//! A lock that an interrupt handler takes must never be held by the code it interrupted, or the
//! handler would wait forever. Inside a critical section no interrupt runs on this core, so a
//! handler never finds the lock held by the code it interrupted; on several cores, the platform's
//! implementation also spins on a lock of its own, which only another core can hold, for as long
//! as that core's critical section lasts (short: nothing under this lock waits or calls user
//! code, and only an unbounded stream's send allocates there, when its queue grows).
//!
//! Why not lock-free: the queue is a `VecDeque` with a waker and counters that change together; a
//! lock-free queue with the same bound, overflow policies and counts would be a second queue to
//! prove, while the promise (the common case) is lock-free already.

use core::cell::{Cell, UnsafeCell};
use core::marker::PhantomData;
use core::ops::{Deref, DerefMut};

use critical_section::RestoreState;

/// A value that only code inside a critical section touches, one guard at a time.
pub(crate) struct Mutex<T> {
    value: UnsafeCell<T>,
    /// Whether a guard exists: critical sections nest, so a second `lock` on the core that holds
    /// one would alias the value; it panics instead (nothing in this crate does that).
    held: Cell<bool>,
}

// SAFETY: the value and `held` are only touched inside a critical section (`lock`, the guard),
// which no other core or interrupt handler enters at the same time, and `held` keeps a nested one
// on this core from making a second guard: at most one `&mut T` exists, on one thread at a time,
// which is what `Sync` needs of a `T: Send`.
unsafe impl<T: Send> Sync for Mutex<T> {}

/// The lock, held until dropped: the critical section ends then, on the thread (core) that
/// entered it, so the guard is not `Send`.
pub(crate) struct MutexGuard<'a, T> {
    mutex: &'a Mutex<T>,
    restore: RestoreState,
    not_send: PhantomData<*const ()>,
}

impl<T> Mutex<T> {
    pub(crate) const fn new(value: T) -> Self {
        Mutex {
            value: UnsafeCell::new(value),
            held: Cell::new(false),
        }
    }

    /// Enters a critical section, which ends when the guard is dropped.
    pub(crate) fn lock(&self) -> MutexGuard<'_, T> {
        // SAFETY: `critical_section::acquire` needs its `release` with the state it returned, in
        // the reverse order of nested acquires: the guard's `drop` releases it, and guards are
        // crate-private locals dropped at the end of their scope, never forgotten nor reordered.
        let restore = unsafe { critical_section::acquire() };
        if self.held.replace(true) {
            // SAFETY: as above: the section just entered ends here, before the panic.
            unsafe { critical_section::release(restore) };
            panic!("a stream's lock was taken again by the code that holds it");
        }
        MutexGuard {
            mutex: self,
            restore,
            not_send: PhantomData,
        }
    }
}

impl<T> Deref for MutexGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: this guard is the only one of its mutex (`held`), and it is inside the critical
        // section: nothing else touches the value while the borrow lasts.
        unsafe { &*self.mutex.value.get() }
    }
}

impl<T> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as for `deref`, and `&mut self` makes this the guard's only borrow.
        unsafe { &mut *self.mutex.value.get() }
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.mutex.held.set(false);
        // SAFETY: the state that this guard's `acquire` returned, released once, here; guards are
        // dropped in the reverse order of their creation (see `Mutex::lock`).
        unsafe { critical_section::release(self.restore) };
    }
}

#[cfg(test)]
mod tests {
    use super::Mutex;
    use alloc::sync::Arc;

    extern crate std;

    /// Several threads add under the lock (critical-section's `std` implementation is a global
    /// lock): no increment is lost.
    #[test]
    fn excludes_other_threads() {
        let counter = Arc::new(Mutex::new(0_u32));
        let threads: std::vec::Vec<_> = (0..4)
            .map(|_| {
                let counter = Arc::clone(&counter);
                std::thread::spawn(move || (0..1000).for_each(|_| *counter.lock() += 1))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert_eq!(*counter.lock(), 4000);
    }

    /// A second guard on the thread that holds one panics, rather than alias the value, and
    /// leaves the lock usable.
    #[test]
    fn a_nested_lock_panics() {
        let mutex = Mutex::new(1_u8);
        let held = mutex.lock();
        let nested = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(mutex.lock())));
        assert!(nested.is_err());
        drop(held);
        assert_eq!(*mutex.lock(), 1);
    }
}

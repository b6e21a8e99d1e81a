//! [`TakeOnce`]: a value that exactly one of several threads can take, with one atomic swap and
//! no lock, so that a callback that may run on several threads (or in a signal handler) settles
//! its promise once.

use core::mem::ManuallyDrop;

use crate::sync::{AtomicBool, Ordering, UnsafeCell};

/// A value that exactly one of several threads can take, with one atomic swap: a minimal
/// replacement for `Mutex<Option<T>>` where the only operation is "take it if nobody did".
pub(crate) struct TakeOnce<T> {
    taken: AtomicBool,
    /// Whether this still holds a value is `taken`'s to say: no `Option` to test and clear on top
    /// of the swap that already decided it.
    value: UnsafeCell<ManuallyDrop<T>>,
}

// SAFETY: `take` hands the value to exactly one thread (the one whose swap saw `false`), so the
// value only ever moves between threads, which `T: Send` allows; no `&T` is ever shared.
unsafe impl<T: Send> Sync for TakeOnce<T> {}

impl<T> TakeOnce<T> {
    pub(crate) fn new(value: T) -> Self {
        TakeOnce {
            taken: AtomicBool::new(false),
            value: UnsafeCell::new(ManuallyDrop::new(value)),
        }
    }

    /// The value, for the first caller only.
    #[inline]
    pub(crate) fn take(&self) -> Option<T> {
        // Acquire pairs with nothing written later (the value was written before `self` was
        // shared), but keeps the read below after the swap that grants it.
        if self.taken.swap(true, Ordering::Acquire) {
            return None;
        }
        // SAFETY: only the one caller whose swap returned `false` gets here, once, and the only
        // other access to `value` is `drop`, which needs `&mut self` and skips a taken value; so
        // this access is exclusive, the value is still there, and it is never read again.
        Some(
            self.value
                .with_mut(|value| unsafe { ManuallyDrop::take(&mut *value) }),
        )
    }

    /// The value, if no caller took it (`&mut self`: no caller can be taking it now).
    pub(crate) fn get_mut(&mut self) -> Option<&mut T> {
        if self.is_taken() {
            return None;
        }
        // SAFETY: not taken, so the value is still there, and `&mut self` excludes every other
        // access while the borrow lives.
        Some(self.value.with_mut(|value| unsafe { &mut **value }))
    }

    /// Whether a caller took the value (`&mut self`: no caller can be taking it now).
    pub(crate) fn is_taken(&mut self) -> bool {
        // `&mut self`: every `take` happened before this, so a relaxed load sees its swap.
        self.taken.load(Ordering::Relaxed)
    }
}

impl<T> Drop for TakeOnce<T> {
    #[inline]
    fn drop(&mut self) {
        if !self.is_taken() {
            // SAFETY: not taken, so the value is still there; `&mut self` makes this the last
            // access.
            self.value
                .with_mut(|value| unsafe { ManuallyDrop::drop(&mut *value) });
        }
    }
}

#[cfg(all(test, loom))]
mod loom_tests {
    use super::TakeOnce;
    use loom::sync::Arc;
    use loom::thread;

    /// Two threads race to take, while a third drops its share: exactly one gets the value, and
    /// the value is dropped exactly once (loom checks every interleaving, and its `Arc` leaks).
    #[test]
    fn exactly_one_taker() {
        loom::model(|| {
            let cell = Arc::new(TakeOnce::new(Arc::new(7_u8)));
            let (a, b) = (Arc::clone(&cell), Arc::clone(&cell));
            let first = thread::spawn(move || a.take().map(|v| *v));
            let second = thread::spawn(move || b.take().map(|v| *v));
            let taken = [first.join().unwrap(), second.join().unwrap()];
            assert_eq!(taken.iter().flatten().count(), 1, "{taken:?}");
            assert!(cell.take().is_none());
        });
    }

    /// A taker racing with the last owner's drop: never both, never neither.
    #[test]
    fn take_races_with_drop() {
        loom::model(|| {
            let value = Arc::new(1_u8);
            let cell = Arc::new(TakeOnce::new(Arc::clone(&value)));
            let taker = Arc::clone(&cell);
            let handle = thread::spawn(move || drop(taker.take()));
            drop(cell);
            handle.join().unwrap();
            assert_eq!(
                Arc::strong_count(&value),
                1,
                "the value was dropped exactly once"
            );
        });
    }
}

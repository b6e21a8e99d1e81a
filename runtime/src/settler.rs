//! The settlers that generated callbacks own, each the sending half of one promise: [`Settler`]
//! for `#[callback_async]`'s `FnOnce`/`FnMut` callbacks (no lock, no atomics of its own),
//! [`SharedSettler`] for its `Fn` callbacks and `ok`/`err` pairs, and [`AtomicSettler`] for
//! `promisify!`'s callbacks (in both, one atomic swap decides the first call).

use core::mem::ManuallyDrop;

use crate::oneshot;
use crate::promise::Origin;
use crate::resolver::send;
use crate::stream::StreamCloser;
use crate::sync::{AtomicBool, Ordering, UnsafeCell};

/// The owned settler of a generated promise, for `FnOnce`/`FnMut` callbacks.
pub struct Settler<T> {
    sender: Option<oneshot::Sender<T>>,
    /// `#[callback_async(dropped = EXPR)]`: the value sent when the callback is dropped uncalled.
    fallback: Option<fn() -> T>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> Settler<T> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn new(sender: oneshot::Sender<T>, origin: Origin) -> Self {
        Settler {
            sender: Some(sender),
            fallback: None,
            #[cfg(feature = "tracing")]
            origin,
        }
    }

    /// Settles with `fallback()` instead of reading as dropped, if dropped uncalled; `fallback`
    /// runs where the callback is dropped.
    #[inline]
    pub fn or_else(mut self, fallback: fn() -> T) -> Self {
        self.fallback = Some(fallback);
        self
    }

    /// From an `FnOnce` callback.
    #[inline]
    pub fn settle_once(self, value: T) {
        // Settled here: `Drop` (for a callback dropped uncalled) has nothing to do, so it is
        // skipped; the other fields need no drop.
        let mut this = ManuallyDrop::new(self);
        send(this.sender.take(), value);
    }

    /// From an `FnMut` callback: the first call wins.
    #[inline]
    pub fn settle_mut(&mut self, value: T) {
        match self.sender.take() {
            Some(sender) => send(Some(sender), value),
            None => self.called_again(),
        }
    }

    fn called_again(&self) {
        #[cfg(feature = "tracing")]
        crate::trace::called_again(&self.origin);
    }
}

impl<T> Settler<T> {
    /// `Drop`'s work for a callback dropped uncalled, out of line: a settled callback's drop is
    /// then one test, small enough to inline where the callback is dropped.
    #[cold]
    #[inline(never)]
    fn dropped_uncalled(&mut self) {
        let Some(sender) = self.sender.take() else {
            return;
        };
        #[cfg(feature = "tracing")]
        crate::trace::dropped_uncalled(&self.origin);
        if let Some(fallback) = self.fallback {
            if !sender.is_closed() {
                send(Some(sender), fallback());
            }
        }
    }
}

impl<T> Drop for Settler<T> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.sender.is_some() {
            self.dropped_uncalled();
        }
    }
}

/// The settler of a generated promise behind a callback that may be called from several threads
/// at once (`Fn`), or shared by an `ok`/`err` pair: the first call wins.
pub struct SharedSettler<T> {
    settler: TakeOnce<Settler<T>>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> SharedSettler<T> {
    /// Shares `settler` between callers that may race.
    #[inline]
    pub fn new(settler: Settler<T>) -> Self {
        SharedSettler {
            #[cfg(feature = "tracing")]
            origin: settler.origin,
            settler: TakeOnce::new(settler),
        }
    }

    /// Settles, if no call settled before; later calls are ignored.
    #[inline]
    pub fn settle(&self, value: T) {
        if let Some(settler) = self.settler.take() {
            settler.settle_once(value);
        } else {
            #[cfg(feature = "tracing")]
            crate::trace::called_again(&self.origin);
        }
    }
}

/// The settler behind a `promisify!` callback, which must fit an `Fn` bound (the macro cannot
/// see which closure trait the API asks for): the first call takes the channel's sender with one
/// atomic swap. Leaner than a [`SharedSettler`] around a [`Settler`]: no fallback to keep
/// (`promisify!` has no `dropped = ..`), so nothing to test or clear but the swap.
pub struct AtomicSettler<T> {
    sender: TakeOnce<oneshot::Sender<T>>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> AtomicSettler<T> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn new(sender: oneshot::Sender<T>, origin: Origin) -> Self {
        AtomicSettler {
            sender: TakeOnce::new(sender),
            #[cfg(feature = "tracing")]
            origin,
        }
    }

    /// Settles, if no call settled before; later calls are ignored.
    #[inline]
    pub fn settle(&self, value: T) {
        if let Some(sender) = self.sender.take() {
            send(Some(sender), value);
        } else {
            #[cfg(feature = "tracing")]
            crate::trace::called_again(&self.origin);
        }
    }
}

/// The settler of an operation's completion that also reports progress (`promisify!` with a
/// `stream(..)` placeholder): settling, or dropping it uncalled, also ends the progress stream,
/// so that a consumer that reads the progress to its end and then awaits the completion never
/// waits for an API that keeps the progress callback.
pub struct CompletionSettler<T, P> {
    settler: AtomicSettler<T>,
    progress: StreamCloser<P>,
}

impl<T, P> CompletionSettler<T, P> {
    #[inline]
    pub(crate) fn new(settler: AtomicSettler<T>, progress: StreamCloser<P>) -> Self {
        CompletionSettler { settler, progress }
    }

    /// Settles, if no call settled before, and ends the progress stream.
    #[inline]
    pub fn settle(&self, value: T) {
        self.settler.settle(value);
        self.progress.close();
    }
}

/// Dropped uncalled, the sender closes the channel (`TakeOnce`'s drop), and the promise reads as
/// dropped; this only reports it.
#[cfg(feature = "tracing")]
impl<T> Drop for AtomicSettler<T> {
    fn drop(&mut self) {
        if !self.sender.is_taken() {
            crate::trace::dropped_uncalled(&self.origin);
        }
    }
}

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

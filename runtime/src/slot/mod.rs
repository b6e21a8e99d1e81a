//! Callbacks without user data: a `static` [`Slot`] that `promisify!` declares at the call site,
//! through which a plain `fn` (or `extern "C" fn`) reaches its stream.
//!
//! # The slot's word
//!
//! One atomic word says everything a call needs: `OWNED` (a use of the call site holds the slot),
//! `LIVE` (its state is installed and takes calls) and, above them, how many calls are in
//! progress. A call adds one to the count and reads the state only if the word it replaced had
//! `LIVE`; it subtracts one when done. A use claims the slot by setting `OWNED` (a second use
//! finds it set and fails), writes the state, then sets `LIVE` (`Release`: a call that sees
//! `LIVE` sees the state). Releasing clears `LIVE`, waits until no call is in progress (`Acquire`:
//! their reads happen before), frees the state, then clears `OWNED`. So a call never reads a
//! state being freed, and freeing never happens in a call (which may be a signal handler).
//!
//! The state is stored with its `TypeId`: a call site inside a generic function has one slot for
//! all its instantiations, and a trampoline of another instantiation (kept by the API from an
//! earlier use) must not read this one's state as its own type. It then counts as ignored.

mod ring;
mod stream;
mod waker;

use core::any::TypeId;
use core::fmt;

use alloc::boxed::Box;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

pub use stream::SlotSender;
pub(crate) use stream::{RingStream, channel};

const OWNED: usize = 0b01;
const LIVE: usize = 0b10;
const CALL: usize = 0b100;

/// A call site's slot: empty, or holding the state of its one live use.
pub struct Slot {
    word: AtomicUsize,
    state: UnsafeCell<Option<Installed>>,
}

/// A state boxed into a slot, erased.
#[derive(Clone, Copy)]
struct Installed {
    state: *const (),
    type_id: TypeId,
    free: unsafe fn(*const ()),
}

// SAFETY: `state` is written only by the owner while no call reads it, and read by calls only
// between `LIVE` and the release (see the module's documentation); the state behind it is `Send +
// Sync + 'static`, which `claim` requires.
unsafe impl Sync for Slot {}
// SAFETY: as for `Sync`.
unsafe impl Send for Slot {}

/// The second live use of a call site, refused.
#[derive(Debug)]
pub(crate) struct Busy;

impl Slot {
    /// An empty slot, for a `static`.
    #[cfg(not(loom))]
    pub const fn new() -> Self {
        Slot {
            word: AtomicUsize::new(0),
            state: UnsafeCell::new(None),
        }
    }

    #[cfg(loom)]
    pub(crate) fn new() -> Self {
        Slot {
            word: AtomicUsize::new(0),
            state: UnsafeCell::new(None),
        }
    }

    /// Installs `state` for the calls to reach, unless a use holds the slot already.
    pub(crate) fn claim<D: Send + Sync + 'static>(&'static self, state: D) -> Result<Claim, Busy> {
        let owned = self
            .word
            .fetch_update(Ordering::Acquire, Ordering::Relaxed, |word| {
                (word & OWNED == 0).then_some(word | OWNED)
            });
        if owned.is_err() {
            return Err(Busy);
        }
        let installed = Installed {
            state: Box::into_raw(Box::new(state)).cast_const().cast(),
            type_id: TypeId::of::<D>(),
            free: free::<D>,
        };
        // SAFETY: `OWNED` makes this thread the only writer, and without `LIVE` no call reads.
        self.state
            .with_mut(|slot| unsafe { *slot = Some(installed) });
        self.word.fetch_or(LIVE, Ordering::Release);
        Ok(Claim { slot: self })
    }

    /// Calls `call` with the live state if it is a `D`; `None` when the slot is empty or holds
    /// another type (a late call).
    pub(crate) fn with<D: 'static, R>(&self, call: impl FnOnce(&D) -> R) -> Option<R> {
        let word = self.word.fetch_add(CALL, Ordering::Acquire);
        let _leave = Leave(&self.word);
        if word & LIVE == 0 {
            return None;
        }
        // SAFETY: `LIVE` was set when this call was counted, so the state stays installed until
        // the call leaves (the release waits for it), and it is only read here.
        let installed = self.state.with(|slot| unsafe { *slot })?;
        if installed.type_id != TypeId::of::<D>() {
            return None;
        }
        // SAFETY: the pointer is a live `Box<D>` (checked by its `TypeId`), shared: `D: Sync`.
        Some(call(unsafe { &*installed.state.cast::<D>() }))
    }

    /// Stops the calls, waits for those in progress, frees the state, and empties the slot.
    fn release(&self) {
        self.word.fetch_and(!LIVE, Ordering::AcqRel);
        while self.word.load(Ordering::Acquire) >= CALL {
            pause();
        }
        // SAFETY: `OWNED` is still ours, `LIVE` is clear and no call is in progress: nothing
        // reads the state.
        let installed = self.state.with_mut(|slot| unsafe { (*slot).take() });
        if let Some(installed) = installed {
            // SAFETY: made by `claim` for this very type, freed once (taken out above).
            unsafe { (installed.free)(installed.state) };
        }
        self.word.fetch_and(!OWNED, Ordering::Release);
    }
}

impl Default for Slot {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let word = self.word.load(Ordering::Relaxed);
        f.debug_struct("Slot")
            .field("owned", &(word & OWNED != 0))
            .field("calls", &(word / CALL))
            .finish()
    }
}

/// Frees a state that `claim` boxed.
///
/// # Safety
///
/// `state` is the pointer `claim::<D>` made, and this is its last use.
unsafe fn free<D>(state: *const ()) {
    // SAFETY: the caller's contract.
    drop(unsafe { Box::from_raw(state.cast::<D>().cast_mut()) });
}

/// Counts a call out of the slot when it returns (or unwinds).
struct Leave<'a>(&'a AtomicUsize);

impl Drop for Leave<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(CALL, Ordering::Release);
    }
}

/// A live use of a slot, which releases it when dropped.
pub(crate) struct Claim {
    slot: &'static Slot,
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.slot.release();
    }
}

/// Waits a moment for the calls in progress to leave.
fn pause() {
    #[cfg(loom)]
    loom::thread::yield_now();
    #[cfg(all(not(loom), feature = "std"))]
    std::thread::yield_now();
    #[cfg(all(not(loom), not(feature = "std")))]
    core::hint::spin_loop();
}

#[cfg(all(test, feature = "std"))]
mod tests;

//! The consumer's waker, registered and woken without a lock (the `AtomicWaker` of `futures`,
//! whose algorithm this is): a producer in a signal handler that interrupted the consumer's own
//! registration must neither wait for it nor touch the waker it is writing.
//!
//! The state is `WAITING` (idle), `REGISTERING` (the consumer is writing the waker) and/or
//! `WAKING` (a producer is taking it). A wake that finds a registration in progress only sets
//! `WAKING`; the registration sees the flag when it finishes and wakes the task itself.

use core::task::Waker;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

const WAITING: usize = 0;
const REGISTERING: usize = 0b01;
const WAKING: usize = 0b10;

pub(crate) struct AtomicWaker {
    state: AtomicUsize,
    waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the waker is written only by the registration that moved the state from `WAITING` to
// `REGISTERING`, and taken only by the wake that moved it from `WAITING` to `WAKING`: never by two
// threads at once. `Waker` is `Send + Sync`.
unsafe impl Send for AtomicWaker {}
// SAFETY: as for `Send`.
unsafe impl Sync for AtomicWaker {}

impl AtomicWaker {
    pub(crate) fn new() -> Self {
        AtomicWaker {
            state: AtomicUsize::new(WAITING),
            waker: UnsafeCell::new(None),
        }
    }

    /// Registers `waker` for the next [`wake`](AtomicWaker::wake); one consumer at a time.
    pub(crate) fn register(&self, waker: &Waker) {
        match self.state.compare_exchange(
            WAITING,
            REGISTERING,
            Ordering::Acquire,
            Ordering::Acquire,
        ) {
            Ok(_) => {
                // SAFETY: `REGISTERING` gives this thread the waker alone (see the `Sync` impl).
                self.waker.with_mut(|slot| unsafe {
                    match &mut *slot {
                        Some(old) if old.will_wake(waker) => {}
                        other => *other = Some(waker.clone()),
                    }
                });
                let done = self.state.compare_exchange(
                    REGISTERING,
                    WAITING,
                    Ordering::AcqRel,
                    Ordering::Acquire,
                );
                if done.is_err() {
                    // A wake came meanwhile and left it to us.
                    // SAFETY: the state is still `REGISTERING | WAKING`: the waker is ours.
                    let woken = self.waker.with_mut(|slot| unsafe { (*slot).take() });
                    self.state.swap(WAITING, Ordering::AcqRel);
                    if let Some(woken) = woken {
                        woken.wake();
                    }
                }
            }
            // A wake is taking the old waker: poll again rather than miss it.
            Err(_) => waker.wake_by_ref(),
        }
    }

    /// Wakes the registered waker, if any; never waits.
    pub(crate) fn wake(&self) {
        if self.state.fetch_or(WAKING, Ordering::AcqRel) == WAITING {
            // SAFETY: moving the state from `WAITING` to `WAKING` gives this thread the waker.
            let woken = self.waker.with_mut(|slot| unsafe { (*slot).take() });
            self.state.fetch_and(!WAKING, Ordering::Release);
            if let Some(woken) = woken {
                woken.wake();
            }
        }
    }
}

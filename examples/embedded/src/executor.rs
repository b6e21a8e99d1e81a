//! A minimal executor: polls one future, sleeping (`wfi`) until an interrupt wakes it.

use alloc::sync::Arc;
use alloc::task::Wake;
use core::future::Future;
use core::pin::pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};

/// Set by the waker (from an interrupt handler), cleared before each poll.
struct Woken(AtomicBool);

impl Wake for Woken {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::Release);
    }
}

/// Runs `future` to completion on this core.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let woken = Arc::new(Woken(AtomicBool::new(true)));
    let waker = Waker::from(Arc::clone(&woken));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if woken.0.swap(false, Ordering::Acquire) {
            if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
                return output;
            }
        }
        // Interrupts masked between the check and `wfi`, so that a wake-up in between is not
        // lost: a pending interrupt still ends `wfi`, and runs once they are unmasked.
        cortex_m::interrupt::free(|_| {
            if !woken.0.load(Ordering::Acquire) {
                cortex_m::asm::wfi();
            }
        });
    }
}

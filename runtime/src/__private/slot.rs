//! What the expansions of a `static |..|` callback name: the call site's [`Slot`], the stream fed
//! through it, and the calls of its trampoline. Not a public API.
//!
//! The trampoline is a `fn` (or `extern "C" fn`) generic over the state's type `D`, instantiated
//! from the very state that [`claim`] installs; [`call`] is safe, since the slot
//! checks the state's type before reading it (see the runtime's `slot` module).

use core::panic::Location;

pub use crate::slot::{Slot, SlotSender};

use super::ffi::{CallShared, Sink};
use crate::ffi::CReturn;
#[cfg(feature = "std")]
use crate::panic::Panic;
use crate::promise::{Name, Origin};
use crate::{CallbackStream, Overflow};

/// The queue of a slot's stream when `stream(bound = N)` does not say.
pub const DEFAULT_BOUND: usize = 1024;

/// The stream of a slot and its sender (which the state will own).
#[inline]
pub fn stream<T>(bound: usize, overflow: Overflow) -> (SlotSender<T>, CallbackStream<T>) {
    let (sender, ring) = crate::slot::channel(bound, overflow);
    (sender, CallbackStream::from_ring(ring))
}

/// Installs `state` in the call site's slot and ties `stream` to it.
///
/// # Panics
///
/// When the call site's previous stream is still alive: its calls would reach this one.
#[track_caller]
pub fn claim<D, T>(
    slot: &'static Slot,
    state: D,
    stream: CallbackStream<T>,
    callback: Name,
) -> CallbackStream<T>
where
    D: Send + Sync + 'static,
{
    match slot.claim(state) {
        Ok(claim) => stream.claiming(claim),
        Err(_) => busy(callback, Location::caller()),
    }
}

#[cold]
#[inline(never)]
fn busy(callback: Name, at: &'static Location<'static>) -> ! {
    let origin = Origin::Callback(callback, at);
    panic!(
        "{origin}: the slot of this `static` callback is in use: the stream of an earlier run of this \
         call site is still alive, and a `fn` pointer cannot tell the two runs apart; drop (or \
         close and drop) the earlier stream first"
    )
}

/// A call of a trampoline (`fn` or `extern "C" fn`): the state's answer, or `R::on_panic()` (zero, `false`,
/// `()`) for a call that no live use takes.
#[inline]
pub fn call<D, A>(slot: &'static Slot, args: A) -> D::Output
where
    D: CallShared<A> + 'static,
    D::Output: CReturn,
{
    slot.with(|state: &D| state.call(args))
        .unwrap_or_else(D::Output::on_panic)
}

impl<T> Sink for SlotSender<T> {
    type Value = T;

    #[inline]
    fn send(&self, value: T) {
        SlotSender::send(self, value);
    }

    #[cfg(feature = "std")]
    fn send_panic(&self, payload: alloc::boxed::Box<dyn core::any::Any + Send>) {
        SlotSender::send_panic(self, Panic::new(payload));
    }
}

//! [`Resolver`], the settling half of a [`Promise`](crate::Promise) made by
//! [`channel`](crate::channel) or [`Promise::new`](crate::Promise::new), and `send`, the last step
//! of every settler.

use core::fmt;
use std::sync::{Mutex, PoisonError};

use crate::oneshot;
use crate::promise::Origin;

/// The settling half of a [`Promise`](crate::Promise): call [`resolve`](Resolver::resolve) to
/// deliver its value.
///
/// Settling is first-wins and never panics: later calls are ignored, and resolving a promise that
/// nobody awaits any more is a silent no-op. `resolve` takes `&self`, so a closure that owns a
/// resolver satisfies `FnOnce`, `FnMut` and `Fn` bounds alike, and the resolver is `Send + Sync`
/// when `T: Send`, so that closure can also be `Send + Sync + 'static`.
///
/// Dropping the resolver without settling never leaves the awaiting task hanging: see
/// [`Promise`](crate::Promise#when-the-callback-is-dropped).
pub struct Resolver<T> {
    // The mutex only makes `resolve(&self)` (for `Fn` callbacks) race-free; the callbacks that own
    // the resolver take the sender out without locking.
    sender: Mutex<Option<oneshot::Sender<T>>>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> Resolver<T> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    pub(crate) fn new(sender: oneshot::Sender<T>, origin: Origin) -> Self {
        Resolver {
            sender: Mutex::new(Some(sender)),
            #[cfg(feature = "tracing")]
            origin,
        }
    }

    /// Settles the promise with `value`, if nothing settled it before; otherwise does nothing.
    ///
    /// If the promise was dropped, `value` is dropped here.
    pub fn resolve(&self, value: T) {
        let sender = self.take_shared();
        if sender.is_none() {
            self.called_again();
        }
        send(sender, value);
    }

    /// Reports a settle that came after the first (with the `tracing` feature).
    pub(crate) fn called_again(&self) {
        #[cfg(feature = "tracing")]
        crate::trace::called_again(&self.origin);
    }

    /// Tells whether the promise is still awaited: `false` once it has been dropped or settled,
    /// so a producer can skip work whose result nobody will see.
    pub fn is_awaited(&self) -> bool {
        let sender = self.sender.lock().unwrap_or_else(PoisonError::into_inner);
        sender.as_ref().is_some_and(|sender| !sender.is_closed())
    }

    pub(crate) fn take_shared(&self) -> Option<oneshot::Sender<T>> {
        self.sender
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }

    #[cfg(feature = "tracing")]
    pub(crate) fn take_owned(&mut self) -> Option<oneshot::Sender<T>> {
        self.sender
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
    }
}

#[cfg(feature = "tracing")]
impl<T> Drop for Resolver<T> {
    fn drop(&mut self) {
        if self.take_owned().is_some() {
            crate::trace::dropped_uncalled(&self.origin);
        }
    }
}

/// Sends outside any lock, so a panicking `Drop` of a refused value cannot poison anything.
#[inline]
pub(crate) fn send<T>(sender: Option<oneshot::Sender<T>>, value: T) {
    if let Some(sender) = sender {
        // An error only means the promise is gone: resolving it is then a silent no-op. The
        // refused value comes back after the channel is freed, so that a panicking `Drop`
        // cannot leak it.
        if let Err(refused) = sender.send(value) {
            drop(refused);
        }
    }
}

impl<T> fmt::Debug for Resolver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver")
            .field("is_awaited", &self.is_awaited())
            .finish()
    }
}

//! [`Resolver`], the settling half of every [`Promise`](crate::Promise) whose callback may be
//! called from several threads, and `send`, the last step of every resolver.

use core::fmt;

use crate::oneshot;
#[cfg(feature = "std")]
use crate::panic::Panic;
use crate::promise::Origin;
use crate::take_once::TakeOnce;

/// The settling half of a [`Promise`](crate::Promise): call [`resolve`](Resolver::resolve) to
/// deliver its value.
///
/// Settling is first-wins and never panics: later calls are ignored, and resolving a promise that
/// nobody awaits any more is a silent no-op. `resolve` takes `&self`, so a closure that owns a
/// resolver satisfies `FnOnce`, `FnMut` and `Fn` bounds alike, and the resolver is `Send + Sync`
/// when `T: Send`, so that closure can also be `Send + Sync + 'static`.
///
/// It takes no lock: the first call wins by one atomic swap, and the value goes to the promise
/// with one atomic add. So a hand-written C trampoline, or a signal handler, may resolve it (see
/// [signal handlers](crate::Promise#signal-handlers)).
///
/// Dropping the resolver without settling never leaves the awaiting task hanging: see
/// [`Promise`](crate::Promise#when-the-callback-is-dropped).
///
/// ```
/// # futures::executor::block_on(async {
/// let (resolver, promise) = callback_async::channel();
/// std::thread::spawn(move || {
///     resolver.resolve(1);
///     resolver.resolve(2); // ignored: the first call wins
/// });
/// assert_eq!(promise.await, 1);
/// # });
/// ```
pub struct Resolver<T> {
    sender: TakeOnce<oneshot::Sender<T>>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

// SAFETY: what the auto traits would derive (a `TakeOnce` of the channel's sender, which moves a
// `T` to the promise: `Send` and `Sync` when `T: Send`), so that an unmet bound says at this type
// that the value must be `Send`, rather than deep inside the channel. Spelled `Send`, not
// `SendValue`: rustc would name the hidden trait in a note ("required for `Rc<u8>` to implement
// `callback_async::__private::SendValue`"), and its message would not show through this impl.
unsafe impl<T: Send> Send for Resolver<T> {}
// SAFETY: as for `Send`: `&Resolver` only resolves, which takes the sender with one swap.
unsafe impl<T: Send> Sync for Resolver<T> {}

impl<T> Resolver<T> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn new(sender: oneshot::Sender<T>, origin: Origin) -> Self {
        Resolver {
            sender: TakeOnce::new(sender),
            #[cfg(feature = "tracing")]
            origin,
        }
    }

    /// Settles the promise with `value`, if nothing settled it before; otherwise does nothing.
    ///
    /// If the promise was dropped, `value` is dropped here.
    #[inline]
    pub fn resolve(&self, value: T) {
        match self.sender.take() {
            Some(sender) => send(sender, value),
            None => self.called_again(),
        }
    }

    /// Settles the promise with the panic of a C callback's body, which the awaiting task
    /// resumes; first-wins as [`resolve`](Resolver::resolve).
    #[cold]
    #[cfg(feature = "std")]
    pub(crate) fn resolve_panic(&self, panic: Panic) {
        match self.sender.take() {
            Some(sender) => sender.send_panic(panic),
            None => self.called_again(),
        }
    }

    fn called_again(&self) {
        #[cfg(feature = "tracing")]
        crate::trace::called_again(&self.origin);
    }

    /// Tells whether the promise is still awaited: `false` once it has been dropped or settled,
    /// so a producer can skip work whose result nobody will see.
    ///
    /// It takes `&mut self`, so that no `resolve` can run meanwhile (and free the channel that
    /// it reads): ask before sharing the resolver between callbacks that may race.
    ///
    /// ```
    /// let (mut resolver, promise) = callback_async::channel::<u8>();
    /// assert!(resolver.is_awaited());
    /// drop(promise);
    /// assert!(!resolver.is_awaited());
    /// ```
    pub fn is_awaited(&mut self) -> bool {
        self.sender
            .get_mut()
            .is_some_and(|sender| !sender.is_closed())
    }
}

/// Dropped uncalled, the sender closes the channel (`TakeOnce`'s drop), and the promise reads as
/// dropped; this only reports it.
#[cfg(feature = "tracing")]
impl<T> Drop for Resolver<T> {
    fn drop(&mut self) {
        if !self.sender.is_taken() {
            crate::trace::dropped_uncalled(&self.origin);
        }
    }
}

/// Sends, giving nothing back: an error only means that the promise is gone, and resolving it is
/// then a silent no-op. The refused value comes back after the channel is freed, so that a
/// panicking `Drop` cannot leak it.
#[inline]
pub(crate) fn send<T>(sender: oneshot::Sender<T>, value: T) {
    if let Err(refused) = sender.send(value) {
        drop(refused);
    }
}

impl<T> fmt::Debug for Resolver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolver").finish_non_exhaustive()
    }
}

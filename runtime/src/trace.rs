//! Warnings about misused callbacks, with the `tracing` feature: a callback dropped without being
//! called (a leak in a legacy API, as Swift's checked continuations report), or called again
//! after its promise settled. Behaviour is the same with and without the feature.

use crate::promise::Origin;

/// The callback behind `origin` was dropped (or forgotten) without being called.
#[cfg(feature = "tracing")]
pub(crate) fn dropped_uncalled(origin: &Origin) {
    tracing::warn!(
        target: "callback_async",
        callback = %origin,
        "callback dropped without being called; its promise reads as dropped"
    );
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn dropped_uncalled(_: &Origin) {}

/// A callback was called again after its promise settled; the call was ignored.
#[cfg(feature = "tracing")]
pub(crate) fn called_again(origin: &Origin) {
    tracing::warn!(
        target: "callback_async",
        callback = %origin,
        "callback called again after its promise settled; the call is ignored"
    );
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn called_again(_: &Origin) {}

/// A stream's items were discarded without the lock: sends from a signal handler that
/// interrupted the stream's own code, or `Overflow::Block` sends on the consumer's thread.
#[cfg(feature = "tracing")]
pub(crate) fn stream_discarded(count: u64) {
    tracing::warn!(
        target: "callback_async",
        count,
        "stream items discarded: the callback ran where the stream could not take them without \
         a deadlock (in a signal handler that interrupted the stream's own code, or a blocking \
         send on the consumer's thread)"
    );
}

#[cfg(not(feature = "tracing"))]
#[inline(always)]
pub(crate) fn stream_discarded(_: u64) {}

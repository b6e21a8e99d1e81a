//! The resolvers that generated callbacks own besides the public [`Resolver`] (which
//! `promisify!`'s and C callbacks own), one job each: [`OnceResolver`] for `#[callback_async]`'s
//! `FnOnce`/`FnMut` callbacks (no lock, no atomics of its own, and the `dropped = ..` fallback),
//! [`SharedResolver`] for its `Fn` callbacks and `ok`/`err` pairs (one atomic swap decides the
//! first call, and the fallback is kept), and [`CompletionResolver`] for a completion that also
//! ends a progress stream (both macros' `progress`).

use core::mem::ManuallyDrop;

use crate::Resolver;
use crate::oneshot;
use crate::promise::Origin;
use crate::resolver::send;
use crate::stream::StreamCloser;
use crate::take_once::TakeOnce;

/// The resolver that a generated `FnOnce`/`FnMut` callback owns.
pub struct OnceResolver<T> {
    sender: Option<oneshot::Sender<T>>,
    /// `#[callback_async(dropped = EXPR)]`: the value sent when the callback is dropped uncalled.
    fallback: Option<fn() -> T>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> OnceResolver<T> {
    #[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
    #[inline]
    pub(crate) fn new(sender: oneshot::Sender<T>, origin: Origin) -> Self {
        OnceResolver {
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
    pub fn resolve(self, value: T) {
        // Settled here: `Drop` (for a callback dropped uncalled) has nothing to do, so it is
        // skipped; the other fields need no drop.
        let mut this = ManuallyDrop::new(self);
        if let Some(sender) = this.sender.take() {
            send(sender, value);
        }
    }

    /// From an `FnMut` callback: the first call wins.
    #[inline]
    pub fn resolve_mut(&mut self, value: T) {
        match self.sender.take() {
            Some(sender) => send(sender, value),
            None => self.called_again(),
        }
    }

    fn called_again(&self) {
        #[cfg(feature = "tracing")]
        crate::trace::called_again(&self.origin);
    }
}

impl<T> OnceResolver<T> {
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
                send(sender, fallback());
            }
        }
    }
}

impl<T> Drop for OnceResolver<T> {
    #[inline(always)]
    fn drop(&mut self) {
        if self.sender.is_some() {
            self.dropped_uncalled();
        }
    }
}

/// The resolver of a generated callback that may be called from several threads at once (`Fn`),
/// or shared by an `ok`/`err` pair: the first call wins. Unlike a [`Resolver`], it keeps the
/// `dropped = ..` fallback of the [`OnceResolver`] it shares.
pub struct SharedResolver<T> {
    resolver: TakeOnce<OnceResolver<T>>,
    #[cfg(feature = "tracing")]
    origin: Origin,
}

impl<T> SharedResolver<T> {
    /// Shares `resolver` between callers that may race.
    #[inline]
    pub fn new(resolver: OnceResolver<T>) -> Self {
        SharedResolver {
            #[cfg(feature = "tracing")]
            origin: resolver.origin,
            resolver: TakeOnce::new(resolver),
        }
    }

    /// Settles, if no call settled before; later calls are ignored.
    #[inline]
    pub fn resolve(&self, value: T) {
        if let Some(resolver) = self.resolver.take() {
            resolver.resolve(value);
        } else {
            #[cfg(feature = "tracing")]
            crate::trace::called_again(&self.origin);
        }
    }
}

/// The resolver of an operation's completion that also reports progress (`promisify!` with a
/// `stream(..)` placeholder): resolving, or dropping it uncalled, also ends the progress stream,
/// so that a consumer that reads the progress to its end and then awaits the completion never
/// waits for an API that keeps the progress callback.
pub struct CompletionResolver<T, P> {
    resolver: Resolver<T>,
    progress: StreamCloser<P>,
}

impl<T, P> CompletionResolver<T, P> {
    #[inline]
    pub(crate) fn new(resolver: Resolver<T>, progress: StreamCloser<P>) -> Self {
        CompletionResolver { resolver, progress }
    }

    /// Settles, if no call settled before, and ends the progress stream.
    #[inline]
    pub fn resolve(&self, value: T) {
        self.resolver.resolve(value);
        self.progress.close();
    }
}

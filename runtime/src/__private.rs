//! What expansions of `#[callback_async]`, `promisify!` and `#[callbackify]` name, and the only
//! path they name in this crate; not a public API. [`ffi`] holds what the C forms add.

pub mod ffi;
mod many;
pub mod slot;

pub use core::cell::OnceCell;

use alloc::borrow::ToOwned;
pub use alloc::boxed::Box;
pub use alloc::string::String;
pub use alloc::sync::Arc;
pub use alloc::vec::Vec;
use core::cell::Cell;

use core::panic::Location;

pub use crate::ffi::Registration;
pub use crate::generated::{CompletionResolver, OnceResolver, SharedResolver};
pub use crate::oneshot::SendValue;
use crate::promise::{Name, Origin};
pub use crate::{BoxFuture, CallbackStream, Overflow, Promise, callbackify};
use crate::{Resolver, StreamSender};
pub use callback_async_macros::promisify_forwarded;
pub use many::{
    FinishFlat, FinishFlatWithValue, ManyCompletion, Prepend, closer, completion_many, finish_flat,
};

/// `ToOwned`, under a name whose unmet bound explains itself: a callback's borrowed argument
/// (`&T`) is handed over as an owned copy, since the promise outlives the call.
#[diagnostic::on_unimplemented(
    message = "the callback's argument `&{Self}` is borrowed for the call only, and `{Self}` has \
               no owned copy to hand over",
    label = "borrowed for the call only",
    note = "a promise (or a stream) outlives the call, so a borrowed argument is handed over as \
            an owned copy (`ToOwned`): hand over an owned value from the callback's body \
            instead, as in `|p: &Progress| _(p.received())`"
)]
pub trait OwnedCopy {
    /// The copy's type.
    type Owned;
    /// The copy.
    fn owned_copy(&self) -> Self::Owned;
}

impl<T: ?Sized + ToOwned> OwnedCopy for T {
    type Owned = T::Owned;

    #[inline]
    fn owned_copy(&self) -> T::Owned {
        self.to_owned()
    }
}

/// A promise whose dropped-callback message names `callback` (a function or a `promisify!` call)
/// and the place that called it, with the resolver that generated `FnOnce`/`FnMut` callbacks own
/// (wrapped in [`SharedResolver`] for `Fn` callbacks and `ok`/`err` pairs). The name comes as a
/// thin pointer (`&"name"`, promoted to a static), as in every function here, so that the
/// promise is two words.
#[inline]
#[track_caller]
pub fn promise_once<T>(callback: Name) -> (OnceResolver<T>, Promise<T>) {
    let origin = Origin::Callback(callback, Location::caller());
    let (sender, promise) = Promise::with_sender(origin);
    (OnceResolver::new(sender, origin), promise)
}

/// [`promise_once`] for a callback that must be `Send`: the bound fails to compile at the value's
/// type (the user's tokens) rather than deep inside the generated callback, and costs the
/// compiler less than a separate [`require_send`] check.
#[inline]
#[track_caller]
pub fn promise_once_send<T: SendValue>(callback: Name) -> (OnceResolver<T>, Promise<T>) {
    promise_once(callback)
}

/// A promise and the lock-free [`Resolver`] of a callback that may be called from several threads
/// (`promisify!`'s callbacks, which must fit any closure bound, and C callbacks).
#[inline]
#[track_caller]
pub fn promise_shared<T>(callback: Name) -> (Resolver<T>, Promise<T>) {
    Promise::with_origin(Origin::Callback(callback, Location::caller()))
}

/// The completion of a `promisify!` call that also reports progress to `progress`'s stream, which
/// ends when the completion resolves or is dropped.
#[inline]
pub fn completion<T, P>(
    resolver: Resolver<T>,
    progress: &StreamSender<P>,
) -> CompletionResolver<T, P> {
    CompletionResolver::new(resolver, crate::stream::StreamCloser::new(progress))
}

/// Resolves the stack slot of a callback that cannot outlive its call (`FnMut`): first call wins,
/// and later calls do not even build their value (no owned copies of borrowed arguments).
#[inline]
#[track_caller]
pub fn resolve_slot<T>(slot: &mut Option<T>, callback: Name, value: impl FnOnce() -> T) {
    if slot.is_none() {
        *slot = Some(value());
    } else {
        crate::trace::called_again(&Origin::Callback(callback, Location::caller()));
    }
}

/// Resolves the stack slot of an `FnOnce` callback that cannot outlive its call: called at most
/// once, so there is no later call to ignore or report.
#[inline]
pub fn resolve_slot_once<T>(slot: &mut Option<T>, value: T) {
    *slot = Some(value);
}

/// Resolves the stack slot of an `Fn` callback that cannot outlive its call: first call wins.
#[inline]
#[track_caller]
pub fn resolve_cell<T>(slot: &OnceCell<T>, callback: Name, value: impl FnOnce() -> T) {
    if slot.get().is_some() {
        crate::trace::called_again(&Origin::Callback(callback, Location::caller()));
    }
    slot.get_or_init(value);
}

/// The promise of a call whose callback could not outlive it: ready with the slot's value, or
/// dropped if the callback was dropped (or forgotten) uncalled.
#[inline]
#[track_caller]
pub fn settled<T>(slot: Option<T>, callback: Name) -> Promise<T> {
    let origin = Origin::Callback(callback, Location::caller());
    if slot.is_none() {
        crate::trace::dropped_uncalled(&origin);
    }
    Promise::settled(slot, origin)
}

/// [`settled`] with `#[callback_async(dropped = EXPR)]`'s fallback for an empty slot.
#[inline]
pub fn settled_or<T>(slot: Option<T>, fallback: fn() -> T) -> Promise<T> {
    Promise::resolved(slot.unwrap_or_else(fallback))
}

/// Fails to compile, at the value's type, when a `Send` callback would carry a value that is not.
#[inline]
pub fn require_send<T: SendValue>() {}

/// The stream behind a generated callback that fires many times.
#[inline]
pub fn stream<T>() -> (StreamSender<T>, CallbackStream<T>) {
    CallbackStream::channel()
}

/// [`stream`] for a callback that must be `Send` (see [`promise_once_send`]).
#[inline]
pub fn stream_send<T: SendValue>() -> (StreamSender<T>, CallbackStream<T>) {
    CallbackStream::channel()
}

/// [`stream`] with `stream(bound = N, overflow = ..)`.
#[inline]
pub fn stream_bounded<T>(bound: usize, overflow: Overflow) -> (StreamSender<T>, CallbackStream<T>) {
    CallbackStream::bounded(bound, overflow)
}

/// [`stream_send`] with `stream(bound = N, overflow = ..)`.
#[inline]
pub fn stream_bounded_send<T: SendValue>(
    bound: usize,
    overflow: Overflow,
) -> (StreamSender<T>, CallbackStream<T>) {
    CallbackStream::bounded(bound, overflow)
}

/// `#[callback_async(cancel = ..)]`: keeps the legacy call's `handle` and, if the promise is
/// dropped before it settles, calls `cancel(handle)` once.
pub fn cancel_promise<T, R>(
    mut promise: Promise<T>,
    handle: R,
    cancel: impl FnOnce(R) + Send + 'static,
) -> Promise<T>
where
    R: Send + 'static,
{
    promise.set_on_cancel(Box::new(move || cancel(handle)));
    promise
}

/// `#[callback_async(stream, cancel = ..)]`: calls `cancel(handle)` once when the stream is
/// dropped.
pub fn cancel_stream<T, R>(
    mut stream: CallbackStream<T>,
    handle: R,
    cancel: impl FnOnce(R) + Send + 'static,
) -> CallbackStream<T>
where
    R: Send + 'static,
{
    stream.set_on_drop(Box::new(move || cancel(handle)));
    stream
}

/// `promisify!`'s result, which cannot see the call's return type: [`Finish::callback_async_finish`]
/// (an inherent method, tried first by method resolution) gives just the promise when the call
/// returned `()`; for any other return type, method resolution goes on through `Deref` to
/// [`FinishWithValue::callback_async_finish`], which gives `(value, promise)`.
///
/// Both are inherent methods, so the expansion needs no trait import: a `use` in the expansion's
/// block costs the compiler a module scope of its own at every call (measured: 8% of a
/// `promisify!` call's type-checking). Method resolution tries the traits in the user's scope
/// between those two steps, so the name is one that no user trait plausibly has: a blanket
/// `fn finish(self)` in scope would otherwise win for any call that returns a value.
pub struct Finish<R, P>(FinishWithValue<R, P>);

/// The call's return value and the promise, for the `Deref` step of [`Finish`].
pub struct FinishWithValue<R, P>(Cell<Option<(R, P)>>);

/// `promisify!`'s result before its shape is chosen; see [`Finish`].
#[inline]
pub fn finish<R, P>(ret: R, promise: P) -> Finish<R, P> {
    Finish(FinishWithValue(Cell::new(Some((ret, promise)))))
}

impl<P> Finish<(), P> {
    #[inline]
    pub fn callback_async_finish(self) -> P {
        match self.0.0.into_inner() {
            Some(((), promise)) => promise,
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

impl<R, P> core::ops::Deref for Finish<R, P> {
    type Target = FinishWithValue<R, P>;

    #[inline]
    fn deref(&self) -> &FinishWithValue<R, P> {
        &self.0
    }
}

impl<R, P> FinishWithValue<R, P> {
    /// Reached through `&self` (the `Deref` step), so the pair is taken out of its cell; the
    /// expansion calls this once, on a temporary.
    #[inline]
    pub fn callback_async_finish(&self) -> (R, P) {
        match self.0.take() {
            Some(pair) => pair,
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

/// [`Finish`] for a call with a progress stream and a completion promise: `(stream, promise)`,
/// or `(value, stream, promise)` when the call returns a value.
pub struct FinishPair<R, S, P>(FinishPairWithValue<R, S, P>);

/// The call's return value, the stream and the promise, for the `Deref` step of [`FinishPair`].
pub struct FinishPairWithValue<R, S, P>(Cell<Option<(R, S, P)>>);

/// `promisify!`'s result with a progress stream, before its shape is chosen; see [`Finish`].
#[inline]
pub fn finish_pair<R, S, P>(ret: R, stream: S, promise: P) -> FinishPair<R, S, P> {
    FinishPair(FinishPairWithValue(Cell::new(Some((ret, stream, promise)))))
}

impl<S, P> FinishPair<(), S, P> {
    #[inline]
    pub fn callback_async_finish(self) -> (S, P) {
        match self.0.0.into_inner() {
            Some(((), stream, promise)) => (stream, promise),
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

impl<R, S, P> core::ops::Deref for FinishPair<R, S, P> {
    type Target = FinishPairWithValue<R, S, P>;

    #[inline]
    fn deref(&self) -> &FinishPairWithValue<R, S, P> {
        &self.0
    }
}

impl<R, S, P> FinishPairWithValue<R, S, P> {
    /// Reached through `&self` (the `Deref` step); the expansion calls this once, on a temporary.
    #[inline]
    pub fn callback_async_finish(&self) -> (R, S, P) {
        match self.0.take() {
            Some(triple) => triple,
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

//! What the expansions of `promisify!(unsafe { .. })` and of the C attribute name; not a public
//! API.
//!
//! # The safety argument
//!
//! Each expansion boxes (or, for `&_`, borrows) one state `D` and hands C its address as the user
//! data, next to the trampoline `trampoline::<D>`, instantiated from the very same value, so that
//! the trampoline always casts the pointer back to the type it was made from. The remaining
//! obligations are C's, vouched for by the `unsafe` block the user wrote around the call: C calls
//! the trampoline with that pointer only, and for a boxed state that it calls it once
//! (`call_once`) or only before the destroy notify (`call_shared`, `destroy`); for a borrowed
//! one, only while the block runs, during which the state lives on the stack of the expansion.
//! [`Registration::release`] carries the same obligation as an `unsafe fn`.

mod paired;

pub use paired::join;

#[cfg(feature = "std")]
use alloc::boxed::Box;
#[cfg(feature = "std")]
use core::any::Any;
use core::ffi::c_void;
#[cfg(feature = "std")]
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::ffi::{CReturn, Registration};
use crate::oneshot::SendValue;
#[cfg(feature = "std")]
use crate::panic::Panic;
use crate::{Resolver, StreamSender};

mod parts;

pub use parts::{CallSharedAt, call_shared_at, part, shared_parts};

// The C forms make their promise and their stream as `promisify!`'s Rust callbacks do.
pub use super::{promise_shared, stream, stream_bounded};

/// Where a C callback hands its values: a promise's [`Resolver`] or a stream's [`StreamSender`].
pub trait Sink {
    type Value;
    fn send(&self, value: Self::Value);
    /// The panic of the callback's body, caught (`catch_unwind`'s payload).
    #[cfg(feature = "std")]
    fn send_panic(&self, payload: Box<dyn Any + Send>);
}

impl<T> Sink for Resolver<T> {
    type Value = T;

    #[inline]
    fn send(&self, value: T) {
        self.resolve(value);
    }

    #[cfg(feature = "std")]
    fn send_panic(&self, payload: Box<dyn Any + Send>) {
        self.resolve_panic(Panic::new(payload));
    }
}

impl<T> Sink for StreamSender<T> {
    type Value = T;

    #[inline]
    fn send(&self, value: T) {
        StreamSender::send(self, value);
    }

    #[cfg(feature = "std")]
    fn send_panic(&self, payload: Box<dyn Any + Send>) {
        StreamSender::send_panic(self, Panic::new(payload));
    }
}

/// `_(value)` in a C callback's body.
#[inline]
pub fn send<S: Sink>(sink: &S, value: S::Value)
where
    S::Value: SendValue,
{
    sink.send(value);
}

/// The state of a callback that C calls once: it owns the sink and the user's closure.
// The callback first: dropped before the sink, so that the user's captures are gone by the time
// the promise or stream sees its end.
pub struct OnceState<S, F> {
    callback: F,
    sink: S,
}

/// The state of a callback that C may call many times, from several threads.
// As `OnceState`, the callback first.
pub struct SharedState<S, F> {
    callback: F,
    sink: S,
}

#[inline]
pub fn once<S, A, R, F>(sink: S, callback: F) -> OnceState<S, F>
where
    S: Sink,
    F: FnOnce(&S, A) -> R,
{
    OnceState { sink, callback }
}

#[inline]
pub fn shared<S, A, R, F>(sink: S, callback: F) -> SharedState<S, F>
where
    S: Sink,
    F: Fn(&S, A) -> R,
{
    SharedState { sink, callback }
}

/// The state behind a trampoline that frees it: `A` is the tuple of the C arguments.
pub trait CallOnce<A> {
    type Output;
    fn call_once(self, args: A) -> Self::Output;
}

/// The state behind a trampoline that only borrows it.
pub trait CallShared<A> {
    type Output;
    fn call(&self, args: A) -> Self::Output;
}

/// Runs the user's body, catching its panic: a panic must not unwind into C.
#[cfg(feature = "std")]
#[inline]
fn run<S: Sink, R: CReturn>(sink: &S, body: impl FnOnce() -> R) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(returned) => returned,
        Err(payload) => {
            sink.send_panic(payload);
            R::on_panic()
        }
    }
}

/// Runs the user's body: without `std` nothing catches a panic, which follows the target's panic
/// strategy (`panic = "abort"`, or the `#[panic_handler]`, on a microcontroller).
#[cfg(not(feature = "std"))]
#[inline]
fn run<S: Sink, R: CReturn>(_: &S, body: impl FnOnce() -> R) -> R {
    body()
}

impl<S, A, R, F> CallOnce<A> for OnceState<S, F>
where
    S: Sink,
    R: CReturn,
    F: FnOnce(&S, A) -> R,
{
    type Output = R;

    #[inline]
    fn call_once(self, args: A) -> R {
        let OnceState { sink, callback } = self;
        run(&sink, || callback(&sink, args))
    }
}

impl<S, A, R, F> CallShared<A> for SharedState<S, F>
where
    S: Sink,
    R: CReturn,
    F: Fn(&S, A) -> R,
{
    type Output = R;

    #[inline]
    fn call(&self, args: A) -> R {
        run(&self.sink, || (self.callback)(&self.sink, args))
    }
}

/// Boxes a state that C calls once (from any thread) and gives its pointer.
#[inline]
pub fn into_raw_once<D: Send + 'static>(state: D) -> *mut c_void {
    alloc::boxed::Box::into_raw(alloc::boxed::Box::new(state)).cast()
}

/// Boxes a state that C may call many times from several threads, until its destroy notify.
#[inline]
pub fn into_raw_shared<D: Send + Sync + 'static>(state: D) -> *mut c_void {
    alloc::boxed::Box::into_raw(alloc::boxed::Box::new(state)).cast()
}

/// The pointer to a state that C may use while the block runs, from several threads.
#[inline]
pub fn borrow_raw<D: Sync>(state: &D) -> *mut c_void {
    core::ptr::from_ref(state).cast_mut().cast()
}

/// Boxes a state that C may call until the program releases it.
#[inline]
pub fn registration<D: Send + Sync + 'static>(state: D) -> (*mut c_void, Registration) {
    let user_data = alloc::boxed::Box::into_raw(alloc::boxed::Box::new(state)).cast();
    // SAFETY: `destroy::<D>` frees the `Box<D>` leaked here, and `Registration::release` calls it
    // once, when the caller vouches that C no longer uses the pointer.
    let registration = unsafe { Registration::new(user_data, destroy::<D>) };
    (user_data, registration)
}

/// The trampoline of a state boxed by [`into_raw_once`]: takes it back, calls it, frees it.
///
/// # Safety
///
/// `user_data` is the pointer that `into_raw_once::<D>` returned, and this is its only use
/// (C calls the callback once).
#[inline]
pub unsafe fn call_once<D: CallOnce<A>, A>(user_data: *mut c_void, args: A) -> D::Output {
    // SAFETY: the caller guarantees that the pointer is a live `Box<D>` that nothing else
    // reclaims.
    let state = unsafe { alloc::boxed::Box::from_raw(user_data.cast::<D>()) };
    state.call_once(args)
}

/// The trampoline of a state behind [`into_raw_shared`], [`registration`] or [`borrow_raw`].
///
/// # Safety
///
/// `user_data` is the pointer that one of those returned for this `D`, and the state is still
/// alive: before the destroy notify, the release, or the end of the block.
#[inline]
pub unsafe fn call_shared<D: CallShared<A>, A>(user_data: *mut c_void, args: A) -> D::Output {
    // SAFETY: the caller guarantees that the pointer is a live `D`; it is only read, and
    // `D: Sync` (required where the pointer was made) allows calls from several threads.
    let state = unsafe { &*user_data.cast::<D>().cast_const() };
    state.call(args)
}

/// The destroy notify of a state boxed by [`into_raw_shared`] (or [`registration`]).
///
/// # Safety
///
/// `user_data` is the pointer that `into_raw_shared::<D>` returned, this is its last use, and
/// no call of the callback is running or will run.
pub unsafe fn destroy<D>(user_data: *mut c_void) {
    // SAFETY: the caller guarantees that the pointer is a live `Box<D>` used by nothing else.
    drop(unsafe { alloc::boxed::Box::from_raw(user_data.cast::<D>()) });
}

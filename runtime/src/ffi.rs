//! Await C libraries: callbacks that take a user-data pointer.
//!
//! C libraries report through a plain function pointer and a `void *` that they hand back to it:
//! SQLite's `sqlite3_exec(db, sql, callback, arg, errmsg)`, GLib's
//! `g_file_load_contents_async(file, cancellable, callback, user_data)`, glibc's `pthread_create`
//! and `timer_create`. A closure cannot be passed there, so every binding writes an `extern "C"`
//! trampoline, boxes its state behind the pointer and un-boxes it again. [`promisify!`] writes
//! them when its input is an `unsafe { .. }` block: the block is the C call, kept `unsafe` as
//! the C function is, with placeholders where the callback and its user data go.
//!
//! # Before and after
//!
//! Awaiting `pthread_create`'s start routine, which glibc calls on the thread it creates (declared
//! here by hand; the `libc` crate and bindgen declare it alike). By hand:
//!
//! ```
//! # #[cfg(target_os = "linux")] {
//! use std::ffi::{c_int, c_ulong, c_void};
//! use std::panic::{AssertUnwindSafe, catch_unwind};
//! use callback_async::Resolver;
//!
//! unsafe extern "C" {
//!     fn pthread_create(
//!         thread: *mut c_ulong,
//!         attr: *const c_void,
//!         start: extern "C" fn(*mut c_void) -> *mut c_void,
//!         arg: *mut c_void,
//!     ) -> c_int;
//!     fn pthread_detach(thread: c_ulong) -> c_int;
//! }
//!
//! type Outcome = std::thread::Result<std::thread::ThreadId>;
//!
//! extern "C" fn start(user_data: *mut c_void) -> *mut c_void {
//!     // SAFETY: `user_data` is the `Box` leaked below; glibc calls the start routine once.
//!     let resolver = unsafe { Box::from_raw(user_data.cast::<Resolver<Outcome>>()) };
//!     // A panic must not unwind into C: catch it and hand it to the awaiting side.
//!     resolver.resolve(catch_unwind(AssertUnwindSafe(|| std::thread::current().id())));
//!     std::ptr::null_mut()
//! }
//!
//! let (resolver, promise) = callback_async::channel::<Outcome>();
//! let user_data = Box::into_raw(Box::new(resolver)).cast::<c_void>();
//! let mut thread = 0;
//! // SAFETY: `start` and `user_data` match; glibc calls `start` once, with `user_data`.
//! assert_eq!(unsafe { pthread_create(&mut thread, std::ptr::null(), start, user_data) }, 0);
//! # assert_eq!(unsafe { pthread_detach(thread) }, 0);
//! let id = futures::executor::block_on(async {
//!     match promise.await {
//!         Ok(id) => id,
//!         Err(panic) => std::panic::resume_unwind(panic),
//!     }
//! });
//! assert_ne!(id, std::thread::current().id());
//! # }
//! ```
//!
//! With `promisify!`, the same call with placeholders: `|_| -> *mut c_void { .. }` is the start
//! routine (its untyped `_` parameter is the user data), `_(..)` in its body hands over the value,
//! and the `_` argument is the user data:
//!
//! ```
//! # #[cfg(target_os = "linux")] {
//! # use std::ffi::{c_int, c_ulong, c_void};
//! # unsafe extern "C" {
//! #     fn pthread_create(
//! #         thread: *mut c_ulong,
//! #         attr: *const c_void,
//! #         start: extern "C" fn(*mut c_void) -> *mut c_void,
//! #         arg: *mut c_void,
//! #     ) -> c_int;
//! #     fn pthread_detach(thread: c_ulong) -> c_int;
//! # }
//! use callback_async::promisify;
//!
//! let mut thread = 0;
//! let (rc, id) = promisify!(unsafe {
//!     pthread_create(
//!         &mut thread,
//!         std::ptr::null(),
//!         |_| -> *mut c_void {
//!             _(std::thread::current().id());
//!             std::ptr::null_mut()
//!         },
//!         _,
//!     )
//! });
//! assert_eq!(rc, 0);
//! # assert_eq!(unsafe { pthread_detach(thread) }, 0);
//! assert_ne!(futures::executor::block_on(id), std::thread::current().id());
//! # }
//! ```
//!
//! With [`#[callback_async]`](crate::callback_async) on the declaration, the same placeholders go
//! into the attribute, one `param: placeholder` for each parameter they stand for, and every call
//! site is a plain function call. The other parameters stay parameters of the generated
//! `pthread_create_async`, in their order:
//!
//! ```
//! # #[cfg(target_os = "linux")] {
//! use std::ffi::{c_int, c_ulong, c_void};
//! use std::thread::{self, ThreadId};
//! use callback_async::callback_async;
//!
//! #[callback_async]
//! unsafe extern "C" {
//!     #[callback_async(
//!         start: |_| -> *mut c_void {
//!             _(thread::current().id());
//!             std::ptr::null_mut()
//!         },
//!         arg: _,
//!         output = ThreadId,
//!     )]
//!     fn pthread_create(
//!         thread: *mut c_ulong,
//!         attr: *const c_void,
//!         start: extern "C" fn(*mut c_void) -> *mut c_void,
//!         arg: *mut c_void,
//!     ) -> c_int;
//! #   fn pthread_detach(thread: c_ulong) -> c_int;
//! }
//!
//! let mut thread = 0;
//! // SAFETY: glibc calls the start routine once, on the thread it creates.
//! let (rc, id) = unsafe { pthread_create_async(&mut thread, std::ptr::null()) };
//! assert_eq!(rc, 0);
//! # assert_eq!(unsafe { pthread_detach(thread) }, 0);
//! assert_ne!(futures::executor::block_on(id), thread::current().id());
//! # }
//! ```
//!
//! # The placeholders
//!
//! Inside the `unsafe { .. }` block (any number of statements; the C call is usually the only
//! one):
//!
//! | placeholder | what it is |
//! |---|---|
//! | `\|_, n: c_int, s: *const c_char\| -> c_int { .. }` | the C callback: a closure whose parameters are the C callback's, each with its C type, except the **user data**, written `_` without a type. Where the pointer is carried in a struct or union field (POSIX's `union sigval`), write that parameter as a struct pattern: `libc::sigval { sival_ptr: _ }`. The return type is what the callback returns to C (`()` when omitted) |
//! | `_(value)` | inside the callback's body: hands `value` to the awaiting side. This is where the C arguments, valid only during the call, become an owned Rust value. `_()` hands `()`, `_(a, b)` a tuple, and a body that is just `_` hands over the named arguments (not those written `_: T`) |
//! | `_` | where the user-data pointer (`*mut c_void`) goes: an argument of the call, or a field of a struct passed to it (`libc::sigval { sival_ptr: _ }`) |
//! | `&_` | the same pointer, borrowed: C may call the callback only until the block returns |
//! | `\|_\| drop(_)` | where the API takes a destroy-notify function for the user data (GLib's `GDestroyNotify`) |
//!
//! With `Some(..)` around the callback placeholder, it fits bindgen's
//! `Option<unsafe extern "C" fn(..)>`; without, the `extern "C" fn(..)` of the `libc` crate.
//!
//! `promisify!(unsafe { .. })` evaluates to a [`CPromise<T>`] (a future of the value handed to
//! `_(..)`), and `promisify!(stream unsafe { .. })` to a [`CStream<T>`] (each `_(..)` is one item);
//! `(block's value, promise)` when the block's value is not `()`, as for Rust callbacks.
//!
//! # On declarations: `#[callback_async(param: placeholder, ..)]`
//!
//! The attribute takes the placeholders above as `param: placeholder`, naming the parameter each
//! stands for (`callback: Some(|_, n: c_int| _(n))`, `user_data: _`, `notify: Some(|_| drop(_))`),
//! and generates `NAME_async` (`NAME_stream` with `stream`, or `name = ".."`) whose parameters are
//! the others. It goes on a function of an `extern` block, with `#[callback_async]` on the block
//! too (an `extern` block holds declarations only, so the generated functions follow it), or on a
//! wrapper written in Rust: a function or a method, alone or in an annotated `impl` block or trait.
//!
//! - **It returns** `CPromise<T>`, `CStream<T>`, or `(CStream<T>, Registration)` for a stream with
//!   `_` and no destroy notify, as `promisify!` does; `(R, ..)` when the function returns `R`.
//! - **`T`**, the type of the value handed to `_(..)`, is read from the callback's parameters when
//!   `_(..)` hands over named arguments (`_(n)` with `n: c_int`, `_(a, b)`, `_()`, or a body that
//!   is `_`); otherwise write it: `output = Vec<u8>`.
//! - **It is `unsafe`**, even when the wrapper is not: the caller vouches for C's side of the form
//!   chosen (below), which its `# Safety` section states.
//! - The options of Rust callbacks that do not apply (`callback =`, `ok`/`err`, `dropped`,
//!   `cancel`, `crate`) are compile errors; `deprecate` marks the declaration.
//!
//! # Who frees the user data
//!
//! The callback's state (the promise's resolver or the stream's sender, and what the closure
//! captured) sits behind the user-data pointer, and is freed exactly once:
//!
//! | form | C may call the callback | the state is freed |
//! |---|---|---|
//! | future, `_` | once | by that call. If C never calls (the call failed, the operation was cancelled), it is **leaked** and the promise never settles: check the call's result before awaiting |
//! | future or stream, `_` and `\|_\| drop(_)` | any number of times | by C's call of the destroy notify; a future takes the first value, and ends as [dropped](crate::Promise#when-the-callback-is-dropped) if the notify comes first |
//! | future or stream, `&_` | during the block, from any thread | when the block returns (no allocation); a future takes the first value |
//! | stream, `_` without a destroy notify | any number of times, until told otherwise | by [`Registration::release`], after the program told C to stop (`sqlite3_update_hook(db, None, null)`, `sqlite3_close`); dropping the [`Registration`] instead **leaks** the state, so that a late call is never a use after free. The stream ends when its state is freed |
//!
//! Nothing is freed twice. A stream ends when its sender is freed; items already queued are still
//! yielded.
//!
//! # Safety
//!
//! The `unsafe` block is where the program promises what the compiler cannot check, and it stays
//! written at the call: that the C function is called correctly, and that C keeps the rules of
//! the form chosen above (calls the callback with the pointer it was given, at most once for a
//! future with `_`, and not after the block returns for `&_` or after the destroy notify). The
//! callback's body runs outside that block, so its own `unsafe` operations (reading a C string
//! with [`CStr::from_ptr`](std::ffi::CStr::from_ptr)) need their own `unsafe` blocks. The
//! generated trampoline contains the only other `unsafe`: turning the pointer back into the
//! state, whose justification is the contract above (see the source of this module).
//!
//! # Panics and threads
//!
//! A panic in the callback's body never unwinds into C: it is caught at the trampoline, handed to
//! the awaiting side, and resumed there when the promise (or the stream, at that item) is polled.
//! C then receives [`CReturn::on_panic`], a zero value. The callback may be called from any
//! thread: the state must be `Send` (and `Sync` where C may call it several times), which the
//! compiler checks.
//!
//! # Limits
//!
//! The callback's C types must not use the enclosing function's generic parameters (the
//! trampoline is a nested item), and the closure is hoisted out of the block, so it can capture
//! variables declared before `promisify!` but not inside the block. One callback per block.
//!
//! [`promisify!`]: crate::promisify

use core::ffi::c_void;
use core::fmt;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use std::panic::resume_unwind;
use std::thread;

use futures_core::{FusedFuture, FusedStream, Stream};

use crate::{CallbackStream, Dropped, Promise};

/// The future of `promisify!(unsafe { .. })`: the value the C callback handed to `_(..)`.
///
/// Like [`Promise`], it is `Send + 'static` when `T` is, works on any executor, and panics when
/// polled if the callback's state was freed without a value (await [`or_dropped`](Self::or_dropped)
/// to get [`Dropped`] instead). If the callback's body panicked, polling resumes that panic.
#[must_use = "a promise does nothing unless awaited; dropping it ignores the callback's value"]
pub struct CPromise<T> {
    promise: Promise<thread::Result<T>>,
}

impl<T> CPromise<T> {
    /// Awaits the value, or [`Dropped`] if the callback's state was freed without a value
    /// (resuming the callback's panic all the same).
    pub fn or_dropped(self) -> COrDropped<T> {
        COrDropped {
            inner: self.promise.or_dropped(),
        }
    }

    /// Stops waiting as [`Promise::cancel`] does: resolves to `Some(value)` when the C callback
    /// hands over a value, or to `None` when its state is freed without one (resuming the
    /// callback's panic all the same). C callbacks have no cancel hook: cancel the C operation
    /// yourself first, then await this to know that C is done with the callback.
    pub fn cancel(self) -> CCancelling<T> {
        CCancelling {
            inner: self.promise.cancel(),
        }
    }
}

/// The future returned by [`CPromise::cancel`]: the C callback's late value, or `None`.
#[must_use = "futures do nothing unless awaited; dropping this one drops the promise"]
pub struct CCancelling<T> {
    inner: crate::Cancelling<thread::Result<T>>,
}

impl<T> Unpin for CCancelling<T> {}

impl<T> Future for CCancelling<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        Pin::new(&mut self.get_mut().inner)
            .poll(cx)
            .map(|result| result.map(value))
    }
}

impl<T> FusedFuture for CCancelling<T> {
    fn is_terminated(&self) -> bool {
        self.inner.is_terminated()
    }
}

impl<T> fmt::Debug for CCancelling<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CCancelling").finish_non_exhaustive()
    }
}

fn value<T>(result: thread::Result<T>) -> T {
    result.unwrap_or_else(|panic| resume_unwind(panic))
}

impl<T> Unpin for CPromise<T> {}

impl<T> Future for CPromise<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        Pin::new(&mut self.get_mut().promise).poll(cx).map(value)
    }
}

impl<T> FusedFuture for CPromise<T> {
    fn is_terminated(&self) -> bool {
        self.promise.is_terminated()
    }
}

impl<T> fmt::Debug for CPromise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CPromise").field(&self.promise).finish()
    }
}

/// The future returned by [`CPromise::or_dropped`]: the C callback's value, or [`Dropped`]. The
/// counterpart for C callbacks of the crate root's [`OrDropped`](crate::OrDropped).
#[must_use = "futures do nothing unless awaited"]
pub struct COrDropped<T> {
    inner: crate::OrDropped<thread::Result<T>>,
}

impl<T> Unpin for COrDropped<T> {}

impl<T> Future for COrDropped<T> {
    type Output = Result<T, Dropped>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<T, Dropped>> {
        Pin::new(&mut self.get_mut().inner)
            .poll(cx)
            .map(|result| result.map(value))
    }
}

impl<T> FusedFuture for COrDropped<T> {
    fn is_terminated(&self) -> bool {
        self.inner.is_terminated()
    }
}

impl<T> fmt::Debug for COrDropped<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("COrDropped").finish_non_exhaustive()
    }
}

/// The stream of `promisify!(stream unsafe { .. })`: each value the C callback handed to
/// `_(..)`, in call order, until the callback's state is freed.
///
/// Buffering is that of [`CallbackStream`]. If the callback's body panicked, the stream resumes
/// that panic when it reaches that item.
#[must_use = "streams do nothing unless polled"]
pub struct CStream<T> {
    stream: CallbackStream<thread::Result<T>>,
}

impl<T> CStream<T> {
    /// What [`CallbackStream::discarded`] counts, for this stream.
    pub fn discarded(&self) -> u64 {
        self.stream.discarded()
    }

    /// Ends the stream from the consumer's side, as [`CallbackStream::close`] does: queued items
    /// are still yielded, later calls from C are refused (and counted), then the stream ends.
    /// The callback's state lives on until C frees it (or [`Registration::release`]).
    pub fn close(&mut self) {
        self.stream.close();
    }

    /// Resolves, once C frees the callback's state, to the items still queued or arriving until
    /// then, as [`CallbackStream::cancel`] does (resuming a panic of the callback at its item).
    /// C callbacks have no cancel hook: stop the C side first.
    pub fn cancel(self) -> crate::StreamCancelling<Self> {
        crate::StreamCancelling::new(self)
    }
}

impl<T> Unpin for CStream<T> {}

impl<T> Stream for CStream<T> {
    type Item = T;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        Pin::new(&mut self.get_mut().stream)
            .poll_next(cx)
            .map(|item| item.map(value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.stream.size_hint()
    }
}

impl<T> FusedStream for CStream<T> {
    fn is_terminated(&self) -> bool {
        self.stream.is_terminated()
    }
}

impl<T> fmt::Debug for CStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("CStream").field(&self.stream).finish()
    }
}

/// The state of a C callback that C may call until told otherwise, and that no destroy notify
/// frees: `promisify!(stream unsafe { .. })` with `_` and no `|_| drop(_)`.
///
/// Free it with [`release`](Self::release) once C can no longer call the callback. Dropping it
/// instead leaks the state (a few words), so that a late call from C never reads freed memory; the
/// stream then never ends on its own.
#[must_use = "dropping a `Registration` leaks the callback's state: `release` it once C can no \
              longer call the callback"]
pub struct Registration {
    user_data: *mut c_void,
    free: unsafe fn(*mut c_void),
}

// SAFETY: the pointer is only ever used by `release`, which frees a state that is `Send + Sync`
// (`private::registration` requires it).
unsafe impl Send for Registration {}
// SAFETY: `&Registration` gives no access to the pointer.
unsafe impl Sync for Registration {}

impl Registration {
    /// Frees the callback's state, which ends the stream.
    ///
    /// # Safety
    ///
    /// C must no longer be able to call the callback with this user data: the program
    /// unregistered it (`sqlite3_update_hook(db, None, ptr::null_mut())`) or closed what it was
    /// registered on, and no call is still running on another thread.
    pub unsafe fn release(self) {
        // SAFETY: `free` is `private::destroy::<D>` for the `D` behind `user_data`, which was leaked
        // by `private::registration` and is freed only here (`self` is consumed); the caller
        // guarantees that C no longer uses it.
        unsafe { (self.free)(self.user_data) }
    }
}

impl fmt::Debug for Registration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Registration")
            .field("user_data", &self.user_data)
            .finish()
    }
}

/// What a C callback returns to C when its body panicked: zero, `false`, a null pointer, `None`.
///
/// A callback whose return type is not one of these cannot be generated; for most C APIs zero
/// means "stop" (GLib's `G_SOURCE_REMOVE`, libcurl's write callback), but SQLite's
/// `sqlite3_exec` goes on to the next row.
pub trait CReturn {
    /// The value returned to C after a panic.
    fn on_panic() -> Self;
}

impl CReturn for () {
    fn on_panic() -> Self {}
}

impl CReturn for bool {
    fn on_panic() -> Self {
        false
    }
}

macro_rules! zero {
    ($($ty:ty),*) => {
        $(impl CReturn for $ty {
            fn on_panic() -> Self {
                Self::default()
            }
        })*
    };
}

zero!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, f32, f64
);

impl<T> CReturn for *mut T {
    fn on_panic() -> Self {
        core::ptr::null_mut()
    }
}

impl<T> CReturn for *const T {
    fn on_panic() -> Self {
        core::ptr::null()
    }
}

impl<T> CReturn for Option<T> {
    fn on_panic() -> Self {
        None
    }
}

/// What the expansions of `promisify!(unsafe { .. })` name; not a public API.
///
/// # The safety argument
///
/// Each expansion boxes (or, for `&_`, borrows) one state `D` and hands C its address as the user
/// data, next to the trampoline `trampoline::<D>`, instantiated from the very same value, so that
/// the trampoline always casts the pointer back to the type it was made from. The remaining
/// obligations are C's, vouched for by the `unsafe` block the user wrote around the call: C calls
/// the trampoline with that pointer only, and for a boxed state that it calls it once
/// (`call_once`) or only before the destroy notify (`call_shared`, `destroy`); for a borrowed
/// one, only while the block runs, during which the state lives on the stack of the expansion. [`Registration::release`] carries the same obligation as an `unsafe fn`.
#[doc(hidden)]
pub mod private {
    use core::ffi::c_void;
    use std::any::Any;
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::thread;

    use super::{CPromise, CReturn, CStream, Registration};
    use crate::oneshot::SendValue;
    use crate::settler::AtomicSettler;
    use crate::{Overflow, StreamSender};

    /// Where a C callback hands its values: a promise's resolver or a stream's sender.
    pub trait Sink {
        type Value;
        fn deliver(&self, value: Self::Value);
        fn panicked(&self, payload: Box<dyn Any + Send>);
    }

    /// A promise's settler: lock-free, so that a C callback run in a signal handler cannot
    /// deadlock on it.
    pub struct PromiseSink<T>(AtomicSettler<thread::Result<T>>);

    // SAFETY: what the auto traits would derive (the settler moves a `thread::Result<T>` into
    // the channel, `Send` when `T` is; its payload is `Send`), with the bound spelled
    // `SendValue` so that an unmet bound says that the value must be `Send`, at this type.
    unsafe impl<T: SendValue> Send for PromiseSink<T> {}
    // SAFETY: as for `Send`: `&PromiseSink` only settles, which takes the sender with one swap.
    unsafe impl<T: SendValue> Sync for PromiseSink<T> {}

    pub struct StreamSink<T>(StreamSender<thread::Result<T>>);

    impl<T> Sink for PromiseSink<T> {
        type Value = T;

        #[inline]
        fn deliver(&self, value: T) {
            self.0.settle(Ok(value));
        }

        fn panicked(&self, payload: Box<dyn Any + Send>) {
            self.0.settle(Err(payload));
        }
    }

    impl<T> Sink for StreamSink<T> {
        type Value = T;

        #[inline]
        fn deliver(&self, value: T) {
            self.0.send(Ok(value));
        }

        fn panicked(&self, payload: Box<dyn Any + Send>) {
            self.0.send(Err(payload));
        }
    }

    #[inline]
    #[track_caller]
    pub fn promise<T>(callback: &'static &'static str) -> (PromiseSink<T>, CPromise<T>) {
        let (settler, promise) = crate::__private::promise_shared(callback);
        (PromiseSink(settler), CPromise { promise })
    }

    #[inline]
    pub fn stream<T>() -> (StreamSink<T>, CStream<T>) {
        let (sender, stream) = crate::stream_channel();
        (StreamSink(sender), CStream { stream })
    }

    /// [`stream`] with `stream(bound = N, overflow = ..)`.
    #[inline]
    pub fn stream_bounded<T>(bound: usize, overflow: Overflow) -> (StreamSink<T>, CStream<T>) {
        let (sender, stream) = crate::stream_channel_bounded_with(bound, overflow);
        (StreamSink(sender), CStream { stream })
    }

    /// `_(value)` in a C callback's body.
    #[inline]
    pub fn deliver<S: Sink>(sink: &S, value: S::Value)
    where
        S::Value: crate::oneshot::SendValue,
    {
        sink.deliver(value);
    }

    /// The state of a callback that C calls once: it owns the sink and the user's closure.
    pub struct OnceState<S, F> {
        sink: S,
        callback: F,
    }

    /// The state of a callback that C may call many times, from several threads.
    pub struct SharedState<S, F> {
        sink: S,
        callback: F,
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
    #[inline]
    fn run<S: Sink, R: CReturn>(sink: &S, body: impl FnOnce() -> R) -> R {
        match catch_unwind(AssertUnwindSafe(body)) {
            Ok(returned) => returned,
            Err(payload) => {
                sink.panicked(payload);
                R::on_panic()
            }
        }
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
        Box::into_raw(Box::new(state)).cast()
    }

    /// Boxes a state that C may call many times from several threads, until its destroy notify.
    #[inline]
    pub fn into_raw_shared<D: Send + Sync + 'static>(state: D) -> *mut c_void {
        Box::into_raw(Box::new(state)).cast()
    }

    /// The pointer to a state that C may use while the block runs, from several threads.
    #[inline]
    pub fn borrow_raw<D: Sync>(state: &D) -> *mut c_void {
        core::ptr::from_ref(state).cast_mut().cast()
    }

    /// Boxes a state that C may call until the program releases it.
    #[inline]
    pub fn registration<D: Send + Sync + 'static>(state: D) -> (*mut c_void, Registration) {
        let user_data = Box::into_raw(Box::new(state)).cast();
        (
            user_data,
            Registration {
                user_data,
                free: destroy::<D>,
            },
        )
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
        let state = unsafe { Box::from_raw(user_data.cast::<D>()) };
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
        drop(unsafe { Box::from_raw(user_data.cast::<D>()) });
    }
}

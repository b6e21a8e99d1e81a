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
//! `promisify!(unsafe { .. })` evaluates to a [`Promise<T>`](crate::Promise) (a future of the
//! value handed to `_(..)`), and `promisify!(stream unsafe { .. })` to a
//! [`CallbackStream<T>`](crate::CallbackStream) (each `_(..)` is one item), the types that Rust
//! callbacks make too; `(block's value, promise)` when the block's value is not `()`.
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
//! - **It returns** `Promise<T>`, `CallbackStream<T>`, or `(CallbackStream<T>, Registration)` for
//!   a stream with `_` and no destroy notify, as `promisify!` does; `(R, ..)` when the function
//!   returns `R`.
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
//! the awaiting side inside the same [`Promise`](crate::Promise) or
//! [`CallbackStream`](crate::CallbackStream) that Rust callbacks make, and resumed there when the
//! promise is polled (by `.await`, `wait`, `or_dropped` or `cancel`), or when the stream reaches
//! that item. C then receives [`CReturn::on_panic`], a zero value. The callback may be called from any
//! thread: the state must be `Send` (and `Sync` where C may call it several times), which the
//! compiler checks.
//!
//! # Callbacks without user data
//!
//! A C callback that gets no `void *` back (`signal()`, `sigaction`, `atexit`, `nftw`) is marked
//! `static` instead of taking a `_` parameter, with every parameter typed:
//! `promisify!(stream unsafe { signal(SIGUSR1, (static |sig: c_int| _(sig)) as sighandler_t) })`.
//! The trampoline is an `extern "C" fn` with those parameters, which reaches a
//! [`SlotStream`](crate::SlotStream) through a `static` slot declared at the call site: one live
//! use per call site (a second panics before the C call), calls taken without a lock nor an
//! allocation (so a signal handler may make them), ignored once the stream is dropped (C may keep
//! the pointer forever). The rules are in
//! [`promisify!`](crate::promisify#callbacks-without-user-data-a-static-slot). The generated code
//! has no `unsafe` of its own: the slot checks the state's type on every call.
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

/// The state of a C callback that C may call until told otherwise, and that no destroy notify
/// frees: `promisify!(stream unsafe { .. })` with `_` and no `|_| drop(_)`.
///
/// Free it with [`release`](Self::release) once C can no longer call the callback. Dropping it
/// instead leaks the state (a few words), so that a late call from C never reads freed memory; the
/// stream then never ends on its own.
///
/// ```
/// use std::ffi::{c_int, c_void};
/// use std::sync::Mutex;
/// use futures::StreamExt;
///
/// // A C library that calls a registered hook, with its user data, until it is unregistered.
/// type Hook = extern "C" fn(*mut c_void, c_int);
/// static HOOK: Mutex<Option<(Hook, usize)>> = Mutex::new(None);
/// unsafe extern "C" fn set_hook(hook: Option<Hook>, user_data: *mut c_void) {
///     *HOOK.lock().unwrap() = hook.map(|hook| (hook, user_data as usize));
/// }
/// fn fire(event: c_int) {
///     if let Some((hook, user_data)) = *HOOK.lock().unwrap() {
///         hook(user_data as *mut c_void, event);
///     }
/// }
///
/// let (events, registration) =
///     callback_async::promisify!(stream unsafe { set_hook(Some(|_, event: c_int| _(event)), _) });
/// fire(1);
/// fire(2);
/// // SAFETY: unregistering takes the library's lock, so no call of the hook is running after it.
/// unsafe { set_hook(None, std::ptr::null_mut()) };
/// // SAFETY: the hook is unregistered: C can no longer call it with this user data.
/// unsafe { registration.release() };
/// let events: Vec<c_int> = futures::executor::block_on(events.collect());
/// assert_eq!(events, [1, 2]);
/// ```
#[must_use = "dropping a `Registration` leaks the callback's state: `release` it once C can no \
              longer call the callback"]
pub struct Registration {
    user_data: *mut c_void,
    free: unsafe fn(*mut c_void),
}

// SAFETY: the pointer is only ever used by `release`, which frees a state that is `Send + Sync`
// (the hidden `registration` that makes it requires it).
unsafe impl Send for Registration {}
// SAFETY: `&Registration` gives no access to the pointer.
unsafe impl Sync for Registration {}

impl Registration {
    /// The registration of the state behind `user_data`, which `free` frees.
    ///
    /// # Safety
    ///
    /// `free` may be called once with `user_data`, once C no longer uses it.
    pub(crate) unsafe fn new(user_data: *mut c_void, free: unsafe fn(*mut c_void)) -> Self {
        Registration { user_data, free }
    }

    /// Frees the callback's state, which ends the stream.
    ///
    /// # Safety
    ///
    /// C must no longer be able to call the callback with this user data: the program
    /// unregistered it (`sqlite3_update_hook(db, None, ptr::null_mut())`) or closed what it was
    /// registered on, and no call is still running on another thread.
    pub unsafe fn release(self) {
        // SAFETY: `new`'s caller made `free` safe to call once with `user_data` (the hidden
        // `registration` passes `destroy::<D>` for the `D` it leaked), and it is called only here
        // (`self` is consumed); the caller guarantees that C no longer uses it.
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
///
/// ```
/// use callback_async::ffi::CReturn;
///
/// assert_eq!(<std::ffi::c_int as CReturn>::on_panic(), 0);
/// assert!(<*mut std::ffi::c_void as CReturn>::on_panic().is_null());
/// assert_eq!(<Option<extern "C" fn()> as CReturn>::on_panic(), None);
/// ```
#[diagnostic::on_unimplemented(
    message = "a C callback (or a `static` one) cannot return `{Self}`: it needs a value to return \
               when its body panics or no stream takes the call",
    label = "returns `{Self}`",
    note = "return `()`, `bool`, an integer, a float, a raw pointer or an `Option`: zero, `false`, \
            null or `None` is then returned for such a call"
)]
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

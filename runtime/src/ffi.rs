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
//! | `_(value)` | inside the callback's body: hands `value` to the awaiting side. This is where the C arguments, valid only during the call, become an owned Rust value. `_()` hands `()`, `_(a, b)` a tuple, and a body that is just `_` hands over the named arguments: not those written `_: T`, which it takes and ignores, as Rust callbacks' `\|a, _: T\| _` does |
//! | `#[user_data(EXPR)] \|ctx: *mut sqlite3_context, n: c_int\| ..` | a C callback whose user data is not one of its arguments but read from them: `EXPR` yields the `*mut c_void` (SQLite's `sqlite3_user_data(ctx)`; libuv's `uv_handle_get_data(handle)` and GLib's `g_task_get_task_data(task)` work the same way), and every parameter has its C type. See [below](#user-data-read-through-an-accessor) |
//! | `_` | where the user-data pointer (`*mut c_void`) goes: an argument of the call, or a field of a struct passed to it (`libc::sigval { sival_ptr: _ }`) |
//! | `&_` | the same pointer, borrowed: C may call the callback only until the block returns |
//! | `\|_\| drop(_)` | where the API takes a destroy-notify function for the user data (GLib's `GDestroyNotify`) |
//! | several C-callback closures | several callbacks behind the one user data (expat's `XML_SetElementHandler(parser, start, end)`): one trampoline each, one state holding every closure; their `_(..)` go to the one promise (first call wins) or stream (in the order they ran). See [Who frees the user data](#who-frees-the-user-data) |
//! | several `_`, one per C callback | each C callback is handed back its own pointer, paired by position: the n-th C callback (and the n-th destroy notify, if any) with the n-th `_`, in the order written. See [below](#two-user-data-pointers-in-one-call) |
//!
//! With `Some(..)` around the callback placeholder, it fits bindgen's
//! `Option<unsafe extern "C" fn(..)>`; without, the `extern "C" fn(..)` of the `libc` crate.
//!
//! `promisify!(unsafe { .. })` evaluates to a [`Promise<T>`](crate::Promise) (a future of the
//! value handed to `_(..)`), and `promisify!(stream unsafe { .. })` to a
//! [`CallbackStream<T>`](crate::CallbackStream) (each `_(..)` is one item), the types that Rust
//! callbacks make too; `(block's value, promise)` when the block's value is not `()`.
//!
//! ## User data read through an accessor
//!
//! Some C callbacks receive a context rather than the pointer, and read the pointer from it:
//! SQLite's scalar functions call `sqlite3_user_data(ctx)`, libuv's callbacks
//! `uv_handle_get_data(handle)`, GLib's `GTask` callbacks `g_task_get_task_data(task)`. Say so
//! with `#[user_data(EXPR)]` on the callback's closure: the trampoline reads the pointer from
//! `EXPR`, written in terms of the callback's parameters (and evaluated inside the trampoline's
//! `unsafe` block, which the `unsafe` block around the call vouches for, as it is written there);
//! `_` still goes where the call takes the pointer that the accessor gives back:
//!
//! ```
//! use std::ffi::{c_int, c_void};
//! use callback_async::promisify;
//!
//! // A C library whose callback gets a context, and reads the user data from it.
//! pub struct Context { user_data: *mut c_void, answer: c_int }
//! unsafe extern "C" fn context_user_data(ctx: *mut Context) -> *mut c_void {
//!     unsafe { (*ctx).user_data }
//! }
//! unsafe extern "C" fn call(f: extern "C" fn(*mut Context, c_int), user_data: *mut c_void) -> c_int {
//!     let mut ctx = Context { user_data, answer: 0 };
//!     f(&mut ctx, 21);
//!     ctx.answer
//! }
//!
//! let (answer, n) = promisify!(unsafe {
//!     call(
//!         #[user_data(context_user_data(ctx))]
//!         |ctx: *mut Context, n: c_int| {
//!             _(n);
//!             // SAFETY: the context C passed, valid during the call.
//!             unsafe { (*ctx).answer = 2 * n };
//!         },
//!         &_,
//!     )
//! });
//! assert_eq!((answer, futures::executor::block_on(n)), (42, 21));
//! ```
//!
//! It stands for this trampoline, written by hand (`promisify!` adds the panic's catching, as for
//! every C callback):
//!
//! ```
//! # use std::ffi::{c_int, c_void};
//! # pub struct Context { user_data: *mut c_void, answer: c_int }
//! # unsafe extern "C" fn context_user_data(ctx: *mut Context) -> *mut c_void {
//! #     unsafe { (*ctx).user_data }
//! # }
//! # unsafe extern "C" fn call(f: extern "C" fn(*mut Context, c_int), user_data: *mut c_void) -> c_int {
//! #     let mut ctx = Context { user_data, answer: 0 };
//! #     f(&mut ctx, 21);
//! #     ctx.answer
//! # }
//! use callback_async::Resolver;
//!
//! extern "C" fn trampoline(ctx: *mut Context, n: c_int) {
//!     // SAFETY: the user data is the resolver lent below, alive while `call` runs.
//!     let resolver = unsafe { &*context_user_data(ctx).cast::<Resolver<c_int>>() };
//!     resolver.resolve(n);
//!     // SAFETY: the context C passed, valid during the call.
//!     unsafe { (*ctx).answer = 2 * n };
//! }
//!
//! let (resolver, n) = callback_async::channel::<c_int>();
//! let user_data = std::ptr::from_ref(&resolver).cast_mut().cast();
//! // SAFETY: `call` calls `trampoline` during the call only, with `user_data` in the context.
//! let answer = unsafe { call(trampoline, user_data) };
//! assert_eq!((answer, futures::executor::block_on(n)), (42, 21));
//! ```
//!
//! ## Two user-data pointers in one call
//!
//! An API that takes two (callback, user data) pairs, or a block that registers two callbacks
//! (SQLite's `sqlite3_commit_hook` and `sqlite3_rollback_hook`), hands each callback back its own
//! pointer. Write one `_` per C callback: they pair **by position**, the n-th C callback (and the
//! n-th destroy notify) with the n-th `_`, in the order written. Both callbacks feed the call's
//! one promise or stream, here a stream of the program's own enum, in the order they ran:
//!
//! ```
//! use std::ffi::{c_int, c_void};
//! use futures::StreamExt;
//! use callback_async::promisify;
//!
//! type Callback = extern "C" fn(*mut c_void, c_int);
//! // Calls `on_start` with `start`, then `on_end` with `end`, during the call.
//! unsafe extern "C" fn parse(on_start: Callback, start: *mut c_void, on_end: Callback, end: *mut c_void) {
//!     on_start(start, 1);
//!     on_end(end, 2);
//! }
//!
//! #[derive(Debug, PartialEq)]
//! enum Event { Start(c_int), End(c_int) }
//!
//! let events = promisify!(stream unsafe {
//!     parse(|_, n: c_int| _(Event::Start(n)), &_, |_, n: c_int| _(Event::End(n)), &_)
//! });
//! let events: Vec<Event> = futures::executor::block_on(events.collect());
//! assert_eq!(events, [Event::Start(1), Event::End(2)]);
//! ```
//!
//! Each pointer has a state of its own (its closure), freed by the form's rule below, per
//! pointer: by its own call (`_` in a future), by its own destroy notify, when the block returns
//! (`&_`), or by the one [`Registration`] the call returns, whose `release` frees them all. The
//! states share the promise's resolver or the stream's sender through a reference count, freed
//! with the last of them: the stream ends when every pointer's state is freed. The pointers of
//! one call are all given (`_`) or all lent (`&_`), and have a destroy notify each or none; a
//! call whose placeholders do not pair so is a compile error that shows this form. Each closure
//! is `move`: give each its own clone of what both use.
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
//!   returns `R`, one flat tuple: `(R, CallbackStream<T>, Registration)`.
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
//! yielded. With several user-data pointers, each is freed by its row, and the sender with the
//! last of them ([above](#two-user-data-pointers-in-one-call)).
//!
//! **Several callbacks behind one user data** (expat's `XML_SetElementHandler(parser, start,
//! end)` with `XML_SetUserData(parser, _)`): write each as a C-callback closure; they share the
//! one `_`, and every `_(..)` of every one of them goes to the same promise (the first call wins)
//! or stream (items in the order the callbacks ran), so their values must have one type (an enum
//! of the user's). The state is freed once, by the rules above, after the last of them can no
//! longer be called: by the destroy notify, by [`Registration::release`] for a stream, or when
//! the block returns for `&_`. A future with `_` and no destroy notify is a compile error: no call
//! of one callback can know that none of the others will come after it. At most 6 callbacks
//! share one user data.
//!
//! ```
//! use std::ffi::{c_int, c_void};
//! use futures::StreamExt;
//!
//! #[derive(Debug, PartialEq)]
//! enum Event { Start(c_int), End(c_int) }
//!
//! /// A C API: calls `start(data, 1)`, then `end(data, 1)`, while it runs.
//! unsafe extern "C" fn walk(start: extern "C" fn(*mut c_void, c_int), end: extern "C" fn(*mut c_void, c_int), data: *mut c_void) {
//!     start(data, 1);
//!     end(data, 1);
//! }
//!
//! let events = callback_async::promisify!(stream unsafe {
//!     walk(|_, n: c_int| _(Event::Start(n)), |_, n: c_int| _(Event::End(n)), &_)
//! });
//! let events: Vec<Event> = futures::executor::block_on(events.collect());
//! assert_eq!(events, [Event::Start(1), Event::End(1)]);
//! ```
//!
//! Equivalent code without the macro: one state behind the pointer, and a trampoline for each
//! callback that reads it.
//!
//! ```
//! # use std::ffi::{c_int, c_void};
//! # #[derive(Debug, PartialEq)] enum Event { Start(c_int), End(c_int) }
//! # unsafe extern "C" fn walk(start: extern "C" fn(*mut c_void, c_int), end: extern "C" fn(*mut c_void, c_int), data: *mut c_void) { start(data, 1); end(data, 1); }
//! use callback_async::{CallbackStream, StreamSender};
//!
//! extern "C" fn start(data: *mut c_void, n: c_int) {
//!     // SAFETY: `data` is the sender lent below, alive while `walk` runs.
//!     unsafe { &*data.cast::<StreamSender<Event>>() }.send(Event::Start(n));
//! }
//! extern "C" fn end(data: *mut c_void, n: c_int) {
//!     // SAFETY: as in `start`.
//!     unsafe { &*data.cast::<StreamSender<Event>>() }.send(Event::End(n));
//! }
//!
//! let (sender, events) = CallbackStream::channel();
//! // SAFETY: `walk` calls both with the pointer it was given, only while it runs.
//! unsafe { walk(start, end, std::ptr::from_ref(&sender).cast_mut().cast()) };
//! drop(sender);
//! # let events: Vec<Event> = futures::executor::block_on(futures::StreamExt::collect(events));
//! # assert_eq!(events, [Event::Start(1), Event::End(1)]);
//! ```
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
//! Without the `std` feature nothing catches the panic: it follows the target's panic strategy
//! in the callback (on a microcontroller, the `#[panic_handler]`, which does not return), and a
//! panic that unwinds to the `extern "C"` trampoline aborts there, so it never unwinds into C
//! either (see [Without std](crate#without-std)).
//!
//! # Callbacks without user data
//!
//! A C callback that gets no `void *` back (`signal()`, `sigaction`, `atexit`, `nftw`) is marked
//! `static` instead of taking a `_` parameter, with every parameter typed:
//! `promisify!(stream unsafe { signal(SIGUSR1, (static |sig: c_int| _(sig)) as sighandler_t) })`.
//! The trampoline is an `extern "C" fn` with those parameters, which reaches a
//! [`CallbackStream`](crate::CallbackStream) through a `static` slot declared at the call site: one live
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
//! variables declared before `promisify!` but not inside the block. One C callback per user-data
//! placeholder.
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

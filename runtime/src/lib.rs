//! Await callback-based APIs, Rust or C, without rewriting them.
//!
//! Legacy and third-party code is full of functions that report their result through a callback.
//! `callback-async` turns such a call into a [`Promise`], a [`Future`] that any executor can
//! await, or into a [`CallbackStream`] when the callback fires many times, without touching the
//! legacy code.
//!
//! ```toml
//! [dependencies]
//! callback-async = "0.1"
//! futures = "0.3" # only for the examples' `block_on`: any executor awaits the futures
//! ```
//!
//! Rust 1.85 or later.
//!
//! # Before and after
//!
//! ```
//! use callback_async::callback_async;
//!
//! // Before: a legacy API that calls back, here from another thread.
//! #[callback_async]
//! fn fetch(url: &str, done: impl FnOnce(Result<Vec<u8>, String>) + Send + 'static) {
//!     let url = url.to_owned();
//!     std::thread::spawn(move || done(Ok(url.into_bytes())));
//! }
//!
//! // After: `#[callback_async]` kept `fetch` and added `fetch_async`.
//! # futures::executor::block_on(async {
//! let body = fetch_async("https://example.com").await?;
//! assert_eq!(body, b"https://example.com");
//! # Ok::<(), String>(())
//! # }).unwrap();
//! ```
//!
//! `fetch_async` calls `fetch` at once with a callback that settles the returned promise; the
//! promise borrows nothing, so it is `Send + 'static` and may outlive `url`.
//!
//! # Which form do I need?
//!
//! | situation | write | you get |
//! |---|---|---|
//! | your own function takes a callback | [`#[callback_async]`](macro@callback_async) on it | `NAME_async(..)`: a [`Promise<T>`](Promise), or `(R, Promise<T>)` when the function returns `R` |
//! | a call of an API you cannot annotate | [`promisify!(api.call(args, _))`](promisify!) | the same, for that one call |
//! | the callback fires many times | `#[callback_async(stream)]`, `promisify!(stream api.on_event(_))`; with a bound: `stream(bound = 64, overflow = block)` ([`Overflow`]) | a [`CallbackStream<T>`](CallbackStream) |
//! | progress, then completion | `#[callback_async(callback = done, progress = on_progress)]`, `promisify!(api.run(stream(_), _))` | `(CallbackStream<P>, Promise<T>)` |
//! | the callback returns a value to its API | a closure of your own that hands values over with `_(..)`: `promisify!(api.each(\|row: &Row\| -> bool { _(row.id()); true }))` ([the body form](macro@promisify#callbacks-that-return-a-value-to-their-api-the-body-form)) | a `Promise<T>`, or with `stream` a `CallbackStream<T>` |
//! | success and failure callbacks | `#[callback_async(ok = on_ok, err = on_err)]`, `promisify!(api.connect(Ok(_), Err(_)))` | a `Promise<Result<T, E>>` |
//! | a C callback with a `void *` user data | `promisify!(unsafe { c_call(\|_, n: c_int\| _(n), _) })`, or `#[callback_async(cb: \|_, n: c_int\| _(n), data: _)]` on the `extern` declaration ([`ffi`]) | a promise or a stream, as above; a panic in the callback is resumed where it is awaited |
//! | a plain `fn` or `extern "C" fn` without user data (`Option<fn(Progress)>`, `signal()`) | `promisify!(stream api(static \|p: Progress\| _(p)))`, or in `unsafe { .. }` for C ([static slot](macro@promisify#callbacks-without-user-data-a-static-slot)) | a [`CallbackStream<T>`](CallbackStream), fed without a lock (signal-safe) |
//! | stop the operation when the caller gives up | `#[callback_async(cancel = Handle::abort)]`, then [`promise.cancel().await`](Promise::cancel) | the hook runs when the promise is dropped; `cancel()` waits for the late value (`Some`) or the dropped callback (`None`) |
//! | offer async code to callback-based callers | [`#[callbackify]`](macro@callbackify) on an `async fn`, or [`callbackify()`] | `NAME_callback(args, spawn, callback)` |
//!
//! When a macro rejects your input, its error says what to write instead; the
//! [Troubleshooting](macro@promisify#troubleshooting) table lists every error with its fix, and
//! [Pitfalls seen on real crates](macro@promisify#pitfalls-seen-on-real-crates) the surprises of
//! real APIs (callbacks kept for the life of the process, event loops that call back only while
//! dispatched).
//!
//! # What it guarantees
//!
//! - **Settled once.** The first call of the callback settles the promise; later calls are ignored
//!   (and, with the `tracing` feature, logged).
//! - **No hang when the callback is dropped.** A callback dropped without being called wakes the
//!   awaiting task: awaiting panics with a message naming the function and its caller, and
//!   [`Promise::or_dropped`] gives [`Err(Dropped)`](Dropped) instead (see
//!   [`Promise`](Promise#when-the-callback-is-dropped)). A callback that the API keeps without ever
//!   calling it, or forgets (`mem::forget`), cannot be told from a slow one: that promise waits, as
//!   the future of any operation that never ends would. Give such an operation a `cancel = ..` hook
//!   or a timeout.
//! - **Nothing leaks when the future is dropped.** Dropping a promise or a stream is always fine; a
//!   later call of the callback is a silent no-op.
//! - **Any executor.** tokio, smol, `futures::executor` or your own; a promise is `Send` and
//!   `'static` when its value is.
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `std` | on | what needs threads: [`Promise::wait`] and `wait_timeout`, `Overflow::Block`, detecting a stream's sends from a signal handler, catching a C callback's panic; without it the crate is `#![no_std]` (see [Without std](#without-std)) |
//! | `tracing` | off | [`tracing`](https://docs.rs/tracing) warnings about callbacks dropped without being called, or called again after settling, naming the function or `promisify!` call and where it was called |
//!
//! # Without std
//!
//! With `default-features = false` the crate is `#![no_std]` and needs only `alloc`: a global
//! allocator, and atomics with compare-and-swap (Cortex-M3 and up, RISC-V with the `A`
//! extension; not Cortex-M0). Both macros and every form of them work there, C callbacks with
//! a `void *` user data included: promises, unbounded and bounded streams (`drop_oldest`,
//! `drop_newest`), `cancel()`, `close()`, `discarded()`, [`Registration`](ffi::Registration).
//!
//! | without `std` | why, and what to do instead |
//! |---|---|
//! | [`Promise::wait`], `wait_timeout` | no threads to block: `.await` the promise on your executor |
//! | `overflow = block` ([`Overflow`]`::Block`) | no thread for a producer to wait on: `drop_oldest` or `drop_newest` (naming `block` is a compile error: no variant `Block`) |
//! | a C callback's panic resumed where it is awaited | nothing catches a panic: it follows the target's panic strategy where it happens (the `#[panic_handler]`, or `panic = "abort"`) |
//! | detecting a stream's sends from a signal handler that interrupted the stream | not needed: see below |
//! | the `tracing` feature | it implies `std` |
//!
//! **The lock.** A promise is lock-free. A stream's queue (a `VecDeque` with its waker and
//! counters) is kept under a *critical section* from the
//! [`critical-section`](https://docs.rs/critical-section) crate, which your platform provides:
//! `cortex-m = { version = "0.7", features = ["critical-section-single-core"] }` on a single-core
//! Cortex-M, `esp-hal`, `rp2040-hal`'s or `embassy-rp`'s multi-core implementations, your RTOS's
//! crate; without one the build fails to link (`_critical_section_1_0_acquire`). On a single
//! core, a critical section masks interrupts, so an interrupt handler never finds the stream's
//! lock held by the code it interrupted: a stream's `send` is callable from an interrupt handler.
//! It never waits for anything but another core's critical section, and with a bound it never
//! allocates (the queue is allocated when the stream is made, for bounds up to 4,096); an
//! unbounded stream's send may grow its queue, inside the critical section. Otherwise the lock is
//! held for a few instructions; no user code runs under it. What the send does run, outside it,
//! is the consumer's waker (the executor's to make interrupt-safe) and, with `drop_oldest`, the
//! evicted item's `drop`.
//!
//! **An interrupt-driven C driver, awaited.** From `examples/embedded` in the repository, which
//! CI builds for `thumbv7em-none-eabihf` and runs on QEMU's Cortex-M4 (with `cortex-m`,
//! `cortex-m-rt`, `embedded-alloc` and an executor of its own in a few lines):
//!
//! ```ignore
//! #[callback_async]
//! unsafe extern "C" {
//!     // int32_t sensor_read(uint32_t channel, sensor_done_t done, void *user_data);
//!     // `done(user_data, status, value)` comes once, from the driver's interrupt handler.
//!     #[callback_async(done: |_, status: i32, value: u32| _(status, value), user_data: _)]
//!     fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32;
//! }
//!
//! // SAFETY: `sensor_read` calls `done` once with the user data, unless it fails (checked).
//! let (status, reading) = unsafe { sensor_read_async(1) };
//! assert_eq!(status, 0);
//! let (_, value) = reading.await;
//!
//! // Samples until the driver calls `release`; at most 4 queued, the oldest dropped.
//! let mut samples: CallbackStream<u32> = promisify!(stream(bound = 4) unsafe {
//!     sensor_subscribe(3, |_, _status: i32, value: u32| _(value), _, |_| drop(_))
//! });
//! ```
//!
//! Without the macros, the same program (`examples/embedded/src/hand_written.rs`) writes for each
//! callback what embedded code writes today with a signal cell: a `critical_section::Mutex` of a
//! queue and a waker, an `extern "C"` function that casts the user data back and delivers into
//! it, a `poll_fn` that takes from it, and the `Arc` leaked to C and reclaimed exactly once:
//!
//! ```ignore
//! unsafe extern "C" fn on_read(user_data: *mut c_void, status: i32, value: u32) {
//!     // SAFETY: `user_data` is the `Arc` that `read` leaked for this one call.
//!     let shared = unsafe { Arc::from_raw(user_data.cast_const().cast::<Shared<(i32, u32)>>()) };
//!     deliver(&shared, Some((status, value))); // queue it, take the waker, wake outside
//! }
//!
//! async fn read(channel: u32) -> (i32, u32) {
//!     let shared = shared(1);
//!     let user_data = Arc::into_raw(Arc::clone(&shared)).cast_mut().cast();
//!     // SAFETY: `sensor_read` calls `on_read` once with `user_data`.
//!     let status = unsafe { sensor_read(channel, on_read, user_data) };
//!     assert_eq!(status, 0);
//!     next(&shared).await.expect("the driver calls back once") // poll_fn over the queue
//! }
//! ```
//!
//! The macros add what that leaves out: a promise that reports a callback dropped uncalled,
//! `cancel`, a stream's overflow policy and count. The runtime and the generated code add 3.0 KB
//! of `.text` to that hand-written program on a Cortex-M4F (BENCHMARKS.md).
//!
//! # The pieces
//!
//! - [`#[callback_async]`](macro@callback_async) on a function, a method, an `impl` block or a
//!   trait generates the `Future`-returning version of each callback-taking function.
//! - [`promisify!`] does the same for one call of an API you cannot annotate, with `_` where the
//!   callback goes.
//! - `stream` mode (of both) turns a callback that fires many times into a [`CallbackStream`],
//!   unbounded or with a bound and an [`Overflow`] policy; [`CallbackStream::close`] ends it while
//!   the API still holds the callback.
//! - [`Promise::cancel`] and [`CallbackStream::cancel`] cancel the operation (its cancel hook) and
//!   resolve, through one [`Cancelling`] future, once the callback is called or dropped, with what
//!   arrived late.
//! - [`ffi`]: C callbacks with a `void *` user-data pointer, through `promisify!(unsafe { .. })` or
//!   `#[callback_async(param: placeholder)]` on an `extern` declaration. They make the same
//!   [`Promise`] and [`CallbackStream`], which carry a C callback's panic to the awaiting task.
//! - [`#[callbackify]`](macro@callbackify) and [`callbackify()`] go the other way, for old callers
//!   of new async code.
//! - [`Promise`] and its [`Resolver`] are the runtime the generated code uses, also usable by hand
//!   through [`Promise::new`] and [`channel`]; [`CallbackStream::channel`] and
//!   [`CallbackStream::bounded`] make a stream and its [`StreamSender`] by hand.
//!
//! The runtime is executor-agnostic (it works under tokio, smol, `futures::executor` or any other
//! executor) and is built on a oneshot channel of its own, specialised for promises (one
//! allocation per call, one atomic add to settle, one load to take the value; loom-checked). A
//! callback that is dropped without being called never leaves a task hanging: see
//! [`Promise`](Promise#when-the-callback-is-dropped).
//!
//! # Three models of asynchronous code
//!
//! Slow work (I/O, a computation, a timer) can be waited for in three ways; this crate bridges the
//! second to the third.
//!
//! 1. **Synchronous code, made concurrent with threads.** The slow function blocks its thread;
//!    other threads go on. From async code, hand such a call to a thread pool with
//!    [`tokio::task::spawn_blocking`](https://docs.rs/tokio/latest/tokio/task/fn.spawn_blocking.html)
//!    or [`blocking::unblock`](https://docs.rs/blocking/latest/blocking/fn.unblock.html); this
//!    crate does not rewrite them.
//!
//!    ```
//!    fn slow_sum(n: u64) -> u64 { (1..=n).sum() }
//!
//!    # tokio::runtime::Runtime::new().unwrap().block_on(async {
//!    let sum = tokio::task::spawn_blocking(|| slow_sum(100)).await.unwrap();
//!    assert_eq!(sum, 5050);
//!    # });
//!    ```
//!
//! 2. **Callbacks.** The slow function takes a function to run when it finishes. Make it awaitable
//!    with [`#[callback_async]`](macro@callback_async) where you own the code:
//!
//!    ```
//!    #[callback_async::callback_async]
//!    fn slow_sum(n: u64, done: impl FnOnce(u64) + Send + 'static) {
//!        std::thread::spawn(move || done((1..=n).sum()));
//!    }
//!
//!    # futures::executor::block_on(async {
//!    assert_eq!(slow_sum_async(100).await, 5050);
//!    # });
//!    ```
//!
//! 3. **Promises.** A value that stands for the work and is concluded by a call to either a
//!    resolving or a rejecting function, both handed to the function passed to the promise:
//!    [`Promise::new`] (one resolver) and [`Promise::new_fallible`] (resolve and reject).
//!
//!    ```
//!    use callback_async::Promise;
//!
//!    # futures::executor::block_on(async {
//!    let checked = Promise::new_fallible(|resolve, reject| {
//!        std::thread::spawn(move || {
//!            let n: u64 = (1..=100).sum();
//!            if n % 2 == 0 { resolve(n) } else { reject("odd") }
//!        });
//!    });
//!    assert_eq!(checked.await, Ok(5050));
//!    # });
//!    ```
//!
//! # JavaScript's promise methods, the Rust way
//!
//! A [`Promise`] is a plain [`Future`], so the combinators of the
//! [`futures`](https://docs.rs/futures) crate apply and this crate does not reimplement them:
//!
//! | JavaScript | Rust |
//! |---|---|
//! | `p.then(f)` | `p.map(f)` ([`FutureExt::map`](https://docs.rs/futures/latest/futures/future/trait.FutureExt.html#method.map)), or `p.and_then(f)` on a `Result` ([`TryFutureExt::and_then`](https://docs.rs/futures/latest/futures/future/trait.TryFutureExt.html#method.and_then)) |
//! | `p.catch(f)` | [`TryFutureExt::or_else`](https://docs.rs/futures/latest/futures/future/trait.TryFutureExt.html#method.or_else) |
//! | `p.finally(f)` | `p.map(\|v\| { f(); v })`, or code after the `.await` |
//! | `Promise.all(ps)` | [`join_all`](https://docs.rs/futures/latest/futures/future/fn.join_all.html), or [`try_join_all`](https://docs.rs/futures/latest/futures/future/fn.try_join_all.html) to stop at the first rejection |
//! | `Promise.race(ps)` | [`select`](https://docs.rs/futures/latest/futures/future/fn.select.html) / [`select_all`](https://docs.rs/futures/latest/futures/future/fn.select_all.html) |
//! | `Promise.allSettled(ps)` | `join_all` of promises of `Result` |
//! | `Promise.any(ps)` | [`select_ok`](https://docs.rs/futures/latest/futures/future/fn.select_ok.html) |
//! | `Promise.resolve(v)` / `Promise.reject(e)` | [`Promise::resolved`] / [`Promise::rejected`] |
//!
//! ```
//! use callback_async::Promise;
//! use futures::future::{self, FutureExt, TryFutureExt};
//!
//! fn work(n: u32) -> Promise<Result<u32, String>> {
//!     Promise::new_fallible(move |resolve, reject| {
//!         std::thread::spawn(move || if n > 0 { resolve(n) } else { reject(format!("{n}")) });
//!     })
//! }
//!
//! # futures::executor::block_on(async {
//! // then / catch / finally
//! let doubled = work(2).map_ok(|n| n * 2).await;
//! assert_eq!(doubled, Ok(4));
//! let recovered = work(0).or_else(|e| async move { Ok::<u32, String>(e.len() as u32) }).await;
//! assert_eq!(recovered, Ok(1));
//! let mut cleaned = false;
//! let value = work(3).map(|v| { cleaned = true; v }).await;
//! assert!(cleaned && value == Ok(3));
//! // all / allSettled
//! assert_eq!(future::try_join_all([work(1), work(2)]).await, Ok(vec![1, 2]));
//! assert_eq!(
//!     future::join_all([work(1), work(0)]).await,
//!     vec![Ok(1), Err("0".to_owned())],
//! );
//! // race / any
//! let (first, _index, _others) = future::select_all([work(5), Promise::resolved(Ok(6))]).await;
//! assert!(matches!(first, Ok(5 | 6)));
//! let (any, _) = future::select_ok([work(0), work(7)]).await.unwrap();
//! assert_eq!(any, 7);
//! # });
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Always `no_std`, so that both builds name `alloc` and `core` alike; `std` only where it is gated.
#![no_std]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod callbackify;
mod cancel;
pub mod ffi;
mod generated;
#[cfg(not(feature = "std"))]
mod interrupt_lock;
mod oneshot;
mod panic;
mod promise;
mod resolver;
mod slot;
mod stream;
mod sync;
mod take_once;
mod trace;
#[cfg(feature = "std")]
mod wait;

#[doc(hidden)]
pub mod __private;

pub use callbackify::{BoxFuture, callbackify};
pub use cancel::Cancelling;
pub use promise::{Dropped, OrDropped, Promise, channel};
pub use resolver::Resolver;
pub use stream::{CallbackStream, Overflow, StreamSender};

#[doc = include_str!("docs/callback_async.md")]
pub use callback_async_macros::callback_async;

// A `macro_rules!` in front of the proc macro, so that the expansion can name the runtime by
// `$crate`: it then works through any crate that re-exports this one (tokio's `select!` forwards
// the same way).
#[doc = include_str!("docs/promisify.md")]
#[macro_export]
macro_rules! promisify {
    ($($input:tt)*) => {
        $crate::__private::promisify_forwarded!([$crate] $($input)*)
    };
}

#[doc = include_str!("docs/callbackify.md")]
pub use callback_async_macros::callbackify;

/// The README's examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

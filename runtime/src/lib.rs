//! Await callback-based APIs.
//!
//! Legacy and third-party Rust code is full of functions that report their result through a
//! callback. `callback-async` turns such a call into a [`Promise`], a [`Future`](core::future::Future)
//! that any executor can await, without touching the legacy code.
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
//! # The pieces
//!
//! - [`#[callback_async]`](macro@callback_async) on a function, a method, an `impl` block or a
//!   trait generates the `Future`-returning version of each callback-taking function.
//! - [`Promise`] and its [`Resolver`] are the runtime the generated code uses, also usable by hand
//!   through [`Promise::new`] and [`channel`].
//!
//! The runtime is executor-agnostic (it works under tokio, smol, `futures::executor` or any other
//! executor) and is built on the [`oneshot`](https://docs.rs/oneshot) channel: one allocation per
//! call. A callback that is dropped without being called never leaves a task hanging: see
//! [`Promise`](Promise#when-the-callback-is-dropped).
#![deny(missing_docs)]

mod promise;
mod resolver;

#[doc(hidden)]
pub mod __private;

pub use promise::{Dropped, OrDropped, Promise, channel};
pub use resolver::Resolver;

#[doc(inline)]
pub use callback_async_macros::callback_async;

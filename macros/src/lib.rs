//! Procedural macros of [`callback-async`](https://docs.rs/callback-async). Depend on that crate,
//! which re-exports them and holds the runtime their expansions use. This crate is a thin shell:
//! the expansions are written in `callback-async-macros-core`, a plain library.
#![deny(missing_docs)]

use proc_macro::TokenStream;

/// Generates the `Future`-returning version of a callback-taking function. See the documentation
/// of `callback_async::callback_async`.
#[proc_macro_attribute]
pub fn callback_async(args: TokenStream, input: TokenStream) -> TokenStream {
    callback_async_macros_core::callback_async(args.into(), input.into()).into()
}

/// `promisify!` as `callback_async::promisify!` forwards it, with the runtime's `$crate` first in
/// brackets: see the documentation of `callback_async::promisify`.
#[doc(hidden)]
#[proc_macro]
pub fn promisify_forwarded(input: TokenStream) -> TokenStream {
    callback_async_macros_core::promisify_forwarded(input.into()).into()
}

/// Generates the callback version of an `async fn`, for legacy callers. See the documentation of
/// `callback_async::callbackify`.
#[proc_macro_attribute]
pub fn callbackify(args: TokenStream, input: TokenStream) -> TokenStream {
    callback_async_macros_core::callbackify(args.into(), input.into()).into()
}

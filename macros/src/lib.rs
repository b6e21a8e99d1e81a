//! Procedural macros of [`callback-async`](https://docs.rs/callback-async). Depend on that crate,
//! which re-exports them and holds the runtime their expansions use.
#![deny(missing_docs)]

mod args;
mod c_function;
mod callback;
mod callbackify;
mod expand;
mod ffi;
mod function;
mod generics;
mod promisify;
mod tokens;

use proc_macro::TokenStream;

/// Generates the `Future`-returning version of a callback-taking function. See the documentation
/// of `callback_async::callback_async`.
#[proc_macro_attribute]
pub fn callback_async(args: TokenStream, input: TokenStream) -> TokenStream {
    expand::callback_async(args.into(), input.into()).into()
}

/// Wraps one call of a callback API, with `_` where the callback goes, in a promise (or a stream).
/// See the documentation of `callback_async::promisify`.
#[proc_macro]
pub fn promisify(input: TokenStream) -> TokenStream {
    promisify::promisify(input.into()).into()
}

/// Generates the callback version of an `async fn`, for legacy callers. See the documentation of
/// `callback_async::callbackify`.
#[proc_macro_attribute]
pub fn callbackify(args: TokenStream, input: TokenStream) -> TokenStream {
    callbackify::callbackify(args.into(), input.into()).into()
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod snapshots;

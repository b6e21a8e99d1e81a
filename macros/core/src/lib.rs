//! The expansion logic of [`callback-async`](https://docs.rs/callback-async)'s macros, as a plain
//! library: `callback-async-macros` is the proc-macro shell that calls it, and this crate's
//! tests (the fuzzer, the expansion snapshots) call it directly. Depend on `callback-async`.
//!
//! Modules, with imports flowing down this list only:
//! - entry points: `item` (`#[callback_async]`), `promisify`, `callbackify`;
//! - the two forms of a generated function: `rust_fn` (Rust callbacks) and `c_fn` (C callbacks
//!   with user data, shared with `promisify!(unsafe { .. })`);
//! - what they read: `signature`, `params` (the generated function's parameters, for every
//!   macro), `callback`, `owned`, `generics`, `options`, `placeholders` (the one placeholder
//!   engine: finds and classifies the placeholders of `promisify!` and of the C forms once, and
//!   fills their slots by index), `selection` (which callbacks settle together: one, an `ok`/`err`
//!   pair, or progress beside a completion), `flow` (a stream's bound and overflow policy, and the
//!   call that makes a bounded stream);
//! - what everything uses: `error`, `root`, `handover` (`_(value)`), `accessor` (a C callback's
//!   `#[user_data(..)]`), `splice` (appending a generated piece whole).

mod accessor;
mod c_fn;
mod callback;
mod callbackify;
mod error;
mod flow;
mod generics;
mod handover;
mod item;
mod options;
mod owned;
mod params;
mod placeholders;
mod promisify;
mod root;
mod rust_fn;
mod selection;
mod signature;
mod splice;

use proc_macro2::TokenStream;

/// `#[callback_async(args)]` on `input`.
pub fn callback_async(args: TokenStream, input: TokenStream) -> TokenStream {
    item::callback_async(args, input)
}

/// `promisify!(input)`, for a runtime reached as `::callback_async`.
pub fn promisify(input: TokenStream) -> TokenStream {
    promisify::promisify(input)
}

/// `promisify!` as the runtime's `macro_rules! promisify` forwards it: `[$crate] INPUT`.
pub fn promisify_forwarded(input: TokenStream) -> TokenStream {
    promisify::promisify_forwarded(input)
}

/// `#[callbackify(args)]` on `input`.
pub fn callbackify(args: TokenStream, input: TokenStream) -> TokenStream {
    callbackify::callbackify(args, input)
}

//! The behaviour tests of `tests/tests`, compiled again from this crate, which is on edition 2021
//! (the workspace, and so the `callback-async-tests` crate that runs them first, is on 2024).
//! Between the two, `impl Trait` in return position captures different lifetimes, temporaries in
//! a block's tail expression and in `if let` live for different scopes, and `unsafe` operations in
//! an `unsafe fn` need an `unsafe` block only on 2024: each is a way for the code that
//! `#[callback_async]`, `promisify!` and `#[callbackify]` generate to compile, warn or behave
//! differently in the user's crate.
//!
//! `allocations.rs` and `promise_model.rs` each install a counting `#[global_allocator]`, and a
//! crate can have only one: they run from `edition2021_allocations.rs` and
//! `edition2021_promise_model.rs`, crates of their own.
// Each included file brings its own copy of `tests/tests/support/panics.rs`, as it does in the
// `tests` crate, where every file is a crate of its own.
#![allow(clippy::duplicate_mod)]

#[path = "../../tests/tests/attribute.rs"]
mod attribute;
#[path = "../../tests/tests/executors.rs"]
mod executors;
#[path = "../../tests/tests/ffi_attribute.rs"]
mod ffi_attribute;
// Public, as its items are at the root of its own crate: otherwise the trait it only declares would
// be dead code under its `#![deny(warnings)]`.
#[path = "../../tests/tests/lints.rs"]
pub mod lints;
#[path = "../../tests/tests/methods.rs"]
mod methods;
#[path = "../../tests/tests/migration.rs"]
mod migration;
#[path = "../../tests/tests/promisify.rs"]
mod promisify;
#[path = "../../tests/tests/runtime.rs"]
mod runtime;
#[path = "../../tests/tests/streams.rs"]
mod streams;

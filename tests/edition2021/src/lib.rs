//! The behaviour tests of `tests/tests`, run again from a crate on edition 2021 (the workspace, and
//! so the `callback-async-tests` crate that runs them first, is on 2024). Between the two, `impl
//! Trait` in return position captures different lifetimes, temporaries in a block's tail
//! expression and in `if let` live for different scopes, and `unsafe` operations in an `unsafe fn`
//! need an `unsafe` block only on 2024: each is a way for the code that `#[callback_async]`,
//! `promisify!` and `#[callbackify]` generate to compile, warn or behave differently in the user's
//! crate.
//!
//! There is no list of the files to run. This crate's `tests` is a symbolic link to `../tests`,
//! the `callback-async-tests` crate's `tests/`, so Cargo finds each `tests/tests/NAME.rs` as a
//! test target of this crate too (`cargo test -p callback-async-tests-edition2021 --test NAME`):
//! a new file runs on both editions as soon as it exists. Each file is a crate of its own here as
//! it is there, so a file that installs a `#[global_allocator]` (`allocations.rs`,
//! `promise_model.rs`, `panics.rs`, `ffi_leaks.rs`, `stress.rs`), holds one `#[test]` so that
//! nothing else allocates meanwhile, or sets crate-level lints (`lints.rs`, `ffi_lints.rs`) runs
//! as it does on 2024. (Including the files as modules of one crate, from a list written by a
//! build script, would have needed a crate of its own, so a target listed by hand, for each file
//! with an allocator: a build script cannot add targets.)
//!
//! `build.rs` sets `cfg(edition2021)` here; a file that must not run from this crate opts out
//! with `#![cfg(not(edition2021))]` and a comment saying why. Only `compiletest.rs` does: its
//! trybuild cases and `.stderr` snapshots are compiled on the workspace's edition. `ffi_gio.rs`
//! runs here behind this crate's `gio` feature, as it does behind the tests crate's.
//!
//! This library itself is empty: Cargo needs a target besides the tests.

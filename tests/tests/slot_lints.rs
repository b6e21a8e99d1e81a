//! The expansions of `static |..|` callbacks compile warning-free under the strictest lints a user
//! may set (clippy runs on this file in CI), and the Rust form's has no `unsafe` of its own.
#![cfg(target_os = "linux")]
#![deny(
    warnings,
    missing_docs,
    clippy::pedantic,
    rust_2018_idioms,
    unused_qualifications,
    unsafe_code,
    unsafe_op_in_unsafe_fn
)]

use std::ffi::c_int;

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;

/// A Rust API that takes a plain `fn` and calls it during the call.
fn each(names: &[&str], callback: fn(usize, &str) -> bool) -> usize {
    names
        .iter()
        .enumerate()
        .filter(|(i, name)| callback(*i, name))
        .count()
}

/// The Rust form, with a borrowed parameter and a return value.
fn rust_form(names: &[&str]) -> (usize, CallbackStream<(usize, String)>) {
    promisify!(stream(bound = 8, overflow = drop_newest) each(names, static |i: usize, name: &str| -> bool {
        _(i, name.to_owned());
        true
    }))
}

/// The C form, on `signal()`.
#[allow(unsafe_code)]
fn c_form() -> (libc::sighandler_t, CallbackStream<c_int>) {
    // SAFETY: the handler pushes into a preallocated queue with atomics.
    promisify!(stream unsafe {
        libc::signal(libc::SIGUSR2, (static |sig: c_int| _(sig)) as libc::sighandler_t)
    })
}

#[test]
fn lint_clean_slot_expansions_still_work() {
    futures::executor::block_on(async {
        let (kept, mut names) = rust_form(&["a", "b"]);
        assert_eq!(kept, 2);
        names.close();
        let names: Vec<(usize, String)> = names.collect().await;
        assert_eq!(names, [(0, "a".to_owned()), (1, "b".to_owned())]);
        let (previous, signals) = c_form();
        assert_ne!(previous, libc::SIG_ERR);
        drop(signals);
    });
}

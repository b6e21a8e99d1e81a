//! `promisify!` chooses its result's shape (`promise`, or `(value, promise)` when the call
//! returns a value) by method resolution, which also tries the traits in the user's scope: a trait
//! with a blanket `finish(self)`, the likeliest name for such a method, is in scope here, and every
//! shape is still the macro's own.

use std::ffi::{c_int, c_void};

use callback_async::{CallbackStream, Promise, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// What a user's builder-style crate may well bring into scope: a `finish` for every type.
trait Finish: Sized {
    fn finish(self) -> &'static str {
        "the user's trait"
    }
}

impl<T> Finish for T {}

/// Calls back on a worker, returning nothing.
fn later(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    std::thread::spawn(move || done(n + 1));
}

/// Calls back on a worker, returning a handle to the work.
fn later_with_handle(n: u32, done: impl FnOnce(u32) + Send + 'static) -> usize {
    std::thread::spawn(move || done(n * 2));
    7
}

/// Reports progress, then completes, on a worker; returns a handle to the work.
fn copy(
    size: u64,
    mut progress: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(u64) + Send + 'static,
) -> usize {
    std::thread::spawn(move || {
        (1..=size).for_each(&mut progress);
        done(size);
    });
    3
}

/// The same without a handle.
fn copy_quietly(
    size: u64,
    progress: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(u64) + Send + 'static,
) {
    copy(size, progress, done);
}

/// A C-style API: calls `callback(user_data, 5)` at once and returns a status.
///
/// # Safety
/// `callback` must accept `user_data`.
unsafe extern "C" fn call_back(
    callback: extern "C" fn(*mut c_void, c_int),
    user_data: *mut c_void,
) -> c_int {
    callback(user_data, 5);
    1
}

#[test]
fn a_call_returning_unit_gives_the_promise() {
    // The user's trait is really in scope: it answers for any other value.
    assert_eq!(1_u8.finish(), "the user's trait");
    watchdog(|| async {
        let promise: Promise<u32> = promisify!(later(1, _));
        assert_eq!(promise.await, 2);
    });
}

#[test]
fn a_call_returning_a_value_gives_the_value_and_the_promise() {
    watchdog(|| async {
        let (handle, promise): (usize, Promise<u32>) = promisify!(later_with_handle(4, _));
        assert_eq!(handle, 7);
        assert_eq!(promise.await, 8);

        // The C form chooses its shape the same way.
        let (status, promise): (c_int, Promise<c_int>) =
            promisify!(unsafe { call_back(|_, n: c_int| _(n), _) });
        assert_eq!(status, 1);
        assert_eq!(promise.await, 5);
    });
}

#[test]
fn a_call_with_progress_gives_the_stream_and_the_promise() {
    watchdog(|| async {
        let (progress, done): (CallbackStream<u64>, Promise<u64>) =
            promisify!(copy_quietly(3, stream(|n: u64| _), _));
        assert_eq!(progress.collect::<Vec<_>>().await, [1, 2, 3]);
        assert_eq!(done.await, 3);

        let (handle, progress, done): (usize, CallbackStream<u64>, Promise<u64>) =
            promisify!(copy(2, stream(|n: u64| _), _));
        assert_eq!(handle, 3);
        assert_eq!(progress.collect::<Vec<_>>().await, [1, 2]);
        assert_eq!(done.await, 2);
    });
}

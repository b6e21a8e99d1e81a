//! A C callback's panic travels inside the same `Promise` and `CallbackStream` as every other
//! form's value: the promise resumes it through `.await`, `wait`, `wait_timeout`, `or_dropped`
//! and `cancel`; the stream resumes it when it reaches that item, and goes on after it.
//!
//! The "C library" is `each`, an `extern "C"` function that calls its callback once per value,
//! on the caller's thread, before it returns: nothing here waits for another thread.

use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Duration;

use callback_async::{CallbackStream, Promise, promisify};
use futures::StreamExt;
use futures::executor::block_on;

/// Calls `callback(user_data, value)` for each of `values`, as a C iteration API does.
///
/// # Safety
///
/// `values` points to `len` values, and `callback` accepts `user_data`.
unsafe extern "C" fn each(
    values: *const c_int,
    len: usize,
    callback: extern "C" fn(*mut c_void, c_int) -> c_int,
    user_data: *mut c_void,
) {
    // SAFETY: the caller guarantees `len` values at `values`.
    let values = unsafe { std::slice::from_raw_parts(values, len) };
    for &value in values {
        callback(user_data, value);
    }
}

/// A promise of the first value, whose callback panics on `2`.
fn first(values: &[c_int]) -> Promise<c_int> {
    promisify!(unsafe {
        each(
            values.as_ptr(),
            values.len(),
            |_, n: c_int| -> c_int {
                assert_ne!(n, 2, "two is refused");
                _(n);
                0
            },
            &_,
        )
    })
}

/// A stream of every value, whose callback panics on `2`.
fn all(values: &[c_int]) -> CallbackStream<c_int> {
    promisify!(stream unsafe {
        each(
            values.as_ptr(),
            values.len(),
            |_, n: c_int| -> c_int {
                assert_ne!(n, 2, "two is refused");
                _(n);
                0
            },
            &_,
        )
    })
}

/// The message of the panic that `run` resumed.
fn panic_message<R>(run: impl FnOnce() -> R) -> String {
    let Err(payload) = catch_unwind(AssertUnwindSafe(run)) else {
        panic!("the C callback's panic was not resumed");
    };
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => (*payload.downcast::<&str>().expect("a panic message")).to_owned(),
    }
}

#[test]
fn every_way_of_awaiting_a_promise_resumes_the_panic() {
    let refused = |message: String| assert!(message.contains("two is refused"), "{message}");
    refused(panic_message(|| block_on(first(&[2, 3]))));
    refused(panic_message(|| first(&[2]).wait()));
    refused(panic_message(|| {
        first(&[2]).wait_timeout(Duration::from_secs(5)).is_ok()
    }));
    refused(panic_message(|| first(&[2]).or_dropped().wait()));
    refused(panic_message(|| block_on(first(&[2]).cancel())));
}

#[test]
fn a_value_before_the_panic_wins() {
    assert_eq!(first(&[1, 2]).wait(), 1);
    assert_eq!(block_on(first(&[1, 2]).cancel()), Some(1));
}

#[test]
fn the_stream_resumes_the_panic_at_its_item_and_goes_on() {
    let mut stream = all(&[1, 2, 3]);
    assert_eq!(
        block_on(stream.next()),
        Some(1),
        "the item before the panic comes first"
    );
    let message = panic_message(|| block_on(stream.next()));
    assert!(message.contains("two is refused"), "{message}");
    assert_eq!(block_on(stream.next()), Some(3), "then the items after it");
    assert_eq!(block_on(stream.next()), None);
    assert_eq!(stream.discarded(), 0);
}

#[test]
fn a_panic_first_or_last_in_the_stream() {
    let mut stream = all(&[2, 1]);
    assert!(panic_message(|| block_on(stream.next())).contains("two is refused"));
    assert_eq!(block_on(stream.next()), Some(1));
    let mut stream = all(&[1, 2]);
    assert_eq!(block_on(stream.next()), Some(1));
    assert!(panic_message(|| block_on(stream.next())).contains("two is refused"));
    assert_eq!(block_on(stream.next()), None, "then the stream ends");
}

#[test]
fn cancelling_a_stream_resumes_its_panic() {
    let message = panic_message(|| block_on(all(&[1, 2, 3]).cancel()));
    assert!(message.contains("two is refused"), "{message}");
    assert_eq!(block_on(all(&[1, 3]).cancel()), [1, 3]);
}

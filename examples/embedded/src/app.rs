//! The driver's C API awaited through the macros: `#[callback_async]` on its declaration, and
//! `promisify!` at a call. `hand_written.rs` is the same program without them.

use core::ffi::c_void;
use core::future::poll_fn;
use core::pin::Pin;

use callback_async::{CallbackStream, callback_async, promisify};
use futures_core::Stream;

use crate::driver::{Done, Release};

#[callback_async]
unsafe extern "C" {
    /// Reads `channel`: `done(user_data, status, value)` once, from the driver's interrupt.
    #[callback_async(done: |_, status: i32, value: u32| _(status, value), user_data: _)]
    fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32;

    fn sensor_subscribe(count: u32, on_sample: Done, user_data: *mut c_void, release: Release);
}

/// Two readings and a stream of samples; their sum.
pub async fn run() -> u32 {
    // SAFETY: `sensor_read` calls `done` once with the user data, unless it fails (checked).
    let (status, reading) = unsafe { sensor_read_async(1) };
    assert_eq!(status, 0, "the driver is idle");
    let (_, first) = reading.await;

    // The same call through `promisify!`, where the declaration cannot be annotated.
    // SAFETY: as above.
    let (status, reading) =
        promisify!(unsafe { sensor_read(2, |_, status: i32, value: u32| _(status, value), _) });
    assert_eq!(status, 0, "the driver is idle");
    let (_, second) = reading.await;

    // SAFETY: `sensor_subscribe` calls `on_sample` with the user data, then `release` once.
    let mut samples: CallbackStream<u32> = promisify!(stream(bound = 4) unsafe {
        sensor_subscribe(3, |_, _status: i32, value: u32| _(value), _, |_| drop(_))
    });
    let mut sum = first + second;
    while let Some(sample) = poll_fn(|cx| Pin::new(&mut samples).poll_next(cx)).await {
        sum += sample;
    }
    sum
}

//! The runtime's `no_std` build at work, on the host:
//! `cargo test -p callback-async --no-default-features --test no_std`, with `critical-section`'s
//! `std` implementation as the stream's lock. The same file runs in the `std` build too.
//!
//! The C API is vendor-style: `sensor_read(channel, done, user_data)` returns at once and calls
//! `done(user_data, status, value)` later, from its "interrupt" (another thread here; the embedded
//! example, `examples/embedded`, calls back from a real exception handler).

use core::ffi::c_void;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use callback_async::{CallbackStream, Dropped, Overflow, Promise, callback_async, promisify};
use futures::StreamExt;
use futures::executor::block_on;

/// The callback of [`sensor_read`] and [`sensor_subscribe`].
type Done = unsafe extern "C" fn(user_data: *mut c_void, status: i32, value: u32);

/// The fake driver, written in Rust under C names.
mod driver {
    use super::{Done, c_void, thread};

    /// The user data on its way to the driver's "interrupt" thread.
    struct UserData(*mut c_void);

    // SAFETY: the driver only hands the pointer back to the callbacks, which the caller made for
    // use from any thread (the macros' states are `Send`).
    unsafe impl Send for UserData {}

    impl UserData {
        /// The pointer (a method, so that a closure captures the whole `Send` wrapper).
        fn get(&self) -> *mut c_void {
            self.0
        }
    }

    /// Starts a read of `channel`; its "interrupt" calls `done` once, with `channel * 10`.
    #[unsafe(no_mangle)]
    extern "C" fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32 {
        let user_data = UserData(user_data);
        // SAFETY: `done` accepts `user_data`, which the caller handed over with it.
        thread::spawn(move || unsafe { done(user_data.get(), 0, channel * 10) });
        0
    }

    /// Calls `done` `count` times from its "interrupt", then `notify`, and never again.
    #[unsafe(no_mangle)]
    extern "C" fn sensor_subscribe(
        count: u32,
        done: Done,
        user_data: *mut c_void,
        notify: unsafe extern "C" fn(*mut c_void),
    ) {
        let user_data = UserData(user_data);
        thread::spawn(move || {
            let user_data = user_data.get();
            // SAFETY: `done` and `notify` accept `user_data`; `notify` comes last, once.
            unsafe {
                (0..count).for_each(|i| done(user_data, 0, i));
                notify(user_data);
            }
        });
    }
}

#[callback_async]
unsafe extern "C" {
    #[callback_async(done: |_, status: i32, value: u32| _(status, value), user_data: _)]
    fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32;
}

unsafe extern "C" {
    fn sensor_subscribe(
        count: u32,
        done: Done,
        user_data: *mut c_void,
        notify: unsafe extern "C" fn(*mut c_void),
    );
}

/// Runs `test` on a thread of its own, failing if it does not finish in time.
fn watchdog<T: Send + 'static>(test: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = mpsc::channel();
    let thread = thread::spawn(move || done.send(test()));
    let value = finished.recv_timeout(Duration::from_secs(30));
    match value {
        Ok(value) => value,
        Err(_) => match thread.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(_) => panic!("the test did not finish in 30 s"),
        },
    }
}

#[test]
fn the_attribute_awaits_a_c_callback_from_an_interrupt() {
    let (status, reading) = watchdog(|| {
        // SAFETY: `sensor_read` calls `done` once, with the user data it was given.
        let (returned, reading) = unsafe { sensor_read_async(4) };
        (returned, block_on(reading))
    });
    assert_eq!((status, reading), (0, (0, 40)));
}

#[test]
fn promisify_streams_a_c_callback_that_fires_many_times() {
    let values = watchdog(|| {
        // SAFETY: `sensor_subscribe` calls `done` with the user data, then `notify` once.
        let stream: CallbackStream<u32> = promisify!(stream(bound = 8, overflow = drop_newest) unsafe {
            sensor_subscribe(3, |_, _status: i32, value: u32| _(value), _, |_| drop(_))
        });
        block_on(stream.collect::<Vec<_>>())
    });
    assert_eq!(values, [0, 1, 2]);
}

#[test]
fn promises_settle_once_and_report_a_dropped_callback() {
    let (resolver, promise) = callback_async::channel::<u8>();
    resolver.resolve(1);
    resolver.resolve(2);
    assert_eq!(block_on(promise), 1);
    let (resolver, promise) = callback_async::channel::<u8>();
    drop(resolver);
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    assert_eq!(block_on(Promise::resolved(3)), 3);
}

#[callback_async]
fn later(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    thread::spawn(move || done(n + 1));
}

#[test]
fn rust_callbacks_through_both_macros() {
    let (attribute, promisified) = watchdog(|| {
        let promisified: Promise<u32> = promisify!(later(2, _));
        (block_on(later_async(1)), block_on(promisified))
    });
    assert_eq!((attribute, promisified), (2, 3));
}

#[test]
fn bounded_streams_drop_by_their_policy_and_count() {
    let (sender, stream) = CallbackStream::bounded(2, Overflow::DropOldest);
    (0..5).for_each(|i| sender.send(i));
    drop(sender);
    assert_eq!(stream.discarded(), 3);
    assert_eq!(block_on(stream.collect::<Vec<_>>()), [3, 4]);

    let (sender, stream) = CallbackStream::bounded(2, Overflow::DropNewest);
    (0..5).for_each(|i| sender.send(i));
    drop(sender);
    assert_eq!(block_on(stream.collect::<Vec<_>>()), [0, 1]);
}

#[test]
fn sends_from_other_threads_all_arrive() {
    let items = watchdog(|| {
        let (sender, stream) = CallbackStream::channel();
        let sender = std::sync::Arc::new(sender);
        let producers: Vec<_> = (0..4)
            .map(|t| {
                let sender = std::sync::Arc::clone(&sender);
                thread::spawn(move || (0..250).for_each(|i| sender.send(t * 1000 + i)))
            })
            .collect();
        drop(sender);
        let mut items = block_on(stream.collect::<Vec<u32>>());
        producers.into_iter().for_each(|p| p.join().unwrap());
        items.sort_unstable();
        items
    });
    let expected: Vec<u32> = (0..4)
        .flat_map(|t| (0..250).map(move |i| t * 1000 + i))
        .collect();
    assert_eq!(items, expected);
}

#[test]
fn close_refuses_later_items_and_cancel_collects_what_is_queued() {
    let (sender, mut stream) = CallbackStream::bounded(4, Overflow::DropOldest);
    sender.send(1);
    stream.close();
    sender.send(2);
    assert_eq!(stream.discarded(), 1);
    assert_eq!(block_on(stream.next()), Some(1));
    assert_eq!(block_on(stream.next()), None);

    let (sender, stream) = CallbackStream::channel();
    sender.send(7);
    drop(sender);
    assert_eq!(block_on(stream.cancel()), [7]);

    let (resolver, promise) = callback_async::channel::<u8>();
    let cancelling = promise.cancel();
    resolver.resolve(5);
    assert_eq!(block_on(cancelling), Some(5));
}

//! A parameter may be named like its function, or like any local an expansion makes (`callback`,
//! `value`, `promise`, `resolver`, `spawn`, `future`, ..), in every macro: the `#[callback_async]`
//! Rust form (channel, stack slot, stream, `ok`/`err`, methods, traits, `mut self`),
//! `#[callbackify]`, and the C attribute on an `extern` block and on a Rust wrapper. Each
//! generated function must still call the original with the user's values. The generated code
//! compiles warning-free (`tests/edition2021` runs this file too).
#![deny(warnings)]
#![allow(clippy::too_many_arguments, clippy::similar_names)]

use std::ffi::{c_int, c_void};
use std::sync::mpsc;

use callback_async::{callback_async, callbackify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::{WATCHDOG, watchdog};

// --- #[callback_async], Rust callbacks ---------------------------------------------------------

#[callback_async]
fn add(
    add: u32,
    callback: u32,
    value: u32,
    promise: u32,
    resolver: u32,
    spawn: u32,
    future: u32,
    done: impl FnOnce(u32) + Send + 'static,
) {
    let sum = add + callback + value + promise + resolver + spawn + future;
    std::thread::spawn(move || done(sum));
}

/// On the stack: the callback cannot outlive the call.
#[callback_async]
fn add_now(add_now: u32, slot: u32, ret: u32, value: u32, done: impl FnOnce(u32)) {
    done(add_now + slot + ret + value);
}

#[callback_async(stream)]
fn count(count: u32, callback: u32, promise: u32, mut tick: impl FnMut(u32) + Send + 'static) {
    std::thread::spawn(move || (0..count).for_each(|n| tick(n + callback + promise)));
}

#[callback_async(ok = on_ok, err = on_err)]
fn check(
    check: u32,
    ok: u32,
    err: u32,
    on_ok: impl FnOnce(u32) + Send + 'static,
    on_err: impl FnOnce(String) + Send + 'static,
) {
    if check > 0 {
        on_ok(check + ok + err);
    } else {
        on_err("zero".to_owned());
    }
}

#[callback_async(progress = report)]
fn work(
    work: u32,
    progress: u32,
    progress_stream: u32,
    mut report: impl FnMut(u32) + Send + 'static,
    done: impl FnOnce(u32) + Send + 'static,
) {
    std::thread::spawn(move || {
        report(progress + progress_stream);
        done(work);
    });
}

struct Counter(u32);

#[callback_async]
impl Counter {
    fn add(&self, add: u32, callback: u32, value: u32, done: impl FnOnce(u32) + Send + 'static) {
        let sum = self.0 + add + callback + value;
        std::thread::spawn(move || done(sum));
    }

    fn bump(mut self, bump: u32, promise: u32, done: impl FnOnce(u32) + Send + 'static) {
        self.0 += bump + promise;
        std::thread::spawn(move || done(self.0));
    }

    #[callback_async(stream)]
    fn ticks(&self, ticks: u32, resolver: u32, mut tick: impl FnMut(u32) + Send + 'static) {
        std::thread::spawn(move || (0..ticks).for_each(|n| tick(n + resolver)));
    }
}

#[callback_async]
trait Adder {
    fn sum(&self, sum: u32, callback: u32, future: u32, done: impl FnOnce(u32) + Send + 'static);
}

impl Adder for Counter {
    fn sum(&self, sum: u32, callback: u32, future: u32, done: impl FnOnce(u32) + Send + 'static) {
        let total = self.0 + sum + callback + future;
        std::thread::spawn(move || done(total));
    }
}

#[test]
fn the_rust_form_passes_parameters_named_like_its_function_or_its_locals() {
    watchdog(|| async {
        assert_eq!(add_async(1, 2, 3, 4, 5, 6, 7).await, 28);
        assert_eq!(add_now_async(1, 2, 3, 4).await, 10);
        let ticks: Vec<u32> = count_stream(2, 10, 100).collect().await;
        assert_eq!(ticks, [110, 111]);
        assert_eq!(check_async(1, 2, 3).await, Ok(6));
        assert_eq!(check_async(0, 2, 3).await, Err("zero".to_owned()));
        let (progress, done) = work_async(5, 1, 2);
        assert_eq!(progress.collect::<Vec<u32>>().await, [3]);
        assert_eq!(done.await, 5);
        assert_eq!(Counter(1).add_async(2, 3, 4).await, 10);
        assert_eq!(Counter(1).bump_async(2, 3).await, 6);
        let ticks: Vec<u32> = Counter(0).ticks_stream(2, 5).collect().await;
        assert_eq!(ticks, [5, 6]);
        assert_eq!(Counter(1).sum_async(2, 3, 4).await, 10);
    });
}

// --- #[callbackify] ---------------------------------------------------------------------------

#[callbackify(spawn = |future| std::thread::spawn(move || futures::executor::block_on(future)))]
async fn fetch(fetch: String) -> usize {
    fetch.len()
}

#[callbackify]
async fn total(
    total: u32,
    callback: [u32; 1],
    value: (u32,),
    promise: Option<u32>,
    resolver: Box<u32>,
    spawn: u32,
    future: u32,
) -> u32 {
    total + callback[0] + value.0 + promise.unwrap_or(0) + *resolver + spawn + future
}

/// Named like the expansion's type parameter for the `spawn` argument's output.
struct Spawned(u32);

#[callbackify]
async fn unwrap(spawned: Spawned) -> u32 {
    spawned.0
}

struct Service(u32);

impl Service {
    #[callbackify]
    async fn scaled(mut self, scaled: u32, callback: u32, spawn: u32) -> u32 {
        self.0 *= scaled;
        self.0 + callback + spawn
    }
}

/// Runs a future on a thread of its own, as a `spawn` argument.
fn on_a_thread(future: callback_async::BoxFuture) {
    std::thread::spawn(move || futures::executor::block_on(future));
}

#[test]
fn callbackify_passes_parameters_named_like_its_function_or_its_locals() {
    let (sender, receiver) = mpsc::channel();
    fetch_callback("four".to_owned(), move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(WATCHDOG), Ok(4));
    let (sender, receiver) = mpsc::channel();
    total_callback(
        1,
        [2],
        (3,),
        Some(4),
        Box::new(5),
        6,
        7,
        on_a_thread,
        move |n| {
            sender.send(n).unwrap();
        },
    );
    assert_eq!(receiver.recv_timeout(WATCHDOG), Ok(28));
    let (sender, receiver) = mpsc::channel();
    unwrap_callback(Spawned(8), on_a_thread, move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(WATCHDOG), Ok(8));
    let (sender, receiver) = mpsc::channel();
    Service(2).scaled_callback(3, 4, 5, on_a_thread, move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(WATCHDOG), Ok(15));
}

// --- the C attribute ----------------------------------------------------------------------------

/// A C API: calls `cb(data, offset + the sum of the numbers)` at once.
#[unsafe(no_mangle)]
extern "C" fn shadowing_sum(
    numbers: *const c_int,
    len: usize,
    offset: c_int,
    cb: extern "C" fn(*mut c_void, c_int),
    data: *mut c_void,
) {
    // SAFETY: the callers pass `len` numbers.
    let numbers = unsafe { std::slice::from_raw_parts(numbers, len) };
    cb(data, offset + numbers.iter().sum::<c_int>());
}

// The same C function thrice, its parameters named like it and like the expansions' locals.
#[callback_async]
unsafe extern "C" {
    #[callback_async(cb: |_, n: c_int| _(n), data: _)]
    #[link_name = "shadowing_sum"]
    fn sum_in_c(
        sum_in_c: *const c_int,
        callback: usize,
        value: c_int,
        cb: extern "C" fn(*mut c_void, c_int),
        data: *mut c_void,
    );

    #[callback_async(cb: |_, n: c_int| _(n), data: _)]
    #[link_name = "shadowing_sum"]
    fn sum_with_promise(
        promise: *const c_int,
        resolver: usize,
        spawn: c_int,
        cb: extern "C" fn(*mut c_void, c_int),
        data: *mut c_void,
    );

    #[callback_async(cb: |_, n: c_int| _(n), data: _)]
    #[link_name = "shadowing_sum"]
    fn sum_with_future(
        future: *const c_int,
        user_data: usize,
        registration: c_int,
        cb: extern "C" fn(*mut c_void, c_int),
        data: *mut c_void,
    );
}

/// A wrapper written in Rust, its parameters named like it and like the expansion's locals.
#[callback_async(cb: |_, n: c_int| _(n), data: _)]
fn wrapped(
    wrapped: c_int,
    callback: c_int,
    sink: c_int,
    state: c_int,
    cb: extern "C" fn(*mut c_void, c_int),
    data: *mut c_void,
) {
    let numbers = [wrapped, callback, sink];
    shadowing_sum(numbers.as_ptr(), numbers.len(), state, cb, data);
}

struct Wrapper(c_int);

#[callback_async]
impl Wrapper {
    #[callback_async(cb: |_, n: c_int| _(n), data: _)]
    fn shifted(
        mut self,
        shifted: c_int,
        promise: c_int,
        cb: extern "C" fn(*mut c_void, c_int),
        data: *mut c_void,
    ) {
        self.0 += shifted;
        shadowing_sum([].as_ptr(), 0, self.0 + promise, cb, data);
    }
}

#[test]
fn the_c_attribute_passes_parameters_named_like_its_function_or_its_locals() {
    watchdog(|| async {
        let numbers = [1, 2, 3];
        // SAFETY: `numbers` holds 3 numbers; `shadowing_sum` calls the callback once, during the
        // call.
        let sum = unsafe { sum_in_c_async(numbers.as_ptr(), numbers.len(), 4) };
        assert_eq!(sum.await, 10);
        // SAFETY: as above.
        let sum = unsafe { sum_with_promise_async(numbers.as_ptr(), numbers.len(), 5) };
        assert_eq!(sum.await, 11);
        // SAFETY: as above.
        let sum = unsafe { sum_with_future_async(numbers.as_ptr(), 2, 6) };
        assert_eq!(sum.await, 9);
        // SAFETY: as above.
        let sum = unsafe { wrapped_async(1, 2, 3, 4) };
        assert_eq!(sum.await, 10);
        // SAFETY: as above.
        let sum = unsafe { Wrapper(1).shifted_async(2, 3) };
        assert_eq!(sum.await, 6);
    });
}

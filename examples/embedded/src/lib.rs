//! Every form of both macros (and `#[callbackify]`), compiled without `std` for the
//! microcontroller: what their expansions name must come from `core`, `alloc` and the runtime's
//! `no_std` build. The program (`main.rs`) does not use this library, so its size stays that of
//! `app.rs`.

#![no_std]

extern crate alloc;

use alloc::string::String;
use core::ffi::c_void;

use callback_async::{BoxFuture, CallbackStream, Promise, callback_async, callbackify, promisify};

/// A Rust API that keeps its callbacks, as an RTOS's timer service does.
pub struct Timer;

/// Stops what a `Timer` runs.
pub struct Job;

impl Job {
    pub fn cancel(self) {}
}

impl Timer {
    pub fn once(&self, done: impl FnOnce(u32) + Send + 'static) {
        done(1);
    }

    pub fn every(&self, mut tick: impl FnMut(u32) + Send + 'static) -> Job {
        (0..3).for_each(&mut tick);
        Job
    }

    pub fn fallible(
        &self,
        ok: impl FnOnce(u8) + Send + 'static,
        err: impl FnOnce(&str) + Send + 'static,
    ) {
        let _ = err;
        ok(2);
    }

    pub fn each(&self, mut visit: impl FnMut(&u32) -> bool) {
        let _ = [1, 2].iter().all(&mut visit);
    }
}

#[callback_async]
pub fn after(ms: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(ms);
}

#[callback_async(ok = on_ok, err = on_err)]
pub fn connect(
    on_ok: impl FnOnce(u8) + Send + 'static,
    on_err: impl FnOnce(String) + Send + 'static,
) {
    let _ = on_err;
    on_ok(1);
}

#[callback_async(stream(bound = 2, overflow = drop_newest), cancel = Job::cancel)]
pub fn ticks(each: impl FnMut(u32) + Send + 'static) -> Job {
    Timer.every(each)
}

#[callback_async(callback = done, progress = on_progress)]
pub fn copy(
    mut on_progress: impl FnMut(u32) + Send + 'static,
    done: impl FnOnce(bool) + Send + 'static,
) {
    on_progress(50);
    done(true);
}

/// A callback that cannot outlive the call: the value lands in a slot on the caller's stack.
#[callback_async]
pub fn parse(text: &str, done: impl FnOnce(usize)) {
    done(text.len());
}

#[callback_async]
impl Timer {
    #[callback_async(cancel = Job::cancel)]
    pub fn later(&self, done: impl FnOnce(u8) + Send + 'static) -> Job {
        done(3);
        Job
    }
}

#[callbackify]
pub async fn double(n: u32) -> u32 {
    n * 2
}

/// What [`promisified`] makes.
pub type Promisified = (
    Promise<u32>,
    CallbackStream<u32>,
    Promise<Result<u8, String>>,
    Promise<u32>,
);

/// `promisify!`'s Rust forms.
pub fn promisified(timer: &Timer) -> Promisified {
    let once = promisify!(timer.once(_));
    let (_job, ticks) = promisify!(stream timer.every(_));
    let fallible = promisify!(timer.fallible(Ok(_), Err(|e: &str| _)));
    let first = promisify!(timer.each(|n: &u32| -> bool {
        _(*n);
        false
    }));
    (once, ticks, fallible, first)
}

/// `double` offered to a callback-based caller, with a spawner that drops the future (a real one
/// hands it to the executor).
pub fn double_for_a_callback() {
    double_callback(2, |future: BoxFuture| drop(future), |_: u32| ());
}

unsafe extern "C" {
    fn hal_for_each(
        values: *const u32,
        len: usize,
        each: extern "C" fn(*mut c_void, u32),
        user_data: *mut c_void,
    );
    fn hal_register(on_event: extern "C" fn(*mut c_void, u32), user_data: *mut c_void);
}

/// The C forms not in `app.rs`: a borrowed user data (`&_`), and a stream C keeps until it is
/// released (`Registration`).
///
/// # Safety
///
/// `hal_for_each` calls `each` only before it returns; `hal_register` calls `on_event` until the
/// registration is released after it was told to stop.
pub unsafe fn c_forms(
    values: &[u32],
) -> (
    Promise<u32>,
    CallbackStream<u32>,
    callback_async::ffi::Registration,
) {
    let first =
        promisify!(unsafe { hal_for_each(values.as_ptr(), values.len(), |_, n: u32| _(n), &_) });
    let (events, registration) = promisify!(stream unsafe { hal_register(|_, n: u32| _(n), _) });
    (first, events, registration)
}

/// What a sensor driver reports to its two callbacks.
#[derive(Debug, PartialEq, Eq)]
pub enum Edge {
    Rising(u32),
    Falling(u32),
}

unsafe extern "C" {
    fn hal_edges(
        rising: extern "C" fn(*mut c_void, u32),
        falling: extern "C" fn(*mut c_void, u32),
        user_data: *mut c_void,
    );
    fn hal_two(
        on_a: extern "C" fn(*mut c_void, u32),
        a: *mut c_void,
        on_b: extern "C" fn(*mut c_void, u32),
        b: *mut c_void,
    );
    fn hal_context_data(context: *mut c_void) -> *mut c_void;
    fn hal_with_context(on_call: extern "C" fn(*mut c_void, u32), user_data: *mut c_void);
}

/// The forms of several callbacks in one call: two C callbacks behind one user data, two user
/// data pointers paired with their callbacks, and a user data read through an accessor.
///
/// # Safety
///
/// Each C function calls its callbacks only before it returns, with the pointers it was given.
pub unsafe fn several_c_callbacks() -> (CallbackStream<Edge>, CallbackStream<u32>, Promise<u32>) {
    let edges = promisify!(stream unsafe {
        hal_edges(|_, n: u32| _(Edge::Rising(n)), |_, n: u32| _(Edge::Falling(n)), &_)
    });
    let both = promisify!(stream unsafe { hal_two(|_, a: u32| _(a), &_, |_, b: u32| _(b), &_) });
    let accessed = promisify!(unsafe {
        hal_with_context(
            #[user_data(hal_context_data(context))]
            |context: *mut c_void, n: u32| _(n),
            &_,
        )
    });
    (edges, both, accessed)
}

/// A Rust API with two progress callbacks and a completion, as a transfer reports bytes and
/// retries before it ends.
pub fn transfer(
    mut sent: impl FnMut(u32) + Send + 'static,
    mut retried: impl FnMut(u32) + Send + 'static,
    done: impl FnOnce(u32) + Send + 'static,
) {
    sent(1);
    retried(1);
    done(1);
}

/// The Rust forms of several callbacks: two `stream(..)` callbacks and a completion, and two
/// body-form callbacks feeding one stream.
pub fn several_rust_callbacks() -> (
    CallbackStream<u32>,
    CallbackStream<u32>,
    Promise<u32>,
    CallbackStream<Edge>,
) {
    let (sent, retried, done) = promisify!(transfer(stream(_), stream(_), _));
    let edges = promisify!(stream transfer(
        |n: u32| _(Edge::Rising(n)),
        |n: u32| _(Edge::Falling(n)),
        |_: u32| {},
    ));
    (sent, retried, done, edges)
}

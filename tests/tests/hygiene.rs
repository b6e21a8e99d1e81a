//! Expansions name nothing the user's scope can take over: here a module `core`, a
//! `callback_async` that is `std`, and local `channel`, `promise` and `Box` items are in scope,
//! and every form still compiles and works. (`tests/facade-user` does the same through a crate
//! that re-exports the runtime.)

use std::ffi::{c_int, c_void};

use ::callback_async::{callback_async, callbackify, promisify};
use futures::StreamExt;
use futures::executor::block_on;

#[allow(unused_imports)]
use std as callback_async;

#[allow(dead_code)]
mod core {}

#[allow(dead_code)]
fn channel() {}

#[allow(dead_code)]
fn promise() {}

#[allow(dead_code)]
struct Box;

#[callback_async]
fn double(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    std::thread::spawn(move || done(n * 2));
}

#[callback_async]
fn double_on_stack(n: u32, done: impl FnOnce(u32)) {
    done(n * 2);
}

#[callback_async(ok = on_ok, err = on_err, dropped = Err("dropped".to_owned()))]
fn parse(
    text: &str,
    on_ok: impl FnOnce(u32) + Send + 'static,
    on_err: impl FnOnce(String) + Send + 'static,
) {
    match text.parse() {
        Ok(n) => on_ok(n),
        Err(_) => on_err(format!("not a number: {text}")),
    }
}

struct Service;

#[callback_async]
impl Service {
    fn boxed(&self, n: u32, done: std::boxed::Box<dyn FnOnce(u32) + Send>) {
        done(n + 1);
    }

    #[callback_async(stream)]
    fn ticks(&self, n: u32, mut tick: impl FnMut(&str) + Send + 'static) {
        std::thread::spawn(move || (0..n).for_each(|_| tick("tick")));
    }
}

/// A C-style API: calls `callback(user_data, 7)` at once.
///
/// # Safety
/// `callback` must accept `user_data`.
unsafe extern "C" fn call_back(
    callback: extern "C" fn(*mut c_void, c_int),
    user_data: *mut c_void,
) {
    callback(user_data, 7);
}

/// A user type named like the C trampoline's own type parameter would be.
#[derive(Clone, Copy, Debug, PartialEq)]
#[repr(transparent)]
struct D(c_int);

/// [`call_back`] with the user's type as the value.
///
/// # Safety
/// `callback` must accept `user_data`.
unsafe extern "C" fn call_back_d(callback: extern "C" fn(*mut c_void, D), user_data: *mut c_void) {
    callback(user_data, D(8));
}

#[callbackify(spawn = |future| std::thread::spawn(move || futures::executor::block_on(future)))]
async fn answer() -> u32 {
    42
}

#[test]
fn every_form_expands_with_shadowing_names_in_scope() {
    assert_eq!(block_on(double_async(2)), 4);
    assert_eq!(block_on(double_on_stack_async(3)), 6);
    assert_eq!(block_on(parse_async("12")), Ok(12));
    assert_eq!(
        block_on(parse_async("x")),
        Err("not a number: x".to_owned())
    );
    assert_eq!(block_on(Service.boxed_async(1)), 2);
    let ticks: Vec<String> = block_on(Service.ticks_stream(2).collect());
    assert_eq!(ticks, ["tick", "tick"]);
    assert_eq!(block_on(promisify!(double(5, _))), 10);
    let n = promisify!(unsafe { call_back(|_, n: c_int| _(n), _) });
    assert_eq!(block_on(n), 7);
    // The trampoline's type parameters cannot be hygienic: they must not take over `D`.
    let d = promisify!(unsafe { call_back_d(|_, d: D| _(d), _) });
    assert_eq!(block_on(d), D(8));
    let (sender, receiver) = std::sync::mpsc::channel();
    answer_callback(move |n| sender.send(n).unwrap());
    let n = receiver
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the callback is called (watchdog: 10 s)");
    assert_eq!(n, 42);
}

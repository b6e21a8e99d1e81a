//! Every form of the macros, used from a crate that depends only on a facade that re-exports
//! callback-async, with names in scope that an expansion must not pick up: a module `core`, a
//! `callback_async` that is `std`, and a local `channel`. Any path of an expansion that did not go
//! through the facade, or that named `core`, `callback_async` or a helper relatively, would fail
//! to compile here.

use std::ffi::c_int;

use facade::callbacks::{CallbackStream, Promise, callback_async, callbackify, promisify};
use futures::StreamExt;
use futures::executor::block_on;

#[allow(unused_imports)]
use std as callback_async;

#[allow(dead_code)]
mod core {}

#[allow(dead_code)]
fn channel() {}

#[callback_async(crate = "::facade::callbacks")]
fn double(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    std::thread::spawn(move || done(n * 2));
}

struct Counter;

#[callback_async(crate = "::facade::callbacks")]
impl Counter {
    fn add(&self, a: u32, b: u32, done: Box<dyn FnOnce(u32) + Send>) {
        done(a + b);
    }

    #[callback_async(stream)]
    fn count_to(&self, n: u32, mut each: impl FnMut(u32) + Send + 'static) {
        std::thread::spawn(move || (1..=n).for_each(&mut each));
    }
}

#[callback_async(crate = "::facade::callbacks")]
trait Greeter {
    fn greet(&self, name: &str, done: impl FnOnce(String) + Send + 'static);
}

impl Greeter for Counter {
    fn greet(&self, name: &str, done: impl FnOnce(String) + Send + 'static) {
        done(format!("hello {name}"));
    }
}

/// A C API, defined in Rust so that the test needs no C library: calls `callback(user_data, n *
/// 3)` once, at once.
mod implementation {
    use std::ffi::{c_int, c_void};

    /// # Safety
    /// `callback` must accept `user_data`.
    #[unsafe(no_mangle)]
    pub unsafe extern "C" fn facade_user_triple(
        callback: extern "C" fn(*mut c_void, c_int),
        user_data: *mut c_void,
        n: c_int,
    ) {
        callback(user_data, n * 3);
    }
}

/// The same API as a C header would declare it.
mod c_api {
    use std::ffi::{c_int, c_void};

    use facade::callbacks::callback_async;

    #[callback_async(crate = "::facade::callbacks")]
    unsafe extern "C" {
        #[callback_async(callback: |_, n: c_int| _(n), user_data: _)]
        pub fn facade_user_triple(
            callback: extern "C" fn(*mut c_void, c_int),
            user_data: *mut c_void,
            n: c_int,
        );
    }
}

#[callbackify(crate = "::facade::callbacks", spawn = |future| std::thread::spawn(move || futures::executor::block_on(future)))]
async fn halve(n: u32) -> u32 {
    n / 2
}

fn legacy_once(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    std::thread::spawn(move || done(n + 1));
}

fn legacy_ticks(n: u32, mut tick: impl FnMut(u32) + Send + 'static) {
    std::thread::spawn(move || (0..n).for_each(&mut tick));
}

#[test]
fn attribute_on_fn_impl_and_trait() {
    let twice: Promise<u32> = double_async(21);
    assert_eq!(block_on(twice), 42);
    assert_eq!(block_on(Counter.add_async(2, 3)), 5);
    let counted: CallbackStream<u32> = Counter.count_to_stream(3);
    assert_eq!(block_on(counted.collect::<Vec<_>>()), [1, 2, 3]);
    assert_eq!(block_on(Counter.greet_async("facade")), "hello facade");
}

#[test]
fn attribute_on_extern_block() {
    // SAFETY: `facade_user_triple` calls the callback once, at once, with the user data.
    let tripled = unsafe { c_api::facade_user_triple_async(5) };
    assert_eq!(block_on(tripled), 15);
}

#[test]
fn promisify_plain_stream_and_unsafe() {
    assert_eq!(block_on(promisify!(legacy_once(1, _))), 2);
    let ticks = promisify!(stream legacy_ticks(3, |n: u32| _));
    assert_eq!(block_on(ticks.collect::<Vec<_>>()), [0, 1, 2]);
    let tripled =
        promisify!(unsafe { implementation::facade_user_triple(|_, n: c_int| _(n), _, 7) });
    assert_eq!(block_on(tripled), 21);
}

#[test]
fn callbackify_through_the_facade() {
    let (sender, receiver) = std::sync::mpsc::channel();
    halve_callback(10, move |half| sender.send(half).unwrap());
    let half = receiver
        .recv_timeout(std::time::Duration::from_secs(10))
        .expect("the callback is called (watchdog: 10 s)");
    assert_eq!(half, 5);
}

//! Free functions: `impl FnOnce`, a type parameter bounded by `FnMut`, borrowed callback
//! arguments made owned, a returned value, `name`, `dropped`, `unsafe`.

use std::thread;

use callback_async::callback_async;
use futures::executor::block_on;

/// Answers from another thread.
#[callback_async]
fn fetch(url: &str, done: impl FnOnce(Result<Vec<u8>, String>) + Send + 'static) {
    let url = url.to_owned();
    thread::spawn(move || done(Ok(url.into_bytes())));
}

pub struct Handle(u32);

#[callback_async]
fn lookup<F>(key: u32, mut cb: F) -> Handle
where
    F: FnMut(&str, u32) + Send + 'static,
{
    cb("first", key);
    cb("second", key + 1);
    Handle(key)
}

#[callback_async(name = "split_later")]
fn split(line: &str, done: impl FnOnce(&[u8], u8)) {
    done(line.as_bytes(), 7);
}

#[callback_async]
fn ping(done: impl FnOnce()) {
    done();
}

#[callback_async(dropped = None)]
fn maybe(call: bool, done: impl FnOnce(Option<u8>)) {
    if call {
        done(Some(3));
    }
}

#[callback_async]
unsafe fn raw(value: u8, done: impl FnOnce(u8)) {
    done(value * 2);
}

fn main() {
    assert_eq!(
        block_on(fetch_async("https://example.com")).unwrap(),
        b"https://example.com"
    );

    // An `FnMut` callback settles with its first call; later calls are ignored.
    let (handle, promise) = lookup_async(40);
    assert_eq!(handle.0, 40);
    assert_eq!(block_on(promise), ("first".to_owned(), 40));

    assert_eq!(block_on(split_later("ab")), (vec![b'a', b'b'], 7));
    block_on(ping_async());

    assert_eq!(block_on(maybe_async(true)), Some(3));
    assert_eq!(block_on(maybe_async(false)), None);

    assert_eq!(block_on(unsafe { raw_async(21) }), 42);

    // The originals are still there.
    fetch("x", |_| {});
    split("x", |_, _| {});
}

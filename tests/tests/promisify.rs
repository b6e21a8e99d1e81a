//! `promisify!` on calls that cannot be annotated.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread;

use callback_async::{CallbackStream, Dropped, Promise, promisify};
use futures::StreamExt;
use futures::executor::block_on;

#[path = "support/panics.rs"]
mod panics;
use panics::panic_message;

mod legacy {
    use std::thread;

    pub fn once(n: u32, done: impl FnOnce(u32) + Send + 'static) {
        thread::spawn(move || done(n + 1));
    }

    pub fn pair(done: impl FnOnce(u8, String)) {
        done(1, "one".to_owned());
    }

    pub fn nothing(done: impl FnOnce() + Send + 'static) {
        thread::spawn(done);
    }

    pub fn borrowed(done: impl FnOnce(&str, &[u8])) {
        let owned = String::from("temp");
        done(&owned, &[1, 2]);
    }

    pub fn boxed(done: Box<dyn FnOnce(u16) + Send>) -> usize {
        done(16);
        7
    }

    pub fn optional(done: Option<Box<dyn Fn(u8) + Send + Sync>>) {
        if let Some(done) = done {
            done(2);
            done(3);
        }
    }

    pub fn shared<F: Fn(u64) + Send + Sync + 'static>(f: std::sync::Arc<F>) {
        f(64);
    }

    pub fn fallible(ok: bool, on_ok: impl FnOnce(u8), on_err: impl FnOnce(String)) {
        if ok {
            on_ok(1)
        } else {
            on_err("bad".to_owned())
        }
    }

    pub fn generic<T: Default + Send + 'static>(done: impl FnOnce(T) + Send + 'static) {
        done(T::default());
    }

    pub fn dropper(done: impl FnOnce(u8) + Send + 'static) {
        thread::spawn(move || drop(done));
    }

    pub fn ticker(count: u32, mut tick: impl FnMut(u32) + Send + 'static) {
        thread::spawn(move || (0..count).for_each(&mut tick));
    }

    pub struct Pool;

    impl Pool {
        pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
            thread::spawn(job);
        }

        pub fn submit(&self, job: impl FnOnce(u32) + Send + 'static) -> Result<u32, String> {
            job(5);
            Ok(99)
        }
    }
}

#[test]
fn placeholder_forms() {
    assert_eq!(block_on(promisify!(legacy::once(1, _))), 2);
    assert_eq!(
        block_on(promisify!(legacy::pair(|a, b| _))),
        (1, "one".to_owned())
    );
    let () = block_on(promisify!(legacy::nothing(|| _)));
    let (s, bytes): (String, Vec<u8>) =
        block_on(promisify!(legacy::borrowed(|s: &str, b: &[u8]| _)));
    assert_eq!((s.as_str(), bytes), ("temp", vec![1, 2]));
    assert_eq!(block_on(promisify!(legacy::generic::<String>(_))), "");
}

#[test]
fn nested_placeholders() {
    let (len, promise) = promisify!(legacy::boxed(Box::new(_)));
    assert_eq!((len, block_on(promise)), (7, 16));
    assert_eq!(
        block_on(promisify!(legacy::optional(Some(Box::new(_))))),
        2,
        "later calls ignored"
    );
    assert_eq!(block_on(promisify!(legacy::shared(Arc::new(_)))), 64);
}

#[test]
fn ok_err_pair() {
    assert_eq!(
        block_on(promisify!(legacy::fallible(true, Ok(_), Err(_)))),
        Ok(1)
    );
    assert_eq!(
        block_on(promisify!(legacy::fallible(false, Ok(_), Err(_)))),
        Err("bad".to_owned())
    );
}

#[test]
fn method_calls_and_returned_values() {
    let pool = legacy::Pool;
    let promise: Promise<()> = promisify!(pool.execute(|| _));
    block_on(promise);
    let (submitted, promise) = promisify!(pool.submit(_));
    assert_eq!(submitted, Ok(99));
    assert_eq!(block_on(promise), 5);
}

#[test]
fn dropped_callback_names_the_call() {
    let result = catch_unwind(AssertUnwindSafe(|| {
        block_on(promisify!(legacy::dropper(_)))
    }));
    let message = panic_message(result.unwrap_err());
    assert!(message.contains("dropped"), "{message}");
    assert!(message.contains("legacy::dropper(_)"), "{message}");
    assert_eq!(
        block_on(promisify!(legacy::dropper(_)).or_dropped()),
        Err(Dropped)
    );
}

#[test]
fn message_quotes_method_calls_as_written() {
    fn keeps(job: impl FnOnce() + Send + 'static) {
        drop(job);
    }
    struct Pool;
    impl Pool {
        fn execute(&self, job: impl FnOnce() + Send + 'static) {
            keeps(job);
        }
    }
    let pool = Pool;
    let result = catch_unwind(AssertUnwindSafe(|| {
        block_on(promisify!(pool.execute(|| _)))
    }));
    let message = panic_message(result.unwrap_err());
    assert!(message.contains("`pool.execute(|| _)`"), "{message}");
}

#[test]
fn stream_mode() {
    let stream: CallbackStream<u32> = promisify!(stream legacy::ticker(4, _));
    assert_eq!(block_on(stream.collect::<Vec<_>>()), [0, 1, 2, 3]);
}

#[test]
fn a_variable_named_stream_is_not_the_mode() {
    struct Source;
    impl Source {
        fn subscribe(&self, done: impl FnOnce(u8)) {
            done(1);
        }
    }
    let stream = Source;
    assert_eq!(block_on(promisify!(stream.subscribe(_))), 1);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "smol's reactor needs `timerfd_create`, which Miri does not support"
)]
fn works_from_threads_on_every_executor() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    assert_eq!(
        runtime.block_on(async { tokio::spawn(promisify!(legacy::once(10, _))).await.unwrap() }),
        11
    );
    assert_eq!(smol::block_on(promisify!(legacy::once(20, _))), 21);
    let handle = thread::spawn(|| block_on(promisify!(legacy::once(30, _))));
    assert_eq!(handle.join().unwrap(), 31);
}

/// One rule in both forms: a placeholder's parameter written `_` or `_: T` is taken and not
/// handed over (the C form's `|_, n: c_int, _: c_int| _` leaves its `_: c_int` out alike).
#[test]
fn parameters_written_underscore_are_not_handed_over() {
    let name: String = block_on(promisify!(legacy::pair(|_, name| _)));
    assert_eq!(name, "one");
    let one: u8 = block_on(promisify!(legacy::pair(|n: u8, _: String| _)));
    assert_eq!(one, 1);
    let bytes: Vec<u8> = block_on(promisify!(legacy::borrowed(|_: &str, b: &[u8]| _)));
    assert_eq!(bytes, [1, 2]);
    let () = block_on(promisify!(legacy::once(1, |_| _)));
    let () = block_on(promisify!(legacy::pair(|_, _| _)));
}

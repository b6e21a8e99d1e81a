//! The migration toolkit: async → callback, blocking waits, deprecation hints.
#![deny(deprecated)]

use std::sync::Arc;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use callback_async::{Dropped, callback_async, callbackify, channel};
use futures::executor::ThreadPool;

// --- async → callback -----------------------------------------------------------------------

#[callbackify]
async fn double(n: u32) -> u32 {
    n * 2
}

#[callbackify(spawn = tokio::spawn)]
async fn greet(name: String) -> String {
    format!("hello {name}")
}

#[callbackify]
async fn explode(fail: bool) -> u8 {
    assert!(!fail, "the future panics");
    1
}

struct Service {
    base: u32,
}

impl Service {
    #[callbackify]
    async fn add(self: Arc<Self>, n: u32) -> u32 {
        self.base + n
    }
}

#[test]
fn callbackify_on_futures_thread_pool() {
    let pool = ThreadPool::new().unwrap();
    let (sender, receiver) = mpsc::channel();
    double_callback(21, |f| pool.spawn_ok(f), move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(Duration::from_secs(5)), Ok(42));
    let (sender, receiver) = mpsc::channel();
    let service = Arc::new(Service { base: 40 });
    service.add_callback(2, |f| pool.spawn_ok(f), move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(Duration::from_secs(5)), Ok(42));
}

#[test]
fn callbackify_on_tokio() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let _guard = runtime.enter();
    let (sender, receiver) = mpsc::channel();
    greet_callback("ada".to_owned(), move |s| sender.send(s).unwrap());
    assert_eq!(
        receiver.recv_timeout(Duration::from_secs(5)).unwrap(),
        "hello ada"
    );
    let (sender, receiver) = mpsc::channel();
    double_callback(5, tokio::spawn, move |n| sender.send(n).unwrap());
    assert_eq!(receiver.recv_timeout(Duration::from_secs(5)), Ok(10));
}

#[test]
fn the_plain_function_converts_any_future() {
    let pool = ThreadPool::new().unwrap();
    let (sender, receiver) = mpsc::channel();
    callbackify(
        async { "any future" },
        |f| pool.spawn_ok(f),
        move |s| sender.send(s).unwrap(),
    );
    assert_eq!(
        receiver.recv_timeout(Duration::from_secs(5)),
        Ok("any future")
    );
}

#[test]
fn a_panicking_future_drops_the_callback_uncalled() {
    let pool = ThreadPool::new().unwrap();
    let (resolver, promise) = channel::<u8>();
    explode_callback(true, |f| pool.spawn_ok(f), move |n| resolver.resolve(n));
    assert_eq!(promise.or_dropped().wait(), Err(Dropped));
}

#[test]
fn a_future_dropped_by_its_executor_drops_the_callback_uncalled() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let (resolver, promise) = channel::<u8>();
    let handle = runtime.handle().clone();
    callbackify(
        async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            1
        },
        move |f| handle.spawn(f),
        move |n| resolver.resolve(n),
    );
    drop(runtime);
    assert_eq!(promise.or_dropped().wait(), Err(Dropped));
}

// --- blocking waits -------------------------------------------------------------------------

#[callback_async]
fn slow(ms: u64, done: impl FnOnce(u64) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(ms));
        done(ms);
    });
}

#[test]
fn wait_blocks_until_the_value_arrives() {
    assert_eq!(slow_async(10).wait(), 10);
}

#[test]
fn wait_timeout_gives_the_promise_back() {
    let start = Instant::now();
    let pending = slow_async(200)
        .wait_timeout(Duration::from_millis(10))
        .unwrap_err();
    assert!(start.elapsed() < Duration::from_millis(150));
    assert_eq!(pending.wait_timeout(Duration::from_secs(5)).ok(), Some(200));
}

#[test]
fn wait_on_a_dropped_callback_panics_or_reports_dropped() {
    let (resolver, promise) = channel::<u8>();
    thread::spawn(move || drop(resolver));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| promise.wait()));
    assert!(result.is_err());
    let (resolver, promise) = channel::<u8>();
    thread::spawn(move || drop(resolver));
    assert_eq!(promise.or_dropped().wait(), Err(Dropped));
}

// --- deprecation hints ----------------------------------------------------------------------

#[callback_async(deprecate)]
fn legacy_fetch(id: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(id);
}

struct Legacy;

#[callback_async(deprecate)]
impl Legacy {
    fn read(&self, done: impl FnOnce(u8)) {
        done(1);
    }
}

#[test]
fn deprecated_originals_do_not_warn_inside_generated_code() {
    // This file denies `deprecated`: the generated functions call the deprecated originals
    // without a warning. (`tests/ui/callback_async/deprecate-marks-the-original.rs` shows a
    // caller's warning.)
    assert_eq!(legacy_fetch_async(3).wait(), 3);
    assert_eq!(Legacy.read_async().wait(), 1);
}

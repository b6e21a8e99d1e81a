//! `static |..|` callbacks: plain `fn` pointers (the Rust form) and `extern "C" fn`s without user
//! data (the C form), which reach their stream through a slot that the expansion declares at the
//! call site. Checks what a user relies on: items in call order, one live use per call site (a
//! second panics before the API is called), a late call after `close` counted and one after the
//! stream is dropped ignored, `cancel`, calls from other threads, and a generic call site whose slot is
//! shared by its instantiations.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// Calls `callback` with 1, 2, 3 before returning, as `Backup::run_to_completion` does.
fn each(callback: fn(u32)) -> usize {
    (1..=3).for_each(callback);
    3
}

#[test]
fn items_in_call_order() {
    watchdog(|| async {
        let (count, mut stream) = promisify!(stream each(static |n: u32| _(n * 10)));
        assert_eq!(count, 3);
        // The API may keep the pointer: the stream ends when closed.
        stream.close();
        assert_eq!(stream.collect::<Vec<u32>>().await, [10, 20, 30]);
    });
}

#[test]
fn a_body_that_is_underscore_hands_over_its_arguments() {
    watchdog(|| async {
        fn pairs(callback: fn(u8, &str)) {
            callback(1, "one");
        }
        let mut stream = promisify!(stream pairs(static |n: u8, name: &str| _(n, name.to_owned())));
        stream.close();
        assert_eq!(stream.collect::<Vec<_>>().await, [(1, "one".to_owned())]);
    });
}

/// `cancel` on a slot's stream, as on any `CallbackStream`: it resolves to the items not yet
/// yielded, and frees the call site (the API may keep the pointer, so it does not wait for it).
#[test]
fn cancel_collects_the_rest_and_frees_the_call_site() {
    watchdog(|| async {
        fn site() -> (usize, CallbackStream<u32>) {
            promisify!(stream each(static |n: u32| _(n)))
        }
        let (_, mut stream) = site();
        assert_eq!(stream.next().await, Some(1));
        assert_eq!(stream.cancel().await, [2, 3]);
        let (_, mut again) = site(); // no "in use" panic: the cancel released the slot
        again.close();
        assert_eq!(again.collect::<Vec<_>>().await, [1, 2, 3]);
    });
}

/// An API that keeps a plain `fn` pointer and calls it later, as rusqlite's `busy_handler` does,
/// and how many times it was given one.
/// What such an API holds.
type Kept = Mutex<Option<fn(u32) -> bool>>;

static KEPT: Kept = Mutex::new(None);
static GIVEN: AtomicUsize = AtomicUsize::new(0);

fn keep(callback: fn(u32) -> bool) {
    GIVEN.fetch_add(1, Ordering::SeqCst);
    *KEPT.lock().unwrap() = Some(callback);
}

fn call_kept(value: u32) -> bool {
    let kept = *KEPT.lock().unwrap();
    kept.expect("a callback was kept")(value)
}

/// One call site, used by every step of `one_live_use_per_call_site`.
fn kept_stream() -> CallbackStream<u32> {
    promisify!(stream keep(static |n: u32| -> bool { _(n); true }))
}

/// The whole life of a call site whose API keeps the pointer: in one test, since `KEPT` is one.
#[test]
fn one_live_use_per_call_site() {
    watchdog(|| async {
        let mut first = kept_stream();
        assert!(call_kept(1));

        // A second use while the first stream lives: a panic, before the API is called.
        let second = catch_unwind(AssertUnwindSafe(kept_stream));
        let message = second.err().unwrap();
        let message = message.downcast_ref::<String>().unwrap();
        assert!(message.contains("is in use"), "{message}");
        assert!(message.contains("keep(static |n: u32|"), "{message}");
        assert_eq!(
            GIVEN.load(Ordering::SeqCst),
            1,
            "the API was not called again"
        );
        assert!(call_kept(2), "the first stream still takes calls");

        // Calls from other threads.
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || (0..100).for_each(|i| assert!(call_kept(t * 1000 + i))))
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());

        // A late call after `close` runs the body, whose item is refused and counted.
        first.close();
        assert!(call_kept(3));
        assert_eq!(first.discarded(), 1);
        let items: Vec<u32> = first.by_ref().collect().await;
        assert_eq!(items.len(), 402);
        assert_eq!(items[..2], [1, 2]);
        drop(first);

        // After the stream is dropped, a call is ignored: the body does not run, and the API gets
        // `false` (`CReturn`'s value: zero, `false`, null, `()`).
        assert!(!call_kept(4));

        // The call site may be used again.
        let mut again = kept_stream();
        assert_eq!(GIVEN.load(Ordering::SeqCst), 2);
        assert!(call_kept(5));
        again.close();
        assert_eq!(again.collect::<Vec<u32>>().await, [5]);
    });
}

static KEPT_GENERIC: Kept = Mutex::new(None);

fn keep_generic(callback: fn(u32) -> bool) {
    *KEPT_GENERIC.lock().unwrap() = Some(callback);
}

/// One call site for every `T`: one slot, whose calls check the state's type.
fn generic_stream<T: From<u32> + Send + 'static>() -> CallbackStream<T> {
    promisify!(stream keep_generic(static |n: u32| -> bool { _(T::from(n)); true }))
}

#[test]
fn a_generic_call_site_shares_its_slot() {
    watchdog(|| async {
        drop(generic_stream::<u64>());
        let stale = KEPT_GENERIC.lock().unwrap().unwrap();
        let mut live = generic_stream::<f64>();
        // The `u64` instantiation's pointer, kept from the earlier use: ignored, not read as the
        // `f64` one's state.
        assert!(!stale(1));
        let current = KEPT_GENERIC.lock().unwrap().unwrap();
        assert!(current(2));
        live.close();
        assert_eq!(live.collect::<Vec<f64>>().await, [2.0]);
    });
}

#[test]
fn a_second_use_of_a_generic_site_panics_too() {
    watchdog(|| async {
        fn site<T: Default + Send + 'static>() -> CallbackStream<T> {
            fn api(_: fn()) {}
            promisify!(stream api(static || _(T::default())))
        }
        let _live = site::<u8>();
        assert!(catch_unwind(site::<u16>).is_err());
    });
}

/// The C form: an `extern "C" fn` without user data, kept by a C-like API.
#[test]
fn c_function_pointer_without_user_data() {
    watchdog(|| async {
        unsafe extern "C" fn api(callback: extern "C" fn(i32) -> i32) -> i32 {
            callback(1) + callback(2)
        }
        // SAFETY: `api` calls the callback during the call only.
        let (sum, mut stream) =
            promisify!(stream unsafe { api(static |n: i32| -> i32 { _(n); n * 10 }) });
        assert_eq!(sum, 30);
        stream.close();
        assert_eq!(stream.collect::<Vec<i32>>().await, [1, 2]);
    });
}

/// A panic in a C callback's body does not unwind into C: C gets `CReturn`'s value, and the
/// stream resumes the panic after the items queued before it.
#[test]
fn a_panic_in_the_c_body_reaches_the_stream() {
    watchdog(|| async {
        unsafe extern "C" fn api(callback: extern "C" fn(i32) -> i32) -> i32 {
            callback(1) + callback(-1)
        }
        // SAFETY: `api` calls the callback during the call only.
        let (sum, mut stream) = promisify!(stream unsafe {
            api(static |n: i32| -> i32 {
                assert!(n > 0, "negative");
                _(n);
                n
            })
        });
        assert_eq!(sum, 1, "the panicking call returned 0");
        assert_eq!(stream.next().await, Some(1));
        let resumed = futures::FutureExt::catch_unwind(AssertUnwindSafe(stream.next())).await;
        assert!(resumed.is_err());
    });
}

#[test]
fn bounded_drop_newest() {
    watchdog(|| async {
        fn many(callback: fn(u32)) {
            (0..10).for_each(callback);
        }
        let mut stream =
            promisify!(stream(bound = 4, overflow = drop_newest) many(static |n: u32| _(n)));
        stream.close();
        assert_eq!(stream.discarded(), 6);
        assert_eq!(stream.collect::<Vec<u32>>().await, [0, 1, 2, 3]);
    });
}

/// The closure may capture: what it captures lives in the slot with the stream, and is dropped
/// when the stream is.
#[test]
fn a_static_callback_may_capture() {
    watchdog(|| async {
        let calls = std::sync::Arc::new(AtomicUsize::new(0));
        let counted = std::sync::Arc::clone(&calls);
        let (_, mut stream) = promisify!(stream each(static |n: u32| {
            counted.fetch_add(1, Ordering::SeqCst);
            _(n);
        }));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(
            std::sync::Arc::strong_count(&calls),
            2,
            "the slot holds the capture"
        );
        stream.close();
        assert_eq!(stream.collect::<Vec<u32>>().await, [1, 2, 3]);
        assert_eq!(
            std::sync::Arc::strong_count(&calls),
            1,
            "released with the stream"
        );
    });
}

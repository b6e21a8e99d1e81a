//! The promise model: resolve and reject, ready promises.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Barrier};
use std::task::{Context, Poll};
use std::thread;

use callback_async::{Dropped, Promise};
use futures::executor::block_on;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::PerThread;

/// Counts this thread's allocations, so that tests running in parallel do not mix.
#[global_allocator]
static GLOBAL: PerThread = PerThread;

/// Polls once with a no-op waker: `block_on` itself may allocate its thread's notifier.
fn poll_now<F: Future + Unpin>(mut future: F) -> Poll<F::Output> {
    Pin::new(&mut future).poll(&mut Context::from_waker(futures::task::noop_waker_ref()))
}

/// How many times `f` allocated on this thread, and its value.
fn allocations_during<T>(f: impl FnOnce() -> T) -> (usize, T) {
    let (counts, value) = PerThread::during(f);
    (counts.allocations, value)
}

#[test]
fn resolve_or_reject_first_call_wins_across_threads() {
    // Miri interprets each round, thousands of times slower: fewer rounds, and `.ci/run` runs them
    // under several seeds instead.
    let rounds = if cfg!(miri) { 10 } else { 100 };
    for round in 0..rounds {
        let barrier = Arc::new(Barrier::new(4));
        let promise: Promise<Result<usize, usize>> = Promise::new_fallible(|resolve, reject| {
            let resolve = Arc::new(resolve);
            let reject = Arc::new(reject);
            for i in 0..4 {
                let (resolve, reject, barrier) = (resolve.clone(), reject.clone(), barrier.clone());
                thread::spawn(move || {
                    barrier.wait();
                    if (i + round) % 2 == 0 {
                        resolve(i)
                    } else {
                        reject(i)
                    }
                    // Later calls of either are ignored.
                    resolve(100);
                    reject(100);
                });
            }
        });
        let settled = block_on(promise);
        let i = match settled {
            Ok(i) | Err(i) => i,
        };
        assert!(i < 4, "{settled:?}");
        assert_eq!(
            settled.is_ok(),
            (i + round) % 2 == 0,
            "resolve gives Ok, reject gives Err"
        );
    }
}

#[test]
fn resolve_and_reject_fit_every_callback_bound() {
    fn fn_once(f: impl FnOnce(u8) + Send + Sync + 'static) {
        f(1);
    }
    fn fn_mut(mut f: impl FnMut(&'static str) + Send + Sync + 'static) {
        f("no");
    }
    fn fn_shared(f: impl Fn(u8) + Send + Sync + 'static) {
        f(2);
    }
    let p = Promise::<Result<u8, &str>>::new_fallible(|resolve, _reject| fn_once(resolve));
    assert_eq!(block_on(p), Ok(1));
    let p = Promise::<Result<u8, &str>>::new_fallible(|_resolve, reject| fn_mut(reject));
    assert_eq!(block_on(p), Err("no"));
    let p = Promise::<Result<u8, &str>>::new_fallible(|resolve, _reject| fn_shared(resolve));
    assert_eq!(block_on(p), Ok(2));
}

#[test]
fn dropping_both_is_the_dropped_outcome() {
    let promise = Promise::<Result<u8, String>>::new_fallible(|resolve, reject| {
        thread::spawn(move || drop((resolve, reject)));
    });
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    // One of the two still alive keeps the promise pending until it settles.
    let promise = Promise::<Result<u8, String>>::new_fallible(|resolve, reject| {
        drop(resolve);
        thread::spawn(move || reject("late".to_owned()));
    });
    assert_eq!(block_on(promise), Err("late".to_owned()));
}

#[test]
fn ready_promises_allocate_nothing() {
    let (count, value) = allocations_during(|| poll_now(Promise::resolved(41_u64)));
    assert_eq!((count, value), (0, Poll::Ready(41)));
    let (count, value) = allocations_during(|| poll_now(Promise::<Result<u8, u16>>::rejected(7)));
    assert_eq!((count, value), (0, Poll::Ready(Err(7))));
    // The counter is live: a channel-backed promise does allocate.
    let (count, value) = allocations_during(|| {
        let (resolver, promise) = callback_async::channel::<u8>();
        resolver.resolve(1);
        poll_now(promise)
    });
    assert_eq!((count, value), (1, Poll::Ready(1)));
}

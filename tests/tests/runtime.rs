//! The runtime contract: `Promise`, `Resolver`, `channel`, `Dropped`.

use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

use callback_async::{Dropped, Promise, Resolver, channel};
use futures::executor::block_on;
use futures::task::noop_waker_ref;

fn assert_send_static<T: Send + 'static>(_: &T) {}
fn assert_unpin<T: Unpin>(_: &T) {}
fn assert_send_sync<T: Send + Sync + 'static>() {}

#[path = "support/panics.rs"]
mod panics;
use panics::panic_message;

#[test]
fn promise_is_send_static_and_unpin() {
    let (_resolver, promise) = channel::<String>();
    assert_send_static(&promise);
    assert_unpin(&promise);
    // Unpin even for a value that is not.
    let (_resolver, pinned) = channel::<std::marker::PhantomPinned>();
    assert_unpin(&pinned);
    assert_send_sync::<Resolver<String>>();
}

#[test]
fn resolver_makes_fn_fnmut_and_fnonce_callbacks() {
    fn wants_fn(f: impl Fn(u8) + Send + Sync + 'static) {
        f(1);
        f(2);
    }
    fn wants_fn_mut(mut f: impl FnMut(u8) + Send + Sync + 'static) {
        f(3);
        f(4);
    }
    fn wants_fn_once(f: impl FnOnce(u8) + Send + Sync + 'static) {
        f(5);
    }
    let (resolver, promise) = channel();
    wants_fn(move |v| resolver.resolve(v));
    assert_eq!(block_on(promise), 1, "first call wins");
    let (resolver, promise) = channel();
    wants_fn_mut(move |v| resolver.resolve(v));
    assert_eq!(block_on(promise), 3);
    let (resolver, promise) = channel();
    wants_fn_once(move |v| resolver.resolve(v));
    assert_eq!(block_on(promise), 5);
}

#[test]
fn new_runs_the_executor_at_once() {
    let ran = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&ran);
    let promise = Promise::new(move |resolver| {
        counter.fetch_add(1, Ordering::SeqCst);
        resolver.resolve("now");
    });
    assert_eq!(
        ran.load(Ordering::SeqCst),
        1,
        "executor ran before the first poll"
    );
    assert_eq!(block_on(promise), "now");
}

#[test]
fn first_resolve_wins_across_threads() {
    // Miri interprets each round, thousands of times slower: fewer rounds, and `.ci/run` runs them
    // under several seeds instead.
    let rounds = if cfg!(miri) { 20 } else { 200 };
    for _ in 0..rounds {
        let (resolver, promise) = channel::<usize>();
        let resolver = Arc::new(resolver);
        let handles: Vec<_> = (0..4)
            .map(|i| {
                let resolver = Arc::clone(&resolver);
                thread::spawn(move || resolver.resolve(i))
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let value = block_on(promise);
        assert!(value < 4);
    }
}

#[test]
fn resolving_a_dropped_promise_is_a_silent_no_op() {
    let (mut resolver, promise) = channel::<Arc<()>>();
    let value = Arc::new(());
    assert!(resolver.is_awaited());
    drop(promise);
    assert!(!resolver.is_awaited());
    resolver.resolve(Arc::clone(&value));
    resolver.resolve(Arc::clone(&value));
    assert_eq!(
        Arc::strong_count(&value),
        1,
        "refused values are dropped, not leaked"
    );
}

#[test]
fn is_awaited_turns_false_once_settled() {
    let (mut resolver, promise) = channel::<u8>();
    assert!(resolver.is_awaited());
    resolver.resolve(1);
    assert!(!resolver.is_awaited());
    assert_eq!(block_on(promise), 1);
}

#[test]
fn dropped_resolver_panics_with_the_creation_place() {
    let line = line!() + 1;
    let (resolver, promise) = channel::<u8>();
    thread::spawn(move || drop(resolver)).join().unwrap();
    let message = panic_message(catch_unwind(AssertUnwindSafe(|| block_on(promise))).unwrap_err());
    assert!(message.contains("dropped"), "{message}");
    assert!(
        message.contains(&format!("{}:{line}", file!())),
        "{message}"
    );
}

#[test]
fn promise_new_reports_its_caller() {
    let line = line!() + 1;
    let promise = Promise::<u8>::new(drop);
    let message = panic_message(catch_unwind(AssertUnwindSafe(|| block_on(promise))).unwrap_err());
    assert!(message.contains("dropped"), "{message}");
    assert!(
        message.contains(&format!("{}:{line}", file!())),
        "{message}"
    );
}

#[test]
fn or_dropped_yields_an_error_instead_of_panicking() {
    let (resolver, promise) = channel::<u8>();
    drop(resolver);
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    let (resolver, promise) = channel::<u8>();
    resolver.resolve(9);
    assert_eq!(block_on(promise.or_dropped()), Ok(9));
    assert_eq!(
        Dropped.to_string(),
        "the callback was dropped without being called"
    );
}

#[test]
fn resolver_dropped_while_the_task_waits_wakes_it() {
    let (resolver, promise) = channel::<u8>();
    let dropper = thread::spawn(move || {
        thread::sleep(Duration::from_millis(20));
        drop(resolver);
    });
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    dropper.join().unwrap();
}

#[test]
fn polling_after_completion_panics_with_its_own_message() {
    let (resolver, mut promise) = channel::<u8>();
    resolver.resolve(3);
    let mut cx = Context::from_waker(noop_waker_ref());
    assert_eq!(Pin::new(&mut promise).poll(&mut cx), Poll::Ready(3));
    let again = catch_unwind(AssertUnwindSafe(|| Pin::new(&mut promise).poll(&mut cx)));
    let message = panic_message(again.unwrap_err());
    assert!(message.contains("polled after completion"), "{message}");
    assert!(!message.contains("dropped"), "{message}");
}

#[test]
fn resolved_promise_is_ready() {
    assert_eq!(block_on(Promise::resolved(5)), 5);
}

#[test]
fn works_on_tokio_multi_thread() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let value = runtime.block_on(async {
        let (resolver, promise) = channel::<String>();
        let task = tokio::spawn(promise);
        thread::spawn(move || resolver.resolve("from a thread".to_owned()));
        task.await.unwrap()
    });
    assert_eq!(value, "from a thread");
}

#[test]
fn works_on_tokio_current_thread() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let value = runtime.block_on(async {
        let (resolver, promise) = channel::<u32>();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_millis(5)).await;
            resolver.resolve(11);
        });
        promise.await
    });
    assert_eq!(value, 11);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "smol's reactor needs `timerfd_create`, which Miri does not support"
)]
fn works_on_smol() {
    let value = smol::block_on(async {
        let (resolver, promise) = channel::<u32>();
        let task = smol::spawn(promise);
        thread::spawn(move || resolver.resolve(12));
        task.await
    });
    assert_eq!(value, 12);
}

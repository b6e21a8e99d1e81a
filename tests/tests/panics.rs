//! Panics on either side: where they surface, and that nothing leaks.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use callback_async::{Dropped, callback_async, channel};
use futures::executor::block_on;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::PerThread;

/// Counts this thread's allocations, so that tests running in parallel do not mix.
#[global_allocator]
static GLOBAL: PerThread = PerThread;

/// Runs `f`, which must panic, and returns how many allocations it left live on this thread.
fn leaked_by_panic(f: impl FnOnce()) -> isize {
    // The panics here are expected: silence them, and let a first panic set up whatever the
    // panic machinery allocates once per thread before measuring.
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = catch_unwind(|| panic!("warm-up"));
    let before = PerThread::counts().live;
    let payload = catch_unwind(AssertUnwindSafe(f)).expect_err("expected a panic");
    drop(payload);
    PerThread::counts().live - before
}

#[callback_async]
fn panics_before_calling_back(done: impl FnOnce(u8) + Send + 'static) {
    let _keep = done;
    panic!("legacy failure");
}

#[callback_async]
fn panics_before_calling_back_on_stack(done: impl FnOnce(u8)) {
    let _keep = done;
    panic!("legacy failure");
}

#[test]
fn a_panic_in_the_legacy_function_reaches_the_caller_and_leaks_nothing() {
    assert_eq!(
        leaked_by_panic(|| drop(panics_before_calling_back_async())),
        0
    );
    assert_eq!(
        leaked_by_panic(|| drop(panics_before_calling_back_on_stack_async())),
        0
    );
}

#[callback_async]
fn calls_back_then_panics(done: impl FnOnce(u8) + Send + 'static) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        done(7);
        panic!("the legacy thread fails after calling back");
    })
}

#[callback_async]
fn panics_holding_the_callback(done: impl FnOnce(u8) + Send + 'static) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let _keep = done;
        panic!("the legacy thread fails before calling back");
    })
}

#[test]
fn a_callback_thread_that_panics() {
    // Called, then the thread panics: the value arrives; the panic stays on that thread.
    let (thread, promise) = calls_back_then_panics_async();
    assert_eq!(block_on(promise), 7);
    assert!(thread.join().is_err());
    // Panicking while holding the callback drops it while unwinding: the promise reads dropped.
    let (thread, promise) = panics_holding_the_callback_async();
    assert_eq!(block_on(promise.or_dropped()), Err(Dropped));
    assert!(thread.join().is_err());
}

static DROPS: AtomicUsize = AtomicUsize::new(0);

/// A user value whose `Drop` panics.
struct Explosive;

impl Drop for Explosive {
    fn drop(&mut self) {
        DROPS.fetch_add(1, Ordering::SeqCst);
        panic!("Explosive dropped");
    }
}

#[test]
fn a_panicking_drop_of_the_value_surfaces_where_it_is_dropped_and_leaks_nothing() {
    // Settled, never awaited, then the promise is dropped: the value's panic reaches the code
    // that drops the promise, after the channel is freed.
    let leaked = leaked_by_panic(|| {
        let (resolver, promise) = channel::<Explosive>();
        resolver.resolve(Explosive);
        drop(promise);
    });
    assert_eq!(leaked, 0);
    // Resolving a promise that is already gone drops the refused value in `resolve`.
    let leaked = leaked_by_panic(|| {
        let (resolver, promise) = channel::<Explosive>();
        drop(promise);
        resolver.resolve(Explosive);
    });
    assert_eq!(leaked, 0);
    assert_eq!(
        DROPS.load(Ordering::SeqCst),
        2,
        "each value dropped exactly once"
    );
}

static HANDLE_DROPS: AtomicUsize = AtomicUsize::new(0);
static HANDLE_STOPS: AtomicUsize = AtomicUsize::new(0);

/// An operation's handle, owned by the promise's cancel hook: counts its stops and its drops.
struct Handle;

impl Handle {
    fn stop(self) {
        HANDLE_STOPS.fetch_add(1, Ordering::SeqCst);
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        HANDLE_DROPS.fetch_add(1, Ordering::SeqCst);
    }
}

/// A value whose `Drop` panics, uncounted (`Explosive`'s count belongs to the test above).
struct Detonating;

impl Drop for Detonating {
    fn drop(&mut self) {
        panic!("Detonating dropped");
    }
}

/// Settles at once with a value whose `Drop` panics, and returns a handle to cancel it by.
#[callback_async(cancel = Handle::stop)]
fn settles_explosively(done: impl FnOnce(Detonating) + Send + 'static) -> Handle {
    done(Detonating);
    Handle
}

#[test]
fn a_panicking_drop_of_the_value_frees_the_cancel_hook_and_its_handle() {
    // The promise is dropped settled but unawaited: the value's `Drop` panics while the promise
    // frees its channel, and unwinding must still drop the hook and the handle it owns.
    let leaked = leaked_by_panic(|| drop(settles_explosively_async()));
    assert_eq!(
        leaked, 0,
        "the channel, the cancel box and the hook are freed"
    );
    assert_eq!(
        HANDLE_DROPS.load(Ordering::SeqCst),
        1,
        "the handle is dropped"
    );
    assert_eq!(
        HANDLE_STOPS.load(Ordering::SeqCst),
        0,
        "a settled operation is not cancelled"
    );
}

//! Two user-data pointers in one call, each handed back to its own C callback, paired by position
//! (`watch_two(Some(|_, n: c_int| ..), _, .., Some(|_, n: c_int| ..), _, ..)`): both callbacks feed
//! the call's one stream or promise, and each pointer's state is freed exactly once, by its own
//! rule (its call, its destroy notify, the block's end, or the `Registration`). The API is
//! C-shaped, written in Rust as `extern "C"` functions, and SQLite's commit and rollback hooks.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;

use callback_async::ffi::Registration;
use callback_async::{CallbackStream, Promise, callback_async, promisify};
use futures::StreamExt;
use libsqlite3_sys as sql;

#[path = "support/real.rs"]
mod real;
#[path = "support/sqlite.rs"]
mod sqlite_support;
use real::watchdog;

type Callback = unsafe extern "C" fn(*mut c_void, c_int);
type Free = unsafe extern "C" fn(*mut c_void);

/// A user-data pointer as the library keeps it, across threads.
#[derive(Clone, Copy)]
struct UserData(*mut c_void);

// SAFETY: the library only hands it back to its callback, whose state is `Send + Sync` (the
// expansion requires it).
unsafe impl Send for UserData {}

/// A registered callback: its function, user data and notify.
type Watch = (Callback, UserData, Option<Free>);

/// One watcher of two events at a time, as a C library keeps it.
static WATCHED: Mutex<Option<[Watch; 2]>> = Mutex::new(None);
/// The tests share `WATCHED`: one at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Registers `on_a` with `a` and `on_b` with `b`, each freed by its notify (if any) on `unwatch`;
/// `watch_two_stream` pairs them by position, as `promisify!` does.
#[callback_async(
    stream,
    on_a: Some(|_, n: c_int| _(Event::A(n))),
    a: _,
    free_a: Some(|_| drop(_)),
    on_b: Some(|_, n: c_int| _(Event::B(n))),
    b: _,
    free_b: Some(|_| drop(_)),
    output = Event,
)]
unsafe extern "C" fn watch_two(
    on_a: Option<Callback>,
    a: *mut c_void,
    free_a: Option<Free>,
    on_b: Option<Callback>,
    b: *mut c_void,
    free_b: Option<Free>,
) {
    let (on_a, on_b) = (on_a.unwrap(), on_b.unwrap());
    let watched = [(on_a, UserData(a), free_a), (on_b, UserData(b), free_b)];
    assert!(WATCHED.lock().unwrap().replace(watched).is_none());
}

/// Calls the `which`-th callback with `n`, under the library's lock as C libraries do.
fn fire(which: usize, n: c_int) {
    let watched = WATCHED.lock().unwrap();
    let (callback, user_data, _) = watched.as_ref().unwrap()[which];
    // SAFETY: the callback registered with this user data, before `unwatch`.
    unsafe { callback(user_data.0, n) };
}

/// Unregisters both callbacks and calls their destroy notifies: no call runs after it.
fn unwatch() {
    let watched = WATCHED.lock().unwrap().take().unwrap();
    for (_, user_data, free) in watched {
        if let Some(free) = free {
            // SAFETY: the notify registered with this user data, called once, after the last call.
            unsafe { free(user_data.0) };
        }
    }
}

/// Calls `done_a` with `a` and `done_b` with `b` once each, on two threads, and returns.
unsafe extern "C" fn run_both(
    done_a: Option<Callback>,
    a: *mut c_void,
    done_b: Option<Callback>,
    b: *mut c_void,
) {
    for (done, user_data, n) in [(done_a, UserData(a), 1), (done_b, UserData(b), 2)] {
        let done = done.unwrap();
        // SAFETY: each callback is called once, with its own user data.
        thread::spawn(move || unsafe { done({ user_data }.0, n) });
    }
}

/// Calls each callback with its user data twice, during the call.
unsafe extern "C" fn each_twice(
    on_a: Option<Callback>,
    a: *mut c_void,
    on_b: Option<Callback>,
    b: *mut c_void,
) {
    for n in 0..2 {
        // SAFETY: the callbacks are called with their own user data, during the call.
        unsafe {
            on_a.unwrap()(a, n);
            on_b.unwrap()(b, 10 + n);
        }
    }
}

/// The tests that use `WATCHED` run one at a time.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A counter, and two clones for two states to keep.
fn counted() -> [Counted; 3] {
    let counter = Counted(Arc::default());
    [counter.clone(), counter.clone(), counter]
}

/// How many times `race` calls each callback (fewer under Miri, which runs slower).
const RACED: c_int = if cfg!(miri) { 20 } else { 2_000 };

/// Calls `on_a` with `a` and `on_b` with `b` `RACED` times each, from two threads at once, and
/// returns when both are done.
unsafe extern "C" fn race(
    on_a: Option<Callback>,
    a: *mut c_void,
    on_b: Option<Callback>,
    b: *mut c_void,
) {
    thread::scope(|scope| {
        for (on, user_data) in [(on_a, UserData(a)), (on_b, UserData(b))] {
            let on = on.unwrap();
            scope.spawn(move || {
                for n in 0..RACED {
                    // SAFETY: the callback with its own user data, during the call.
                    unsafe { on({ user_data }.0, n) };
                }
            });
        }
    });
}

/// Counts its drops, to see each state freed once.
#[derive(Clone)]
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

impl Counted {
    /// `value`, from a closure that keeps `self` (its state's part to count).
    fn kept<T>(&self, value: T) -> T {
        value
    }

    fn dropped(&self) -> usize {
        self.0.load(Ordering::SeqCst)
    }
}

/// The user's own enum: which callback ran, in the order they ran.
#[derive(Debug, PartialEq, Eq)]
enum Event {
    A(c_int),
    B(c_int),
}

#[test]
fn two_pointers_with_destroy_notifies_feed_one_stream() {
    let _serial = serial();
    watchdog(|| async {
        let [counter, a, b] = counted();
        let events: CallbackStream<Event> = promisify!(stream unsafe {
            watch_two(
                Some(move |_, n: c_int| _(a.kept(Event::A(n)))),
                _,
                Some(|_| drop(_)),
                Some(move |_, n: c_int| _(b.kept(Event::B(n)))),
                _,
                Some(|_| drop(_)),
            )
        });
        fire(0, 1);
        fire(1, 2);
        fire(0, 3);
        assert_eq!(counter.dropped(), 0);
        unwatch();
        // Each destroy notify freed its own state, once (`counter` itself is still here).
        assert_eq!(counter.dropped(), 2);
        let events = events.collect::<Vec<_>>().await;
        assert_eq!(events, [Event::A(1), Event::B(2), Event::A(3)]);
    });
}

#[test]
fn two_pointers_declared_on_the_function() {
    let _serial = serial();
    watchdog(|| async {
        // SAFETY: `unwatch` calls each destroy notify once, after the last call.
        let events = unsafe { watch_two_stream() };
        fire(1, 5);
        fire(0, 6);
        unwatch();
        let events = events.collect::<Vec<_>>().await;
        assert_eq!(events, [Event::B(5), Event::A(6)]);
    });
}

#[test]
fn two_pointers_given_once_each_settle_one_promise() {
    watchdog(|| async {
        let [counter, a, b] = counted();
        let first: Promise<c_int> = promisify!(unsafe {
            run_both(
                Some(move |_, n: c_int| _(a.kept(n))),
                _,
                Some(move |_, n: c_int| _(b.kept(n))),
                _,
            )
        });
        let n = first.await;
        assert!(n == 1 || n == 2, "{n}");
        // Each call frees its own state; the second may still be running.
        while counter.dropped() < 2 {
            thread::yield_now();
        }
        assert_eq!(counter.dropped(), 2);
    });
}

#[test]
fn two_lent_pointers_are_used_during_the_block() {
    watchdog(|| async {
        let events: CallbackStream<Event> = promisify!(stream unsafe {
            each_twice(
                Some(|_, n: c_int| _(Event::A(n))),
                &_,
                Some(|_, n: c_int| _(Event::B(n))),
                &_,
            )
        });
        let events = events.collect::<Vec<_>>().await;
        assert_eq!(
            events,
            [Event::A(0), Event::B(10), Event::A(1), Event::B(11)]
        );
    });
}

#[test]
fn two_pointers_called_from_two_threads_at_once() {
    watchdog(|| async {
        let events: CallbackStream<Event> = promisify!(stream unsafe {
            race(
                Some(|_, n: c_int| _(Event::A(n))),
                &_,
                Some(|_, n: c_int| _(Event::B(n))),
                &_,
            )
        });
        let events = events.collect::<Vec<_>>().await;
        // Every item arrives, each callback's in the order it made them.
        let of = |a: bool| -> Vec<c_int> {
            events
                .iter()
                .filter_map(|event| match *event {
                    Event::A(n) if a => Some(n),
                    Event::B(n) if !a => Some(n),
                    _ => None,
                })
                .collect()
        };
        let all: Vec<c_int> = (0..RACED).collect();
        assert_eq!((of(true), of(false)), (all.clone(), all));
    });
}

#[test]
fn two_pointers_without_notifies_are_released_together() {
    let _serial = serial();
    watchdog(|| async {
        let [counter, a, b] = counted();
        let (events, registration): (CallbackStream<Event>, Registration) = promisify!(stream unsafe {
            watch_two(
                Some(move |_, n: c_int| _(a.kept(Event::A(n)))),
                _,
                None,
                Some(move |_, n: c_int| _(b.kept(Event::B(n)))),
                _,
                None,
            )
        });
        // From another thread: the states are `Send + Sync`.
        thread::spawn(|| {
            fire(1, 7);
            fire(0, 8);
        })
        .join()
        .unwrap();
        unwatch();
        assert_eq!(counter.dropped(), 0);
        // SAFETY: both callbacks are unregistered, and no call is running.
        unsafe { registration.release() };
        assert_eq!(counter.dropped(), 2);
        let events = events.collect::<Vec<_>>().await;
        assert_eq!(events, [Event::B(7), Event::A(8)]);
    });
}

/// What a transaction ended in, as SQLite's two hooks report it.
#[derive(Debug, PartialEq, Eq)]
enum Ended {
    Commit,
    Rollback,
}

/// A real C API with two (callback, user data) pairs: SQLite's commit and rollback hooks, each
/// registered with its own pointer, in one block, feeding one stream; no destroy notify, so one
/// `Registration` frees both states once both hooks are unregistered.
#[test]
#[cfg_attr(miri, ignore = "SQLite is a C library, which Miri cannot run")]
fn sqlite_commit_and_rollback_hooks_feed_one_stream() {
    watchdog(|| async {
        let db = sqlite_support::Db::open();
        let [counter, a, b] = counted();
        let (ended, registration): (CallbackStream<Ended>, Registration) = promisify!(stream unsafe {
            sql::sqlite3_commit_hook(db.0, Some(move |_| -> c_int { _(a.kept(Ended::Commit)); 0 }), _);
            sql::sqlite3_rollback_hook(db.0, Some(move |_| _(b.kept(Ended::Rollback))), _);
        });
        db.run(c"CREATE TABLE t(n); BEGIN; INSERT INTO t VALUES (1); COMMIT;");
        db.run(c"BEGIN; INSERT INTO t VALUES (2); ROLLBACK;");
        db.run(c"INSERT INTO t VALUES (3)");
        // SAFETY: an open database; unregistering runs on this thread, so no hook is running.
        unsafe {
            sql::sqlite3_commit_hook(db.0, None, std::ptr::null_mut());
            sql::sqlite3_rollback_hook(db.0, None, std::ptr::null_mut());
        }
        assert_eq!(counter.dropped(), 0);
        // SAFETY: both hooks are unregistered: SQLite no longer calls them with these pointers.
        unsafe { registration.release() };
        assert_eq!(counter.dropped(), 2);
        let ended = ended.collect::<Vec<_>>().await;
        // `CREATE TABLE` is a transaction of its own, committed.
        assert_eq!(
            ended,
            [Ended::Commit, Ended::Commit, Ended::Rollback, Ended::Commit]
        );
    });
}

//! Several C callbacks behind one user-data pointer, in `promisify!`'s C form: a start and an end
//! callback share the `_`, feed one promise (the first call wins) or one stream (in the order they
//! ran), and their state is freed once, after the last of them can no longer be called: by the
//! destroy notify, or at the end of the block for `&_`.
//!
//! The "C library" is written in Rust (`extern "C"` functions), so Miri can run these tests.

use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use callback_async::{CallbackStream, Promise, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

type Handler = extern "C" fn(*mut c_void, c_int);
type Notify = extern "C" fn(*mut c_void);

/// Calls `start(data, i)` then `end(data, i)` for each `i < events`, on the caller's thread.
///
/// # Safety
///
/// Both handlers accept `data`.
unsafe extern "C" fn walk(start: Handler, end: Handler, data: *mut c_void, events: c_int) {
    for i in 0..events {
        start(data, i);
        end(data, i);
    }
}

/// [`walk`] on another thread, then `notify(data)`, after which neither handler is called.
///
/// # Safety
///
/// Both handlers and the notify accept `data`.
unsafe extern "C" fn walk_later(
    start: Handler,
    end: Handler,
    data: *mut c_void,
    notify: Notify,
    events: c_int,
) {
    let data = UserData(data);
    std::thread::spawn(move || {
        // A method call, so that the closure captures the whole `Send` wrapper (edition 2021
        // would capture the pointer field alone from a pattern).
        let data = data.into_inner();
        // SAFETY: the handlers accept `data`, which the caller vouched for.
        unsafe { walk(start, end, data, events) };
        notify(data);
    });
}

/// The user data, carried to the "C library"'s thread as C carries it: a pointer, kept whole (not
/// an address) so that Miri's strict provenance checks hold.
struct UserData(*mut c_void);

// SAFETY: the callbacks' state behind it is `Send + Sync` (`promisify!` requires it where the
// pointer is made), and it is only handed back to those callbacks.
unsafe impl Send for UserData {}

impl UserData {
    fn into_inner(self) -> *mut c_void {
        self.0
    }
}

#[derive(Debug, PartialEq)]
enum Event {
    Start(c_int),
    End(c_int),
}

/// Counts its drops: captured by a callback, it is dropped when the callbacks' state is freed.
struct Tally(Arc<AtomicUsize>);

impl Drop for Tally {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_start_and_an_end_callback_feed_one_stream_freed_by_the_destroy_notify() {
    watchdog(|| async {
        let drops = Arc::new(AtomicUsize::new(0));
        let tally = Tally(Arc::clone(&drops));
        let events: CallbackStream<Event> = promisify!(stream unsafe {
            walk_later(
                |_, i: c_int| {
                    let _ = &tally;
                    _(Event::Start(i))
                },
                |_, i: c_int| _(Event::End(i)),
                _,
                |_| drop(_),
                2,
            )
        });
        assert_eq!(
            events.collect::<Vec<_>>().await,
            [
                Event::Start(0),
                Event::End(0),
                Event::Start(1),
                Event::End(1)
            ]
        );
        // The stream ended when the notify freed the state: once.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn the_first_of_several_callbacks_settles_the_promise() {
    watchdog(|| async {
        let drops = Arc::new(AtomicUsize::new(0));
        let tally = Tally(Arc::clone(&drops));
        let first: Promise<Event> = promisify!(unsafe {
            walk_later(
                |_, i: c_int| _(Event::Start(i)),
                |_, i: c_int| {
                    let _ = &tally;
                    _(Event::End(i))
                },
                _,
                |_| drop(_),
                3,
            )
        });
        assert_eq!(first.await, Event::Start(0));
    });
}

#[test]
fn lent_user_data_is_shared_during_the_call_and_freed_after_it() {
    watchdog(|| async {
        let drops = Arc::new(AtomicUsize::new(0));
        let tally = Tally(Arc::clone(&drops));
        let first: Promise<Event> = promisify!(unsafe {
            walk(
                |_, i: c_int| _(Event::End(i + 10)),
                |_, i: c_int| _(Event::End(i)),
                &_,
                2,
            )
        });
        let all: CallbackStream<Event> = promisify!(stream unsafe {
            walk(
                |_, i: c_int| {
                    let _ = &tally;
                    _(Event::Start(i))
                },
                |_, i: c_int| _(Event::End(i)),
                &_,
                1,
            )
        });
        // Freed when the block returned.
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        assert_eq!(first.await, Event::End(10));
        assert_eq!(
            all.collect::<Vec<_>>().await,
            [Event::Start(0), Event::End(0)]
        );
    });
}

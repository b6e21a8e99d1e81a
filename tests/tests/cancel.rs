//! `cancel().await` on every form's promise and stream, and a consumer's `close()`: the cancel
//! hook runs once, the future resolves to the late value (or `None` once the callback is dropped),
//! and a closed stream ends while the API still holds the callback. Each test has a watchdog.

use std::ffi::{c_int, c_void};
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread;

use callback_async::{CallbackStream, Overflow, Promise, callback_async, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// What the legacy worker does when it is told to stop.
#[derive(Clone, Copy)]
enum OnStop {
    /// Calls back with what it had when it stopped: a late value.
    CallBack,
    /// Drops the callback uncalled.
    Drop,
}

/// A legacy operation's handle: `stop` asks its worker to stop, and counts the calls.
struct Job {
    stop: mpsc::Sender<()>,
    stops: Arc<AtomicUsize>,
}

impl Job {
    fn stop(self) {
        self.stops.fetch_add(1, Ordering::SeqCst);
        let _ = self.stop.send(());
    }
}

/// Runs until stopped, then calls back with 7 or drops the callback, as `on_stop` says.
#[callback_async(cancel = Job::stop)]
fn job(on_stop: OnStop, stops: &Arc<AtomicUsize>, done: impl FnOnce(u32) + Send + 'static) -> Job {
    let (stop, stopped) = mpsc::channel();
    thread::spawn(move || {
        stopped.recv().unwrap();
        match on_stop {
            OnStop::CallBack => done(7),
            OnStop::Drop => drop(done),
        }
    });
    Job {
        stop,
        stops: Arc::clone(stops),
    }
}

#[test]
fn cancel_runs_the_hook_and_resolves_to_the_late_value() {
    watchdog(|| async {
        let stops = Arc::new(AtomicUsize::new(0));
        assert_eq!(job_async(OnStop::CallBack, &stops).cancel().await, Some(7));
        assert_eq!(stops.load(Ordering::SeqCst), 1, "the hook ran once");
    });
}

#[test]
fn cancel_resolves_to_none_when_the_callback_is_dropped() {
    watchdog(|| async {
        let stops = Arc::new(AtomicUsize::new(0));
        assert_eq!(job_async(OnStop::Drop, &stops).cancel().await, None);
        assert_eq!(stops.load(Ordering::SeqCst), 1);
    });
}

#[test]
fn dropping_the_cancel_future_runs_no_second_hook() {
    watchdog(|| async {
        let stops = Arc::new(AtomicUsize::new(0));
        drop(job_async(OnStop::CallBack, &stops).cancel());
        assert_eq!(stops.load(Ordering::SeqCst), 1);
    });
}

/// Calls back with `value` at once.
#[callback_async(cancel = Job::stop)]
fn finished(stops: &Arc<AtomicUsize>, value: u32, done: impl FnOnce(u32) + Send + 'static) -> Job {
    done(value);
    Job {
        stop: mpsc::channel().0,
        stops: Arc::clone(stops),
    }
}

#[test]
fn a_settled_promise_is_not_cancelled() {
    watchdog(|| async {
        let stops = Arc::new(AtomicUsize::new(0));
        assert_eq!(finished_async(&stops, 3).cancel().await, Some(3));
        assert_eq!(stops.load(Ordering::SeqCst), 0, "no hook once settled");
    });
}

/// A third-party API with no cancel: `cancel()` still waits for the callback, here called after
/// the API's thread was let go.
fn third_party(go: mpsc::Receiver<()>, done: impl FnOnce(String) + Send + 'static) {
    thread::spawn(move || {
        go.recv().unwrap();
        done("late".to_owned());
    });
}

#[test]
fn promisify_cancel_waits_for_the_callback() {
    watchdog(|| async {
        let (go, wait) = mpsc::channel();
        let promise = promisify!(third_party(wait, _));
        let cancelling = promise.cancel();
        go.send(()).unwrap();
        assert_eq!(cancelling.await.as_deref(), Some("late"));
    });
}

fn join(thread: libc::pthread_t) {
    // SAFETY: a joinable thread created by `pthread_create`, joined once.
    assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);
}

#[test]
fn c_promise_cancel_resolves_to_the_value_or_none() {
    watchdog(|| async {
        for hand_over in [true, false] {
            let (go, wait) = mpsc::channel::<()>();
            let mut thread = 0;
            let (rc, value): (c_int, Promise<u8>) = promisify!(unsafe {
                libc::pthread_create(
                    &mut thread,
                    ptr::null(),
                    |_| -> *mut c_void {
                        wait.recv().unwrap();
                        if hand_over {
                            _(42);
                        }
                        ptr::null_mut()
                    },
                    _,
                )
            });
            assert_eq!(rc, 0);
            let cancelling = value.cancel();
            go.send(()).unwrap();
            assert_eq!(cancelling.await, hand_over.then_some(42));
            join(thread);
        }
    });
}

/// Ticks every millisecond until stopped, then sends 99 and drops the callback.
#[callback_async(stream, cancel = Job::stop)]
fn ticks(stops: &Arc<AtomicUsize>, on_tick: impl Fn(u32) + Send + 'static) -> Job {
    let (stop, stopped) = mpsc::channel();
    thread::spawn(move || {
        while stopped.try_recv().is_err() {
            on_tick(1);
            thread::sleep(std::time::Duration::from_millis(1));
        }
        on_tick(99);
    });
    Job {
        stop,
        stops: Arc::clone(stops),
    }
}

#[test]
fn stream_cancel_collects_the_items_until_the_callback_is_dropped() {
    watchdog(|| async {
        let stops = Arc::new(AtomicUsize::new(0));
        let mut ticks = ticks_stream(&stops);
        assert_eq!(ticks.next().await, Some(1));
        let late = ticks.cancel().await;
        assert_eq!(late.last(), Some(&99), "the last item, sent after the stop");
        assert!(late[..late.len() - 1].iter().all(|&tick| tick == 1));
        assert_eq!(stops.load(Ordering::SeqCst), 1);
    });
}

/// tokio's runtime `Builder` keeps its `on_thread_start` closure for as long as it lives, and
/// calls it again for every runtime it builds.
#[test]
fn close_ends_a_stream_whose_api_keeps_the_callback() {
    watchdog(|| async {
        let mut builder = tokio::runtime::Builder::new_multi_thread();
        builder.worker_threads(2);
        let (_, mut started): (_, CallbackStream<()>) =
            promisify!(stream builder.on_thread_start(|| _(())));
        let runtime = builder.build().unwrap();
        assert_eq!(started.next().await, Some(()), "a worker started");
        started.close();
        let queued = started.by_ref().count().await;
        assert!(queued <= 1, "at most the other worker's start was queued");
        assert_eq!(started.next().await, None, "ended, with the builder alive");
        let before = started.discarded();
        let second = builder.build().unwrap();
        second.block_on(async {});
        drop(second);
        assert!(
            started.discarded() >= before + 2,
            "later starts are refused and counted"
        );
        drop(runtime);
    });
}

#[test]
fn a_blocking_send_on_the_consumers_thread_never_waits() {
    watchdog(|| async {
        let (sender, stream) = callback_async::CallbackStream::bounded(1, Overflow::Block);
        (0..3).for_each(|i| sender.send(i));
        drop(sender);
        assert_eq!(
            stream.discarded(),
            2,
            "the consumer's own thread cannot wait for itself"
        );
        assert_eq!(stream.collect::<Vec<_>>().await, [0]);
    });
}

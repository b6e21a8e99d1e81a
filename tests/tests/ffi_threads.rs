//! `promisify!(unsafe { .. })` on glibc APIs that call back on threads they create:
//! `pthread_create`'s start routine and `timer_create` with `SIGEV_THREAD`.
#![cfg(target_os = "linux")]

use std::ffi::{c_int, c_void};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::ptr;
use std::sync::mpsc;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use callback_async::Promise;
use callback_async::promisify;
use futures::executor::block_on;

fn join(thread: libc::pthread_t) {
    // SAFETY: a joinable thread created by `pthread_create`, joined once.
    assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);
}

#[test]
fn pthread_start_routine_on_its_own_thread() {
    let mut thread = 0;
    let (rc, id): (c_int, Promise<ThreadId>) = promisify!(unsafe {
        libc::pthread_create(
            &mut thread,
            ptr::null(),
            |_| -> *mut c_void {
                _(thread::current().id());
                ptr::null_mut()
            },
            _,
        )
    });
    assert_eq!(rc, 0);
    let id = block_on(id);
    join(thread);
    assert_ne!(id, thread::current().id());
}

#[test]
fn a_panic_on_the_c_thread_is_resumed_by_the_awaiting_side() {
    let mut thread = 0;
    let (rc, value): (c_int, Promise<u8>) = promisify!(unsafe {
        libc::pthread_create(
            &mut thread,
            ptr::null(),
            |_| -> *mut c_void {
                let parsed: u8 = "300".parse().expect("does not fit");
                _(parsed);
                ptr::null_mut()
            },
            _,
        )
    });
    assert_eq!(rc, 0);
    // The C thread returned normally (with the null pointer of `CReturn::on_panic`).
    join(thread);
    let panic = catch_unwind(AssertUnwindSafe(|| block_on(value))).unwrap_err();
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(message.starts_with("does not fit"), "{message}");
}

#[test]
fn promise_dropped_before_the_c_thread_calls() {
    let (go, wait) = mpsc::channel::<()>();
    let mut thread = 0;
    let (rc, value): (c_int, Promise<String>) = promisify!(unsafe {
        libc::pthread_create(
            &mut thread,
            ptr::null(),
            |_| -> *mut c_void {
                wait.recv().unwrap();
                _("nobody awaits this".to_owned());
                ptr::null_mut()
            },
            _,
        )
    });
    assert_eq!(rc, 0);
    drop(value);
    go.send(()).unwrap();
    // The start routine resolved a dropped promise and freed its state, once.
    join(thread);
}

/// glibc's `struct sigevent` with its `SIGEV_THREAD` members, which the `libc` crate leaves out:
/// declared as bindgen would.
#[repr(C)]
struct SigEventThread {
    value: libc::sigval,
    signo: c_int,
    notify: c_int,
    function: Option<extern "C" fn(libc::sigval)>,
    attributes: *mut libc::pthread_attr_t,
    _pad: [u8; 64 - 3 * size_of::<usize>() - 8],
}

const _: () = assert!(size_of::<SigEventThread>() == size_of::<libc::sigevent>());

impl SigEventThread {
    fn new(value: libc::sigval, function: extern "C" fn(libc::sigval)) -> Self {
        SigEventThread {
            value,
            signo: 0,
            notify: libc::SIGEV_THREAD,
            function: Some(function),
            attributes: ptr::null_mut(),
            _pad: [0; 64 - 3 * size_of::<usize>() - 8],
        }
    }
}

/// Arms a one-shot timer that glibc runs on a new thread; the user data travels in
/// `union sigval`, so the callback's user-data parameter is `libc::sigval { sival_ptr: _ }`.
fn timer(after: Duration) -> (libc::timer_t, Promise<(ThreadId, Instant)>) {
    let mut timer: libc::timer_t = ptr::null_mut();
    let (rc, fired) = promisify!(unsafe {
        let mut event = SigEventThread::new(
            libc::sigval { sival_ptr: _ },
            |libc::sigval { sival_ptr: _ }| _((thread::current().id(), Instant::now())),
        );
        libc::timer_create(libc::CLOCK_MONOTONIC, (&raw mut event).cast(), &mut timer)
    });
    assert_eq!(rc, 0);
    let spec = libc::itimerspec {
        it_interval: libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        },
        it_value: libc::timespec {
            tv_sec: 0,
            tv_nsec: after.as_nanos().try_into().unwrap(),
        },
    };
    // SAFETY: a timer created above; a valid `itimerspec`.
    assert_eq!(
        unsafe { libc::timer_settime(timer, 0, &spec, ptr::null_mut()) },
        0
    );
    (timer, fired)
}

fn delete(timer: libc::timer_t) {
    // SAFETY: created by `timer`, deleted once.
    assert_eq!(unsafe { libc::timer_delete(timer) }, 0);
}

#[test]
#[cfg_attr(
    miri,
    ignore = "glibc's `timer_create` is a C library call, which Miri cannot run"
)]
fn timer_fires_on_another_thread() {
    let start = Instant::now();
    let (id, fired_at) = {
        let (timer, fired) = timer(Duration::from_millis(20));
        let fired = block_on(fired);
        delete(timer);
        fired
    };
    assert_ne!(id, thread::current().id());
    assert!(fired_at - start >= Duration::from_millis(20));
}

#[test]
#[cfg_attr(
    miri,
    ignore = "glibc's `timer_create` is a C library call, which Miri cannot run"
)]
fn timers_on_a_multi_threaded_runtime() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let (timers, fired): (Vec<_>, Vec<_>) =
        (1..=8).map(|i| timer(Duration::from_millis(5 * i))).unzip();
    let fired = runtime.block_on(async {
        let tasks: Vec<_> = fired.into_iter().map(tokio::spawn).collect();
        let mut fired = Vec::new();
        for task in tasks {
            fired.push(task.await.unwrap());
        }
        fired
    });
    timers.into_iter().for_each(delete);
    assert_eq!(fired.len(), 8);
    assert!(fired.iter().all(|(id, _)| *id != thread::current().id()));
}

//! `app.rs` without the macros: the bridge that an embedded program writes by hand today (a
//! shared slot per call, a waker, a critical section), and about what the macros generate for it.

use alloc::collections::VecDeque;
use alloc::sync::Arc;
use core::cell::RefCell;
use core::ffi::c_void;
use core::future::poll_fn;
use core::task::{Poll, Waker};

use critical_section::Mutex;

use crate::driver::{Done, Release};

unsafe extern "C" {
    fn sensor_read(channel: u32, done: Done, user_data: *mut c_void) -> i32;
    fn sensor_subscribe(count: u32, on_sample: Done, user_data: *mut c_void, release: Release);
}

/// Values handed from the driver's interrupt to a task: at most `bound`, the oldest dropped.
struct Channel<T> {
    queue: VecDeque<T>,
    bound: usize,
    ended: bool,
    waker: Option<Waker>,
}

type Shared<T> = Mutex<RefCell<Channel<T>>>;

fn shared<T>(bound: usize) -> Arc<Shared<T>> {
    let queue = VecDeque::with_capacity(bound);
    Arc::new(Mutex::new(RefCell::new(Channel {
        queue,
        bound,
        ended: false,
        waker: None,
    })))
}

/// Queues `value` (or ends the channel) and wakes the task, from the interrupt handler.
fn deliver<T>(shared: &Shared<T>, value: Option<T>) {
    let waker = critical_section::with(|cs| {
        let mut channel = shared.borrow_ref_mut(cs);
        match value {
            Some(value) => {
                if channel.queue.len() == channel.bound {
                    channel.queue.pop_front();
                }
                channel.queue.push_back(value);
            }
            None => channel.ended = true,
        }
        channel.waker.take()
    });
    if let Some(waker) = waker {
        waker.wake();
    }
}

/// The next value, or `None` once the channel ended and is empty.
async fn next<T>(shared: &Shared<T>) -> Option<T> {
    poll_fn(|cx| {
        critical_section::with(|cs| {
            let mut channel = shared.borrow_ref_mut(cs);
            match channel.queue.pop_front() {
                Some(value) => Poll::Ready(Some(value)),
                None if channel.ended => Poll::Ready(None),
                None => {
                    channel.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        })
    })
    .await
}

unsafe extern "C" fn on_read(user_data: *mut c_void, status: i32, value: u32) {
    // SAFETY: `user_data` is the `Arc` that `read` leaked for this one call.
    let shared = unsafe { Arc::from_raw(user_data.cast_const().cast::<Shared<(i32, u32)>>()) };
    deliver(&shared, Some((status, value)));
}

unsafe extern "C" fn on_sample(user_data: *mut c_void, _status: i32, value: u32) {
    // SAFETY: `user_data` is the `Arc` that `run` leaked, alive until `release`.
    let shared = unsafe { &*user_data.cast_const().cast::<Shared<u32>>() };
    deliver(shared, Some(value));
}

unsafe extern "C" fn release(user_data: *mut c_void) {
    // SAFETY: as for `on_sample`; this is its last use, which frees it.
    let shared = unsafe { Arc::from_raw(user_data.cast_const().cast::<Shared<u32>>()) };
    deliver(&shared, None);
}

async fn read(channel: u32) -> (i32, u32) {
    let shared = shared(1);
    let user_data = Arc::into_raw(Arc::clone(&shared)).cast_mut().cast();
    // SAFETY: `sensor_read` calls `on_read` once with `user_data`.
    let status = unsafe { sensor_read(channel, on_read, user_data) };
    assert_eq!(status, 0, "the driver is idle");
    next(&shared).await.expect("the driver calls back once")
}

/// Two readings and a stream of samples; their sum.
pub async fn run() -> u32 {
    let (_, first) = read(1).await;
    let (_, second) = read(2).await;
    let samples = shared::<u32>(4);
    let user_data = Arc::into_raw(Arc::clone(&samples)).cast_mut().cast();
    // SAFETY: `sensor_subscribe` calls `on_sample` with `user_data`, then `release` once.
    unsafe { sensor_subscribe(3, on_sample, user_data, release) };
    let mut sum = first + second;
    while let Some(sample) = next(&samples).await {
        sum += sample;
    }
    sum
}

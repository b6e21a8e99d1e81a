//! Bounded streams from both macros, `stream(bound = N, overflow = ..)`: a legacy API that calls
//! back more often than the bound before the consumer polls keeps the last `N` items
//! (`drop_oldest`, the default) or the first `N` (`drop_newest`), and the stream counts the rest
//! in `discarded()`; with `block`, a producer on its own thread waits for room and every item
//! arrives, in order. A progress stream beside a promise (`stream(_, bound = N)`) takes a bound
//! too. The bound counts every item sent and not yet yielded, as a bounded channel's does. Each
//! test has a watchdog, so that a producer that waits forever fails it.

use std::ffi::{c_int, c_void};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use callback_async::{CallbackStream, Overflow, callback_async, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// How many items wait for the consumer in the tests below.
const BOUND: usize = 4;

/// More than the bound: a legacy API that calls back this often before it returns.
const BURST: u32 = 10;

/// Items that a producer thread sends through a bound of one or two, waiting for room: Miri runs
/// each hand-over thousands of times slower, and `.ci/run` runs it under several seeds.
const PRODUCED: u32 = if cfg!(miri) { 60 } else { 1000 };

/// Calls back `n` times, on the caller's thread, before it returns.
fn burst(n: u32, mut each: impl FnMut(u32)) {
    (1..=n).for_each(&mut each);
}

/// Calls back `n` times from a thread of its own, as fast as it can.
fn produce(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    thread::spawn(move || (1..=n).for_each(&mut each));
}

#[callback_async(stream(bound = BOUND))]
fn burst_keeping_the_last(n: u32, each: impl FnMut(u32)) {
    burst(n, each);
}

#[callback_async(stream(bound = BOUND, overflow = drop_oldest))]
fn burst_dropping_the_oldest(n: u32, each: impl FnMut(u32)) {
    burst(n, each);
}

#[callback_async(stream(bound = BOUND, overflow = drop_newest))]
fn burst_keeping_the_first(n: u32, each: impl FnMut(u32)) {
    burst(n, each);
}

#[callback_async(stream(bound = 2, overflow = block))]
fn produce_waiting(n: u32, each: impl FnMut(u32) + Send + 'static) {
    produce(n, each);
}

/// A legacy type whose methods all stream, bounded by the options of their block.
struct Feed;

#[callback_async(stream(bound = BOUND, overflow = drop_newest))]
impl Feed {
    fn burst(&self, n: u32, each: impl FnMut(u32)) {
        burst(n, each);
    }
}

/// The streams of both forms, which count what they discarded.
trait Counted: futures::Stream + Unpin {
    fn discarded(&self) -> u64;
}

impl<T> Counted for CallbackStream<T> {
    fn discarded(&self) -> u64 {
        CallbackStream::discarded(self)
    }
}

/// Every item of `stream`, then how many it discarded.
async fn drain<S: Counted>(mut stream: S) -> (Vec<S::Item>, u64) {
    let items = (&mut stream).collect().await;
    (items, stream.discarded())
}

#[test]
fn attribute_drop_oldest_keeps_the_last_items() {
    watchdog(|| async {
        let expected = (vec![7, 8, 9, 10], 6);
        assert_eq!(drain(burst_keeping_the_last_stream(BURST)).await, expected);
        assert_eq!(
            drain(burst_dropping_the_oldest_stream(BURST)).await,
            expected
        );
    });
}

#[test]
fn attribute_drop_newest_keeps_the_first_items() {
    watchdog(|| async {
        let (items, discarded) = drain(burst_keeping_the_first_stream(BURST)).await;
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(discarded, 6);
        assert_eq!(drain(Feed.burst_stream(BURST)).await, (vec![1, 2, 3, 4], 6));
    });
}

#[test]
fn attribute_block_delivers_every_item_in_order() {
    watchdog(|| async {
        let (items, discarded) = drain(produce_waiting_stream(PRODUCED)).await;
        assert_eq!(items, (1..=PRODUCED).collect::<Vec<_>>());
        assert_eq!(discarded, 0);
    });
}

#[test]
fn a_stream_within_its_bound_loses_nothing() {
    watchdog(|| async {
        let (items, discarded) = drain(burst_keeping_the_first_stream(3)).await;
        assert_eq!((items, discarded), (vec![1, 2, 3], 0));
    });
}

#[test]
fn promisify_drop_oldest_keeps_the_last_items() {
    watchdog(|| async {
        // The bound is any `usize` expression: here a local.
        let bound = BOUND;
        let stream: CallbackStream<u32> = promisify!(stream(bound = bound) burst(BURST, _));
        assert_eq!(drain(stream).await, (vec![7, 8, 9, 10], 6));
        let stream = promisify!(stream(bound = 2, overflow = drop_oldest) burst(BURST, |n| _));
        assert_eq!(drain(stream).await, (vec![9, 10], 8));
    });
}

#[test]
fn promisify_drop_newest_keeps_the_first_items() {
    watchdog(|| async {
        let stream = promisify!(stream(bound = BOUND, overflow = drop_newest) burst(BURST, _));
        assert_eq!(drain(stream).await, (vec![1, 2, 3, 4], 6));
    });
}

#[test]
fn promisify_block_delivers_every_item_in_order() {
    watchdog(|| async {
        let stream = promisify!(stream(bound = 1, overflow = block) produce(PRODUCED, _));
        assert_eq!(drain(stream).await, ((1..=PRODUCED).collect(), 0));
    });
}

/// Reports progress `steps` times, then completes, all before it returns.
fn copy(steps: u32, mut progress: impl FnMut(u32), done: impl FnOnce(u32)) {
    (1..=steps).for_each(&mut progress);
    done(steps);
}

#[test]
fn a_progress_stream_beside_a_promise_takes_a_bound() {
    watchdog(|| async {
        let (progress, done) = promisify!(copy(BURST, stream(_, bound = BOUND), _));
        assert_eq!(done.await, BURST);
        assert_eq!(drain(progress).await, (vec![7, 8, 9, 10], 6));
        let (progress, done) = promisify!(copy(
            BURST,
            stream(|step: u32| _, bound = 2, overflow = drop_newest),
            _
        ));
        assert_eq!(done.await, BURST);
        assert_eq!(drain(progress).await, (vec![1, 2], 8));
    });
}

/// A C API written in Rust: calls `callback(data, row)` for each of `rows` rows during the call.
unsafe extern "C" fn each_row(
    rows: c_int,
    callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>,
    data: *mut c_void,
) {
    let callback = callback.expect("a callback");
    for row in 1..=rows {
        // SAFETY: `data` is the user data the caller gave, for this callback.
        unsafe { callback(data, row) };
    }
}

/// A wrapper of `each_row`, under the C form of the attribute.
///
/// # Safety
///
/// None beyond `each_row`'s: it calls back only during the call.
#[callback_async(
    callback: Some(|_, row: c_int| _(row)),
    data: &_,
    stream(bound = BOUND, overflow = drop_newest),
)]
unsafe fn rows_keeping_the_first(
    rows: c_int,
    callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>,
    data: *mut c_void,
) {
    // SAFETY: the caller's.
    unsafe { each_row(rows, callback, data) }
}

#[test]
fn c_streams_keep_the_first_or_the_last_items() {
    watchdog(|| async {
        let rows = c_int::try_from(BURST).unwrap();
        // SAFETY: `each_row` calls back only during the call.
        let stream = unsafe { rows_keeping_the_first_stream(rows) };
        assert_eq!(drain(stream).await, (vec![1, 2, 3, 4], 6));
        let stream = promisify!(stream(bound = BOUND) unsafe {
            each_row(rows, Some(|_, row: c_int| _(row)), &_)
        });
        assert_eq!(drain(stream).await, (vec![7, 8, 9, 10], 6));
    });
}

/// Sends `items` into a stream whose consumer has taken the first of them, then a burst of
/// `burst` more, and ends the stream: what the consumer sees after the first item, and how many
/// items were discarded.
async fn after_a_burst(overflow: Overflow, items: u32, burst: u32) -> (Vec<u32>, u64) {
    let (sender, mut stream) = CallbackStream::bounded(BOUND, overflow);
    (1..=items).for_each(|i| sender.send(i));
    assert_eq!(stream.next().await, Some(1));
    (items + 1..=items + burst).for_each(|i| sender.send(i));
    drop(sender);
    drain(stream).await
}

#[test]
fn after_a_burst_the_consumer_sees_at_most_the_bound() {
    watchdog(|| async {
        // 1 yielded, 2..=4 queued, then 5..=14: the latest four are kept.
        let kept = after_a_burst(Overflow::DropOldest, 4, 10).await;
        assert_eq!(kept, (vec![11, 12, 13, 14], 9));
        // The first four still unread are kept: 2..=4 and 5.
        let kept = after_a_burst(Overflow::DropNewest, 4, 10).await;
        assert_eq!(kept, (vec![2, 3, 4, 5], 9));
    });
}

/// Waits (politely) until `ready` holds.
fn wait_until(ready: impl Fn() -> bool) {
    while !ready() {
        thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn a_blocking_producer_runs_at_most_the_bound_ahead() {
    watchdog(|| async {
        let (sender, mut stream) = CallbackStream::bounded(BOUND, Overflow::Block);
        let sent = Arc::new(AtomicUsize::new(0));
        let counted = Arc::clone(&sent);
        thread::spawn(move || {
            for i in 0..50 {
                sender.send(i);
                counted.fetch_add(1, Ordering::SeqCst);
            }
        });
        let sent = || sent.load(Ordering::SeqCst);
        let mut yielded = 0;
        while let Some(item) = stream.next().await {
            assert_eq!(item, yielded);
            yielded += 1;
            let left = 50 - yielded;
            // The producer fills the room it has, then waits: after a pause, it is still exactly
            // the bound ahead (or done).
            wait_until(|| sent() >= yielded + BOUND.min(left));
            thread::sleep(Duration::from_millis(2));
            assert_eq!(sent() - yielded, BOUND.min(left));
        }
        assert_eq!((yielded, stream.discarded()), (50, 0));
    });
}

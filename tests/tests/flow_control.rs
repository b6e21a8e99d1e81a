//! Bounded streams from both macros, `stream(bound = N, overflow = ..)`: a legacy API that calls
//! back more often than the bound before the consumer polls keeps the last `N` items
//! (`drop_oldest`, the default) or the first `N` (`drop_newest`), and the stream counts the rest
//! in `discarded()`; with `block`, a producer on its own thread waits for room and every item
//! arrives, in order. A progress stream beside a promise (`stream(_, bound = N)`) takes a bound
//! too. Each test has a watchdog, so that a producer that waits forever fails it.

use std::ffi::{c_int, c_void};
use std::thread;

use callback_async::{CallbackStream, callback_async, promisify};
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

//! Allocation counts per call: deterministic, so asserted here (speed lives in `benches/`).

use std::future::Future;
use std::mem::size_of;
use std::pin::Pin;
use std::task::{Context, Poll};

use callback_async::{CallbackStream, Dropped, callback_async, promisify};
use futures::Stream;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::PerThread;

/// Counts this thread's allocations, so that tests running in parallel do not mix.
#[global_allocator]
static GLOBAL: PerThread = PerThread;

/// `(allocations, bytes, value)` of `f` on this thread.
fn measure<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    let (counts, value) = PerThread::during(f);
    (counts.allocations, counts.bytes, value)
}

/// Polls once with a no-op waker (`block_on` may allocate its thread's notifier).
fn poll_now<F: Future + Unpin>(mut future: F) -> Poll<F::Output> {
    Pin::new(&mut future).poll(&mut Context::from_waker(futures::task::noop_waker_ref()))
}

// --- callbacks that may outlive the call: one allocation -------------------------------------

#[callback_async]
fn escaping(n: u64, done: impl FnOnce(u64) + Send + 'static) {
    done(n);
}

#[callback_async]
fn escaping_param<F>(n: [u64; 4], done: F)
where
    F: FnOnce([u64; 4]) + Send + 'static,
{
    done(n);
}

#[callback_async]
fn boxes_itself(n: u8, done: impl FnOnce(u8) + Send + 'static) {
    let boxed: Box<dyn FnOnce(u8) + Send> = Box::new(done);
    boxed(n);
}

#[callback_async]
fn boxed_callback(n: u8, done: Box<dyn FnOnce(u8) + Send>) {
    done(n);
}

fn third_party(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(n);
}

#[test]
fn one_allocation_of_at_most_32_bytes_plus_the_value() {
    let (count, bytes, polled) = measure(|| poll_now(escaping_async(7)));
    assert_eq!((count, polled), (1, Poll::Ready(7)));
    assert!(bytes <= 32 + size_of::<u64>(), "{bytes} bytes");

    let (count, bytes, polled) = measure(|| poll_now(escaping_param_async([1, 2, 3, 4])));
    assert_eq!((count, polled), (1, Poll::Ready([1, 2, 3, 4])));
    assert!(bytes <= 32 + size_of::<[u64; 4]>(), "{bytes} bytes");

    let (count, bytes, polled) = measure(|| poll_now(promisify!(third_party(9, _))));
    assert_eq!((count, polled), (1, Poll::Ready(9)));
    assert!(bytes <= 32 + size_of::<u32>(), "{bytes} bytes");
}

/// A one-shot callback that answers its API (`promisify!`'s body form).
fn third_party_answer(n: u32, answer: impl FnOnce(u32) -> bool + Send + 'static) -> bool {
    answer(n)
}

#[test]
fn the_body_form_costs_what_the_placeholder_costs() {
    let (count, bytes, (answered, polled)) = measure(|| {
        let (answered, promise) = promisify!(third_party_answer(9, |n| {
            _(n);
            true
        }));
        (answered, poll_now(promise))
    });
    assert_eq!((count, answered, polled), (1, true, Poll::Ready(9)));
    assert!(bytes <= 32 + size_of::<u32>(), "{bytes} bytes");
}

#[test]
fn two_allocations_when_the_legacy_api_boxes_the_callback() {
    let (count, _, polled) = measure(|| poll_now(boxes_itself_async(3)));
    assert_eq!((count, polled), (2, Poll::Ready(3)));
    let (count, _, polled) = measure(|| poll_now(boxed_callback_async(4)));
    assert_eq!((count, polled), (2, Poll::Ready(4)));
}

// --- callbacks that cannot outlive the call: no allocation ------------------------------------

#[callback_async]
fn sync_once(n: u8, done: impl FnOnce(u8)) {
    done(n);
}

#[callback_async]
fn sync_param<F: FnMut(u8, &str)>(n: u8, mut each: F) -> usize {
    each(n, "first");
    each(n + 1, "second");
    2
}

#[callback_async]
fn sync_shared(n: u8, each: impl Fn(u8)) {
    each(n);
    each(n + 1);
}

#[callback_async]
fn sync_send(n: u8, done: impl FnOnce(u8) + Send) {
    std::thread::scope(|scope| {
        scope.spawn(move || done(n));
    });
}

#[callback_async]
fn forgets(done: impl FnOnce(u8)) {
    std::mem::forget(done);
}

#[callback_async]
fn drops(done: impl FnOnce(u8)) {
    drop(done);
}

#[callback_async(dropped = 0)]
fn drops_with_fallback(done: impl FnOnce(u8)) {
    drop(done);
}

struct Device(u8);

#[callback_async]
impl Device {
    fn read(&self, done: impl FnOnce(u8)) {
        done(self.0);
    }
}

#[test]
fn no_allocation_when_the_callback_cannot_outlive_the_call() {
    let (count, _, polled) = measure(|| poll_now(sync_once_async(1)));
    assert_eq!((count, polled), (0, Poll::Ready(1)));
    let (count, _, (n, promise)) = measure(|| sync_param_async(5));
    // One allocation: the value's own `String`, made by the first call only; later calls are
    // ignored before their `&str` is copied.
    assert_eq!((count, n), (1, 2));
    assert_eq!(poll_now(promise), Poll::Ready((5, "first".to_owned())));
    let (count, _, polled) = measure(|| poll_now(sync_shared_async(8)));
    assert_eq!((count, polled), (0, Poll::Ready(8)), "first call wins");
    let (count, _, polled) = measure(|| poll_now(Device(4).read_async()));
    assert_eq!((count, polled), (0, Poll::Ready(4)));
    // `Send` alone keeps the slot (scoped threads may call it); `std::thread::scope` allocates
    // its own bookkeeping, so only the value is checked here.
    assert_eq!(poll_now(sync_send_async(6)), Poll::Ready(6));
}

#[test]
fn forgotten_or_dropped_callbacks_read_as_dropped_never_as_a_hang() {
    let (count, _, polled) = measure(|| poll_now(forgets_async().or_dropped()));
    assert_eq!((count, polled), (0, Poll::Ready(Err(Dropped))));
    let (count, _, polled) = measure(|| poll_now(drops_async().or_dropped()));
    assert_eq!((count, polled), (0, Poll::Ready(Err(Dropped))));
    let result = std::panic::catch_unwind(|| futures::executor::block_on(drops_async()));
    let payload = result.unwrap_err();
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("dropped") && message.contains("drops"),
        "{message}"
    );
    assert_eq!(poll_now(drops_with_fallback_async()), Poll::Ready(0));
}

// Each rule that disqualifies a signature from the stack slot: back to one allocation.

#[callback_async]
fn rule_static(done: impl FnOnce(u8) + 'static) {
    done(1);
}

#[callback_async]
fn rule_lifetime<'a>(name: &'a str, done: impl FnOnce(u8) + 'a) {
    done(u8::try_from(name.len()).unwrap());
}

#[callback_async]
fn rule_impl_trait_return(done: impl FnOnce(u8)) -> impl Sized {
    done(1);
}

#[callback_async]
fn rule_shared_and_send(done: impl Fn(u8) + Send) {
    done(1);
}

#[callback_async]
fn rule_once_and_sync(done: impl FnOnce(u8) + Sync) {
    done(1);
}

#[test]
fn each_disqualifying_rule_falls_back_to_the_channel() {
    assert_eq!(
        measure(|| poll_now(rule_static_async())).0,
        1,
        "'static bound"
    );
    assert_eq!(
        measure(|| poll_now(rule_lifetime_async("ab"))).0,
        1,
        "named lifetime bound"
    );
    assert_eq!(
        measure(|| poll_now(rule_impl_trait_return_async().1)).0,
        1,
        "impl Trait in return"
    );
    assert_eq!(
        measure(|| poll_now(rule_shared_and_send_async())).0,
        1,
        "Fn + Send"
    );
    assert_eq!(
        measure(|| poll_now(rule_once_and_sync_async())).0,
        1,
        "FnOnce + Sync"
    );
    // `Box<dyn FnOnce>` is `'static`: see `two_allocations_when_the_legacy_api_boxes_the_callback`.
}

// --- streams: no allocation per item beyond the queue's amortised growth ----------------------

#[test]
fn stream_items_do_not_allocate_in_steady_state() {
    let (sender, mut stream) = CallbackStream::<u64>::channel();
    let mut next = || match Pin::new(&mut stream)
        .poll_next(&mut Context::from_waker(futures::task::noop_waker_ref()))
    {
        Poll::Ready(Some(item)) => item,
        other => panic!("expected an item, got {other:?}"),
    };
    // Warm up: both buffers reach the batch size.
    for round in 0..4 {
        (0..64).for_each(|i| sender.send(round * 64 + i));
        (0..64).for_each(|_| {
            next();
        });
    }
    let (count, _, sum) = measure(|| {
        let mut sum = 0;
        for round in 0..100 {
            (0..64).for_each(|i| sender.send(round * 64 + i));
            sum += (0..64).map(|_| next()).sum::<u64>();
        }
        sum
    });
    assert_eq!(sum, (0..6400).sum::<u64>());
    assert_eq!(count, 0, "6,400 items, no allocation");
}

/// An API that keeps a callback returning a value to it, as curl's `write_function` does.
struct Feed {
    write: Option<Box<dyn FnMut(u64) -> bool>>,
}

impl Feed {
    fn write_function(&mut self, write: impl FnMut(u64) -> bool + 'static) {
        self.write = Some(Box::new(write));
    }
}

#[test]
fn body_form_stream_items_do_not_allocate_in_steady_state() {
    let mut feed = Feed { write: None };
    let mut stream = promisify!(stream feed.write_function(|n: u64| {
        _(n);
        true
    }));
    let write = feed.write.as_mut().expect("a write function");
    let mut next = || match Pin::new(&mut stream)
        .poll_next(&mut Context::from_waker(futures::task::noop_waker_ref()))
    {
        Poll::Ready(Some(item)) => item,
        other => panic!("expected an item, got {other:?}"),
    };
    // Warm up: both buffers reach the batch size.
    for round in 0..4 {
        (0..64).for_each(|i| assert!(write(round * 64 + i)));
        (0..64).for_each(|_| {
            next();
        });
    }
    let (count, _, sum) = measure(|| {
        let mut sum = 0;
        for round in 0..100 {
            (0..64).for_each(|i| assert!(write(round * 64 + i)));
            sum += (0..64).map(|_| next()).sum::<u64>();
        }
        sum
    });
    assert_eq!(sum, (0..6400).sum::<u64>());
    assert_eq!(count, 0, "6,400 items, no allocation");
}

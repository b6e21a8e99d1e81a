//! Stream mode and cancellation.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use callback_async::{CallbackStream, Overflow, callback_async};
use futures::StreamExt;
use futures::executor::block_on;

#[callback_async(stream)]
fn count_to(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    thread::spawn(move || (1..=n).for_each(&mut each));
}

#[callback_async(stream)]
fn lines(text: &str, each: impl Fn(&str)) -> usize {
    text.lines().for_each(&each);
    text.lines().count()
}

#[callback_async(stream)]
fn events<F>(on_event: F)
where
    F: Fn(u8, &str) + Send + Sync + 'static,
{
    let on_event = Arc::new(on_event);
    let handles: Vec<_> = (0..2)
        .map(|producer| {
            let on_event = Arc::clone(&on_event);
            thread::spawn(move || {
                for i in 0..50 {
                    on_event(producer, &format!("{producer}-{i}"));
                }
            })
        })
        .collect();
    thread::spawn(move || handles.into_iter().for_each(|h| h.join().unwrap()));
}

#[test]
fn one_item_per_call_in_order_ending_when_the_callback_is_dropped() {
    assert_eq!(
        block_on(count_to_stream(5).collect::<Vec<_>>()),
        [1, 2, 3, 4, 5]
    );
    let (count, stream): (usize, CallbackStream<String>) = lines_stream("a\nb\nc");
    assert_eq!(count, 3);
    assert_eq!(block_on(stream.collect::<Vec<_>>()), ["a", "b", "c"]);
}

#[test]
fn items_from_several_threads_keep_per_producer_order() {
    let items: Vec<(u8, String)> = block_on(events_stream().collect());
    assert_eq!(items.len(), 100);
    for producer in 0..2 {
        let seen: Vec<&String> = items
            .iter()
            .filter(|(p, _)| *p == producer)
            .map(|(_, s)| s)
            .collect();
        let expected: Vec<String> = (0..50).map(|i| format!("{producer}-{i}")).collect();
        assert_eq!(seen, expected.iter().collect::<Vec<_>>());
    }
}

#[test]
#[cfg_attr(
    miri,
    ignore = "smol's reactor needs `timerfd_create`, which Miri does not support"
)]
fn streams_work_on_tokio_and_smol() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let items = runtime.block_on(async {
        tokio::spawn(count_to_stream(3).collect::<Vec<_>>())
            .await
            .unwrap()
    });
    assert_eq!(items, [1, 2, 3]);
    assert_eq!(
        smol::block_on(count_to_stream(2).collect::<Vec<_>>()),
        [1, 2]
    );
}

#[test]
fn dropping_the_stream_makes_later_calls_no_ops() {
    let (sender, stream) = CallbackStream::<Arc<()>>::channel();
    let item = Arc::new(());
    assert!(sender.is_awaited());
    drop(stream);
    assert!(!sender.is_awaited(), "the producer can tell nobody listens");
    sender.send(Arc::clone(&item));
    assert_eq!(Arc::strong_count(&item), 1, "the item was dropped at once");
}

#[test]
fn queued_items_are_dropped_with_the_stream() {
    let (sender, stream) = CallbackStream::<Arc<()>>::channel();
    let item = Arc::new(());
    sender.send(Arc::clone(&item));
    assert_eq!(Arc::strong_count(&item), 2);
    drop(stream);
    assert_eq!(Arc::strong_count(&item), 1);
}

#[test]
fn a_bound_discards_the_oldest_items() {
    let (sender, stream) = CallbackStream::bounded(3, Overflow::DropOldest);
    for i in 0..10 {
        sender.send(i);
    }
    drop(sender);
    assert_eq!(stream.discarded(), 7);
    assert_eq!(block_on(stream.collect::<Vec<_>>()), [7, 8, 9]);
}

// --- cancellation ---------------------------------------------------------------------------

/// A long-running legacy operation with a handle that can stop it.
struct Job {
    stop: Arc<AtomicBool>,
    cancels: Arc<AtomicUsize>,
}

impl Job {
    fn cancel(self) {
        self.cancels.fetch_add(1, Ordering::SeqCst);
        self.stop.store(true, Ordering::SeqCst);
    }
}

struct Worker {
    cancels: Arc<AtomicUsize>,
    finished: Arc<Mutex<Vec<&'static str>>>,
}

#[callback_async]
impl Worker {
    /// Calls back after `ms` milliseconds unless stopped first.
    #[callback_async(cancel = Job::cancel)]
    fn run(&self, ms: u64, done: impl FnOnce(u64) + Send + 'static) -> Job {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let finished = Arc::clone(&self.finished);
        thread::spawn(move || {
            for _ in 0..ms {
                if flag.load(Ordering::SeqCst) {
                    finished.lock().unwrap().push("stopped");
                    return;
                }
                thread::sleep(Duration::from_millis(1));
            }
            finished.lock().unwrap().push("completed");
            done(ms);
        });
        Job {
            stop,
            cancels: Arc::clone(&self.cancels),
        }
    }

    #[callback_async(stream, cancel = |job: Job| job.cancel())]
    fn ticks(&self, each: impl FnMut(u32) + Send + 'static) -> Job {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let mut each = each;
        thread::spawn(move || {
            let mut i = 0;
            while !flag.load(Ordering::SeqCst) {
                each(i);
                i += 1;
                thread::sleep(Duration::from_millis(1));
            }
        });
        Job {
            stop,
            cancels: Arc::clone(&self.cancels),
        }
    }
}

fn worker() -> Worker {
    Worker {
        cancels: Arc::new(AtomicUsize::new(0)),
        finished: Arc::new(Mutex::new(Vec::new())),
    }
}

fn wait_for(finished: &Mutex<Vec<&'static str>>, expected: &[&str]) {
    for _ in 0..2000 {
        if finished.lock().unwrap().as_slice() == expected {
            return;
        }
        thread::sleep(Duration::from_millis(1));
    }
    panic!("expected {expected:?}, saw {:?}", finished.lock().unwrap());
}

#[test]
fn a_settled_promise_is_not_cancelled() {
    let worker = worker();
    assert_eq!(block_on(worker.run_async(5)), 5);
    assert_eq!(worker.cancels.load(Ordering::SeqCst), 0);
    wait_for(&worker.finished, &["completed"]);
}

#[test]
fn dropping_the_promise_early_cancels_once() {
    let worker = worker();
    let promise = worker.run_async(5_000);
    drop(promise);
    assert_eq!(worker.cancels.load(Ordering::SeqCst), 1);
    wait_for(&worker.finished, &["stopped"]);
}

#[test]
fn timeout_cancels_the_legacy_operation() {
    let worker = worker();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let outcome = runtime.block_on(async {
        tokio::time::timeout(Duration::from_millis(20), worker.run_async(10_000)).await
    });
    assert!(outcome.is_err(), "timed out");
    assert_eq!(worker.cancels.load(Ordering::SeqCst), 1);
    wait_for(&worker.finished, &["stopped"]);
}

#[test]
fn select_cancels_the_loser() {
    let worker = worker();
    let winner = block_on(async {
        futures::select! {
            slow = worker.run_async(10_000) => slow,
            fast = worker.run_async(1) => fast,
        }
    });
    assert_eq!(winner, 1);
    assert_eq!(
        worker.cancels.load(Ordering::SeqCst),
        1,
        "only the loser is cancelled"
    );
    wait_for(&worker.finished, &["completed", "stopped"]);
}

#[test]
fn dropping_a_stream_cancels_it() {
    let worker = worker();
    let first: Vec<u32> = block_on(worker.ticks_stream().take(3).collect());
    assert_eq!(first, [0, 1, 2]);
    assert_eq!(worker.cancels.load(Ordering::SeqCst), 1);
}

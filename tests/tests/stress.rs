//! Bounded stress: 1,000,000 promisified calls (set `CALLBACK_ASYNC_STRESS_CALLS` for more) whose
//! callbacks are called synchronously, from another thread, twice, never, or race with the
//! promise being dropped, chosen at random with a fixed seed; and 100,000 stream items from
//! several producers. Then 1,000,000 races of a callback on a worker thread against
//! `cancel().await` on the driving thread (`CALLBACK_ASYNC_STRESS_CANCELS`), and bounded streams
//! fed by 4 producers under each overflow policy. Every outcome is checked, a watchdog fails a
//! hang, and a counting allocator shows that nothing stays allocated.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::{Duration, Instant};

use callback_async::{CallbackStream, Dropped, Overflow, Promise, callback_async, promisify};
use futures::StreamExt;
use futures::executor::block_on;
use futures::future::join_all;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::Global;

/// Counts live allocations across all threads.
#[global_allocator]
static GLOBAL: Global = Global;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

#[derive(Clone, Copy, Debug)]
enum Fate {
    Synchronous,
    FromWorker,
    Twice,
    DroppedUncalled,
    /// The awaiting side drops the promise while a worker is about to call back.
    RacesWithDrop,
}

impl Fate {
    const ALL: [Fate; 5] = [
        Fate::Synchronous,
        Fate::FromWorker,
        Fate::Twice,
        Fate::DroppedUncalled,
        Fate::RacesWithDrop,
    ];

    /// Whether the call's outcome is known in advance, and so awaited and checked: every fate but
    /// the race, whose promise is dropped.
    fn is_deterministic(self) -> bool {
        !matches!(self, Fate::RacesWithDrop)
    }
}

/// What `drive` did: how many times it drew each fate (indexed by `Fate as usize`), and how many
/// outcomes it awaited and checked.
#[derive(Clone, Copy, Debug, Default)]
struct Tally {
    drawn: [u64; Fate::ALL.len()],
    checked: u64,
}

impl Tally {
    fn add(mut self, other: Tally) -> Tally {
        for (drawn, other) in self.drawn.iter_mut().zip(other.drawn) {
            *drawn += other;
        }
        self.checked += other.checked;
        self
    }

    fn drawn(&self, fate: Fate) -> u64 {
        self.drawn[fate as usize]
    }

    /// The outcomes that must have been checked: one per draw of a deterministic fate.
    fn deterministic(&self) -> u64 {
        Fate::ALL
            .into_iter()
            .filter(|fate| fate.is_deterministic())
            .map(|fate| self.drawn(fate))
            .sum()
    }
}

type Job = Box<dyn FnOnce() + Send>;

/// A legacy API whose callback meets every fate; `Fn` so that it can be called twice.
#[callback_async]
fn legacy(
    id: u64,
    fate: Fate,
    worker: &mpsc::Sender<Job>,
    done: impl Fn(u64) + Send + Sync + 'static,
) {
    match fate {
        Fate::Synchronous => done(id),
        Fate::Twice => {
            done(id);
            done(id + 1); // ignored
        }
        Fate::DroppedUncalled => {
            worker.send(Box::new(move || drop(done))).unwrap();
        }
        Fate::FromWorker | Fate::RacesWithDrop => {
            worker.send(Box::new(move || done(id))).unwrap();
        }
    }
}

fn third_party(id: u64, worker: &mpsc::Sender<Job>, done: impl FnOnce(u64) + Send + 'static) {
    worker.send(Box::new(move || done(id))).unwrap();
}

fn spawn_worker() -> (mpsc::Sender<Job>, thread::JoinHandle<()>) {
    let (sender, receiver) = mpsc::channel::<Job>();
    let handle = thread::spawn(move || {
        for job in receiver {
            job();
        }
    });
    (sender, handle)
}

fn env_size(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs `calls` promisified calls on one driving thread, in batches awaited together.
fn drive(seed: u64, calls: u64) -> Tally {
    let (worker, worker_thread) = spawn_worker();
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    let mut id = 0;
    while id < calls {
        let batch = (calls - id).min(512);
        let mut expected = Vec::with_capacity(batch as usize);
        let mut promises: Vec<Promise<u64>> = Vec::with_capacity(batch as usize);
        for _ in 0..batch {
            let fate = match rng.next() % 10 {
                0..=2 => Fate::Synchronous,
                3..=5 => Fate::FromWorker,
                6 => Fate::Twice,
                7 => Fate::DroppedUncalled,
                _ => Fate::RacesWithDrop,
            };
            tally.drawn[fate as usize] += 1;
            let promise = if rng.next() % 4 == 0 && matches!(fate, Fate::FromWorker) {
                promisify!(third_party(id, &worker, _))
            } else {
                legacy_async(id, fate, &worker)
            };
            if fate.is_deterministic() {
                expected.push((id, fate));
                promises.push(promise);
            } else {
                drop(promise);
            }
            id += 1;
        }
        let outcomes = block_on(join_all(promises.into_iter().map(Promise::or_dropped)));
        for ((id, fate), outcome) in expected.into_iter().zip(outcomes) {
            match fate {
                Fate::DroppedUncalled => assert_eq!(outcome, Err(Dropped), "call {id}"),
                _ => assert_eq!(outcome, Ok(id), "call {id} ({fate:?})"),
            }
            tally.checked += 1;
        }
    }
    drop(worker);
    worker_thread.join().unwrap();
    tally
}

fn stream_items(producers: u64, per_producer: u64) {
    #[callback_async(stream)]
    fn produce(
        producers: u64,
        per_producer: u64,
        each: impl Fn((u64, u64)) + Send + Sync + 'static,
    ) {
        let each = std::sync::Arc::new(each);
        for producer in 0..producers {
            let each = std::sync::Arc::clone(&each);
            thread::spawn(move || (0..per_producer).for_each(|i| each((producer, i))));
        }
    }
    let items: Vec<(u64, u64)> = block_on(produce_stream(producers, per_producer).collect());
    assert_eq!(
        items.len() as u64,
        producers * per_producer,
        "none lost, none duplicated"
    );
    let mut next = vec![0; producers as usize];
    for (producer, i) in items {
        assert_eq!(i, next[producer as usize], "order kept per producer");
        next[producer as usize] += 1;
    }
}

/// The handle of a cancellable operation: its cancel hook tells the worker to stop it.
struct Operation(Arc<AtomicBool>);

impl Operation {
    fn stop(self) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Hands the callback to the worker, which calls it with `Box::new(id)` (an allocation, so that a
/// value lost or kept twice shows in the live count), or drops it uncalled if it was stopped first.
#[callback_async(cancel = Operation::stop)]
fn operation(
    id: u64,
    worker: &mpsc::Sender<Job>,
    called: &Arc<AtomicU64>,
    done: impl FnOnce(Box<u64>) + Send + 'static,
) -> Operation {
    let stopped = Arc::new(AtomicBool::new(false));
    let seen = Arc::clone(&stopped);
    let called = Arc::clone(called);
    let job: Job = Box::new(move || {
        if !seen.load(Ordering::SeqCst) {
            called.fetch_add(1, Ordering::SeqCst);
            done(Box::new(id));
        }
    });
    worker.send(job).unwrap();
    Operation(stopped)
}

/// `races` operations, each cancelled while the worker may be calling it back (a quarter of them
/// polled once first). Each value comes back exactly once, from the promise or from `cancel`,
/// and every value the worker sent comes back. Returns (from the promise, late, stopped).
fn cancel_races(seed: u64, races: u64) -> (u64, u64, u64) {
    let (worker, worker_thread) = spawn_worker();
    let called = Arc::new(AtomicU64::new(0));
    let mut rng = Rng(seed);
    let mut seen = vec![false; races as usize];
    let mut arrived = |value: Box<u64>| {
        assert!(
            !std::mem::replace(&mut seen[*value as usize], true),
            "value {value} twice"
        );
    };
    let (mut from_promise, mut late, mut stopped) = (0, 0, 0);
    let mut cx = Context::from_waker(Waker::noop());
    let mut id = 0;
    while id < races {
        let batch: Vec<_> = (id..races.min(id + 256))
            .map(|id| operation_async(id, &worker, &called))
            .collect();
        id += batch.len() as u64;
        for mut promise in batch {
            if rng.next() % 4 == 0 {
                if let Poll::Ready(value) = std::pin::Pin::new(&mut promise).poll(&mut cx) {
                    from_promise += 1;
                    arrived(value);
                    continue;
                }
            }
            match block_on(promise.cancel()) {
                Some(value) => {
                    late += 1;
                    arrived(value);
                }
                None => stopped += 1,
            }
        }
    }
    drop(worker);
    worker_thread.join().unwrap();
    assert_eq!(
        from_promise + late,
        called.load(Ordering::SeqCst),
        "none lost"
    );
    assert_eq!(from_promise + late + stopped, races);
    (from_promise, late, stopped)
}

/// `producers` threads send `per_producer` items each into a stream of bound 16 under
/// `overflow`: each producer's order is kept, and delivered + discarded = sent (`Block`: none
/// discarded). Returns the items discarded.
fn bounded_stream_items(overflow: Overflow, producers: u64, per_producer: u64) -> u64 {
    let (sender, stream) = CallbackStream::bounded(16, overflow);
    let sender = Arc::new(sender);
    for producer in 0..producers {
        let sender = Arc::clone(&sender);
        thread::spawn(move || (0..per_producer).for_each(|i| sender.send((producer, i))));
    }
    drop(sender);
    let mut stream = stream;
    let mut last = vec![None; producers as usize];
    let mut delivered = 0;
    while let Some((producer, i)) = block_on(stream.next()) {
        let last = &mut last[producer as usize];
        assert!(last.is_none_or(|last| last < i), "order kept per producer");
        *last = Some(i);
        delivered += 1;
    }
    let discarded = stream.discarded();
    assert_eq!(
        delivered + discarded,
        producers * per_producer,
        "{overflow:?}"
    );
    if overflow == Overflow::Block {
        assert_eq!(discarded, 0, "a blocking producer loses nothing");
    }
    discarded
}

#[test]
fn stress_promises_and_streams() {
    let calls = env_size("CALLBACK_ASYNC_STRESS_CALLS", 1_000_000);
    let items = env_size("CALLBACK_ASYNC_STRESS_ITEMS", 100_000);
    let cancels = env_size("CALLBACK_ASYNC_STRESS_CANCELS", 1_000_000);
    let (done, finished) = mpsc::channel();
    // Warm up lazily allocated statics (thread bookkeeping, executor thread-locals) first.
    thread::spawn(|| drive(1, 1000)).join().unwrap();
    let live_before = Global::live();
    let start = Instant::now();
    let runner = thread::spawn(move || {
        let drivers: Vec<_> = (0..2_u64)
            .map(|seed| thread::spawn(move || drive(0x5EED + seed, calls / 2)))
            .collect();
        let tally = drivers
            .into_iter()
            .map(|d| d.join().unwrap())
            .fold(Tally::default(), Tally::add);
        stream_items(4, items / 4);
        let cancels = cancel_races(0xCA9CE1, cancels);
        let bounded = [Overflow::DropOldest, Overflow::DropNewest, Overflow::Block]
            .map(|overflow| bounded_stream_items(overflow, 4, items / 4));
        done.send((tally, cancels, bounded)).unwrap();
    });
    // The watchdog: a hang fails the test instead of stalling CI.
    let (tally, (from_promise, late, stopped), bounded) = finished
        .recv_timeout(Duration::from_secs(300))
        .expect("watchdog: the stress run hung");
    runner.join().unwrap();
    drop(finished);
    assert_eq!(tally.drawn.iter().sum::<u64>(), calls / 2 * 2, "{tally:?}");
    // Every call whose outcome is known was awaited and checked: none lost, none skipped.
    assert_eq!(tally.checked, tally.deterministic(), "{tally:?}");
    let live_after = Global::live();
    assert_eq!(
        live_after, live_before,
        "allocations still live after the run"
    );
    let drawn: Vec<String> = Fate::ALL
        .into_iter()
        .map(|fate| format!("{fate:?} {}", tally.drawn(fate)))
        .collect();
    eprintln!(
        "stress: {calls} calls ({}; {} awaited and checked) and {items} stream items in {:?}",
        drawn.join(", "),
        tally.checked,
        start.elapsed()
    );
    eprintln!(
        "stress: {cancels} cancels: {from_promise} settled before, {late} late values, \
         {stopped} stopped by the hook; bounded streams discarded {bounded:?} of {items} items \
         (drop oldest, drop newest, block)"
    );
}

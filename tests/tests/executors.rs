//! The same behaviour on every executor: each scenario is written once as an `async fn` and driven
//! by `futures::executor::block_on`, a tokio current-thread runtime, a tokio multi-thread runtime
//! (through `tokio::spawn`, so on a worker thread), `smol::block_on` and `smol::spawn`, each under
//! a watchdog that fails the test rather than let it hang. Then tokio runtimes shut down (by
//! `shutdown_timeout`, `shutdown_background` or a drop) while their tasks await promises and
//! streams that legacy threads settle later: nothing hangs, the legacy threads do not panic, and
//! cancel hooks run once.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use callback_async::{Dropped, callback_async, promisify};
use futures::StreamExt;
use futures::future::{self, Either};

/// How long one scenario may take on one executor before the watchdog fails the test.
const DEADLINE: Duration = Duration::from_secs(30);

// --- legacy APIs ------------------------------------------------------------------------------

/// Calls back before returning; the callback cannot outlive the call (a slot on the stack).
#[callback_async]
fn add_now(a: u32, b: u32, done: impl FnOnce(u32)) {
    done(a + b);
}

/// Calls back before returning, with a callback that could outlive the call (a channel).
#[callback_async]
fn double_now(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(n * 2);
}

#[callback_async]
fn increment_later(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(2));
        done(n + 1);
    });
}

/// Drops the callback on another thread without calling it.
#[callback_async]
fn never_calls(done: impl FnOnce(u32) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(2));
        drop(done);
    });
}

#[callback_async(ok = on_found, err = on_missing)]
fn lookup(
    key: u32,
    on_found: impl FnOnce(String) + Send + 'static,
    on_missing: Box<dyn FnOnce(u32) + Send>,
) {
    thread::spawn(move || {
        if key % 2 == 0 {
            on_found(format!("value {key}"));
        } else {
            on_missing(key);
        }
    });
}

/// Two producer threads, each calling back `per_producer` times.
#[callback_async(stream)]
fn two_producers(per_producer: u32, each: impl Fn(u8, u32) + Send + Sync + 'static) {
    let each = Arc::new(each);
    for producer in 0..2 {
        let each = Arc::clone(&each);
        thread::spawn(move || {
            for i in 0..per_producer {
                each(producer, i);
                if i % 64 == 0 {
                    thread::yield_now();
                }
            }
        });
    }
}

mod legacy {
    use std::thread;

    /// A worker pool's `execute`, which cannot be annotated.
    pub fn execute(job: impl FnOnce() + Send + 'static) {
        thread::spawn(job);
    }

    /// A callback of several arguments, called on another thread.
    pub fn read(path: &str, done: impl FnOnce(&str, usize) + Send + 'static) {
        let path = path.to_owned();
        thread::spawn(move || done(&path, path.len()));
    }
}

/// A long legacy operation, and the handle that stops it.
struct Job {
    stop: Arc<AtomicBool>,
    cancels: Arc<AtomicUsize>,
    worker: JoinHandle<()>,
}

impl Job {
    fn cancel(self) {
        self.cancels.fetch_add(1, Ordering::SeqCst);
        self.stop.store(true, Ordering::SeqCst);
        // The worker sees `stop` within a millisecond: joining here proves it stopped without
        // calling back, and that it did not panic.
        self.worker.join().expect("the legacy worker did not panic");
    }
}

/// Calls back after `ms` milliseconds unless cancelled first.
#[callback_async(cancel = Job::cancel)]
fn slow(ms: u64, cancels: Arc<AtomicUsize>, done: impl FnOnce(u64) + Send + 'static) -> Job {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let worker = thread::spawn(move || {
        for _ in 0..ms {
            if flag.load(Ordering::SeqCst) {
                return;
            }
            thread::sleep(Duration::from_millis(1));
        }
        done(ms);
    });
    Job {
        stop,
        cancels,
        worker,
    }
}

// --- the scenarios, written once --------------------------------------------------------------

async fn resolved_synchronously() {
    assert_eq!(add_now_async(2, 3).await, 5);
    assert_eq!(double_now_async(21).await, 42);
}

async fn resolved_from_a_thread() {
    assert_eq!(increment_later_async(1).await, 2);
    let all = future::join_all((0..20).map(increment_later_async)).await;
    assert_eq!(all, (1..=20).collect::<Vec<_>>());
}

async fn dropped_callback_is_an_error() {
    assert_eq!(never_calls_async().or_dropped().await, Err(Dropped));
    // The same promise type, settled, is not reported as dropped.
    assert_eq!(increment_later_async(0).or_dropped().await, Ok(1));
}

async fn promisify_calls() {
    promisify!(legacy::execute(|| _)).await;
    assert_eq!(
        promisify!(legacy::read("a/b", |path: &str, len: usize| _)).await,
        ("a/b".to_owned(), 3)
    );
    // A stream of the calls of a callback called once: one item, then the end.
    let items: Vec<()> = promisify!(stream legacy::execute(|| _)).collect().await;
    assert_eq!(items, [()]);
}

async fn stream_from_two_threads() {
    const PER_PRODUCER: u32 = 2_000;
    let items: Vec<(u8, u32)> = two_producers_stream(PER_PRODUCER).collect().await;
    assert_eq!(
        items.len(),
        2 * PER_PRODUCER as usize,
        "none lost, none duplicated"
    );
    for producer in 0..2 {
        let seen: Vec<u32> = items
            .iter()
            .filter(|(p, _)| *p == producer)
            .map(|(_, i)| *i)
            .collect();
        assert_eq!(
            seen,
            (0..PER_PRODUCER).collect::<Vec<_>>(),
            "producer {producer}'s order is kept"
        );
    }
}

async fn ok_and_err() {
    assert_eq!(lookup_async(2).await, Ok("value 2".to_owned()));
    assert_eq!(lookup_async(3).await, Err(3));
}

async fn cancel_on_drop() {
    let cancels = Arc::new(AtomicUsize::new(0));
    // Settled: not cancelled.
    assert_eq!(slow_async(1, Arc::clone(&cancels)).await, 1);
    assert_eq!(cancels.load(Ordering::SeqCst), 0);
    // Dropped while pending (here the loser of a race): cancelled once, and the legacy worker
    // stops (`Job::cancel` joins it).
    let pending = slow_async(10_000, Arc::clone(&cancels));
    match future::select(pending, future::ready(())).await {
        Either::Left(_) => panic!("a 10 s operation won against a ready future"),
        Either::Right(((), pending)) => drop(pending),
    }
    assert_eq!(cancels.load(Ordering::SeqCst), 1);
}

// --- the executors ----------------------------------------------------------------------------

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_default()
}

/// Runs `run` on a thread of its own and fails, naming `executor`, if it panics or does not end
/// within the deadline.
fn watched(executor: &str, run: impl FnOnce() + Send + 'static) {
    let (finished, done) = mpsc::channel();
    let runner = thread::spawn(move || {
        run();
        let _ = finished.send(());
    });
    match done.recv_timeout(DEADLINE) {
        Ok(()) => runner.join().expect("finished"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            let payload = runner
                .join()
                .expect_err("ended without finishing: panicked");
            panic!("on {executor}: {}", panic_message(&*payload));
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("on {executor}: still running after {DEADLINE:?}: hung")
        }
    }
}

fn tokio_current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio current-thread runtime")
}

fn tokio_multi_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio multi-thread runtime")
}

/// Runs `scenario` on every executor.
fn on_every_executor<F>(scenario: fn() -> F)
where
    F: Future<Output = ()> + Send + 'static,
{
    watched("futures::executor::block_on", move || {
        futures::executor::block_on(scenario());
    });
    watched("tokio current-thread", move || {
        tokio_current_thread().block_on(scenario());
    });
    watched("tokio multi-thread (tokio::spawn)", move || {
        let runtime = tokio_multi_thread();
        if let Err(error) = runtime.block_on(async move { tokio::spawn(scenario()).await }) {
            std::panic::resume_unwind(error.into_panic());
        }
    });
    watched("smol::block_on", move || smol::block_on(scenario()));
    watched("smol::spawn", move || {
        smol::block_on(smol::spawn(scenario()))
    });
}

#[test]
fn a_callback_called_before_returning_on_every_executor() {
    on_every_executor(resolved_synchronously);
}

#[test]
fn a_callback_called_from_a_thread_on_every_executor() {
    on_every_executor(resolved_from_a_thread);
}

#[test]
fn a_dropped_callback_on_every_executor() {
    on_every_executor(dropped_callback_is_an_error);
}

#[test]
fn promisify_on_every_executor() {
    on_every_executor(promisify_calls);
}

#[test]
fn a_stream_from_two_threads_on_every_executor() {
    on_every_executor(stream_from_two_threads);
}

#[test]
fn ok_and_err_on_every_executor() {
    on_every_executor(ok_and_err);
}

#[test]
fn cancel_on_drop_on_every_executor() {
    on_every_executor(cancel_on_drop);
}

// --- runtimes shut down while promises are pending --------------------------------------------

/// Calls back `value` 50 ms after the test says `go` (once the runtime is shut down), from a thread
/// whose handle it returns.
#[callback_async]
fn call_back_later(
    go: mpsc::Receiver<()>,
    value: u32,
    done: impl FnOnce(u32) + Send + 'static,
) -> JoinHandle<()> {
    thread::spawn(move || {
        let _ = go.recv_timeout(DEADLINE);
        thread::sleep(Duration::from_millis(50));
        done(value);
    })
}

/// Calls back a millisecond apart until told to `stop` (once the runtime is shut down), and 20
/// times more, from a thread whose handle it returns.
#[callback_async(stream)]
fn tick(stop: Arc<AtomicBool>, mut each: impl FnMut(u32) + Send + 'static) -> JoinHandle<()> {
    thread::spawn(move || {
        let deadline = Instant::now() + DEADLINE;
        let mut i = 0;
        while !stop.load(Ordering::SeqCst) && Instant::now() < deadline {
            each(i);
            i += 1;
            thread::sleep(Duration::from_millis(1));
        }
        for _ in 0..20 {
            each(i);
            i += 1;
        }
    })
}

#[derive(Clone, Copy, Debug)]
enum Shutdown {
    Timeout,
    Background,
    Drop,
}

impl Shutdown {
    const ALL: [Shutdown; 3] = [Shutdown::Timeout, Shutdown::Background, Shutdown::Drop];

    fn apply(self, runtime: tokio::runtime::Runtime) {
        let started = Instant::now();
        match self {
            Shutdown::Timeout => runtime.shutdown_timeout(Duration::from_millis(10)),
            Shutdown::Background => runtime.shutdown_background(),
            Shutdown::Drop => drop(runtime),
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{self:?}: shutting down took {:?}",
            started.elapsed()
        );
    }
}

/// Spawns `task` on `runtime` and returns once it has sent what it reports (the legacy thread's
/// handle) and so reached the promise it awaits, with the task's handle.
fn spawn_and_wait_for<R, F>(
    runtime: &tokio::runtime::Runtime,
    task: impl FnOnce(tokio::sync::oneshot::Sender<R>) -> F,
) -> (R, tokio::task::JoinHandle<()>)
where
    R: Send + 'static,
    F: Future<Output = ()> + Send + 'static,
{
    let (report, reported) = tokio::sync::oneshot::channel();
    let task = task(report);
    runtime.block_on(async move {
        let handle = tokio::spawn(task);
        let report = reported.await.expect("the task reports before awaiting");
        (report, handle)
    })
}

/// The task did not finish: the runtime dropped it with its promise.
fn assert_cancelled(task: tokio::task::JoinHandle<()>, shutdown: Shutdown) {
    match futures::executor::block_on(task) {
        Ok(()) => panic!("{shutdown:?}: the task finished although its promise was pending"),
        Err(error) => assert!(error.is_cancelled(), "{shutdown:?}: {error}"),
    }
}

fn each_runtime(test: impl Fn(tokio::runtime::Runtime, Shutdown)) {
    for shutdown in Shutdown::ALL {
        test(tokio_current_thread(), shutdown);
        test(tokio_multi_thread(), shutdown);
    }
}

#[test]
fn shutting_down_with_a_pending_promise_neither_hangs_nor_panics_the_legacy_thread() {
    watched("tokio, shut down", || {
        each_runtime(|runtime, shutdown| {
            let (go, wait) = mpsc::channel();
            let (legacy, task) = spawn_and_wait_for(&runtime, |report| async move {
                let (legacy, promise) = call_back_later_async(wait, 7);
                report.send(legacy).expect("the test waits for the handle");
                let _value = promise.await;
                unreachable!("the runtime shuts down before the callback");
            });
            shutdown.apply(runtime);
            // The callback fires 50 ms later, into a promise that the runtime dropped.
            go.send(()).expect("the legacy thread waits");
            legacy
                .join()
                .unwrap_or_else(|_| panic!("{shutdown:?}: the legacy thread panicked"));
            assert_cancelled(task, shutdown);
        });
    });
}

#[test]
fn shutting_down_with_a_pending_stream_neither_hangs_nor_panics_the_producer() {
    watched("tokio, shut down", || {
        each_runtime(|runtime, shutdown| {
            let stop = Arc::new(AtomicBool::new(false));
            let stopper = Arc::clone(&stop);
            let (producer, task) = spawn_and_wait_for(&runtime, |report| async move {
                let (producer, mut ticks) = tick_stream(stopper);
                assert_eq!(ticks.next().await, Some(0));
                report
                    .send(producer)
                    .expect("the test waits for the handle");
                while ticks.next().await.is_some() {}
                unreachable!("the runtime shuts down before the stream ends");
            });
            shutdown.apply(runtime);
            // Items keep coming into a stream that the runtime dropped.
            stop.store(true, Ordering::SeqCst);
            producer
                .join()
                .unwrap_or_else(|_| panic!("{shutdown:?}: the producer panicked"));
            assert_cancelled(task, shutdown);
        });
    });
}

#[test]
fn shutting_down_cancels_a_pending_promise_once() {
    watched("tokio, shut down", || {
        each_runtime(|runtime, shutdown| {
            let cancels = Arc::new(AtomicUsize::new(0));
            let counted = Arc::clone(&cancels);
            let ((), task) = spawn_and_wait_for(&runtime, |report| async move {
                let promise = slow_async(10_000, counted);
                report.send(()).expect("the test waits");
                let _value = promise.await;
                unreachable!("the runtime shuts down first");
            });
            shutdown.apply(runtime);
            // A multi-thread runtime's workers may drop the task after `shutdown_timeout` or
            // `shutdown_background` returned.
            let deadline = Instant::now() + Duration::from_secs(5);
            while cancels.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
                thread::sleep(Duration::from_millis(1));
            }
            assert_eq!(cancels.load(Ordering::SeqCst), 1, "{shutdown:?}");
            assert_cancelled(task, shutdown);
        });
    });
}

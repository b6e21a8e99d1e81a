//! `promisify!` on real third-party crates, used as they are: their callback-taking functions
//! cannot be annotated with `#[callback_async]`, so each call is converted where it is made.
//!
//! Every wait is bounded by [`run`]'s timeout, so a crate that never calls back fails the test
//! instead of hanging it.

use std::any::Any;
use std::future::Future;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use callback_async::{CallbackStream, Dropped, Promise, promisify};
use futures::future::{self, FutureExt};
use futures::{Stream, StreamExt};

/// Longest any test waits for a callback before failing: far above what they need (a few
/// milliseconds), so that only a broken callback trips it.
const BOUND: Duration = Duration::from_secs(5);

/// Runs `future` to completion on a fresh tokio runtime, failing the test if it takes longer
/// than [`BOUND`].
fn run<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
        .block_on(async {
            tokio::time::timeout(BOUND, future)
                .await
                .expect("a callback did not arrive in time")
        })
}

/// The next item of `stream` that satisfies `wanted`, skipping the others; `None` if the stream
/// ends first.
async fn next_matching<S, T>(stream: &mut S, mut wanted: impl FnMut(&T) -> bool) -> Option<T>
where
    S: Stream<Item = T> + Unpin,
{
    while let Some(item) = stream.next().await {
        if wanted(&item) {
            return Some(item);
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// threadpool: `ThreadPool::execute(job)`, a fire-and-forget job queue.
// ---------------------------------------------------------------------------------------------

/// `promisify!(pool.execute(|| _))` submits a job that settles the promise, so awaiting it awaits
/// the pool reaching that job. A one-thread `threadpool` runs its jobs in submission order: every
/// job queued before has finished by then.
#[test]
fn threadpool_execute_awaits_the_jobs_queued_before_it() {
    let pool = threadpool::ThreadPool::new(1);
    let counter = Arc::new(AtomicUsize::new(0));
    for _ in 0..10 {
        let counter = Arc::clone(&counter);
        pool.execute(move || {
            // Long enough that the main thread is still submitting while the jobs run.
            std::thread::sleep(Duration::from_millis(1));
            counter.fetch_add(1, Ordering::SeqCst);
        });
    }
    // `execute` returns `()`, so `promisify!` gives the promise alone.
    let done: Promise<()> = promisify!(pool.execute(|| _));
    run(done);
    assert_eq!(counter.load(Ordering::SeqCst), 10);
    // Nothing is left for the pool: the barrier job was the last one.
    assert_eq!(pool.queued_count(), 0);
}

/// The same barrier on a pool of several threads, awaited many times at once from tokio.
#[test]
fn threadpool_completions_are_awaited_concurrently() {
    let pool = threadpool::ThreadPool::with_name("promisify".to_owned(), 4);
    let promises: Vec<Promise<()>> = (0..64).map(|_| promisify!(pool.execute(|| _))).collect();
    let settled = run(future::join_all(promises));
    assert_eq!(settled.len(), 64);
    pool.join();
    assert_eq!(pool.panic_count(), 0);
}

// ---------------------------------------------------------------------------------------------
// rayon: `rayon::spawn`, `ThreadPool::spawn`, and the value-carrying callbacks of its builder.
// ---------------------------------------------------------------------------------------------

/// `promisify!(rayon::spawn(|| _))` on the global pool, awaited from tokio.
#[test]
fn rayon_spawn_on_the_global_pool() {
    let promises: Vec<Promise<()>> = (0..32).map(|_| promisify!(rayon::spawn(|| _))).collect();
    assert_eq!(run(future::join_all(promises)).len(), 32);
    // `spawn_fifo` and a boxed job (`Box<dyn FnOnce() + Send>` is an `FnOnce()` too) work alike.
    let () = run(promisify!(rayon::spawn_fifo(|| _)));
    let () = run(promisify!(rayon::spawn(Box::new(|| _))));
}

/// On a one-thread rayon pool, jobs spawned from outside the pool run in spawn order, so the
/// promise settles only after the jobs spawned before it.
#[test]
fn rayon_pool_spawn_awaits_the_jobs_spawned_before_it() {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let counter = Arc::new(AtomicUsize::new(0));
    for _ in 0..10 {
        let counter = Arc::clone(&counter);
        pool.spawn(move || {
            std::thread::sleep(Duration::from_millis(1));
            counter.fetch_add(1, Ordering::SeqCst);
        });
    }
    run(promisify!(pool.spawn(|| _)));
    assert_eq!(counter.load(Ordering::SeqCst), 10);
}

/// `ThreadPoolBuilder::panic_handler` takes an `Fn(Box<dyn Any + Send>)` callback: promisified,
/// the builder comes back with a promise of the first panic's payload.
#[test]
fn rayon_panic_handler_delivers_the_payload() {
    let builder = rayon::ThreadPoolBuilder::new().num_threads(1);
    let (builder, first_panic): (_, Promise<Box<dyn Any + Send>>) =
        promisify!(builder.panic_handler(_));
    let pool = builder.build().unwrap();
    // `resume_unwind` panics without running the panic hook, so the test output stays clean.
    pool.spawn(|| std::panic::resume_unwind(Box::new(42_u32)));
    let payload = run(first_panic);
    assert_eq!(payload.downcast_ref::<u32>(), Some(&42));
}

/// `start_handler` and `exit_handler` take an `Fn(usize)` called once per worker thread with its
/// index: in stream mode, one item per thread. Both streams end when rayon drops the handlers,
/// which it does once the pool is dropped and its threads have exited.
#[test]
fn rayon_thread_handlers_as_streams() {
    let (builder, mut started): (_, CallbackStream<usize>) =
        promisify!(stream rayon::ThreadPoolBuilder::new().num_threads(3).start_handler(_));
    let (builder, exited): (_, CallbackStream<usize>) = promisify!(stream builder.exit_handler(_));
    let pool = builder.build().unwrap();

    let mut indices = run((&mut started).take(3).collect::<Vec<_>>());
    indices.sort_unstable();
    assert_eq!(indices, [0, 1, 2]);

    drop(pool);
    let mut indices = run(exited.collect::<Vec<_>>());
    indices.sort_unstable();
    assert_eq!(indices, [0, 1, 2]);
    // No thread started after the first three, and the stream has ended.
    assert_eq!(run(started.next()), None);
}

// ---------------------------------------------------------------------------------------------
// notify: a file-system watcher whose event handler fires once per event.
// ---------------------------------------------------------------------------------------------

#[path = "support/real.rs"]
mod support;
use support::TempDir;

fn mentions(event: &notify::Result<notify::Event>, file: &Path) -> bool {
    event
        .as_ref()
        .is_ok_and(|event| event.paths.iter().any(|path| path.ends_with(file)))
}

/// `notify::recommended_watcher(handler)` returns `notify::Result<RecommendedWatcher>`, so the
/// stream form gives `(Result<RecommendedWatcher>, CallbackStream<Result<Event>>)`. Each event
/// the watcher reports is one item; dropping the watcher drops the handler, which ends the stream.
#[test]
fn notify_watcher_events_as_a_stream() {
    use notify::Watcher;

    let dir = TempDir::new("notify");
    let (watcher, mut events): (
        notify::Result<notify::RecommendedWatcher>,
        CallbackStream<notify::Result<notify::Event>>,
    ) = promisify!(stream notify::recommended_watcher(|e: notify::Result<notify::Event>| _));
    let mut watcher = watcher.expect("a file watcher");
    watcher
        .watch(dir.path(), notify::RecursiveMode::NonRecursive)
        .expect("watching the temporary directory");

    // The callback fires many times: one event (at least) per file created.
    for i in 0..3 {
        let name = format!("file-{i}.txt");
        std::fs::write(dir.path().join(&name), b"hello").unwrap();
        let event = run(next_matching(&mut events, |e| {
            mentions(e, Path::new(&name))
        }))
        .expect("an event for the new file")
        .unwrap();
        assert!(
            event.kind.is_create() || event.kind.is_modify(),
            "{event:?}"
        );
    }

    drop(watcher);
    // The watcher's thread drops the handler as it stops: the stream ends (after any events
    // still queued).
    run(events.for_each(|_| async {}));
}

// ---------------------------------------------------------------------------------------------
// timer: `Timer::schedule_with_delay(delay, cb) -> Guard`, cancelled when the guard is dropped.
// ---------------------------------------------------------------------------------------------

/// The call returns a `Guard`, so `promisify!` gives `(Guard, Promise<()>)`. Keeping the guard
/// keeps the schedule: the callback runs after the delay.
#[test]
fn timer_fires_while_the_guard_is_kept() {
    let timer = timer::Timer::new();
    let start = Instant::now();
    let (guard, fired): (timer::Guard, Promise<()>) =
        promisify!(timer.schedule_with_delay(chrono::Duration::milliseconds(20), || _));
    run(fired);
    assert!(start.elapsed() >= Duration::from_millis(15));
    drop(guard);
}

/// Dropping the guard cancels the schedule, but the `timer` crate does not remove it at once: the
/// entry stays in the timer's queue until its date, when the timer thread sees the cancellation,
/// skips the callback and drops it. So the promise stays pending until the deadline, then settles
/// as dropped: `.or_dropped()` yields `Err(Dropped)` (a plain `.await` would panic, naming the
/// call).
#[test]
fn timer_guard_dropped_early_drops_the_callback_at_the_deadline() {
    let timer = timer::Timer::new();
    let delay = Duration::from_millis(50);
    let start = Instant::now();
    let (guard, fired) =
        promisify!(timer.schedule_with_delay(chrono::Duration::from_std(delay).unwrap(), || _));
    drop(guard);
    assert_eq!(run(fired.or_dropped()), Err(Dropped));
    // The timer compares wall-clock dates; allow a little skew against the monotonic clock.
    assert!(
        start.elapsed() + Duration::from_millis(5) >= delay,
        "dropped after {:?}, before the deadline",
        start.elapsed()
    );
}

/// `Guard::ignore` gives up the cancellation: the callback runs although the guard is gone.
#[test]
fn timer_guard_ignored_still_fires() {
    let timer = timer::Timer::new();
    let (guard, fired) =
        promisify!(timer.schedule_with_delay(chrono::Duration::milliseconds(1), || _));
    guard.ignore();
    assert_eq!(run(fired.or_dropped()), Ok(()));
}

/// Dropping the `Timer` stops its thread, which drops every pending callback: the promise settles
/// as dropped long before its (one hour) deadline.
#[test]
fn timer_dropped_drops_pending_callbacks() {
    let timer = timer::Timer::new();
    let (_guard, fired) = promisify!(timer.schedule_with_delay(chrono::Duration::hours(1), || _));
    let mut fired = fired.or_dropped();
    assert!((&mut fired).now_or_never().is_none(), "still pending");
    drop(timer);
    assert_eq!(run(fired), Err(Dropped));
}

/// `schedule_repeating` calls its `FnMut` callback every period: in stream mode, one `()` per
/// tick. Dropping the guard cancels the repetition, and the timer then drops the callback, which
/// ends the stream.
#[test]
fn timer_repeating_as_a_stream() {
    let timer = timer::Timer::new();
    let (guard, mut ticks): (timer::Guard, CallbackStream<()>) =
        promisify!(stream timer.schedule_repeating(chrono::Duration::milliseconds(2), || _));
    let first = run((&mut ticks).take(5).collect::<Vec<()>>());
    assert_eq!(first.len(), 5);
    drop(guard);
    // Ticks already queued may still come, then the stream ends.
    run(ticks.for_each(|()| async {}));
}

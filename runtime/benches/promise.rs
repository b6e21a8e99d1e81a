//! One callback call turned into an awaited value: the generated code against a direct callback
//! (the floor) and against the same thing written by hand on three oneshot channels, all in one
//! run so that the ratios in BENCHMARKS.md compare like with like.
//!
//! - `inline-*`: the legacy function calls back before it returns. `oneshot_crate_fn_sync` is the
//!   `oneshot` crate behind a callback that fits `Fn + Sync`, as `promisify!`'s must: for scale.
//! - `worker-1cpu-*`: the legacy function hands the callback to a pre-spawned worker thread,
//!   which calls it there; every variant pays the same dispatch (one `Box<dyn FnOnce() + Send>`
//!   sent through the same `std::sync::mpsc` channel). The caller and the worker share one CPU
//!   (see [`OneCpu`]); `worker-2cpu-futures` is the same unpinned, for scale.
//! - `stack-slot-*`: a callback that cannot outlive the call (`impl FnOnce(u64)`, no `'static`),
//!   which `#[callback_async]` turns into a zero-allocation slot on the caller's stack.
//!
//! Each family runs under `futures::executor::block_on` (`*-futures`) and under a tokio
//! current-thread runtime (`*-tokio`). Criterion's async bencher enters the executor once per
//! batch of iterations, so what is timed is the call and the `.await`, not the executor's setup.
//!
//! `cargo bench -p callback-async --bench promise` (`-p`: a workspace-wide build would turn on
//! the `tracing` feature that the tests enable); `python3 scripts/render-benchmarks.py` turns
//! the results into the table and chart of BENCHMARKS.md.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, Mutex, mpsc};
use std::thread::{self, Thread};
use std::time::Duration;

use callback_async::{callback_async, promisify};
use criterion::async_executor::{AsyncExecutor, FuturesExecutor};
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};

// --- the legacy APIs --------------------------------------------------------------------------
//
// `#[inline(never)]`: a legacy function is a real call, as it would be in another crate, so that
// no variant is measured with the callback folded into the caller.

/// A unit of work for the legacy library's worker thread.
type Job = Box<dyn FnOnce() + Send>;

/// The legacy library's worker thread, spawned once, before any measurement.
static WORKER: LazyLock<mpsc::Sender<Job>> = LazyLock::new(|| {
    let (jobs, queue) = mpsc::channel::<Job>();
    thread::Builder::new()
        .name("legacy-worker".into())
        .spawn(move || queue.into_iter().for_each(|job| job()))
        .expect("spawn the legacy worker");
    jobs
});

/// Completes at once: calls back before returning.
#[callback_async]
#[inline(never)]
fn inline_call(n: u64, done: impl FnOnce(u64) + Send + 'static) {
    done(n + 1);
}

/// Completes later, on the worker thread.
#[callback_async]
#[inline(never)]
fn worker_call(n: u64, done: impl FnOnce(u64) + Send + 'static) {
    let job: Job = Box::new(move || done(n + 1));
    WORKER.send(job).expect("the legacy worker is running");
}

/// A callback that cannot outlive the call: `#[callback_async]` uses a stack slot.
#[callback_async]
#[inline(never)]
fn borrowing_call(n: u64, done: impl FnOnce(u64)) {
    done(n + 1);
}

// --- the variants ----------------------------------------------------------------------------

/// The generated code and its hand-written peers, on the legacy function `$legacy` and its
/// `#[callback_async]` twin `$generated`, each awaited on `$executor`.
macro_rules! awaited_variants {
    ($group:expr, $executor:expr, $legacy:ident, $generated:ident) => {{
        let group: &mut BenchmarkGroup<'_, WallTime> = $group;
        group.bench_function("callback_async", |b| {
            b.to_async($executor).iter(|| $generated(black_box(1)))
        });
        group.bench_function("promisify", |b| {
            b.to_async($executor)
                .iter(|| promisify!($legacy(black_box(1), _)))
        });
        group.bench_function("futures_oneshot", |b| {
            b.to_async($executor).iter(|| async {
                let (sender, receiver) = futures::channel::oneshot::channel();
                $legacy(black_box(1), move |value| {
                    let _ = sender.send(value);
                });
                receiver.await.expect("sent")
            })
        });
        group.bench_function("tokio_oneshot", |b| {
            b.to_async($executor).iter(|| async {
                let (sender, receiver) = tokio::sync::oneshot::channel();
                $legacy(black_box(1), move |value| {
                    let _ = sender.send(value);
                });
                receiver.await.expect("sent")
            })
        });
        group.bench_function("oneshot_crate", |b| {
            b.to_async($executor).iter(|| async {
                let (sender, receiver) = oneshot::channel();
                $legacy(black_box(1), move |value| {
                    let _ = sender.send(value);
                });
                receiver.await.expect("sent")
            })
        });
        // This crate's public API by hand: `Resolver::resolve(&self)` fits any closure bound, as
        // `promisify!`'s callback must, so it claims the sender with one atomic swap, which the
        // generated `FnOnce` callback of `#[callback_async]` does not need.
        group.bench_function("channel_by_hand", |b| {
            b.to_async($executor).iter(|| async {
                let (resolver, promise) = callback_async::channel();
                $legacy(black_box(1), move |value| resolver.resolve(value));
                promise.await
            })
        });
    }};
}

/// Floor of `inline-*`: the callback only consumes the value.
fn inline_floor<A: AsyncExecutor>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    executor: impl Fn() -> A,
) {
    group.bench_function("direct_callback", |b| {
        b.to_async(executor()).iter(|| async {
            inline_call(black_box(1), |value| {
                black_box(value);
            })
        })
    });
}

/// What the floor of `worker-*` hands back: the value, and the thread to wake.
struct Handoff {
    value: AtomicU64,
    waiter: Thread,
}

/// Floor of `worker-*`: the least a caller can do to get the worker's value, with no future at
/// all: the callback stores it and unparks the caller, which parks until it is there. Both
/// executors sleep and wake the same way underneath, so it is the floor of both families.
fn worker_floor(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.bench_function("direct_callback", |b| {
        let handoff = Arc::new(Handoff {
            value: AtomicU64::new(0),
            waiter: thread::current(),
        });
        b.iter(|| {
            let done = Arc::clone(&handoff);
            worker_call(black_box(1), move |value| {
                done.value.store(value, Ordering::Release);
                done.waiter.unpark();
            });
            loop {
                let value = handoff.value.swap(0, Ordering::Acquire);
                if value != 0 {
                    break value;
                }
                thread::park();
            }
        })
    });
}

fn tokio_current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a tokio current-thread runtime")
}

fn inline(c: &mut Criterion) {
    let mut group = c.benchmark_group("inline-futures");
    inline_floor(&mut group, || FuturesExecutor);
    awaited_variants!(&mut group, FuturesExecutor, inline_call, inline_call_async);
    shared_peer(&mut group, || FuturesExecutor);
    group.finish();

    let runtime = tokio_current_thread();
    let mut group = c.benchmark_group("inline-tokio");
    inline_floor(&mut group, || &runtime);
    awaited_variants!(&mut group, &runtime, inline_call, inline_call_async);
    shared_peer(&mut group, || &runtime);
    group.finish();
}

/// For scale, not a target's peer: the `oneshot` crate behind a callback that fits `Fn + Sync`,
/// as `promisify!`'s callback must (it cannot see the API's bound), written as a user would, with
/// the sender in a `Mutex<Option<_>>`. The `FnOnce` peers above need no claim of the sender.
fn shared_peer<A: AsyncExecutor>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    executor: impl Fn() -> A,
) {
    group.bench_function("oneshot_crate_fn_sync", |b| {
        b.to_async(executor()).iter(|| async {
            let (sender, receiver) = oneshot::channel();
            let sender = Mutex::new(Some(sender));
            inline_call(black_box(1), move |value| {
                if let Some(sender) = sender.lock().expect("not poisoned").take() {
                    let _ = sender.send(value);
                }
            });
            receiver.await.expect("sent")
        })
    });
}

fn worker(c: &mut Criterion) {
    LazyLock::force(&WORKER);

    // As the OS schedules it, on two CPUs: for scale only (see `OneCpu`).
    let mut group = c.benchmark_group("worker-2cpu-futures");
    worker_floor(&mut group);
    awaited_variants!(&mut group, FuturesExecutor, worker_call, worker_call_async);
    group.finish();

    let one_cpu = OneCpu::pin();
    let mut group = c.benchmark_group("worker-1cpu-futures");
    worker_floor(&mut group);
    awaited_variants!(&mut group, FuturesExecutor, worker_call, worker_call_async);
    group.finish();

    let runtime = tokio_current_thread();
    let mut group = c.benchmark_group("worker-1cpu-tokio");
    worker_floor(&mut group);
    awaited_variants!(&mut group, &runtime, worker_call, worker_call_async);
    group.finish();
    drop(one_cpu);
}

/// The caller and the worker pinned to one CPU (on Linux) while it lives.
///
/// On two CPUs a round trip costs two cross-CPU wake-ups, whose latency depends on whether the
/// other CPU is idle (a halted virtual CPU takes tens of microseconds to wake) and on whatever
/// else the machine runs: measured here it flipped between about 5 and 45 µs from one run to the
/// next, which buries the tenths of a microsecond in which the channels differ. On one CPU the
/// round trip is two context switches, and the variants can be told apart.
struct OneCpu {
    saved: Option<cpu::Mask>,
}

impl OneCpu {
    fn pin() -> Self {
        let saved = cpu::mask();
        if let Some(target) = saved.as_ref().and_then(cpu::last) {
            let (ack, acked) = mpsc::channel();
            let job: Job = Box::new(move || {
                cpu::set_mask(&cpu::only(target));
                let _ = ack.send(());
            });
            WORKER.send(job).expect("the legacy worker is running");
            acked.recv().expect("the worker pinned itself");
            cpu::set_mask(&cpu::only(target));
        }
        OneCpu { saved }
    }
}

impl Drop for OneCpu {
    fn drop(&mut self) {
        if let Some(saved) = &self.saved {
            cpu::set_mask(saved);
        }
    }
}

#[cfg(target_os = "linux")]
mod cpu {
    use std::mem::{size_of, zeroed};

    pub type Mask = libc::cpu_set_t;

    /// The calling thread's CPUs.
    pub fn mask() -> Option<Mask> {
        // SAFETY: `cpu_set_t` is plain data, valid zeroed, and the size passed is its own.
        unsafe {
            let mut mask: Mask = zeroed();
            (libc::sched_getaffinity(0, size_of::<Mask>(), &mut mask) == 0).then_some(mask)
        }
    }

    /// Moves the calling thread to these CPUs (best effort: a benchmark still runs unpinned).
    pub fn set_mask(mask: &Mask) {
        // SAFETY: `mask` is a valid `cpu_set_t` of the size passed.
        unsafe {
            libc::sched_setaffinity(0, size_of::<Mask>(), mask);
        }
    }

    /// The highest CPU of `mask`.
    pub fn last(mask: &Mask) -> Option<usize> {
        // SAFETY: every index is below `CPU_SETSIZE`.
        (0..libc::CPU_SETSIZE as usize)
            .rev()
            .find(|&cpu| unsafe { libc::CPU_ISSET(cpu, mask) })
    }

    /// A mask of one CPU.
    pub fn only(cpu: usize) -> Mask {
        // SAFETY: as in `mask`; `cpu` comes from `last`, below `CPU_SETSIZE`.
        unsafe {
            let mut mask: Mask = zeroed();
            libc::CPU_SET(cpu, &mut mask);
            mask
        }
    }
}

/// Elsewhere the `worker-1cpu-*` groups run unpinned.
#[cfg(not(target_os = "linux"))]
mod cpu {
    pub type Mask = ();
    pub fn mask() -> Option<Mask> {
        None
    }
    pub fn set_mask(_: &Mask) {}
    pub fn last(_: &Mask) -> Option<usize> {
        None
    }
    pub fn only(_: usize) -> Mask {}
}

/// The stack slot against the floor (target: at most 2x), and `promisify!` on the same function
/// for scale: it has no stack path, so it shows what the slot saves.
fn stack_slot_variants<A: AsyncExecutor>(
    group: &mut BenchmarkGroup<'_, WallTime>,
    executor: impl Fn() -> A,
) {
    group.bench_function("direct_callback", |b| {
        b.to_async(executor()).iter(|| async {
            let mut out = 0;
            borrowing_call(black_box(1), |value| out = value);
            out
        })
    });
    group.bench_function("callback_async", |b| {
        b.to_async(executor())
            .iter(|| borrowing_call_async(black_box(1)))
    });
    group.bench_function("promisify", |b| {
        b.to_async(executor())
            .iter(|| promisify!(borrowing_call(black_box(1), _)))
    });
}

fn stack_slot(c: &mut Criterion) {
    let mut group = c.benchmark_group("stack-slot-futures");
    stack_slot_variants(&mut group, || FuturesExecutor);
    group.finish();

    let runtime = tokio_current_thread();
    let mut group = c.benchmark_group("stack-slot-tokio");
    stack_slot_variants(&mut group, || &runtime);
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(800))
        .measurement_time(Duration::from_secs(3));
    targets = inline, worker, stack_slot
}
criterion_main!(benches);

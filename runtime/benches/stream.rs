//! Items per second through a callback that fires many times, turned into a stream: the generated
//! `CallbackStream` (`#[callback_async(stream)]` and `promisify!(stream ..)`) against the same
//! legacy function feeding `futures::channel::mpsc::unbounded` and
//! `tokio::sync::mpsc::unbounded_channel` by hand, all in one run.
//!
//! The legacy function hands the callback to one or two pre-spawned producer threads (one
//! `Box<dyn FnOnce() + Send>` each, the same for every variant), which call it `ITEMS` times in
//! all; the consumer awaits every item under `futures::executor::block_on` until the stream
//! ends. One iteration is one whole stream of `ITEMS` items.
//!
//! The `stream-bounded-*` groups bound the queue (`BOUNDS`) and feed it from one producer thread:
//! `#[callback_async(stream(bound = N, overflow = block))]`, `promisify!(stream(bound = N,
//! overflow = block) ..)` and `callback_async::CallbackStream::bounded(N, Overflow::Block)` by
//! hand, whose producer waits for room, against the bounded channels that do the same, `tokio::sync::mpsc::channel(N)` with
//! `blocking_send` and `futures::channel::mpsc::channel(N)` with
//! `futures::executor::block_on(sender.send(item))`: what a user of each writes in a synchronous
//! callback that must not lose items (`try_send` in a loop would spin instead of waiting). The
//! `DropOldest` and `DropNewest` variants never wait and deliver fewer items: for them the
//! figure is items *sent* per second, for scale only. Every `Block` variant gets the same room: at
//! most N items sent but not yet received (see `futures_bounded` for futures' extra slot).
//!
//! `cargo bench -p callback-async --bench stream` (`-p`: see benches/promise.rs)

use std::hint::black_box;
use std::sync::{Arc, LazyLock, mpsc};
use std::thread;
use std::time::Duration;

use callback_async::{CallbackStream, Overflow, callback_async, promisify};
use criterion::async_executor::FuturesExecutor;
use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use futures::{SinkExt, Stream, StreamExt};

/// Items per stream (one benchmark iteration): enough for a stream to go through many
/// sleep/wake-up cycles of its consumer, whose pattern otherwise varies from one stream to the
/// next with what else the machine runs.
const ITEMS: u64 = 1_000_000;

/// The capacities of the `stream-bounded-*` groups: room for many items, and little.
const BOUNDS: [usize; 2] = [LARGE_BOUND, SMALL_BOUND];
const LARGE_BOUND: usize = 1024;
const SMALL_BOUND: usize = 16;

/// A unit of work for a producer thread.
type Job = Box<dyn FnOnce() + Send>;

/// The legacy library's two producer threads, spawned once, before any measurement.
static PRODUCERS: LazyLock<[mpsc::Sender<Job>; 2]> = LazyLock::new(|| {
    [0, 1].map(|index| {
        let (jobs, queue) = mpsc::channel::<Job>();
        thread::Builder::new()
            .name(format!("legacy-producer-{index}"))
            .spawn(move || queue.into_iter().for_each(|job| job()))
            .expect("spawn a legacy producer");
        jobs
    })
});

fn dispatch(producer: usize, job: Job) {
    PRODUCERS[producer]
        .send(job)
        .expect("the legacy producers are running");
}

/// Calls `on_item` `count` times from one producer thread, then drops it.
#[callback_async(stream)]
#[inline(never)]
fn feed_one(count: u64, mut on_item: impl FnMut(u64) + Send + 'static) {
    dispatch(0, Box::new(move || (0..count).for_each(&mut on_item)));
}

/// Calls `on_item` `count` times in all from two producer threads at once, then drops it.
#[callback_async(stream)]
#[inline(never)]
fn feed_two(count: u64, on_item: impl Fn(u64) + Send + Sync + 'static) {
    let on_item = Arc::new(on_item);
    for producer in 0..2 {
        let on_item = Arc::clone(&on_item);
        dispatch(
            producer,
            Box::new(move || (producer as u64..count).step_by(2).for_each(&*on_item)),
        );
    }
}

/// `feed_one` into a bounded stream whose producer waits for room.
#[callback_async(stream(bound = LARGE_BOUND, overflow = block))]
#[inline(never)]
fn feed_one_large_bound(count: u64, on_item: impl FnMut(u64) + Send + 'static) {
    feed_one(count, on_item);
}

/// `feed_one` into a bounded stream whose producer waits for room.
#[callback_async(stream(bound = SMALL_BOUND, overflow = block))]
#[inline(never)]
fn feed_one_small_bound(count: u64, on_item: impl FnMut(u64) + Send + 'static) {
    feed_one(count, on_item);
}

macro_rules! stream_variants {
    ($group:expr, $legacy:ident, $generated:ident) => {{
        let group: &mut BenchmarkGroup<'_, WallTime> = $group;
        group.bench_function("callback_async", |b| {
            b.to_async(FuturesExecutor).iter(|| async {
                let mut stream = $generated(black_box(ITEMS));
                let mut sum = 0;
                while let Some(item) = stream.next().await {
                    sum += item;
                }
                sum
            })
        });
        group.bench_function("promisify", |b| {
            b.to_async(FuturesExecutor).iter(|| async {
                let mut stream = promisify!(stream $legacy(black_box(ITEMS), _));
                let mut sum = 0;
                while let Some(item) = stream.next().await {
                    sum += item;
                }
                sum
            })
        });
        group.bench_function("futures_unbounded", |b| {
            b.to_async(FuturesExecutor).iter(|| async {
                let (sender, mut receiver) = futures::channel::mpsc::unbounded();
                $legacy(black_box(ITEMS), move |item| {
                    let _ = sender.unbounded_send(item);
                });
                let mut sum = 0;
                while let Some(item) = receiver.next().await {
                    sum += item;
                }
                sum
            })
        });
        group.bench_function("tokio_unbounded", |b| {
            b.to_async(FuturesExecutor).iter(|| async {
                let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
                $legacy(black_box(ITEMS), move |item| {
                    let _ = sender.send(item);
                });
                let mut sum = 0;
                while let Some(item) = receiver.recv().await {
                    sum += item;
                }
                sum
            })
        });
    }};
}

/// Times one whole stream per iteration, made by `make` inside the measured future: the sum of
/// its items.
fn bench_stream<S>(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, make: impl Fn() -> S)
where
    S: Stream<Item = u64> + Unpin,
{
    group.bench_function(id, |b| {
        b.to_async(FuturesExecutor).iter(|| async {
            let mut stream = make();
            let mut sum = 0;
            while let Some(item) = stream.next().await {
                sum += item;
            }
            sum
        })
    });
}

/// Our bounded stream by hand, one producer, by `overflow`.
fn ours_bounded(
    group: &mut BenchmarkGroup<'_, WallTime>,
    id: &str,
    bound: usize,
    overflow: Overflow,
) {
    bench_stream(group, id, || {
        let (sender, stream) = CallbackStream::bounded(bound, overflow);
        feed_one(black_box(ITEMS), move |item| sender.send(item));
        stream
    });
}

/// `futures::channel::mpsc::channel`, whose producer blocks on each send, with room for `room`
/// items: its buffer holds the capacity asked plus one slot per sender, so it is asked for one
/// less.
fn futures_bounded(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, room: usize) {
    bench_stream(group, id, || {
        let (mut sender, receiver) = futures::channel::mpsc::channel(room - 1);
        feed_one(black_box(ITEMS), move |item| {
            let _ = futures::executor::block_on(sender.send(item));
        });
        receiver
    });
}

/// `tokio::sync::mpsc::channel(capacity)`, whose producer uses `blocking_send`; its receiver
/// polled through `poll_recv`, which is what `recv().await` does.
fn tokio_bounded(group: &mut BenchmarkGroup<'_, WallTime>, id: &str, capacity: usize) {
    bench_stream(group, id, || {
        let (sender, mut receiver) = tokio::sync::mpsc::channel(capacity);
        feed_one(black_box(ITEMS), move |item| {
            let _ = sender.blocking_send(item);
        });
        futures::stream::poll_fn(move |cx| receiver.poll_recv(cx))
    });
}

/// One `stream-bounded-{bound}` group: every variant lets its producer run at most `bound` items
/// ahead of what the consumer has received.
fn bounded_variants(
    group: &mut BenchmarkGroup<'_, WallTime>,
    bound: usize,
    generated: fn(u64) -> CallbackStream<u64>,
) {
    bench_stream(group, "callback_async", || generated(black_box(ITEMS)));
    bench_stream(
        group,
        "promisify",
        || promisify!(stream(bound = bound, overflow = block) feed_one(black_box(ITEMS), _)),
    );
    ours_bounded(group, "bounded_block", bound, Overflow::Block);
    futures_bounded(group, "futures_bounded", bound);
    tokio_bounded(group, "tokio_bounded", bound);
    ours_bounded(group, "bounded_drop_oldest", bound, Overflow::DropOldest);
    ours_bounded(group, "bounded_drop_newest", bound, Overflow::DropNewest);
}

fn streams(c: &mut Criterion) {
    LazyLock::force(&PRODUCERS);

    // Flat sampling: an iteration takes milliseconds, so every sample is one or a few streams.
    let mut group = c.benchmark_group("stream-1-producer");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(ITEMS));
    stream_variants!(&mut group, feed_one, feed_one_stream);
    group.finish();

    let mut group = c.benchmark_group("stream-2-producers");
    group.sampling_mode(SamplingMode::Flat);
    group.throughput(Throughput::Elements(ITEMS));
    stream_variants!(&mut group, feed_two, feed_two_stream);
    group.finish();

    let generated: [fn(u64) -> CallbackStream<u64>; 2] =
        [feed_one_large_bound_stream, feed_one_small_bound_stream];
    for (bound, generated) in BOUNDS.into_iter().zip(generated) {
        let mut group = c.benchmark_group(format!("stream-bounded-{bound}"));
        group.sampling_mode(SamplingMode::Flat);
        group.throughput(Throughput::Elements(ITEMS));
        bounded_variants(&mut group, bound, generated);
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = streams
}
criterion_main!(benches);

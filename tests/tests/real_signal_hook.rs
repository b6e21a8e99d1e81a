//! `signal_hook::low_level::register`, an `unsafe fn` taking an `Fn() + Send + Sync` action, as a
//! stream of the signals it sees. Checks that three `SIGUSR1`s raised on the test's thread are
//! three items, and that `unregister` drops the action, which ends the stream.
//!
//! `signals_interrupting_the_consumer` sends 10,000 signals with `pthread_kill` to a thread that
//! polls the stream without pause, so that handlers land inside the stream's lock: they must drop
//! their item (and count it) rather than deadlock, and every other item must arrive.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;
use signal_hook::SigId;
use signal_hook::consts::SIGUSR1;

#[path = "support/real.rs"]
mod support;
use support::{poll_until, watchdog};

/// Held by each test while it has SIGUSR1 handlers: a handler is process-wide, so the other
/// test's signals would otherwise reach this test's stream (`delivered + discarded` came out one
/// over `SIGNALS`).
static SIGUSR1_IN_USE: Mutex<()> = Mutex::new(());

/// Raises `signal` three times on this thread; each handler runs before `raise` returns.
fn raise_three_times(signal: libc::c_int) {
    for _ in 0..3 {
        // SAFETY: `raise` has no precondition; the signal has a handler, registered by the test.
        assert_eq!(unsafe { libc::raise(signal) }, 0);
    }
}

/// The body form: a Rust callback in a call inside an `unsafe` block (the block has no user-data
/// `_`, so it is not the C form).
#[test]
fn signals_as_a_stream() {
    let _exclusive = SIGUSR1_IN_USE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    watchdog(|| async {
        // SAFETY: `register`'s contract is that the action is safe to run in a signal handler.
        // The action sends on the stream, which locks and may allocate; that is sound here
        // because every signal is raised by `raise` on this thread, so the handler never
        // interrupts the stream's own code (see the module's docs).
        let (id, signals): (io::Result<SigId>, CallbackStream<()>) =
            promisify!(stream unsafe { signal_hook::low_level::register(SIGUSR1, || _(())) });
        let id = id.unwrap();
        raise_three_times(SIGUSR1);
        assert!(signal_hook::low_level::unregister(id));
        assert_eq!(signals.collect::<Vec<()>>().await, [(), (), ()]);
    });
}

/// How many signals `signals_interrupting_the_consumer` sends.
const SIGNALS: u64 = 10_000;

/// The defect this guards against: a handler that sends while its thread holds the stream's lock
/// deadlocked on the mutex (after about 135 signals). Each signal is sent once the previous one
/// was handled (signals of one kind do not queue), so exactly `SIGNALS` handlers run.
#[test]
fn signals_interrupting_the_consumer() {
    let _exclusive = SIGUSR1_IN_USE
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    watchdog(|| async {
        let handled = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (consumer_id, consumer_thread) = mpsc::channel();
        let consumer = std::thread::spawn({
            let handled = Arc::clone(&handled);
            let stop = Arc::clone(&stop);
            move || {
                // SAFETY: the stream's action never blocks in a handler (it drops its item when
                // it re-enters the stream's lock), and the counter is one atomic add. Each runs
                // after the other in registration order, so a handled signal has sent first.
                let (id, mut signals): (io::Result<SigId>, CallbackStream<()>) = promisify!(stream unsafe { signal_hook::low_level::register(SIGUSR1, || _(())) });
                let counter = unsafe {
                    signal_hook::low_level::register(SIGUSR1, move || {
                        handled.fetch_add(1, Ordering::SeqCst);
                    })
                };
                // SAFETY: `pthread_self` has no precondition.
                consumer_id.send(unsafe { libc::pthread_self() }).unwrap();
                let delivered = poll_until(&mut signals, &stop);
                assert!(signal_hook::low_level::unregister(id.unwrap()));
                assert!(signal_hook::low_level::unregister(counter.unwrap()));
                (delivered, signals.discarded())
            }
        });
        let target = consumer_thread.recv().unwrap();
        for sent in 1..=SIGNALS {
            // SAFETY: the target thread is alive until `stop` is set, and SIGUSR1 has handlers.
            assert_eq!(unsafe { libc::pthread_kill(target, SIGUSR1) }, 0);
            let deadline = Instant::now() + Duration::from_secs(10);
            while handled.load(Ordering::SeqCst) < sent {
                assert!(Instant::now() < deadline, "signal {sent} was never handled");
                std::thread::yield_now();
            }
        }
        stop.store(true, Ordering::SeqCst);
        let (delivered, discarded) = consumer.join().unwrap();
        eprintln!("{SIGNALS} signals: {delivered} delivered, {discarded} discarded in handlers");
        assert_eq!(delivered + discarded, SIGNALS);
        assert!(
            delivered > 0,
            "handlers outside the lock deliver their items"
        );
    });
}

//! `static |..|` callbacks on real APIs that take a function pointer and no user data:
//! rusqlite's `Backup::run_to_completion(.., Option<fn(Progress)>)` and
//! `Connection::busy_handler(Option<fn(i32) -> bool>)`, and C's `signal()`.
//!
//! `signals_lose_nothing` sends 10,000 `SIGUSR1`s with `pthread_kill` to a thread that polls the
//! stream without pause, so that handlers land in the middle of the stream's own pops and waker
//! registrations: the slot's send takes no lock, so every handler delivers its item (or, were the
//! queue full, counts it as discarded) and none waits.

use std::ffi::c_int;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;
use rusqlite::Connection;
use rusqlite::backup::{Backup, Progress};

#[path = "support/real.rs"]
mod support;
use support::{TempDir, poll_until, watchdog};

/// A database of 400 rows of 200 bytes: about 25 pages of 4 KiB.
fn source() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE t(n INTEGER, text TEXT);
         WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 400)
         INSERT INTO t SELECT n, printf('%.200c', 'x') FROM r;",
    )
    .unwrap();
    conn
}

#[test]
fn backup_progress_as_a_stream() {
    watchdog(|| async {
        let dir = TempDir::new("slot-backup");
        let src = source();
        let mut dst = Connection::open(dir.path().join("copy.db")).unwrap();
        let backup = Backup::new(&src, &mut dst).unwrap();
        // One page per step: SQLite calls the progress `fn` after each.
        let (done, mut progress): (rusqlite::Result<()>, CallbackStream<Progress>) = promisify!(stream
            backup.run_to_completion(1, Duration::ZERO, Some(static |p: Progress| _(p)))
        );
        done.unwrap();
        drop(backup);
        // rusqlite calls the pointer only during the call: nothing more will come.
        progress.close();
        let steps: Vec<Progress> = progress.collect().await;
        let pages = steps[0].pagecount;
        assert!(pages > 10, "{pages} pages");
        assert_eq!(steps.len(), pages as usize, "one step per page");
        let remaining: Vec<c_int> = steps.iter().map(|p| p.remaining).collect();
        assert!(remaining.windows(2).all(|w| w[0] > w[1]), "{remaining:?}");
        assert_eq!(remaining.last(), Some(&0));
        let rows: i64 = dst
            .query_row("SELECT count(*) FROM t", [], |row| row.get(0))
            .unwrap();
        assert_eq!(rows, 400);
    });
}

/// rusqlite's `busy_handler(Option<fn(i32) -> bool>)`: a pointer the connection keeps, whose
/// answer SQLite obeys (retry while `true`).
#[test]
fn busy_handler_retries_as_a_stream() {
    watchdog(|| async {
        let dir = TempDir::new("slot-busy");
        let path = dir.path().join("db.sqlite");
        let holder = Connection::open(&path).unwrap();
        holder.execute_batch("CREATE TABLE t(n INTEGER)").unwrap();
        let waiter = Connection::open(&path).unwrap();
        holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let (set, mut retries) = promisify!(stream waiter.busy_handler(Some(static |n: i32| -> bool {
            _(n);
            n < 2
        })));
        set.unwrap();
        let busy = waiter.execute("INSERT INTO t VALUES (1)", []).unwrap_err();
        assert_eq!(
            busy.sqlite_error_code(),
            Some(rusqlite::ErrorCode::DatabaseBusy)
        );
        // The connection keeps the pointer: end the stream by hand.
        retries.close();
        assert_eq!(retries.collect::<Vec<i32>>().await, [0, 1, 2]);
        holder.execute_batch("COMMIT").unwrap();
        waiter.execute("INSERT INTO t VALUES (1)", []).unwrap();
    });
}

/// How many signals `signals_lose_nothing` sends.
const SIGNALS: u64 = 10_000;

/// Handlers that ran to their end, counted after their item was handed over.
static HANDLED: AtomicU64 = AtomicU64::new(0);

/// Each signal is sent once the previous one was handled, since pending signals of one number
/// coalesce in the kernel: so exactly `SIGNALS` handlers run, and each is delivered or counted.
#[test]
fn signals_lose_nothing() {
    watchdog(|| async {
        let stop = Arc::new(AtomicBool::new(false));
        let (consumer_id, consumer_thread) = mpsc::channel();
        let consumer = std::thread::spawn({
            let stop = Arc::clone(&stop);
            move || {
                // SAFETY: the handler only pushes into the slot's preallocated queue, wakes a
                // no-op waker and adds to an atomic, which are async-signal-safe.
                let (previous, mut signals) = promisify!(stream(bound = 16_384) unsafe {
                    libc::signal(
                        libc::SIGUSR1,
                        (static |sig: c_int| {
                            _(sig);
                            HANDLED.fetch_add(1, Ordering::SeqCst);
                        }) as libc::sighandler_t,
                    )
                });
                assert_ne!(previous, libc::SIG_ERR);
                // SAFETY: `pthread_self` has no precondition.
                consumer_id.send(unsafe { libc::pthread_self() }).unwrap();
                let delivered = poll_until(&mut signals, &stop);
                // SAFETY: ignoring the signal from now on; the handler stays valid anyway.
                unsafe { libc::signal(libc::SIGUSR1, libc::SIG_IGN) };
                (delivered, signals.discarded())
            }
        });
        let target = consumer_thread.recv().unwrap();
        for sent in 1..=SIGNALS {
            // SAFETY: the target thread is alive until `stop` is set, and SIGUSR1 has a handler.
            assert_eq!(unsafe { libc::pthread_kill(target, libc::SIGUSR1) }, 0);
            let deadline = Instant::now() + Duration::from_secs(10);
            while HANDLED.load(Ordering::SeqCst) < sent {
                assert!(Instant::now() < deadline, "signal {sent} was never handled");
                std::thread::yield_now();
            }
        }
        stop.store(true, Ordering::SeqCst);
        let (delivered, discarded) = consumer.join().unwrap();
        eprintln!("{SIGNALS} signals: {delivered} delivered, {discarded} discarded");
        assert_eq!(delivered + discarded, SIGNALS);
        assert_eq!(discarded, 0, "the queue holds them all");
    });
}

#[test]
fn a_late_signal_after_the_stream_is_dropped_is_ignored() {
    watchdog(|| async {
        // SAFETY: as above; SIGUSR2 is this test's alone.
        let (_, signals) = promisify!(stream unsafe {
            libc::signal(libc::SIGUSR2, (static |sig: c_int| _(sig)) as libc::sighandler_t)
        });
        drop(signals);
        // SAFETY: the handler is still installed: the call is ignored, never a use of freed state.
        assert_eq!(unsafe { libc::raise(libc::SIGUSR2) }, 0);
        // SAFETY: as above.
        unsafe { libc::signal(libc::SIGUSR2, libc::SIG_IGN) };
    });
}

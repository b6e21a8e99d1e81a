//! No leak and no double free over 10,000 awaited C callbacks, in every form of
//! `promisify!(unsafe { .. })`, including promises and streams dropped before C calls back: a
//! counting global allocator shows that everything allocated is freed, once. (The C libraries'
//! own allocations go through `malloc`, not this allocator: run this test under valgrind for
//! those, as `valgrind --leak-check=full --error-exitcode=1 target/debug/deps/ffi_leaks-*`.)
//!
//! One `#[test]`, so that no other test allocates concurrently.
#![cfg(target_os = "linux")]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use callback_async::{Dropped, promisify};
use futures::StreamExt;
use futures::executor::block_on;
use libsqlite3_sys as sql;

#[path = "support/sqlite.rs"]
mod sqlite_support;
use sqlite_support::Db;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::Global;

/// Counts live allocations across all threads, C's threads included.
#[global_allocator]
static GLOBAL: Global = Global;

fn pthread(value: u32, wait: Option<mpsc::Receiver<()>>, await_it: bool) -> u32 {
    let mut thread = 0;
    let (rc, promise) = promisify!(unsafe {
        libc::pthread_create(
            &mut thread,
            ptr::null(),
            |_| -> *mut c_void {
                if let Some(wait) = wait {
                    wait.recv().unwrap();
                }
                // An allocated value, freed by whichever side holds it last.
                _(value.to_string());
                ptr::null_mut()
            },
            _,
        )
    });
    assert_eq!(rc, 0);
    let value = if await_it {
        block_on(promise).parse().unwrap()
    } else {
        drop(promise);
        0
    };
    // SAFETY: joinable, joined once.
    assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);
    value
}

/// `&_`: the state lives on the stack during `sqlite3_exec`.
fn exec_first(db: &Db, await_it: bool) -> String {
    let (rc, first) = promisify!(unsafe {
        sql::sqlite3_exec(
            db.0,
            c"SELECT 'x' || 1 UNION ALL SELECT 'y'".as_ptr(),
            Some(
                |_, _: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                    // SAFETY: one non-null column, valid during the call.
                    _(unsafe { CStr::from_ptr(*values) }
                        .to_string_lossy()
                        .into_owned());
                    0
                },
            ),
            &_,
            ptr::null_mut(),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    if await_it {
        block_on(first)
    } else {
        String::new()
    }
}

/// `_` with a destroy notify: the state lives until SQLite drops the collation.
fn collation(await_it: bool) -> usize {
    let db = Db::open();
    db.run(c"CREATE TABLE t(s TEXT); INSERT INTO t VALUES ('b'), ('a'), ('c')");
    let (rc, comparisons) = promisify!(stream unsafe {
        sql::sqlite3_create_collation_v2(
            db.0,
            c"rust".as_ptr(),
            sql::SQLITE_UTF8,
            _,
            Some(|_, n1: c_int, s1: *const c_void, n2: c_int, s2: *const c_void| -> c_int {
                let bytes = |s: *const c_void, n: c_int| {
                    let n = usize::try_from(n).unwrap();
                    // SAFETY: SQLite passes `n` bytes at `s`, valid during the call.
                    unsafe { std::slice::from_raw_parts(s.cast::<u8>(), n) }.to_vec()
                };
                let (a, b) = (bytes(s1, n1), bytes(s2, n2));
                let order = a.cmp(&b) as c_int;
                _((a, b));
                order
            }),
            Some(|_| drop(_)),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    db.run(c"SELECT s FROM t ORDER BY s COLLATE rust");
    if await_it {
        drop(db);
        block_on(comparisons.count())
    } else {
        // The stream goes first; SQLite calls the destroy notify later.
        drop(comparisons);
        db.run(c"SELECT s FROM t ORDER BY s COLLATE rust");
        0
    }
}

/// `_` in a stream without a destroy notify: freed by `Registration::release`.
fn update_hook(release: bool) -> usize {
    let db = Db::open();
    db.run(c"CREATE TABLE t(n INTEGER)");
    let (_, changes, registration) = promisify!(stream unsafe {
        sql::sqlite3_update_hook(
            db.0,
            Some(|_, op: c_int, _: *const c_char, _: *const c_char, rowid: i64| _((op, rowid))),
            _,
        )
    });
    db.run(c"INSERT INTO t VALUES (1), (2)");
    // SAFETY: an open database; removes the hook.
    unsafe { sql::sqlite3_update_hook(db.0, None, ptr::null_mut()) };
    if release {
        // SAFETY: the hook was removed above.
        unsafe { registration.release() };
        block_on(changes.count())
    } else {
        drop(changes);
        // SAFETY: as above; the stream went first.
        unsafe { registration.release() };
        0
    }
}

/// The live count once it stopped moving: the test harness's main thread allocates a few
/// lasting things (its blocking channel context) when it first waits for this test, which on a
/// loaded machine can come after the warm-up.
fn stable() -> isize {
    let deadline = Instant::now() + Duration::from_secs(5);
    let (mut last, mut unchanged) = (Global::live(), 0);
    while unchanged < 5 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(50));
        let live = Global::live();
        unchanged = if live == last { unchanged + 1 } else { 0 };
        last = live;
    }
    last
}

fn settle(baseline: isize) -> isize {
    // C threads (a timer's, a joined thread's TLS) may still be finishing: wait for the count.
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let live = Global::live();
        if live == baseline || Instant::now() > deadline {
            return live;
        }
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn no_leak_and_no_double_free_over_10_000_c_callbacks() {
    // Warm up: lazily allocated statics (std's, the thread's) are not leaks.
    let db = Db::open();
    pthread(1, None, true);
    exec_first(&db, true);
    collation(true);
    update_hook(true);
    let baseline = stable();

    let mut awaited = 0;
    // 2,000 start routines on glibc threads, awaited; 500 with the promise dropped first
    // (deterministically: the thread waits until the promise is gone).
    for i in 0..2_000 {
        assert_eq!(pthread(i, None, true), i);
        awaited += 1;
    }
    for i in 0..500 {
        let (go, wait) = mpsc::channel();
        let mut thread = 0;
        let (rc, promise) = promisify!(unsafe {
            libc::pthread_create(
                &mut thread,
                ptr::null(),
                |_| -> *mut c_void {
                    wait.recv().unwrap();
                    _(vec![i; 4]);
                    ptr::null_mut()
                },
                _,
            )
        });
        assert_eq!(rc, 0);
        drop(promise);
        go.send(()).unwrap();
        // SAFETY: joinable, joined once.
        assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);
        // And racing: the promise dropped while the thread may already be calling.
        pthread(i, None, false);
    }
    // 4,000 `sqlite3_exec` rows through a borrowed state; 500 not awaited.
    for _ in 0..4_000 {
        assert_eq!(exec_first(&db, true), "x1");
        awaited += 1;
    }
    for _ in 0..500 {
        exec_first(&db, false);
    }
    // 1,000 collations freed by SQLite's destroy notify (each compares several times); 250
    // whose stream is dropped first.
    for _ in 0..1_000 {
        let comparisons = collation(true);
        assert!(comparisons > 0);
        awaited += comparisons;
    }
    for _ in 0..250 {
        collation(false);
    }
    // 1,000 update hooks released by their `Registration` (two events each); 250 whose stream
    // is dropped first.
    for _ in 0..1_000 {
        assert_eq!(update_hook(true), 2);
        awaited += 2;
    }
    for _ in 0..250 {
        update_hook(false);
    }
    // A future whose destroy notify comes first ends as dropped.
    for _ in 0..100 {
        let db = Db::open();
        let (_, never) = promisify!(unsafe {
            sql::sqlite3_create_collation_v2(
                db.0,
                c"unused".as_ptr(),
                sql::SQLITE_UTF8,
                _,
                Some(
                    |_, _: c_int, _: *const c_void, _: c_int, _: *const c_void| -> c_int {
                        _(());
                        0
                    },
                ),
                Some(|_| drop(_)),
            )
        });
        drop(db);
        assert_eq!(block_on(never.or_dropped()), Err(Dropped));
    }
    drop(db);
    assert!(awaited >= 10_000, "{awaited}");

    let live = settle(baseline);
    assert_eq!(
        live - baseline,
        0,
        "allocations still live after {awaited} awaited C callbacks (negative: freed twice)"
    );
}

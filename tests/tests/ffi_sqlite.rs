//! `promisify!(unsafe { .. })` on SQLite (the bundled C library of `libsqlite3-sys`): rows of
//! `sqlite3_exec` as a stream, `sqlite3_update_hook` events, a collation freed by SQLite's
//! destroy notify.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use std::panic::{AssertUnwindSafe, catch_unwind};

use callback_async::Dropped;
use callback_async::ffi::Registration;
use callback_async::promisify;
use callback_async::{CallbackStream, Promise};
use futures::StreamExt;
use futures::executor::block_on;
use libsqlite3_sys as sql;

#[path = "support/sqlite.rs"]
mod sqlite_support;
use sqlite_support::{Db, strings};

#[test]
fn exec_rows_as_a_stream() {
    let db = Db::open();
    db.run(
        c"CREATE TABLE t(n INTEGER, name TEXT);
             INSERT INTO t VALUES (1, 'one'), (2, NULL), (3, 'three');",
    );
    let (rc, rows): (c_int, CallbackStream<Vec<Option<String>>>) = promisify!(stream unsafe {
        sql::sqlite3_exec(
            db.0,
            c"SELECT n, name FROM t ORDER BY n".as_ptr(),
            Some(|_, n: c_int, values: *mut *mut c_char, _names: *mut *mut c_char| -> c_int {
                // SAFETY: SQLite passes `n` column values, valid during the call.
                _(unsafe { strings(n, values) });
                0
            }),
            &_,
            ptr::null_mut(),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    let rows = block_on(rows.collect::<Vec<_>>());
    assert_eq!(
        rows,
        [
            vec![Some("1".to_owned()), Some("one".to_owned())],
            vec![Some("2".to_owned()), None],
            vec![Some("3".to_owned()), Some("three".to_owned())],
        ]
    );
}

#[test]
fn exec_first_row_as_a_future() {
    let db = Db::open();
    let (rc, first): (c_int, Promise<i64>) = promisify!(unsafe {
        sql::sqlite3_exec(
            db.0,
            c"SELECT 40 + 2 UNION ALL SELECT 7".as_ptr(),
            Some(
                |_, _n: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                    // SAFETY: one non-null column.
                    let text = unsafe { CStr::from_ptr(*values) };
                    _(text.to_str().unwrap().parse::<i64>().unwrap());
                    0
                },
            ),
            &_,
            ptr::null_mut(),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    assert_eq!(block_on(first), 42);
}

#[derive(Debug, PartialEq, Eq)]
struct Change {
    op: c_int,
    table: String,
    rowid: i64,
}

/// `sqlite3_update_hook` has no destroy notify and calls until replaced: its state is freed by
/// `Registration::release`, once the hook is removed.
#[test]
fn update_hook_events_until_released() {
    let db = Db::open();
    db.run(c"CREATE TABLE t(n INTEGER)");
    let (previous, changes, registration): (*mut c_void, CallbackStream<Change>, Registration) = promisify!(stream unsafe {
        sql::sqlite3_update_hook(
            db.0,
            Some(|_, op: c_int, _: *const c_char, table: *const c_char, rowid: i64| {
                // SAFETY: SQLite passes the table's name, valid during the call.
                let table = unsafe { CStr::from_ptr(table) }.to_string_lossy().into_owned();
                _(Change { op, table, rowid });
            }),
            _,
        )
    });
    assert!(previous.is_null());
    db.run(
        c"INSERT INTO t VALUES (10), (20);
             UPDATE t SET n = 21 WHERE n = 20;
             DELETE FROM t WHERE n = 10;",
    );
    // SAFETY: an open database; removes the hook, so SQLite no longer calls it.
    unsafe { sql::sqlite3_update_hook(db.0, None, ptr::null_mut()) };
    db.run(c"INSERT INTO t VALUES (30)");
    // SAFETY: the hook was removed above, on this thread.
    unsafe { registration.release() };
    let change = |op, rowid| Change {
        op,
        table: "t".to_owned(),
        rowid,
    };
    assert_eq!(
        block_on(changes.collect::<Vec<_>>()),
        [
            change(sql::SQLITE_INSERT, 1),
            change(sql::SQLITE_INSERT, 2),
            change(sql::SQLITE_UPDATE, 2),
            change(sql::SQLITE_DELETE, 1),
        ]
    );
}

/// A collation's compare function with SQLite's destroy notify (`xDestroy`): the state lives
/// until SQLite drops the collation, here when the database closes.
#[test]
fn collation_freed_by_the_destroy_notify() {
    let db = Db::open();
    db.run(c"CREATE TABLE t(s TEXT); INSERT INTO t VALUES ('b'), ('C'), ('a')");
    let (rc, comparisons): (c_int, CallbackStream<(String, String)>) = promisify!(stream unsafe {
        sql::sqlite3_create_collation_v2(
            db.0,
            c"nocase_rust".as_ptr(),
            sql::SQLITE_UTF8,
            _,
            Some(|_, n1: c_int, s1: *const c_void, n2: c_int, s2: *const c_void| -> c_int {
                // SAFETY: SQLite passes two UTF-8 strings of `n1` and `n2` bytes.
                let text = |s: *const c_void, n: c_int| unsafe {
                    let bytes = std::slice::from_raw_parts(s.cast::<u8>(), usize::try_from(n).unwrap());
                    String::from_utf8_lossy(bytes).into_owned()
                };
                let (a, b) = (text(s1, n1).to_lowercase(), text(s2, n2).to_lowercase());
                let order = a.cmp(&b) as c_int;
                _((a, b));
                order
            }),
            Some(|_| drop(_)),
        )
    });
    // (Unlike other SQLite functions, a failing `sqlite3_create_collation_v2` does not call the
    // destroy notify: the state would then leak.)
    assert_eq!(rc, sql::SQLITE_OK);
    let (rc, sorted): (c_int, CallbackStream<Vec<Option<String>>>) = promisify!(stream unsafe {
        sql::sqlite3_exec(
            db.0,
            c"SELECT s FROM t ORDER BY s COLLATE nocase_rust".as_ptr(),
            Some(|_, n: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                // SAFETY: SQLite passes `n` column values, valid during the call.
                _(unsafe { strings(n, values) });
                0
            }),
            &_,
            ptr::null_mut(),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    let sorted: Vec<_> = block_on(sorted.collect::<Vec<_>>())
        .into_iter()
        .flatten()
        .flatten()
        .collect();
    assert_eq!(sorted, ["a", "b", "C"]);
    // Closing the database calls the destroy notify, which frees the state and ends the stream.
    drop(db);
    let comparisons = block_on(comparisons.collect::<Vec<_>>());
    assert!(!comparisons.is_empty());
    assert!(
        comparisons
            .iter()
            .all(|(a, b)| a.chars().chain(b.chars()).all(|c| c.is_lowercase()))
    );
}

/// A future with a destroy notify that comes before any call ends as dropped.
#[test]
fn destroy_notify_before_any_call_is_dropped() {
    let db = Db::open();
    let (rc, never): (c_int, Promise<()>) = promisify!(unsafe {
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
    assert_eq!(rc, sql::SQLITE_OK);
    drop(db);
    assert_eq!(block_on(never.or_dropped()), Err(Dropped));
}

/// A panic in the callback's body does not unwind into SQLite: the stream resumes it at its
/// item, and SQLite went on with the next rows (its callback got 0).
#[test]
fn panic_in_the_mapping_reaches_the_stream() {
    let db = Db::open();
    let (rc, mut rows): (c_int, CallbackStream<i32>) = promisify!(stream unsafe {
        sql::sqlite3_exec(
            db.0,
            c"SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3".as_ptr(),
            Some(|_, _: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                // SAFETY: one non-null column.
                let n: i32 = unsafe { CStr::from_ptr(*values) }.to_str().unwrap().parse().unwrap();
                assert!(n != 2, "row {n} is bad");
                _(n);
                0
            }),
            &_,
            ptr::null_mut(),
        )
    });
    assert_eq!(rc, sql::SQLITE_OK);
    assert_eq!(block_on(rows.next()), Some(1));
    let panic = catch_unwind(AssertUnwindSafe(|| block_on(rows.next()))).unwrap_err();
    assert_eq!(
        panic.downcast_ref::<String>().map(String::as_str),
        Some("row 2 is bad")
    );
    assert_eq!(block_on(rows.collect::<Vec<_>>()), [3]);
}

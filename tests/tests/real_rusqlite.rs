//! `rusqlite`'s hooks (on the same bundled SQLite as `libsqlite3-sys`): the update hook and the
//! progress handler as streams, ended by removing the hook; the commit hook in promise mode,
//! whose return value still reaches SQLite (it vetoes the commit); and the busy handler, which
//! rusqlite takes as a plain `fn(i32) -> bool`, so no closure (nor `promisify!`'s body form) fits
//! it: it is tested through a static, and through the C form on `Connection::handle`.

use std::ffi::c_int;
use std::ptr;
use std::sync::Mutex;

use callback_async::{CallbackStream, Promise, Resolver, promisify};
use futures::StreamExt;
use rusqlite::hooks::Action;
use rusqlite::{Connection, ErrorCode};

#[path = "support/real.rs"]
mod support;
use support::{TempDir, watchdog};

fn table() -> Connection {
    let conn = Connection::open_in_memory().unwrap();
    conn.execute_batch("CREATE TABLE t(n INTEGER)").unwrap();
    conn
}

/// Inserts two rows, updates one and deletes the other.
fn changes(conn: &Connection) {
    conn.execute_batch(
        "INSERT INTO t VALUES (10), (20);
         UPDATE t SET n = 21 WHERE n = 20;
         DELETE FROM t WHERE n = 10;",
    )
    .unwrap();
}

/// What the update hook reports for `changes`: the action, the table and the row's id.
fn expected_changes() -> Vec<(Action, String, i64)> {
    let change = |action, rowid| (action, "t".to_owned(), rowid);
    vec![
        change(Action::SQLITE_INSERT, 1),
        change(Action::SQLITE_INSERT, 2),
        change(Action::SQLITE_UPDATE, 2),
        change(Action::SQLITE_DELETE, 1),
    ]
}

/// Enough virtual-machine steps for the progress handler to be called many times.
const COUNT_TO_10000: &str = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c \
                              WHERE x < 10000) SELECT sum(x) FROM c";

// ---------------------------------------------------------------------------------------------
// The update hook: `FnMut(Action, &str, &str, i64)`, one call per changed row.
// ---------------------------------------------------------------------------------------------

/// The body form: the hook's parameters are the user's (borrowed `&str`s, copied out).
#[test]
fn update_hook_as_a_stream() {
    watchdog(|| async {
        let conn = table();
        let (set, events) = promisify!(stream conn.update_hook(Some(
            |action: Action, _db: &str, table: &str, rowid: i64| {
                _((action, table.to_owned(), rowid))
            }
        )));
        let set: rusqlite::Result<()> = set;
        set.unwrap();
        let events: CallbackStream<(Action, String, i64)> = events;
        changes(&conn);
        conn.update_hook(None::<fn(Action, &str, &str, i64)>)
            .unwrap();
        conn.execute("INSERT INTO t VALUES (30)", []).unwrap();
        assert_eq!(events.collect::<Vec<_>>().await, expected_changes());
    });
}

// ---------------------------------------------------------------------------------------------
// The progress handler: `FnMut() -> bool`, called every N steps; `false` lets the query go on.
// ---------------------------------------------------------------------------------------------

#[test]
fn progress_handler_as_a_stream() {
    watchdog(|| async {
        let conn = Connection::open_in_memory().unwrap();
        let (set, ticks): (rusqlite::Result<()>, CallbackStream<()>) =
            promisify!(stream conn.progress_handler(100, Some(|| { _(()); false })));
        set.unwrap();
        let sum: i64 = conn
            .query_row(COUNT_TO_10000, [], |row| row.get(0))
            .unwrap();
        assert_eq!(sum, 50_005_000);
        conn.progress_handler(0, None::<fn() -> bool>).unwrap();
        let ticks = ticks.collect::<Vec<()>>().await;
        assert!(ticks.len() > 10, "{} call(s)", ticks.len());
    });
}

// ---------------------------------------------------------------------------------------------
// The commit hook in promise mode: `FnMut() -> bool`, whose `true` turns the commit into a
// rollback. The promise takes the first call; every call still returns the closure's value.
// ---------------------------------------------------------------------------------------------

fn is_vetoed(result: rusqlite::Result<usize>) -> bool {
    let code = result.err().and_then(|error| error.sqlite_error_code());
    code == Some(ErrorCode::ConstraintViolation)
}

fn rows(conn: &Connection) -> i64 {
    conn.query_row("SELECT count(*) FROM t", [], |row| row.get(0))
        .unwrap()
}

#[test]
fn commit_hook_vetoes_and_settles_a_promise() {
    watchdog(|| async {
        let conn = table();
        let (set, vetoed): (rusqlite::Result<()>, Promise<()>) =
            promisify!(conn.commit_hook(Some(|| {
                _(());
                true
            })));
        set.unwrap();
        // Both commits are vetoed: the closure's `true` reaches SQLite on every call, though
        // only the first one settles the promise.
        assert!(is_vetoed(conn.execute("INSERT INTO t VALUES (1)", [])));
        assert!(is_vetoed(conn.execute("INSERT INTO t VALUES (2)", [])));
        vetoed.await;
        assert_eq!(rows(&conn), 0);
        conn.commit_hook(None::<fn() -> bool>).unwrap();
        conn.execute("INSERT INTO t VALUES (3)", []).unwrap();
        assert_eq!(rows(&conn), 1);
    });
}

// ---------------------------------------------------------------------------------------------
// The busy handler: `Connection::busy_handler(Option<fn(i32) -> bool>)`, a function pointer, so
// it cannot capture a resolver and the body form does not apply. (Nor does `busy_timeout`, the
// other busy API: it takes no callback.)
// ---------------------------------------------------------------------------------------------

/// Two connections to one database file, the first holding an exclusive lock.
fn locked_database(dir: &TempDir) -> (Connection, Connection) {
    let path = dir.path().join("db.sqlite");
    let holder = Connection::open(&path).unwrap();
    holder.execute_batch("CREATE TABLE t(n INTEGER)").unwrap();
    let waiter = Connection::open(&path).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE").unwrap();
    (holder, waiter)
}

fn is_busy(result: rusqlite::Result<usize>) -> bool {
    let code = result.err().and_then(|error| error.sqlite_error_code());
    code == Some(ErrorCode::DatabaseBusy)
}

/// With rusqlite's own API, the function reaches the resolver through a static.
#[test]
fn busy_handler_through_a_static() {
    static FIRST_BUSY: Mutex<Option<Resolver<i32>>> = Mutex::new(None);
    fn on_busy(retries: i32) -> bool {
        if let Some(resolver) = FIRST_BUSY.lock().unwrap().take() {
            resolver.resolve(retries);
        }
        // Give up at once: the statement fails with SQLITE_BUSY.
        false
    }

    watchdog(|| async {
        let dir = TempDir::new("rusqlite-busy");
        let (holder, waiter) = locked_database(&dir);
        let (resolver, first_busy) = callback_async::channel();
        *FIRST_BUSY.lock().unwrap() = Some(resolver);
        waiter.busy_handler(Some(on_busy)).unwrap();
        assert!(is_busy(waiter.execute("INSERT INTO t VALUES (1)", [])));
        // SQLite counts the calls of one wait from 0.
        assert_eq!(first_busy.await, 0);
        holder.execute_batch("COMMIT").unwrap();
        waiter.execute("INSERT INTO t VALUES (1)", []).unwrap();
    });
}

/// The same wait through SQLite's own `sqlite3_busy_handler` on rusqlite's raw handle, in
/// `promisify!`'s C form (the user-data `_` carries the state): `(c_int, CallbackStream<c_int>,
/// Registration)`, one flat tuple, a stream of the retry counts whose state is released once the handler is
/// removed.
#[test]
fn busy_handler_in_the_c_form_on_the_raw_handle() {
    watchdog(|| async {
        let dir = TempDir::new("rusqlite-busy-c");
        let (holder, waiter) = locked_database(&dir);
        let (rc, retries, registration) = promisify!(stream unsafe {
            libsqlite3_sys::sqlite3_busy_handler(
                waiter.handle(),
                Some(|_, n: c_int| -> c_int {
                    _(n);
                    // Give up at once, as above.
                    0
                }),
                _,
            )
        });
        assert_eq!(rc, libsqlite3_sys::SQLITE_OK);
        assert!(is_busy(waiter.execute("INSERT INTO t VALUES (1)", [])));
        assert!(is_busy(waiter.execute("INSERT INTO t VALUES (2)", [])));
        // SAFETY: an open connection; removes the handler, so SQLite no longer calls it.
        let rc =
            unsafe { libsqlite3_sys::sqlite3_busy_handler(waiter.handle(), None, ptr::null_mut()) };
        assert_eq!(rc, libsqlite3_sys::SQLITE_OK);
        // SAFETY: the handler was removed above, on this thread.
        unsafe { registration.release() };
        assert_eq!(retries.collect::<Vec<_>>().await, [0, 0]);
        holder.execute_batch("COMMIT").unwrap();
        waiter.execute("INSERT INTO t VALUES (1)", []).unwrap();
    });
}

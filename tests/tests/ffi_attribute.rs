//! `#[callback_async(param: placeholder, ..)]`: async versions of C functions declared in an
//! `extern` block, and of wrappers written in Rust, on SQLite (bundled by `libsqlite3-sys`) and
//! glibc's `pthread_create`. The generated code compiles warning-free under strict lints, here
//! and on edition 2021 (`tests/edition2021` runs this file too).
#![deny(
    warnings,
    missing_docs,
    clippy::pedantic,
    rust_2018_idioms,
    unused_qualifications,
    unsafe_op_in_unsafe_fn
)]
// "SQLite" in prose is a name, not code.
#![allow(clippy::doc_markdown)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;
use std::thread::{self, ThreadId};

use callback_async::callback_async;
use callback_async::ffi::Registration;
use callback_async::{CallbackStream, Promise};
use futures::StreamExt;
use futures::executor::block_on;
use libsqlite3_sys as sql;

#[path = "support/sqlite.rs"]
mod sqlite_support;
use sqlite_support::{Db, strings};

#[callback_async]
unsafe extern "C" {
    /// SQLite's one-step query: `callback(arg, columns, values, names)` for each row, during the
    /// call.
    #[callback_async(
        stream,
        callback: Some(|_, n: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
            // SAFETY: SQLite passes `n` column values, valid during the call.
            _(unsafe { strings(n, values) });
            0
        }),
        arg: &_,
        output = Vec<Option<String>>,
    )]
    pub fn sqlite3_exec(
        db: *mut sql::sqlite3,
        sql: *const c_char,
        callback: Option<
            unsafe extern "C" fn(*mut c_void, c_int, *mut *mut c_char, *mut *mut c_char) -> c_int,
        >,
        arg: *mut c_void,
        errmsg: *mut *mut c_char,
    ) -> c_int;

    /// Calls `callback(arg, operation, database, table, rowid)` after each change, until
    /// replaced; returns the previous `arg`.
    #[callback_async(
        stream,
        callback: Some(|_, operation: c_int, _: *const c_char, _: *const c_char, rowid: i64| {
            _(operation, rowid)
        }),
        arg: _,
    )]
    fn sqlite3_update_hook(
        db: *mut sql::sqlite3,
        callback: Option<
            unsafe extern "C" fn(*mut c_void, c_int, *const c_char, *const c_char, i64),
        >,
        arg: *mut c_void,
    ) -> *mut c_void;

    /// A collation whose state SQLite frees with `destroy` when it is replaced or the database
    /// closes.
    #[callback_async(
        stream,
        compare: Some(|_, left_len: c_int, left: *const c_void, right_len: c_int, right: *const c_void| -> c_int {
            // SAFETY: SQLite passes both strings with their lengths, valid during the call.
            let (left, right) = unsafe { (bytes(left, left_len), bytes(right, right_len)) };
            _(left.len());
            // Shortest first.
            left.len().cmp(&right.len()) as c_int
        }),
        arg: _,
        destroy: Some(|_| drop(_)),
        output = usize,
    )]
    fn sqlite3_create_collation_v2(
        db: *mut sql::sqlite3,
        name: *const c_char,
        encoding: c_int,
        arg: *mut c_void,
        compare: Option<
            unsafe extern "C" fn(*mut c_void, c_int, *const c_void, c_int, *const c_void) -> c_int,
        >,
        destroy: Option<unsafe extern "C" fn(*mut c_void)>,
    ) -> c_int;
}

#[cfg(target_os = "linux")]
#[callback_async]
unsafe extern "C" {
    /// glibc runs `start(arg)` on a new thread.
    #[callback_async(
        start: |_| -> *mut c_void {
            _(thread::current().id());
            ptr::null_mut()
        },
        arg: _,
        output = ThreadId,
    )]
    fn pthread_create(
        thread: *mut libc::pthread_t,
        attr: *const libc::pthread_attr_t,
        start: extern "C" fn(*mut c_void) -> *mut c_void,
        arg: *mut c_void,
    ) -> c_int;
}

/// # Safety
///
/// `data` points to `len` readable bytes.
unsafe fn bytes<'a>(data: *const c_void, len: c_int) -> &'a [u8] {
    // SAFETY: forwarded to the caller.
    unsafe { std::slice::from_raw_parts(data.cast(), usize::try_from(len).unwrap()) }
}

#[callback_async]
impl Db {
    /// A wrapper of `sqlite3_exec` written in Rust: its async version is a method too.
    ///
    /// # Safety
    ///
    /// `callback` must be safe to call with `arg`.
    #[callback_async(
        on_row: Some(|_, n: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
            // SAFETY: one column, as the query asks.
            let first = unsafe { strings(n, values) }.remove(0);
            _(first);
            0
        }),
        arg: &_,
        output = Option<String>,
        name = "first_value",
    )]
    unsafe fn exec(
        &self,
        sql: &CStr,
        on_row: Option<
            unsafe extern "C" fn(*mut c_void, c_int, *mut *mut c_char, *mut *mut c_char) -> c_int,
        >,
        arg: *mut c_void,
    ) -> c_int {
        // SAFETY: forwarded to the caller.
        unsafe { sqlite3_exec(self.0, sql.as_ptr(), on_row, arg, ptr::null_mut()) }
    }
}

#[test]
fn rows_of_an_extern_function_as_a_stream() {
    let db = Db::open();
    db.run(c"CREATE TABLE t(n INTEGER, name TEXT); INSERT INTO t VALUES (1, 'one'), (2, NULL);");
    // SAFETY: an open database and a valid C string; SQLite calls back only during the call.
    let (rc, rows): (c_int, CallbackStream<Vec<Option<String>>>) = unsafe {
        sqlite3_exec_stream(
            db.0,
            c"SELECT n, name FROM t ORDER BY n".as_ptr(),
            ptr::null_mut(),
        )
    };
    assert_eq!(rc, sql::SQLITE_OK);
    assert_eq!(
        block_on(rows.collect::<Vec<_>>()),
        [
            vec![Some("1".to_owned()), Some("one".to_owned())],
            vec![Some("2".to_owned()), None],
        ]
    );
}

#[test]
fn a_wrapper_method_as_a_future() {
    let db = Db::open();
    // SAFETY: the generated callback is called during the call only, with its own user data.
    let (rc, first): (c_int, Promise<Option<String>>) =
        unsafe { db.first_value(c"SELECT 'a' UNION ALL SELECT 'b'") };
    assert_eq!(rc, sql::SQLITE_OK);
    assert_eq!(block_on(first), Some("a".to_owned()));

    // No row: the callback's state is freed uncalled, and the promise says so.
    // SAFETY: as above.
    let (rc, none) = unsafe { db.first_value(c"SELECT 1 WHERE 0") };
    assert_eq!(rc, sql::SQLITE_OK);
    assert_eq!(block_on(none.or_dropped()), Err(callback_async::Dropped));
}

#[test]
fn update_hook_events_until_released() {
    let db = Db::open();
    db.run(c"CREATE TABLE t(n INTEGER)");
    // SAFETY: the hook is unregistered below before its registration is released.
    let (previous, events, registration) = unsafe { sqlite3_update_hook_stream(db.0) };
    let (events, registration): (CallbackStream<(c_int, i64)>, Registration) =
        (events, registration);
    assert!(previous.is_null());
    db.run(c"INSERT INTO t VALUES (10), (20); DELETE FROM t WHERE n = 10;");
    // SAFETY: unregisters the hook; no call can be running (this thread runs every statement).
    let ours = unsafe { sql::sqlite3_update_hook(db.0, None, ptr::null_mut()) };
    assert!(!ours.is_null());
    // SAFETY: SQLite no longer calls the hook.
    unsafe { registration.release() };
    assert_eq!(
        block_on(events.collect::<Vec<_>>()),
        [
            (sql::SQLITE_INSERT, 1),
            (sql::SQLITE_INSERT, 2),
            (sql::SQLITE_DELETE, 1)
        ]
    );
}

#[test]
fn collation_state_is_freed_by_the_destroy_notify() {
    let db = Db::open();
    db.run(c"CREATE TABLE t(s TEXT); INSERT INTO t VALUES ('ccc'), ('a'), ('bb');");
    // SAFETY: a valid name and encoding; SQLite calls the comparison until it calls `destroy`.
    let (rc, compared) = unsafe {
        sqlite3_create_collation_v2_stream(db.0, c"by_length".as_ptr(), sql::SQLITE_UTF8)
    };
    assert_eq!(rc, sql::SQLITE_OK);
    let sorted: (c_int, CallbackStream<Vec<Option<String>>>) = {
        // SAFETY: as in the first test.
        unsafe {
            sqlite3_exec_stream(
                db.0,
                c"SELECT s FROM t ORDER BY s COLLATE by_length".as_ptr(),
                ptr::null_mut(),
            )
        }
    };
    assert_eq!(
        block_on(sorted.1.collect::<Vec<_>>()),
        [["a"], ["bb"], ["ccc"]].map(|row| vec![Some(row[0].to_owned())])
    );
    // Closing the database calls the destroy notify, which frees the state: the stream ends.
    drop(db);
    let lengths = block_on(compared.collect::<Vec<usize>>());
    assert!(!lengths.is_empty());
    assert!(lengths.iter().all(|&len| (1..=3).contains(&len)));
}

#[cfg(target_os = "linux")]
#[test]
fn pthread_create_from_an_extern_block() {
    let mut thread = 0;
    // SAFETY: valid out-pointer, default attributes; glibc calls the start routine once.
    let (rc, id) = unsafe { pthread_create_async(&raw mut thread, ptr::null()) };
    assert_eq!(rc, 0);
    // SAFETY: a thread just created and not yet joined or detached.
    assert_eq!(unsafe { libc::pthread_detach(thread) }, 0);
    assert_ne!(block_on(id), thread::current().id());
}

/// A C-style API written in Rust: calls `callback(user_data, code)` at once.
#[callback_async(callback: |_, code: c_int| {
    assert_ne!(code, 13, "unlucky code");
    _(code)
}, user_data: _)]
extern "C" fn call_now(
    code: c_int,
    callback: extern "C" fn(*mut c_void, c_int),
    user_data: *mut c_void,
) {
    callback(user_data, code);
}

#[test]
fn a_panic_in_the_callback_reaches_the_awaiting_side() {
    // SAFETY: `call_now` calls the callback once, at once.
    assert_eq!(block_on(unsafe { call_now_async(7) }), 7);
    // SAFETY: as above.
    let promise = unsafe { call_now_async(13) };
    let panic = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| block_on(promise)))
        .expect_err("the callback panicked");
    assert_eq!(
        panic.downcast_ref::<String>().map(String::as_str),
        Some("assertion `left != right` failed: unlucky code\n  left: 13\n right: 13")
    );
}

/// A binding's trait: its async version is a provided method.
#[callback_async]
trait Device {
    /// Reports `callback(user_data, level)` once.
    ///
    /// # Safety
    ///
    /// `callback` must be safe to call with `user_data`.
    #[callback_async(callback: |_, level: c_int| _(level), user_data: _)]
    unsafe fn read_level(
        &self,
        callback: extern "C" fn(*mut c_void, c_int),
        user_data: *mut c_void,
    );
}

struct Sensor(c_int);

impl Device for Sensor {
    unsafe fn read_level(
        &self,
        callback: extern "C" fn(*mut c_void, c_int),
        user_data: *mut c_void,
    ) {
        let (level, user_data) = (self.0, user_data as usize);
        // C libraries call back from threads of their own.
        thread::spawn(move || callback(user_data as *mut c_void, level));
    }
}

#[test]
fn a_trait_method_from_another_thread() {
    // SAFETY: `read_level` calls the callback once.
    let level: Promise<c_int> = unsafe { Sensor(42).read_level_async() };
    assert_eq!(block_on(level), 42);
}

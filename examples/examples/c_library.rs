//! Awaits C libraries: SQLite (bundled by `libsqlite3-sys`), through `promisify!(unsafe { .. })`,
//! and glibc, through `#[callback_async]` on the declaration of `pthread_create`.
//!
//! `cargo run --example c_library` prints the rows of a query, streamed from `sqlite3_exec`'s
//! callback, the changes reported by `sqlite3_update_hook` while other code writes, and (on
//! Linux) a value computed on a thread that glibc's `pthread_create` started.

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use callback_async::promisify;
use futures::StreamExt;
use futures::executor::block_on;
use libsqlite3_sys as sql;

/// Copies SQLite's `n` C strings, valid only during the callback, into owned strings.
///
/// # Safety
///
/// `values` points to `n` pointers, each null or a NUL-terminated string.
unsafe fn strings(n: c_int, values: *mut *mut c_char) -> Vec<String> {
    (0..usize::try_from(n).unwrap_or(0))
        .map(|i| {
            // SAFETY: forwarded to the caller.
            let value = unsafe { *values.add(i) };
            if value.is_null() {
                "NULL".to_owned()
            } else {
                // SAFETY: a non-null value is a NUL-terminated string.
                unsafe { CStr::from_ptr(value) }
                    .to_string_lossy()
                    .into_owned()
            }
        })
        .collect()
}

fn exec(db: *mut sql::sqlite3, sql: &CStr) {
    // SAFETY: an open database and a valid C string; no callback.
    let rc = unsafe { sql::sqlite3_exec(db, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
    assert_eq!(rc, sql::SQLITE_OK, "{sql:?}");
}

fn main() {
    let mut db = ptr::null_mut();
    // SAFETY: a valid C string and out-pointer.
    let rc = unsafe { sql::sqlite3_open(c":memory:".as_ptr(), &raw mut db) };
    assert_eq!(rc, sql::SQLITE_OK);
    exec(
        db,
        c"CREATE TABLE lang(name TEXT, year INTEGER);
          INSERT INTO lang VALUES ('C', 1972), ('SQL', 1974), ('Rust', 2015);",
    );

    // `sqlite3_update_hook` calls back on every change until it is removed: a stream, whose state
    // the `Registration` frees once SQLite can no longer call.
    let (_previous, changes, registration) = promisify!(stream unsafe {
        sql::sqlite3_update_hook(
            db,
            Some(|_, op: c_int, _db: *const c_char, table: *const c_char, rowid: i64| {
                // SAFETY: SQLite passes the table's name, valid during the call.
                let table = unsafe { CStr::from_ptr(table) }.to_string_lossy().into_owned();
                let op = match op {
                    sql::SQLITE_INSERT => "inserted",
                    sql::SQLITE_UPDATE => "updated",
                    _ => "deleted",
                };
                _(format!("{op} row {rowid} of {table}"));
            }),
            _,
        )
    });

    // `sqlite3_exec` calls back once per row, during the call: a stream whose state is borrowed
    // (`&_`) for the call.
    let (rc, rows) = promisify!(stream unsafe {
        sql::sqlite3_exec(
            db,
            c"SELECT name, year FROM lang ORDER BY year".as_ptr(),
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

    exec(
        db,
        c"INSERT INTO lang VALUES ('Zig', 2016); UPDATE lang SET year = 1973 WHERE name = 'C';",
    );
    // SAFETY: an open database; removes the hook, after which SQLite no longer calls it.
    unsafe { sql::sqlite3_update_hook(db, None, ptr::null_mut()) };
    // SAFETY: the hook was removed just above, on this thread.
    unsafe { registration.release() };
    // SAFETY: opened above and closed once; no callback is registered any more.
    unsafe { sql::sqlite3_close(db) };

    block_on(async {
        println!("rows, streamed from sqlite3_exec's callback:");
        let mut rows = rows;
        while let Some(row) = rows.next().await {
            println!("  {}", row.join(" | "));
        }
        println!("changes, from sqlite3_update_hook:");
        let mut changes = changes;
        while let Some(change) = changes.next().await {
            println!("  {change}");
        }
    });

    #[cfg(target_os = "linux")]
    on_a_c_thread();
}

#[cfg(target_os = "linux")]
#[callback_async::callback_async]
extern "C" {
    /// glibc's declaration, with where the start routine and its argument go: the generated
    /// `pthread_create_async(thread, attr)` returns `(c_int, Promise<String>)`.
    #[callback_async(
        start: |_| -> *mut c_void {
            _(format!("{:?}", std::thread::current().id()));
            ptr::null_mut()
        },
        arg: _,
        output = String,
    )]
    fn pthread_create(
        thread: *mut libc::pthread_t,
        attr: *const libc::pthread_attr_t,
        start: extern "C" fn(*mut c_void) -> *mut c_void,
        arg: *mut c_void,
    ) -> c_int;
}

/// glibc calls the start routine once, on the thread it creates; the promise is awaited here.
#[cfg(target_os = "linux")]
fn on_a_c_thread() {
    let mut thread = 0;
    // SAFETY: a valid out-pointer and default attributes; glibc calls the start routine once.
    let (rc, name) = unsafe { pthread_create_async(&raw mut thread, ptr::null()) };
    assert_eq!(rc, 0);
    println!(
        "awaited on {:?}, computed by glibc's thread on {}",
        std::thread::current().id(),
        block_on(name)
    );
    // SAFETY: a joinable thread, joined once.
    assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);
}

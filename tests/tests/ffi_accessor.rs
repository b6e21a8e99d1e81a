//! A C callback whose user data is not one of its arguments but read through an accessor:
//! `#[user_data(sqlite3_user_data(ctx))]` on SQLite's scalar function (`sqlite3_create_function_v2`
//! of the bundled `libsqlite3-sys`), whose calls are a stream, answered through
//! `sqlite3_result_int`, and whose state SQLite's `xDestroy` frees once; with `promisify!` and
//! with `#[callback_async]` on the declaration.

use std::ffi::{c_char, c_int, c_void};
use std::ptr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use callback_async::{CallbackStream, callback_async, promisify};
use futures::StreamExt;
use libsqlite3_sys as sql;

#[path = "support/real.rs"]
mod real;
#[path = "support/sqlite.rs"]
mod sqlite_support;
use real::watchdog;
use sqlite_support::Db;

/// Counts its drops, to see the state freed once.
struct Counted(Arc<AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// Steps a one-row statement and reads its integer columns: the answers SQLite got.
fn row(db: &Db, sql: &std::ffi::CStr, columns: c_int) -> Vec<c_int> {
    let mut statement = ptr::null_mut();
    // SAFETY: an open database, a valid C string and out-pointer.
    let rc = unsafe {
        sql::sqlite3_prepare_v2(db.0, sql.as_ptr(), -1, &raw mut statement, ptr::null_mut())
    };
    assert_eq!(rc, sql::SQLITE_OK);
    // SAFETY: a prepared statement, stepped once, read while on its row, then finalized.
    unsafe {
        assert_eq!(sql::sqlite3_step(statement), sql::SQLITE_ROW);
        let values = (0..columns)
            .map(|i| sql::sqlite3_column_int(statement, i))
            .collect();
        assert_eq!(sql::sqlite3_finalize(statement), sql::SQLITE_OK);
        values
    }
}

#[test]
fn scalar_function_calls_as_a_stream() {
    watchdog(|| async {
        let drops = Arc::new(AtomicUsize::new(0));
        let counted = Counted(Arc::clone(&drops));
        let db = Db::open();
        let (rc, calls): (c_int, CallbackStream<c_int>) = promisify!(stream unsafe {
            sql::sqlite3_create_function_v2(
                db.0,
                c"twice".as_ptr(),
                1,
                sql::SQLITE_UTF8,
                _,
                Some(
                    #[user_data(sql::sqlite3_user_data(ctx))]
                    |ctx: *mut sql::sqlite3_context, _n: c_int, values: *mut *mut sql::sqlite3_value| {
                        let _ = &counted;
                        // SAFETY: SQLite passes one value (`nArg` is 1), valid during the call.
                        let n = unsafe { sql::sqlite3_value_int(*values) };
                        _(n);
                        // SAFETY: `ctx` is this call's context.
                        unsafe { sql::sqlite3_result_int(ctx, 2 * n) };
                    },
                ),
                None,
                None,
                Some(|_| drop(_)),
            )
        });
        assert_eq!(rc, sql::SQLITE_OK);
        assert_eq!(
            row(&db, c"SELECT twice(1), twice(20), twice(300)", 3),
            [2, 40, 600]
        );
        assert_eq!(row(&db, c"SELECT twice(4) + twice(5)", 1), [18]);
        assert_eq!(
            drops.load(Ordering::SeqCst),
            0,
            "freed while SQLite may call"
        );
        // Closing the database calls `xDestroy`, which frees the state and ends the stream.
        drop(db);
        assert_eq!(drops.load(Ordering::SeqCst), 1);
        let mut seen = calls.collect::<Vec<_>>().await;
        // SQLite may evaluate a row's columns in any order.
        seen[..3].sort_unstable();
        assert_eq!(seen, [1, 20, 300, 4, 5]);
    });
}

#[callback_async]
unsafe extern "C" {
    /// SQLite's scalar function registration, its calls as a stream.
    #[callback_async(
        stream,
        x_func: Some(
            #[user_data(sql::sqlite3_user_data(ctx))]
            |ctx: *mut sql::sqlite3_context, _: c_int, values: *mut *mut sql::sqlite3_value| {
                // SAFETY: SQLite passes one value (`nArg` is 1), valid during the call.
                let n = unsafe { sql::sqlite3_value_int(*values) };
                _(n);
                // SAFETY: `ctx` is this call's context.
                unsafe { sql::sqlite3_result_int(ctx, n + 1) };
            },
        ),
        p_app: _,
        x_destroy: Some(|_| drop(_)),
        output = c_int,
    )]
    fn sqlite3_create_function_v2(
        db: *mut sql::sqlite3,
        function_name: *const c_char,
        n_arg: c_int,
        e_text_rep: c_int,
        p_app: *mut c_void,
        x_func: Option<
            unsafe extern "C" fn(*mut sql::sqlite3_context, c_int, *mut *mut sql::sqlite3_value),
        >,
        x_step: Option<
            unsafe extern "C" fn(*mut sql::sqlite3_context, c_int, *mut *mut sql::sqlite3_value),
        >,
        x_final: Option<unsafe extern "C" fn(*mut sql::sqlite3_context)>,
        x_destroy: Option<unsafe extern "C" fn(*mut c_void)>,
    ) -> c_int;
}

#[test]
fn scalar_function_declared_with_its_accessor() {
    watchdog(|| async {
        let db = Db::open();
        // SAFETY: an open database; SQLite calls the function only until it frees it with
        // `xDestroy`.
        let (rc, calls) = unsafe {
            sqlite3_create_function_v2_stream(
                db.0,
                c"next".as_ptr(),
                1,
                sql::SQLITE_UTF8,
                None,
                None,
            )
        };
        assert_eq!(rc, sql::SQLITE_OK);
        assert_eq!(row(&db, c"SELECT next(41)", 1), [42]);
        drop(db);
        assert_eq!(calls.collect::<Vec<_>>().await, [41]);
    });
}

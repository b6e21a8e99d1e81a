//! The expansions of `promisify!(unsafe { .. })` compile warning-free under the strictest lints a
//! user may set (clippy runs on this file in CI): every form, on real C functions.
#![cfg(target_os = "linux")]
#![deny(
    warnings,
    missing_docs,
    clippy::pedantic,
    rust_2018_idioms,
    unused_qualifications,
    unsafe_op_in_unsafe_fn
)]

use std::ffi::{CStr, c_char, c_int, c_void};
use std::ptr;

use callback_async::ffi::Registration;
use callback_async::promisify;
use callback_async::{CallbackStream, Promise};
use libsqlite3_sys as sql;

/// `_`, called once, on another thread.
fn once(thread: &mut libc::pthread_t) -> (c_int, Promise<u64>) {
    promisify!(unsafe {
        libc::pthread_create(
            thread,
            ptr::null(),
            |_| -> *mut c_void {
                _(7);
                ptr::null_mut()
            },
            _,
        )
    })
}

/// `&_` and `_` bodies.
fn scoped(db: *mut sql::sqlite3) -> (c_int, CallbackStream<c_int>) {
    promisify!(stream unsafe {
        sql::sqlite3_exec(
            db,
            c"SELECT 1".as_ptr(),
            Some(|_, n: c_int, _: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                _(n);
                0
            }),
            &_,
            ptr::null_mut(),
        )
    })
}

/// A destroy notify.
fn destroy(db: *mut sql::sqlite3) -> (c_int, Promise<(c_int, c_int)>) {
    promisify!(unsafe {
        sql::sqlite3_create_collation_v2(
            db,
            c"lints".as_ptr(),
            sql::SQLITE_UTF8,
            _,
            Some(
                |_, n1: c_int, _: *const c_void, n2: c_int, _: *const c_void| -> c_int {
                    _(n1, n2);
                    0
                },
            ),
            Some(|_| drop(_)),
        )
    })
}

/// The changes an update hook reports, until released.
/// A registration, and a body that is `_`: one flat tuple.
fn handle(db: *mut sql::sqlite3) -> (*mut c_void, CallbackStream<(c_int, i64)>, Registration) {
    promisify!(stream unsafe {
        sql::sqlite3_update_hook(
            db,
            Some(|_, op: c_int, _: *const c_char, _: *const c_char, rowid: i64| _),
            _,
        )
    })
}

/// Two user-data pointers, each handed back to its own callback (the commit and rollback hooks),
/// released together; `true` for a commit.
fn paired(db: *mut sql::sqlite3) -> (CallbackStream<bool>, Registration) {
    promisify!(stream unsafe {
        sql::sqlite3_commit_hook(db, Some(|_| -> c_int { _(true); 0 }), _);
        sql::sqlite3_rollback_hook(db, Some(|_| _(false)), _);
    })
}

/// A scalar function whose user data is read through `sqlite3_user_data(ctx)`.
fn accessor(db: *mut sql::sqlite3) -> (c_int, CallbackStream<c_int>) {
    promisify!(stream unsafe {
        sql::sqlite3_create_function_v2(
            db,
            c"lints".as_ptr(),
            1,
            sql::SQLITE_UTF8,
            _,
            Some(
                #[user_data(sql::sqlite3_user_data(ctx))]
                |ctx: *mut sql::sqlite3_context, _: c_int, values: *mut *mut sql::sqlite3_value| {
                    // SAFETY: one argument, valid during the call.
                    let n = unsafe { sql::sqlite3_value_int(*values) };
                    _(n);
                    // SAFETY: this call's context.
                    unsafe { sql::sqlite3_result_int(ctx, n) };
                },
            ),
            None,
            None,
            Some(|_| drop(_)),
        )
    })
}

/// The same, with a context that only the accessor reads: the result stays SQL's NULL.
fn accessor_only(db: *mut sql::sqlite3) -> (c_int, CallbackStream<c_int>) {
    promisify!(stream unsafe {
        sql::sqlite3_create_function_v2(
            db,
            c"silent".as_ptr(),
            1,
            sql::SQLITE_UTF8,
            _,
            Some(
                #[user_data(sql::sqlite3_user_data(ctx))]
                |ctx: *mut sql::sqlite3_context, _: c_int, values: *mut *mut sql::sqlite3_value| {
                    // SAFETY: one argument, valid during the call.
                    _(unsafe { sql::sqlite3_value_int(*values) });
                },
            ),
            None,
            None,
            Some(|_| drop(_)),
        )
    })
}

/// Removes the scalar function `name`, which calls its destroy notify.
fn remove_function(db: *mut sql::sqlite3, name: &CStr) {
    // SAFETY: an open database; a function without callbacks replaces (removes) the old one.
    let rc = unsafe {
        sql::sqlite3_create_function_v2(
            db,
            name.as_ptr(),
            1,
            sql::SQLITE_UTF8,
            ptr::null_mut(),
            None,
            None,
            None,
            None,
        )
    };
    assert_eq!(rc, 0);
}

/// glibc's `struct sigevent` with its `SIGEV_THREAD` members.
#[repr(C)]
struct SigEventThread {
    value: libc::sigval,
    signo: c_int,
    notify: c_int,
    function: Option<extern "C" fn(libc::sigval)>,
    attributes: *mut libc::pthread_attr_t,
    pad: [u8; 64 - 3 * size_of::<usize>() - 8],
}

/// A user-data pointer carried in a union field.
fn carrier(timer: &mut libc::timer_t) -> (c_int, Promise<()>) {
    promisify!(unsafe {
        let mut event = SigEventThread {
            value: libc::sigval { sival_ptr: _ },
            signo: 0,
            notify: libc::SIGEV_THREAD,
            function: Some(|libc::sigval { sival_ptr: _ }| _()),
            attributes: ptr::null_mut(),
            pad: [0; 64 - 3 * size_of::<usize>() - 8],
        };
        libc::timer_create(libc::CLOCK_MONOTONIC, (&raw mut event).cast(), timer)
    })
}

/// A C API written in Rust: calls `start(data, n)`, then `end(data, n)`, while it runs.
///
/// # Safety
///
/// Both handlers accept `data`.
unsafe extern "C" fn walk(
    start: extern "C" fn(*mut c_void, c_int),
    end: extern "C" fn(*mut c_void, c_int),
    data: *mut c_void,
    n: c_int,
) {
    start(data, n);
    end(data, n);
}

/// Several C callbacks behind one user data: lent, and registered.
fn several() -> (CallbackStream<c_int>, CallbackStream<c_int>, Registration) {
    let lent = promisify!(stream unsafe { walk(|_, n: c_int| _(n), |_, n: c_int| _(-n), &_, 1); });
    let (registered, registration) = promisify!(stream unsafe {
        walk(|_, n: c_int| _(n), |_, n: c_int| _(-n), _, 2);
    });
    (lent, registered, registration)
}

#[test]
fn lint_clean_several_c_callbacks() {
    let (lent, registered, registration) = several();
    // SAFETY: `walk` returned: nothing calls the handlers any more.
    unsafe { registration.release() };
    futures::executor::block_on(async {
        assert_eq!(futures::StreamExt::collect::<Vec<_>>(lent).await, [1, -1]);
        assert_eq!(
            futures::StreamExt::collect::<Vec<_>>(registered).await,
            [2, -2]
        );
    });
}

#[test]
fn lint_clean_c_expansions_still_work() {
    let mut db = ptr::null_mut();
    // SAFETY: a valid C string and out-pointer.
    assert_eq!(
        unsafe { sql::sqlite3_open(c":memory:".as_ptr(), &raw mut db) },
        sql::SQLITE_OK
    );
    let exec = |sql: &CStr| {
        // SAFETY: an open database, a valid C string.
        let rc =
            unsafe { sql::sqlite3_exec(db, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut()) };
        assert_eq!(rc, sql::SQLITE_OK);
    };
    futures::executor::block_on(async {
        let mut timer = ptr::null_mut();
        let (rc, fired) = carrier(&mut timer);
        assert_eq!(rc, 0);
        let soon = libc::itimerspec {
            it_interval: libc::timespec {
                tv_sec: 0,
                tv_nsec: 0,
            },
            it_value: libc::timespec {
                tv_sec: 0,
                tv_nsec: 1_000,
            },
        };
        // SAFETY: a timer created above.
        assert_eq!(
            unsafe { libc::timer_settime(timer, 0, &raw const soon, ptr::null_mut()) },
            0
        );
        fired.await;
        // SAFETY: created above, deleted once.
        assert_eq!(unsafe { libc::timer_delete(timer) }, 0);

        let mut thread = 0;
        let (rc, seven) = once(&mut thread);
        assert_eq!((rc, seven.await), (0, 7));
        // SAFETY: joinable, joined once.
        assert_eq!(unsafe { libc::pthread_join(thread, ptr::null_mut()) }, 0);

        let (rc, rows) = scoped(db);
        assert_eq!(rc, 0);
        assert_eq!(futures::StreamExt::collect::<Vec<_>>(rows).await, [1]);

        let (rc, compared) = destroy(db);
        assert_eq!(rc, 0);
        exec(c"CREATE TABLE t(s TEXT); INSERT INTO t VALUES ('a'), ('bb')");
        exec(c"SELECT s FROM t ORDER BY s COLLATE lints");
        let (n1, n2) = compared.await;
        assert!(n1 > 0 && n2 > 0);

        let (_, changes, registration) = handle(db);
        exec(c"INSERT INTO t VALUES ('c')");
        // SAFETY: an open database; removes the hook.
        unsafe { sql::sqlite3_update_hook(db, None, ptr::null_mut()) };
        // SAFETY: the hook was removed above.
        unsafe { registration.release() };
        let changes = futures::StreamExt::collect::<Vec<_>>(changes).await;
        assert_eq!(changes, [(sql::SQLITE_INSERT, 3)]);

        let (ended, registration) = paired(db);
        exec(c"BEGIN; INSERT INTO t VALUES ('d'); ROLLBACK");
        // SAFETY: an open database; removes both hooks.
        unsafe {
            sql::sqlite3_commit_hook(db, None, ptr::null_mut());
            sql::sqlite3_rollback_hook(db, None, ptr::null_mut());
        }
        // SAFETY: both hooks were removed above.
        unsafe { registration.release() };
        assert_eq!(futures::StreamExt::collect::<Vec<_>>(ended).await, [false]);

        let (rc, calls) = accessor(db);
        assert_eq!(rc, 0);
        exec(c"SELECT lints(5)");
        remove_function(db, c"lints");
        assert_eq!(futures::StreamExt::collect::<Vec<_>>(calls).await, [5]);

        let (rc, calls) = accessor_only(db);
        assert_eq!(rc, 0);
        exec(c"SELECT silent(6)");
        remove_function(db, c"silent");
        assert_eq!(futures::StreamExt::collect::<Vec<_>>(calls).await, [6]);
    });
    // SAFETY: opened above, closed once.
    unsafe { sql::sqlite3_close(db) };
}

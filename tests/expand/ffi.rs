fn once(thread: &mut libc::pthread_t) -> (c_int, Promise<ThreadId>) {
    promisify!(unsafe {
        libc::pthread_create(
            thread,
            ptr::null(),
            |_| -> *mut c_void {
                _(thread::current().id());
                ptr::null_mut()
            },
            _,
        )
    })
}

fn scoped_stream(db: *mut sqlite3) -> (c_int, CallbackStream<Vec<Option<String>>>) {
    promisify!(stream unsafe {
        sqlite3_exec(
            db,
            sql.as_ptr(),
            Some(|_, n: c_int, values: *mut *mut c_char, _: *mut *mut c_char| -> c_int {
                _(unsafe { strings(n, values) });
                0
            }),
            &_,
            ptr::null_mut(),
        )
    })
}

fn destroy_notify(db: *mut sqlite3) -> (c_int, CallbackStream<(String, String)>) {
    promisify!(stream unsafe {
        sqlite3_create_collation_v2(
            db,
            c"rust".as_ptr(),
            SQLITE_UTF8,
            _,
            Some(|_, n1: c_int, s1: *const c_void, n2: c_int, s2: *const c_void| -> c_int {
                _(text(s1, n1), text(s2, n2));
                0
            }),
            Some(|_| drop(_)),
        )
    })
}

fn registration(db: *mut sqlite3) -> (*mut c_void, CallbackStream<(c_int, i64)>, Registration) {
    promisify!(stream unsafe {
        sqlite3_update_hook(db, Some(|_, op: c_int, _: *const c_char, _: *const c_char, rowid: i64| _), _)
    })
}

fn carrier(timer: &mut libc::timer_t) -> (c_int, Promise<()>) {
    promisify!(unsafe {
        let mut event = SigEvent::thread(libc::sigval { sival_ptr: _ }, |libc::sigval { sival_ptr: _ }| _());
        libc::timer_create(libc::CLOCK_MONOTONIC, (&raw mut event).cast(), timer)
    })
}

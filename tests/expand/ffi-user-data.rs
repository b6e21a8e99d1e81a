fn accessor(db: *mut sqlite3) -> (c_int, CallbackStream<c_int>) {
    promisify!(stream unsafe {
        sqlite3_create_function_v2(
            db,
            c"twice".as_ptr(),
            1,
            SQLITE_UTF8,
            _,
            Some(
                #[user_data(sqlite3_user_data(ctx))]
                |ctx: *mut sqlite3_context, _: c_int, values: *mut *mut sqlite3_value| {
                    let n = unsafe { sqlite3_value_int(*values) };
                    _(n);
                    unsafe { sqlite3_result_int(ctx, 2 * n) };
                },
            ),
            None,
            None,
            Some(|_| drop(_)),
        )
    })
}

fn paired(db: *mut sqlite3) -> (CallbackStream<bool>, Registration) {
    promisify!(stream unsafe {
        sqlite3_commit_hook(db, Some(|_| -> c_int { _(true); 0 }), _);
        sqlite3_rollback_hook(db, Some(|_| _(false)), _);
    })
}

fn ignored(pool: &Pool) -> Promise<u8> {
    promisify!(pool.pair(|n: u8, _: &str| _))
}

#[callback_async(
    stream,
    on_a: Some(|_, n: c_int| _(n)),
    a: _,
    on_b: Some(|_, n: c_int| _(n)),
    b: _,
)]
unsafe fn watch_two(on_a: Option<Callback>, a: *mut c_void, on_b: Option<Callback>, b: *mut c_void) {
    register(on_a, a, on_b, b)
}

/// Counts from 1 to `n` on a thread of its own.
#[callback_async(stream(bound = 64))]
fn count_to(n: u32, mut each: impl FnMut(u32) + Send + 'static) {
    thread::spawn(move || (1..=n).for_each(&mut each));
}

#[callback_async(stream(bound = CAPACITY, overflow = drop_newest))]
fn samples(mut each: impl FnMut(f32)) {
    sample_now(&mut each);
}

#[callback_async(stream(overflow = block, bound = 8))]
fn lines(each: impl Fn(&str) + Send + Sync + 'static) -> Job {
    start_reading(each)
}

fn bounded_promisify() -> CallbackStream<u32> {
    promisify!(stream(bound = 64, overflow = block) timer.every(Duration::from_secs(1), _))
}

fn bounded_promisify_default_policy(n: usize) -> CallbackStream<(u8, String)> {
    promisify!(stream(bound = n * 2) legacy::pairs(|a, b| _))
}

fn bounded_progress() -> (CallbackStream<(i64, i64)>, Promise<Result<bool, Error>>) {
    promisify!(file.copy_async(dest, stream(|current: i64, total: i64| _, bound = 16, overflow = drop_newest), |result| _(result)))
}

fn bounded_c_stream(db: *mut sqlite3) -> (*mut c_void, CallbackStream<(c_int, i64)>, Registration) {
    promisify!(stream(bound = 8, overflow = drop_newest) unsafe {
        sqlite3_update_hook(db, Some(|_, op: c_int, _: *const c_char, _: *const c_char, rowid: i64| _), _)
    })
}

#[callback_async]
unsafe extern "C" {
    /// Runs `sql`, calling back once per row.
    #[callback_async(callback: Some(|_, n: c_int, rowid: i64| _(n, rowid)), arg: &_, stream(bound = 16))]
    pub fn exec(db: *mut sqlite3, callback: Option<unsafe extern "C" fn(*mut c_void, c_int, i64) -> ()>, arg: *mut c_void) -> c_int;
}

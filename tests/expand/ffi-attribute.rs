#[callback_async]
unsafe extern "C" {
    #[callback_async(callback: Some(|_, n: c_int, rowid: i64| _(n, rowid)), arg: &_, stream)]
    pub fn exec(db: *mut sqlite3, callback: Option<unsafe extern "C" fn(*mut c_void, c_int, i64) -> ()>, arg: *mut c_void) -> c_int;

    #[callback_async(start: |_| -> *mut c_void { _(thread::current().id()); ptr::null_mut() }, arg: _, output = ThreadId)]
    fn pthread_create(thread: *mut pthread_t, attr: *const c_void, start: extern "C" fn(*mut c_void) -> *mut c_void, arg: *mut c_void) -> c_int;
}

#[callback_async]
impl Timer {
    #[callback_async(on_fire: Some(|_| _()), data: _, notify: Some(|_| drop(_)))]
    unsafe fn schedule(&self, ms: u32, on_fire: Option<unsafe extern "C" fn(*mut c_void)>, data: *mut c_void, notify: Option<unsafe extern "C" fn(*mut c_void)>) {
        unsafe { timer_schedule(self.0, ms, on_fire, data, notify) }
    }
}

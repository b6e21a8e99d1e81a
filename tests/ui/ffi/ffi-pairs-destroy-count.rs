use std::ffi::{c_int, c_void};

type Callback = Option<unsafe extern "C" fn(*mut c_void, c_int)>;
type Free = Option<unsafe extern "C" fn(*mut c_void)>;

unsafe extern "C" fn register(a: Callback, a_data: *mut c_void, free: Free, b: Callback, b_data: *mut c_void) {
    let _ = (a, a_data, free, b, b_data);
}

fn main() {
    let _ = callback_async::promisify!(stream unsafe {
        register(Some(|_, n: c_int| _(n)), _, Some(|_| drop(_)), Some(|_, n: c_int| _(n)), _)
    });
}

use std::ffi::{c_int, c_void};

type Callback = Option<unsafe extern "C" fn(*mut c_void, c_int)>;

unsafe extern "C" fn register(a: Callback, a_data: *mut c_void, b: Callback, b_data: *mut c_void, c: Callback) {
    let _ = (a, a_data, b, b_data, c);
}

fn main() {
    let _ = callback_async::promisify!(stream unsafe {
        register(Some(|_, n: c_int| _(n)), _, Some(|_, n: c_int| _(n)), _, Some(|_, n: c_int| _(n)))
    });
}

use std::ffi::{c_int, c_void};

unsafe extern "C" fn register(
    callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>,
    data: *mut c_void,
    destroy: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    let _ = (callback, data, destroy);
}

fn main() {
    let _ = callback_async::promisify!(stream unsafe {
        register(Some(|_, code: c_int| _(code)), &_, Some(|_| drop(_)))
    });
}

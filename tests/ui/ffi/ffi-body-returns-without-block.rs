use std::ffi::{c_int, c_void};

unsafe extern "C" fn register(callback: Option<unsafe extern "C" fn(*mut c_void, c_int) -> c_int>, data: *mut c_void) {
    let _ = (callback, data);
}

fn main() {
    let _ = callback_async::promisify!(unsafe { register(Some(|_, code: c_int| -> c_int { _ }), _) });
}

use std::ffi::{c_int, c_void};

fn register(callback: Option<extern "C" fn(*mut c_void, c_int)>, data: *mut c_void) {
    let _ = (callback, data);
}

fn main() {
    let _ = callback_async::promisify!({ register(Some(|_, code: c_int| _(code)), _) });
}

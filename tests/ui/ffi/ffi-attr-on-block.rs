use std::ffi::{c_int, c_void};

#[callback_async::callback_async(data: _, output = c_int)]
unsafe extern "C" {
    fn register(callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>, data: *mut c_void);
}

fn main() {}

use std::ffi::{c_int, c_void};

unsafe extern "C" {
    #[callback_async::callback_async(callback: Some(|_, code: c_int| _(code)), data: _)]
    fn register(callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>, data: *mut c_void);
}

fn main() {}

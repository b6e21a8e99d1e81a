use std::ffi::{c_int, c_void};
use std::rc::Rc;

unsafe extern "C" fn register(callback: Option<unsafe extern "C" fn(*mut c_void, c_int)>, data: *mut c_void) {
    let _ = (callback, data);
}

fn main() {
    // C may call back on another thread: the value must be `Send`.
    let _ = callback_async::promisify!(unsafe { register(Some(|_, code: c_int| _(Rc::new(code))), _) });
}

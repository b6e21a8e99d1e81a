use std::ffi::{CStr, c_char, c_void};

unsafe extern "C" fn register(callback: Option<unsafe extern "C" fn(*mut c_void, *const c_char)>, data: *mut c_void) {
    let _ = (callback, data);
}

fn main() {
    // The body runs later, in the trampoline, outside the block's `unsafe`.
    let _ = callback_async::promisify!(unsafe {
        register(Some(|_, name: *const c_char| _(CStr::from_ptr(name).to_owned())), _)
    });
}

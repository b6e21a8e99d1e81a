use std::ffi::c_void;

unsafe extern "C" fn register(data: *mut c_void) {
    let _ = data;
}

fn main() {
    // A Rust callback API that is unsafe to call, or a forgotten `_(..)`: no C callback here.
    let _ = callback_async::promisify!(unsafe { register(_) });
}

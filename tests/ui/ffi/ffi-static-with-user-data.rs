use std::ffi::{c_int, c_void};

use callback_async::promisify;

unsafe extern "C" {
    fn subscribe(callback: extern "C" fn(*mut c_void, c_int), user_data: *mut c_void);
}

fn main() {
    let _ = promisify!(stream unsafe { subscribe(static |_, n: c_int| _(n), _) });
}

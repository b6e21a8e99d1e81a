use std::ffi::c_int;

use callback_async::promisify;

unsafe extern "C" {
    fn on_both(start: extern "C" fn(c_int), end: extern "C" fn(c_int));
}

fn main() {
    let _ = promisify!(stream unsafe { on_both(static |n: c_int| _(n), static |n: c_int| _(n)) });
}

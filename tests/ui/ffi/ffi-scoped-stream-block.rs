use std::ffi::{c_int, c_void};

unsafe extern "C" fn each_row(callback: extern "C" fn(*mut c_void, c_int), data: *mut c_void) {
    for row in 0..8 {
        callback(data, row);
    }
}

fn main() {
    let _ = callback_async::promisify!(stream(bound = 4, overflow = block) unsafe {
        each_row(|_, row: c_int| _(row), &_)
    });
}

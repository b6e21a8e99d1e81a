// Several C callbacks feed one stream, so they hand over values of one type: here a `c_int` and a
// `bool`. The error is rustc's, at the second `_(..)`, and names no generated local.
use std::ffi::{c_int, c_void};

unsafe extern "C" fn handlers(
    start: extern "C" fn(*mut c_void, c_int),
    end: extern "C" fn(*mut c_void, c_int),
    data: *mut c_void,
) {
    let _ = (start, end, data);
}

fn main() {
    let _ = callback_async::promisify!(stream unsafe {
        handlers(|_, n: c_int| _(n), |_, n: c_int| _(n != 0), &_)
    });
}

// Every one of several C callbacks is a plain closure: C cannot await.
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
        handlers(|_, n: c_int| _(n), async |_, n: c_int| _(n), &_)
    });
}

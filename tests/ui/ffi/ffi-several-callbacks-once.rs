// Several C callbacks behind one given `_` in a future, without a destroy notify: no call of one
// can free the state, since another may come after it.
use std::ffi::{c_int, c_void};

unsafe extern "C" fn handlers(
    start: extern "C" fn(*mut c_void, c_int),
    end: extern "C" fn(*mut c_void, c_int),
    data: *mut c_void,
) {
    let _ = (start, end, data);
}

fn main() {
    let _ = callback_async::promisify!(unsafe {
        handlers(|_, n: c_int| _(n), |_, n: c_int| _(n), _)
    });
}

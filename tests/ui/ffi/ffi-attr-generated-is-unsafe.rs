use std::ffi::{c_int, c_void};

/// A wrapper that is safe to call: the generated function is `unsafe` all the same, because the
/// caller vouches for how often C calls back.
#[callback_async::callback_async(callback: |_, code: c_int| _(code), data: _)]
fn register(callback: extern "C" fn(*mut c_void, c_int), data: *mut c_void) {
    callback(data, 7);
}

fn main() {
    let _ = register_async();
}

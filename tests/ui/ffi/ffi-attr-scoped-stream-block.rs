use std::ffi::{c_int, c_void};

#[callback_async::callback_async]
unsafe extern "C" {
    #[callback_async(callback: |_, row: c_int| _(row), data: &_, stream(bound = 4, overflow = block))]
    fn each_row(callback: extern "C" fn(*mut c_void, c_int), data: *mut c_void);
}

fn main() {}

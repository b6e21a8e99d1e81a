use std::ffi::{c_int, c_void};

#[allow(non_camel_case_types)]
pub struct context;

unsafe extern "C" fn user_data(ctx: *mut context) -> *mut c_void {
    ctx.cast()
}

unsafe extern "C" fn register(
    f: Option<unsafe extern "C" fn(*mut context, c_int)>,
    data: *mut c_void,
    free: Option<unsafe extern "C" fn(*mut c_void)>,
) {
    let _ = (f, data, free);
}

fn main() {
    let _ = callback_async::promisify!(stream unsafe {
        register(
            Some(#[user_data(user_data(ctx))] |ctx: *mut context, n: c_int| _(n)),
            _,
            Some(#[user_data(user_data(ctx))] |_| drop(_)),
        )
    });
}

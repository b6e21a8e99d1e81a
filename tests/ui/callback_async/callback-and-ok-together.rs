use callback_async::callback_async;

#[callback_async(callback = on_ok, ok = on_ok, err = on_error)]
fn connect(on_ok: impl FnOnce(u8), on_error: impl FnOnce(String)) {
    let _ = (on_ok, on_error);
}

fn main() {
    connect(|_| {}, |_| {});
}

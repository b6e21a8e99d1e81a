use callback_async::callback_async;

#[callback_async(ok = done, err = done)]
fn connect(done: impl FnOnce(u8), on_error: impl FnOnce(String)) {
    let _ = (done, on_error);
}

fn main() {
    connect(|_| {}, |_| {});
}

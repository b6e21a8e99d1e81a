use callback_async::promisify;

fn fallible(on_ok: impl FnOnce(u8), on_err: impl FnOnce(String)) {
    on_ok(1);
    drop(on_err);
}

fn main() {
    let _ = promisify!(fallible(|_| {}, Err(_)));
}

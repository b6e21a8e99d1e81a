use callback_async::promisify;

fn copy(progress: impl FnMut(u64), ok: impl FnOnce(u64), err: impl FnOnce(String)) {
    let _ = (progress, ok, err);
}

fn main() {
    let _ = promisify!(copy(stream(_), Ok(_), Err(_)));
}

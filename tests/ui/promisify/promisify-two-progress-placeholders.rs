use callback_async::promisify;

fn copy(progress: impl FnMut(u64), bytes: impl FnMut(u64), done: impl FnOnce(bool)) {
    let _ = (progress, bytes, done);
}

fn main() {
    let _ = promisify!(copy(stream(_), stream(_), _));
}

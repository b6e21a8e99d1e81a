use callback_async::promisify;

fn copy(progress: impl FnMut(u64), done: impl FnOnce(bool)) {
    let _ = (progress, done);
}

fn main() {
    let _ = promisify!(stream copy(stream(_), _));
}

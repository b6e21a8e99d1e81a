use callback_async::promisify;

fn copy(progress: impl FnMut(u64), done: impl FnOnce(bool)) {
    let _ = (progress, done);
}

fn main() {
    let _ = promisify!(copy(stream(_, bound = 0, overflow = fastest), _));
}

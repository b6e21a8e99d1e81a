use callback_async::promisify;

fn once(done: impl FnOnce(u8)) {
    done(1);
}

fn g(_: impl FnOnce(u8)) {}

fn main() {
    let _ = promisify!(once(|x| g(_)));
}

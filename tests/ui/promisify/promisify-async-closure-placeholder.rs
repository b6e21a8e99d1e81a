use callback_async::promisify;

fn once(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    let _ = promisify!(once(async |x| _));
}

use callback_async::promisify;

fn once(n: u32, done: impl FnOnce(u32)) {
    done(n);
}

fn main() {
    let _ = promisify!(once(1, |n| drop(n)));
}

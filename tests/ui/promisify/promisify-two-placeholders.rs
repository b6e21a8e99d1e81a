use callback_async::promisify;

fn both(first: impl FnOnce(u8), second: impl FnOnce(u8)) {
    first(1);
    second(2);
}

fn main() {
    let _ = promisify!(both(_, _));
}

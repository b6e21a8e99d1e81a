use callback_async::promisify;

fn twice(first: impl FnOnce(u8) -> bool, second: impl FnOnce(u8)) {
    let _ = first(1);
    second(2);
}

fn main() {
    let _ = promisify!(twice(|n| { _(n); true }, _));
}

use callback_async::promisify;

fn three(a: impl FnOnce(u8), b: impl FnOnce(u8), c: impl FnOnce(u8)) {
    a(1);
    b(2);
    c(3);
}

fn main() {
    let _ = promisify!(three(_, _, _));
}

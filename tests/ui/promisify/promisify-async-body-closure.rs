use callback_async::promisify;

fn answer(ask: impl FnOnce(u8)) {
    ask(1);
}

fn main() {
    let _ = promisify!(answer(async |n| _(n)));
}

use callback_async::promisify;

fn each(callback: fn(u32)) {
    callback(1);
}

fn main() {
    let _ = promisify!(stream each(static |n| _(n)));
}

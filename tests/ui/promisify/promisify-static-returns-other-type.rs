use callback_async::promisify;

fn each(callback: fn(u32) -> String) {
    let _ = callback(1);
}

fn main() {
    let _ = promisify!(stream each(static |n: u32| -> String { _(n); String::new() }));
}

use callback_async::promisify;

fn each(callback: impl Fn(fn(u32)) + Send + Sync + 'static) {
    callback(|_| {});
}

fn main() {
    let _ = promisify!(stream each(|register: fn(fn(u32))| {
        register(static |n: u32| _(n));
    }));
}

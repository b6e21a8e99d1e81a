use callback_async::promisify;

fn run(progress: fn(u32), done: impl FnOnce(bool) + Send + 'static) {
    progress(1);
    done(true);
}

fn main() {
    let _ = promisify!(stream run(static |n: u32| _(n), _));
}

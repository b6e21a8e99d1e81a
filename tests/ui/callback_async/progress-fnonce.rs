use callback_async::callback_async;

#[callback_async(callback = done, progress = on_progress)]
fn copy(on_progress: impl FnOnce(u64) + Send + 'static, done: impl FnOnce(bool) + Send + 'static) {
    on_progress(1);
    done(true);
}

fn main() {}

use callback_async::callback_async;

#[callback_async(stream, callback = done, progress = on_progress)]
fn copy(on_progress: impl FnMut(u64) + Send + 'static, done: impl FnOnce(bool) + Send + 'static) {
    let _ = (on_progress, done);
}

fn main() {}

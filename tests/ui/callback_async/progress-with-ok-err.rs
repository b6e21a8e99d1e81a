use callback_async::callback_async;

#[callback_async(ok = done, err = failed, progress = on_progress)]
fn copy(
    on_progress: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(u64) + Send + 'static,
    failed: impl FnOnce(String) + Send + 'static,
) {
    let _ = (on_progress, done, failed);
}

fn main() {}

use callback_async::callback_async;

#[callback_async(progress = on_progress)]
fn watch(on_progress: impl FnMut(u64) + Send + 'static) {
    let _ = on_progress;
}

fn main() {}

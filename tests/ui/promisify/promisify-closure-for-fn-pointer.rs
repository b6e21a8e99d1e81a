use callback_async::promisify;

// rusqlite's `Backup::run_to_completion` takes `Option<fn(Progress)>`: a plain `fn`, which a
// closure that owns its stream cannot be.
fn each(callback: fn(u32)) {
    callback(1);
}

fn main() {
    let _ = promisify!(stream each(|n: u32| _(n)));
}

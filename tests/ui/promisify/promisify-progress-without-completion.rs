use callback_async::promisify;

fn watch(progress: impl FnMut(u64)) {
    let _ = progress;
}

fn main() {
    let _ = promisify!(watch(stream(|n: u64| _)));
}

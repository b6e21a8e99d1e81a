use callback_async::promisify;

fn every(ms: u64, mut tick: impl FnMut(u64) + Send + 'static) {
    tick(ms);
}

fn main() {
    let _ = promisify!(stream(overflow = drop_newest) every(10, _));
}

use callback_async::promisify;

fn every(ms: u64, mut tick: impl FnMut(u64) + Send + 'static) {
    tick(ms);
}

fn main() {
    let _ = promisify!(stream(bound = 0) every(10, _));
}

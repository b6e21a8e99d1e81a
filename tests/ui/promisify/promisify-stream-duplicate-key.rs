use callback_async::promisify;

fn every(ms: u64, mut tick: impl FnMut(u64) + Send + 'static) {
    tick(ms);
}

fn main() {
    let _ = promisify!(stream(bound = 4, overflow = block, overflow = drop_oldest) every(10, _));
}

use callback_async::promisify;

fn filter(keep: impl FnOnce(u8) -> u8) {
    keep(1);
}

fn main() {
    let _ = promisify!(filter(|x| -> u8 _));
}

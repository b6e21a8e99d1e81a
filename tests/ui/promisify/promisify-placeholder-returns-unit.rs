// `|..| _` given to a callback that must return a value: the macro cannot see the API's return
// type, so rustc reports the mismatch, at the placeholder.
use callback_async::promisify;

fn progress(mut go_on: impl FnMut(u32) -> bool + Send + 'static) {
    while go_on(1) {}
}

fn main() {
    let _ = promisify!(stream progress(|done| _));
}

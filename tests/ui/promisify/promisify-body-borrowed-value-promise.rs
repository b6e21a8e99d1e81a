// A borrowed argument handed over as it is, in promise mode: rustc names the promise the value
// escapes into.
use callback_async::promisify;

fn first_line(on_line: impl FnOnce(&str) -> bool + Send + 'static) {
    let _ = on_line("line");
}

fn main() {
    let _ = promisify!(first_line(|line: &str| {
        _(line);
        true
    }));
}

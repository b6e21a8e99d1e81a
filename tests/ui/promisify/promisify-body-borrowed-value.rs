use callback_async::promisify;

fn read(each: impl FnMut(&str) -> bool + Send + 'static) {
    let mut each = each;
    let _ = each("line");
}

fn main() {
    let _ = promisify!(stream read(|line| {
        _(line);
        true
    }));
}

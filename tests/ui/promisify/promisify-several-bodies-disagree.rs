// Several body-form callbacks feed one stream, so they hand over values of one type: here a `u8`
// and a `bool`. The error is rustc's, at the second `_(..)`, and names no generated local.
use callback_async::promisify;

fn both(first: impl Fn(u8) + Send + 'static, second: impl Fn(u8) + Send + 'static) {
    first(1);
    second(2);
}

fn main() {
    let _ = promisify!(stream both(|n| { _(n) }, |n| { _(n != 0) }));
}

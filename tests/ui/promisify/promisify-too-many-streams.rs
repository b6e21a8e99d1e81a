// One call gives at most 7 streams.
use callback_async::promisify;

#[allow(clippy::too_many_arguments)]
fn eight(
    a: impl FnMut(u8), b: impl FnMut(u8), c: impl FnMut(u8), d: impl FnMut(u8),
    e: impl FnMut(u8), f: impl FnMut(u8), g: impl FnMut(u8), h: impl FnMut(u8),
) {
    let _ = (a, b, c, d, e, f, g, h);
}

fn main() {
    let _ = promisify!(eight(
        stream(_), stream(_), stream(_), stream(_), stream(_), stream(_), stream(_), stream(_)
    ));
}

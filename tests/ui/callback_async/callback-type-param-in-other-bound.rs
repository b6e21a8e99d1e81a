use callback_async::callback_async;

#[callback_async]
fn f<F: FnOnce(u8), G: Into<F>>(cb: F, other: G) {
    let _ = (cb, other.into());
}

fn main() {
    let _ = f::<fn(u8), fn(u8)>;
}

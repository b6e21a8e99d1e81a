use callback_async::callback_async;

#[callback_async]
fn f<F: FnOnce(u8)>(cb: F) -> Option<F> {
    Some(cb)
}

fn main() {
    let _ = f(|_: u8| {});
}

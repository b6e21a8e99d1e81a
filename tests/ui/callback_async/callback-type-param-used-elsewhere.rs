use callback_async::callback_async;

#[callback_async]
fn f<F: FnOnce(u8)>(cb: F, other: Vec<F>) {
    let _ = (cb, other);
}

fn main() {
    f(|_: u8| {}, Vec::new());
}

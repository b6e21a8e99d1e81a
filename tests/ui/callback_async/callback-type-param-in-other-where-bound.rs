use callback_async::callback_async;

#[callback_async]
fn f<F, G>(cb: F, other: G)
where
    F: FnOnce(u8),
    G: Into<F>,
{
    let _ = (cb, other.into());
}

fn main() {
    let _ = f::<fn(u8), fn(u8)>;
}

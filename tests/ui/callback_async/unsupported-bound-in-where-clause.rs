use callback_async::callback_async;

#[callback_async]
fn fetch<F>(done: F)
where
    F: FnOnce(u8) + std::fmt::Debug,
{
    done(1);
}

fn main() {
    let _ = fetch::<fn(u8)>;
}

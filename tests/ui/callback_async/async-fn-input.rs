use callback_async::callback_async;

#[callback_async]
async fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    let _ = fetch(|_| {});
}

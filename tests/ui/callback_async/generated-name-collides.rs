use callback_async::callback_async;

#[callback_async]
fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn fetch_async() {}

fn main() {
    fetch(|_| {});
    fetch_async();
}

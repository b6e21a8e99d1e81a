use callback_async::callback_async;

#[callback_async]
fn fetch(done: impl FnOnce(u8) + Clone) {
    done(1);
}

fn main() {
    fetch(|_| {});
}

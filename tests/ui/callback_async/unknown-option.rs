use callback_async::callback_async;

#[callback_async(timeout = 5)]
fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    fetch(|_| {});
}

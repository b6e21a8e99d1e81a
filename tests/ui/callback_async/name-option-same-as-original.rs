use callback_async::callback_async;

#[callback_async(name = "fetch")]
fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    fetch(|_| {});
}

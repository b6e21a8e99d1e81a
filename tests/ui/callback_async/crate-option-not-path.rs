use callback_async::callback_async;

#[callback_async(crate = "not a path")]
fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    fetch(|_| {});
}

use callback_async::callback_async;

#[callback_async(dropped = 0)]
fn fetch(done: impl FnOnce(String)) {
    done(String::new());
}

fn main() {
    fetch(|_| {});
}

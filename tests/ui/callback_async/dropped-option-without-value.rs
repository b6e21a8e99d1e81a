use callback_async::callback_async;

#[callback_async(dropped)]
fn fetch(done: impl FnOnce(Option<u8>)) {
    done(Some(1));
}

fn main() {
    fetch(|_| {});
}

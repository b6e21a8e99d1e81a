#[callback_async::callback_async(output = u8)]
fn fetch(done: impl FnOnce(u8) + Send + 'static) {
    done(1)
}

fn main() {}

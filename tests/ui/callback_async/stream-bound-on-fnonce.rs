use callback_async::callback_async;

#[callback_async(stream(bound = 4))]
fn once(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    once(|_| {});
}

use callback_async::callback_async;

#[callback_async(cancel = |_| {})]
fn run(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    run(|_| {});
}

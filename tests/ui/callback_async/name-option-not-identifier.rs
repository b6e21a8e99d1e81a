use callback_async::callback_async;

#[callback_async(name = "not an ident")]
fn fetch(done: impl FnOnce(u8)) {
    done(1);
}

fn main() {
    fetch(|_| {});
}

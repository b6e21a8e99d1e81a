use callback_async::callback_async;

#[callback_async]
fn lookup(key: u32, done: impl FnOnce(Option<&str>)) {
    done(if key == 0 { None } else { Some("found") });
}

fn main() {
    lookup(1, |_| {});
}

use std::borrow::Cow;

use callback_async::callback_async;

#[callback_async]
fn lookup(key: u32, done: impl FnOnce(Cow<'_, str>)) {
    done(Cow::Owned(key.to_string()));
}

fn main() {
    lookup(1, |_| {});
}

#![deny(deprecated)]

use callback_async::callback_async;

#[callback_async(deprecate)]
fn fetch(id: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(id);
}

fn main() {
    let _ = fetch_async(1);
    fetch(2, |_| {});
}

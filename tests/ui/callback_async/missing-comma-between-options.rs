use callback_async::callback_async;

#[callback_async(callback = done name = "fetch_later")]
fn fetch(url: &str, done: impl FnOnce(u8)) {
    done(url.len() as u8);
}

fn main() {
    fetch("x", |_| {});
}

use callback_async::callback_async;

#[callback_async]
fn fetch(url: &str, done: &dyn Fn(u8)) {
    done(url.len() as u8);
}

fn main() {
    fetch("x", &|_| {});
}

use callback_async::callback_async;

#[callback_async]
fn fetch(url: &str, done: &mut impl FnMut(u8)) {
    done(url.len() as u8);
}

fn main() {
    fetch("x", &mut |_| {});
}

use callback_async::callback_async;

#[callback_async(dropped = Err(url.to_owned()))]
fn fetch(url: &str, done: impl FnOnce(Result<u8, String>)) {
    done(Ok(url.len() as u8));
}

fn main() {
    fetch("x", |_| {});
}

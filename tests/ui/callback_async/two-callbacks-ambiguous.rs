use callback_async::callback_async;

#[callback_async]
fn fetch(on_data: impl FnOnce(Vec<u8>), on_error: impl FnOnce(String)) {
    let _ = (on_data, on_error);
}

fn main() {
    fetch(|_| {}, |_| {});
}

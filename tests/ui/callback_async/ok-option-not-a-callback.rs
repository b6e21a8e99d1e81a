use callback_async::callback_async;

#[callback_async(ok = url, err = on_error)]
fn connect(url: &str, on_error: impl FnOnce(String)) {
    let _ = (url, on_error);
}

fn main() {
    connect("x", |_| {});
}

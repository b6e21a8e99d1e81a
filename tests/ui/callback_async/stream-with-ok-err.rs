use callback_async::callback_async;

#[callback_async(stream, ok = on_item, err = on_error)]
fn watch(on_item: impl FnMut(u8), on_error: impl FnMut(String)) {
    let _ = (on_item, on_error);
}

fn main() {
    watch(|_| {}, |_| {});
}

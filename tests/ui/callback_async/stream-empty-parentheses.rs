use callback_async::callback_async;

#[callback_async(stream())]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

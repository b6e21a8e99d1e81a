use callback_async::callback_async;

#[callback_async(stream(overflow = block))]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

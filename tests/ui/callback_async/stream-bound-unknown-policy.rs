use callback_async::callback_async;

#[callback_async(stream(bound = 4, overflow = drop_last))]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

use callback_async::callback_async;

#[callback_async(stream(bound = 0, overflow = drop_newest))]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

use callback_async::callback_async;

#[callback_async(stream(bound = 4, overflow = block, bound = 8))]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

use callback_async::callback_async;

const CAPACITY: u32 = 4;

#[callback_async(stream(bound = CAPACITY))]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    let _ = ticks_stream();
}

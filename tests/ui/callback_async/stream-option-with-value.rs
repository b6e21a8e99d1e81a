use callback_async::callback_async;

#[callback_async(stream = true)]
fn ticks(mut each: impl FnMut(u8)) {
    each(1);
}

fn main() {
    ticks(|_| {});
}

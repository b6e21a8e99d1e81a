use callback_async::callback_async;

#[callback_async(progress = report, dropped = 0, cancel = |_| ())]
fn copy(
    mut report: impl FnMut(u8) + Send + 'static,
    done: impl FnOnce(u8) + Send + 'static,
) -> u8 {
    report(1);
    done(2);
    3
}

fn main() {
    copy(|_| {}, |_| {});
}

fn fetch(done: impl FnOnce(u8) + Send + 'static) {
    done(1);
}

fn main() {
    let _ = callback_async::promisify!(fetch(#[user_data(data())] |n: u8| _(n)));
}

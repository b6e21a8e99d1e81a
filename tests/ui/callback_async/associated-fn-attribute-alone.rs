use callback_async::callback_async;

struct Client;

impl Client {
    #[callback_async]
    fn connect(done: impl FnOnce(u8)) {
        done(1);
    }
}

fn main() {
    Client::connect(|_| {});
}

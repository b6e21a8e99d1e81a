use callback_async::callback_async;

struct Client;

#[callback_async(name = "fetch_later")]
impl Client {
    fn fetch(&self, done: impl FnOnce(u8)) {
        done(1);
    }
}

fn main() {
    Client.fetch(|_| {});
}

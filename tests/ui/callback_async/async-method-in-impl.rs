use callback_async::callback_async;

struct Client;

#[callback_async]
impl Client {
    #[callback_async]
    async fn fetch(&self, done: impl FnOnce(u8)) {
        done(1);
    }
}

fn main() {
    let _ = Client.fetch(|_| {});
}

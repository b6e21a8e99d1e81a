use callback_async::callback_async;

trait Fetch {
    fn fetch(&self, done: impl FnOnce(u8));
}

struct Client;

#[callback_async]
impl Fetch for Client {
    fn fetch(&self, done: impl FnOnce(u8)) {
        done(1);
    }
}

fn main() {
    Client.fetch(|_| {});
}

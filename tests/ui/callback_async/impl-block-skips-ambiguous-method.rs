use callback_async::callback_async;

struct Client;

#[callback_async]
impl Client {
    fn fetch(&self, on_data: impl FnOnce(u8), on_error: impl FnOnce(String)) {
        let _ = (on_data, on_error);
    }
}

fn main() {
    Client.fetch(|_| {}, |_| {});
    let _ = Client.fetch_async();
}

use callback_async::callback_async;

struct Client;

#[callback_async]
impl Client {
    #[callback_async(callback = finished)]
    fn fetch(&self, done: impl FnOnce(u8)) {
        done(1);
    }

    #[callback_async(ok = on_ok)]
    fn connect(&self, on_ok: impl FnOnce(u8), on_error: impl FnOnce(String)) {
        let _ = (on_ok, on_error);
    }
}

fn main() {
    Client.fetch(|_| {});
    Client.connect(|_| {}, |_| {});
}

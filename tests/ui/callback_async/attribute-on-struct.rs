use callback_async::callback_async;

#[callback_async]
struct Client {
    url: String,
}

fn main() {
    let _ = Client { url: String::new() }.url;
}

use callback_async::callback_async;

unsafe extern "Rust" {
    #[callback_async]
    fn fetch(done: Box<dyn FnOnce(u8)>);
}

fn main() {
    let _ = fetch;
}

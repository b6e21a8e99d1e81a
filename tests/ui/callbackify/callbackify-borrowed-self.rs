use callback_async::callbackify;

struct Service;

impl Service {
    #[callbackify]
    async fn get(&self, n: u32) -> u32 {
        n
    }
}

fn main() {
    let _ = Service.get(1);
}

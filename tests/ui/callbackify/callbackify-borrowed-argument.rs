use callback_async::callbackify;

#[callbackify]
async fn length(text: &str) -> usize {
    text.len()
}

fn main() {
    let _ = length("x");
}

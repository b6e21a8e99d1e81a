use callback_async::callbackify;

#[callbackify]
fn double(n: u32) -> u32 {
    n * 2
}

fn main() {
    let _ = double(1);
}

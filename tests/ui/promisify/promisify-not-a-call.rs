use callback_async::promisify;

fn main() {
    let x = 1;
    let _ = promisify!(x + 1);
}

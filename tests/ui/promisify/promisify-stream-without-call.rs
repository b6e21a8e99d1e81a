use callback_async::promisify;

fn main() {
    let _ = promisify!(stream);
}

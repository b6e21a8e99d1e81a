use callback_async::promisify;

fn legacy(done: Box<dyn FnOnce(u8) + Send>) {
    done(1);
}

fn main() {
    let _ = promisify!(legacy(_.into()));
}

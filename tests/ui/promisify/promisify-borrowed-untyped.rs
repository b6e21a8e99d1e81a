use callback_async::promisify;

fn read(done: impl FnOnce(&str)) {
    let line = String::from("line");
    done(&line);
}

fn main() {
    let _ = promisify!(read(_));
}

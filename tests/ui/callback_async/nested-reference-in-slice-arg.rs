use callback_async::callback_async;

#[callback_async]
fn split(line: &str, done: impl FnOnce(&[&str])) {
    done(&line.split(' ').collect::<Vec<_>>());
}

fn main() {
    split("a b", |_| {});
}

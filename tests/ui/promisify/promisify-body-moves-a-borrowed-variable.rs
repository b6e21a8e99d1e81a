use callback_async::promisify;

fn each(items: &[u8], mut f: impl FnMut(u8) -> bool) {
    for item in items {
        if !f(*item) {
            break;
        }
    }
}

fn main() {
    let mut seen = Vec::new();
    let items = [1, 2, 3];
    let _ = promisify!(stream each(&items, |n| {
        seen.push(n);
        _(n);
        true
    }));
    println!("{seen:?}");
}

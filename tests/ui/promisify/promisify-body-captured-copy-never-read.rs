// The body form's closure is `move`: a `Copy` variable it updates is a copy, which rustc reports
// as never read (a warning, an error here). Bind a reference before the call instead.
#![deny(unused_assignments)]

use callback_async::promisify;

fn each(items: &[u8], mut f: impl FnMut(u8)) {
    items.iter().for_each(|item| f(*item));
}

fn main() {
    let mut count = 0;
    let items = [1, 2, 3];
    let seen = promisify!(stream each(&items, |n| {
        count += 1;
        _(n);
    }));
    drop(seen);
    assert_eq!(count, 0);
}

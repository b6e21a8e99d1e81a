// A value that is not `Send` handed over by `_(..)` to a stream whose callback runs on another
// thread: the error points at the `_(..)`, and no note names a hidden item.
use std::rc::Rc;

use callback_async::promisify;

fn on_each(mut each: impl FnMut(u8) + Send + 'static) {
    std::thread::spawn(move || (1..=3).for_each(&mut each));
}

fn main() {
    let _ = promisify!(stream on_each(|n| {
        let shared = Rc::new(n);
        _(shared);
    }));
}

// A value that is not `Send` handed over by `_(..)` to a promise whose callback runs on another
// thread: the error points at the `_(..)`, and no note names a hidden item.
use std::rc::Rc;

use callback_async::promisify;

fn on_done(done: impl FnOnce(u8) -> bool + Send + 'static) {
    std::thread::spawn(move || done(1));
}

fn main() {
    let _ = promisify!(on_done(|n| {
        if n > 0 {
            _(Rc::new(n));
        }
        true
    }));
}

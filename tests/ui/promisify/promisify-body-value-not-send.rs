use std::rc::Rc;

use callback_async::promisify;

fn answer(ask: impl FnOnce(u8) -> bool + Send + 'static) -> bool {
    ask(1)
}

fn main() {
    let _ = promisify!(answer(|n| {
        _(Rc::new(n));
        true
    }));
}

use std::rc::Rc;

use callback_async::promisify;

fn spawn_later(done: impl FnOnce(Rc<u8>) + Send + 'static) {
    done(Rc::new(1));
}

fn main() {
    let _ = promisify!(spawn_later(_));
}

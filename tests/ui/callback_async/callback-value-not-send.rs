use std::rc::Rc;

use callback_async::callback_async;

#[callback_async]
fn fetch(done: impl FnOnce(Rc<u8>) + Send + 'static) {
    std::thread::spawn(move || drop(done));
}

fn main() {
    fetch(|_| {});
}

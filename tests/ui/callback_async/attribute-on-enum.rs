use callback_async::callback_async;

#[callback_async]
enum Event {
    Done(u8),
}

fn main() {
    let Event::Done(_) = Event::Done(1);
}

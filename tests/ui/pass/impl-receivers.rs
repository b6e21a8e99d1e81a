//! An `impl` block: `&self`, `&mut self`, `self`, `self: Box<Self>`, an associated function, a
//! method choosing among two callbacks with its own attribute, and methods left alone.

use callback_async::callback_async;
use futures::executor::block_on;

#[derive(Debug, PartialEq)]
struct Counter {
    count: u32,
}

#[callback_async]
impl Counter {
    fn create(start: u32, done: impl FnOnce(Self) + Send + 'static) {
        done(Counter { count: start });
    }

    fn read(&self, done: impl FnOnce(u32)) {
        done(self.count);
    }

    fn bump(&mut self, by: u32, done: impl FnOnce(u32)) {
        self.count += by;
        done(self.count);
    }

    fn finish(self, done: impl FnOnce(String)) {
        done(format!("finished at {}", self.count));
    }

    fn boxed(self: Box<Self>, done: impl Fn(u32)) {
        done(self.count);
        done(self.count + 1);
    }

    #[callback_async(callback = on_value)]
    fn either(&self, on_value: impl FnOnce(u32), on_log: impl FnOnce(&str)) {
        on_log("reading");
        on_value(self.count);
    }

    /// No callback: left alone.
    fn plain(&self) -> u32 {
        self.count
    }

    /// Two callbacks and no attribute of its own: left alone.
    fn two(&self, first: impl FnOnce(u8), second: impl FnOnce(u8)) {
        first(1);
        second(2);
    }
}

fn main() {
    let mut counter = block_on(Counter::create_async(1));
    assert_eq!(counter, Counter { count: 1 });
    assert_eq!(block_on(counter.read_async()), 1);
    assert_eq!(block_on(counter.bump_async(4)), 5);
    assert_eq!(counter.count, 5);
    // The callback not chosen stays an ordinary parameter.
    assert_eq!(
        block_on(counter.either_async(|log| assert_eq!(log, "reading"))),
        5
    );
    assert_eq!(counter.plain(), 5);
    counter.two(|_| {}, |_| {});
    assert_eq!(block_on(Box::new(Counter { count: 9 }).boxed_async()), 9);
    assert_eq!(block_on(counter.finish_async()), "finished at 5");
}

//! `crate = ".."` with the runtime under a dependency name other than `callback_async`: this
//! test crate has no `callback_async` at all, so any path the expansion did not route through
//! the override would fail to compile.

use renamed_runtime::callback_async;

fn legacy(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    done(n * 2);
}

#[callback_async(crate = "::renamed_runtime")]
fn twice(n: u32, done: impl FnOnce(u32) + Send + 'static) {
    legacy(n, done);
}

struct Counter;

#[callback_async(crate = "renamed_runtime")]
impl Counter {
    fn add(&self, a: u32, b: u32, done: Box<dyn FnOnce(u32) + Send>) {
        done(a + b);
    }
}

#[test]
fn crate_option_names_a_renamed_runtime() {
    assert_eq!(futures::executor::block_on(twice_async(21)), 42);
    assert_eq!(futures::executor::block_on(Counter.add_async(2, 3)), 5);
}

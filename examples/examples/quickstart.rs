//! A legacy callback API, awaited: `cargo run --example quickstart`.

use std::thread;
use std::time::Duration;

use callback_async::callback_async;

/// A legacy API: looks a user up on a worker thread and reports through a callback.
#[callback_async]
fn lookup_user(id: u32, done: impl FnOnce(Result<String, String>) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(Duration::from_millis(10));
        done(match id {
            1 => Ok("ada".to_owned()),
            _ => Err(format!("no user {id}")),
        });
    });
}

/// Legacy methods on a legacy type: the attribute on the `impl` block converts each of them.
struct Thermometer;

#[callback_async]
impl Thermometer {
    fn read(&self, on_reading: impl FnOnce(f64) + Send + 'static) {
        thread::spawn(move || on_reading(21.5));
    }
}

fn main() {
    futures::executor::block_on(async {
        // Before: lookup_user(1, |result| ...); after:
        let name = lookup_user_async(1).await;
        println!("lookup_user_async(1).await  = {name:?}");
        let missing = lookup_user_async(7).await;
        println!("lookup_user_async(7).await  = {missing:?}");
        let celsius = Thermometer.read_async().await;
        println!("Thermometer.read_async().await = {celsius}");
    });
}

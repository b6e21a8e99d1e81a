//! A legacy callback module converted with one attribute on its `impl` block:
//! `cargo run --example legacy_module`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

use callback_async::callback_async;

/// A legacy key-value client: every operation reports through a callback, from a worker thread.
#[derive(Clone, Default)]
pub struct KvClient {
    data: Arc<Mutex<HashMap<String, String>>>,
}

#[callback_async]
impl KvClient {
    /// Stores a value; reports whether the key was new.
    pub fn put(&self, key: &str, value: &str, done: impl FnOnce(bool) + Send + 'static) {
        let (data, key, value) = (Arc::clone(&self.data), key.to_owned(), value.to_owned());
        thread::spawn(move || {
            thread::sleep(Duration::from_millis(5));
            done(data.lock().unwrap().insert(key, value).is_none());
        });
    }

    /// Reads a value; `on_missing` is called instead of `on_found` for an unknown key.
    #[callback_async(ok = on_found, err = on_missing)]
    pub fn get(
        &self,
        key: &str,
        on_found: impl FnOnce(String) + Send + 'static,
        on_missing: impl FnOnce(String) + Send + 'static,
    ) {
        let (data, key) = (Arc::clone(&self.data), key.to_owned());
        thread::spawn(move || match data.lock().unwrap().get(&key) {
            Some(value) => on_found(value.clone()),
            None => on_missing(format!("no key {key:?}")),
        });
    }

    /// Visits every entry, sorted, synchronously: the callback cannot outlive the call, so the
    /// async version allocates nothing for it.
    pub fn count_matching(&self, prefix: &str, done: impl FnOnce(usize)) {
        let data = self.data.lock().unwrap();
        done(data.keys().filter(|k| k.starts_with(prefix)).count());
    }

    /// Not a callback API: left as it is.
    pub fn entries(&self) -> usize {
        self.data.lock().unwrap().len()
    }
}

fn main() {
    let client = KvClient::default();
    futures::executor::block_on(async {
        // Before: client.put("lang", "rust", |new| { ... nested callbacks ... });
        let new = client.put_async("lang", "rust").await;
        println!("put_async(\"lang\", \"rust\").await   = {new} (new key)");
        let again = client.put_async("lang", "rust 2024").await;
        println!("put_async(\"lang\", ..).await again = {again}");
        let found = client.get_async("lang").await;
        println!("get_async(\"lang\").await           = {found:?}");
        let missing = client.get_async("nope").await;
        println!("get_async(\"nope\").await           = {missing:?}");
        let count = client.count_matching_async("la").await;
        println!("count_matching_async(\"la\").await  = {count}");
    });
    println!("entries() = {} (untouched method)", client.entries());
}

//! A trait: each callback-taking method gets a provided `_async` method, usable on every
//! implementation and through generics.

use callback_async::callback_async;
use futures::executor::block_on;

#[callback_async]
trait Store {
    fn get(&self, key: &str, done: impl FnOnce(Option<String>) + Send + 'static);

    fn take(self, done: impl FnOnce(Vec<u8>));

    /// A provided method taking a callback gets its async version too.
    fn len(&self, done: impl FnOnce(usize) + Send + 'static) {
        self.get("len", move |value| {
            done(value.map_or(0, |value| value.len()))
        });
    }

    fn name(&self) -> &'static str;
}

struct Memory(Vec<(String, String)>);

impl Store for Memory {
    fn get(&self, key: &str, done: impl FnOnce(Option<String>) + Send + 'static) {
        let found = self
            .0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone());
        done(found);
    }

    fn take(self, done: impl FnOnce(Vec<u8>)) {
        done(
            self.0
                .into_iter()
                .flat_map(|(k, _)| k.into_bytes())
                .collect(),
        );
    }

    fn name(&self) -> &'static str {
        "memory"
    }
}

struct Empty;

impl Store for Empty {
    fn get(&self, _key: &str, done: impl FnOnce(Option<String>) + Send + 'static) {
        done(None);
    }

    fn take(self, done: impl FnOnce(Vec<u8>)) {
        done(Vec::new());
    }

    fn len(&self, done: impl FnOnce(usize) + Send + 'static) {
        done(usize::MAX);
    }

    fn name(&self) -> &'static str {
        "empty"
    }
}

async fn describe<S: Store>(store: &S) -> String {
    format!("{}: {:?}", store.name(), store.get_async("a").await)
}

fn main() {
    let memory = Memory(vec![
        ("a".into(), "1".into()),
        ("len".into(), "four".into()),
    ]);
    assert_eq!(block_on(memory.get_async("a")), Some("1".to_owned()));
    assert_eq!(block_on(memory.get_async("b")), None);
    assert_eq!(block_on(memory.len_async()), 4);
    assert_eq!(block_on(describe(&memory)), "memory: Some(\"1\")");
    assert_eq!(block_on(memory.take_async()), b"alen");

    assert_eq!(block_on(describe(&Empty)), "empty: None");
    assert_eq!(block_on(Empty.len_async()), usize::MAX);
    assert_eq!(block_on(Empty.take_async()), Vec::<u8>::new());
}

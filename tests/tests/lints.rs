//! Expansions compile warning-free under the strictest lints a user may set.
#![deny(
    warnings,
    missing_docs,
    clippy::pedantic,
    rust_2018_idioms,
    unused_qualifications
)]
#![forbid(unsafe_code)]

use std::sync::Arc;

use callback_async::callback_async;

/// Errors of the legacy API.
#[derive(Debug, PartialEq, Eq)]
pub enum LegacyError {
    /// Gone.
    Gone,
}

/// Free function, `impl FnOnce`.
#[callback_async]
pub fn fetch(url: &str, done: impl FnOnce(Result<Vec<u8>, LegacyError>) + Send + 'static) {
    done(Ok(url.as_bytes().to_vec()));
}

/// Type parameter in a where-clause, tuple value, returns a value.
#[callback_async]
pub fn subscribe<F>(topic: &str, on_event: F) -> usize
where
    F: FnMut(&str, u32) + Send + 'static,
{
    let mut on_event = on_event;
    on_event(topic, 1);
    topic.len()
}

/// `ok`/`err`, `dropped`, `name`.
#[callback_async(ok = on_ok, err = on_err, dropped = Err(LegacyError::Gone), name = "connect_later")]
pub fn connect(
    port: u16,
    on_ok: Box<dyn FnOnce(u16) + Send>,
    on_err: impl Fn(LegacyError) + Send + Sync + 'static,
) {
    if port == 0 {
        on_err(LegacyError::Gone);
    } else {
        on_ok(port);
    }
}

/// Patterns and generics.
#[callback_async]
pub fn generic<T: Clone + Send + 'static>(
    (a, _): (&T, u8),
    done: impl Fn(T) + Send + Sync + 'static,
) {
    done(a.clone());
}

/// A legacy client.
#[derive(Debug, Default)]
pub struct Client {
    calls: u32,
}

#[callback_async]
impl Client {
    /// Gets a value.
    pub fn get(&self, key: u32, done: impl FnOnce(u32) + Send + 'static) {
        done(key + self.calls);
    }

    /// Counts calls.
    pub fn count(&mut self, done: impl FnOnce(u32)) {
        self.calls += 1;
        done(self.calls);
    }

    /// Consumes the client.
    pub fn close(self: Arc<Self>, done: Box<dyn FnOnce() + Send>) {
        drop(self);
        done();
    }

    /// Makes a client.
    pub fn open(done: impl FnOnce(Self)) {
        done(Client::default());
    }
}

/// A legacy trait.
#[callback_async]
pub trait Store {
    /// Loads.
    fn load(&self, key: &str, done: Box<dyn FnOnce(Option<String>) + Send>);

    /// Consumes.
    fn finish(self, done: impl FnOnce(bool));
}

/// Stream mode and cancellation.
pub struct Subscription;

impl Subscription {
    /// Stops it.
    pub fn cancel(self) {}
}

/// Stream mode with a handle that cancels.
#[callback_async(stream, cancel = Subscription::cancel)]
pub fn subscribe_ticks(count: u8, each: impl FnMut(u8) + Send + 'static) -> Subscription {
    let mut each = each;
    (0..count).for_each(&mut each);
    Subscription
}

/// A bounded stream whose producer waits for room.
#[callback_async(stream(bound = 2, overflow = block))]
pub fn bounded_ticks(count: u8, each: impl FnMut(u8) + Send + 'static) {
    let mut each = each;
    std::thread::spawn(move || (0..count).for_each(&mut each));
}

/// A callback that cannot outlive the call (stack slot), deprecated for migration.
#[callback_async(deprecate)]
pub fn parse(text: &str, done: impl FnOnce(Result<u32, String>)) {
    done(text.parse().map_err(|_| text.to_owned()));
}

/// The reverse direction.
#[callback_async::callbackify]
pub async fn doubled(n: u32) -> u32 {
    futures::future::ready(n * 2).await
}

/// A third-party API for `promisify!`.
pub fn third_party(key: &str, done: impl Fn(&str, usize) + Send + Sync + 'static) -> bool {
    done(key, key.len());
    true
}

#[test]
fn lint_clean_promisify_and_streams() {
    use futures::StreamExt;
    futures::executor::block_on(async {
        let (accepted, promise) =
            callback_async::promisify!(third_party("k", |k: &str, n: usize| _));
        assert!(accepted);
        assert_eq!(promise.await, ("k".to_owned(), 1));
        let stream = callback_async::promisify!(stream third_party("ab", |k: &str, n: usize| _)).1;
        assert_eq!(stream.collect::<Vec<_>>().await, [("ab".to_owned(), 2)]);
        assert_eq!(
            subscribe_ticks_stream(3).collect::<Vec<_>>().await,
            [0, 1, 2]
        );
        assert_eq!(parse_async("7").await, Ok(7));
        assert_eq!(bounded_ticks_stream(3).collect::<Vec<_>>().await, [0, 1, 2]);
        let stream = callback_async::promisify!(stream(bound = 1, overflow = drop_newest) third_party("ab", |k: &str, n: usize| _));
        assert_eq!(stream.1.collect::<Vec<_>>().await, [("ab".to_owned(), 2)]);
    });
    let (sender, receiver) = std::sync::mpsc::channel();
    let pool = futures::executor::ThreadPool::new().unwrap();
    doubled_callback(
        4,
        |future| pool.spawn_ok(future),
        move |n| sender.send(n).unwrap(),
    );
    assert_eq!(receiver.recv().unwrap(), 8);
}

/// A copy with progress, for `progress = ..`.
#[callback_async(callback = done, progress = on_progress)]
pub fn copy(
    size: u64,
    mut on_progress: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(u64) + Send + 'static,
) {
    on_progress(size / 2);
    done(size);
}

/// A visitor factory, for `promisify!`'s nested body form.
pub fn walk(mut factory: impl FnMut() -> Box<dyn FnMut(u32) -> bool + Send>) -> usize {
    let mut visit = factory();
    (0..3).take_while(|n| visit(*n)).count()
}

#[test]
fn lint_clean_body_form_and_progress() {
    use futures::StreamExt;
    futures::executor::block_on(async {
        let (answered, promise) = callback_async::promisify!(third_party("k", |k: &str, n| {
            _(k.len() + n);
        }));
        assert!(answered);
        assert_eq!(promise.await, 2);
        let (visited, items) = callback_async::promisify!(stream walk(|| Box::new(|n| {
            _(n);
            true
        })));
        assert_eq!(visited, 3);
        assert_eq!(items.collect::<Vec<_>>().await, [0, 1, 2]);
        let (progress, done) = copy_async(8);
        assert_eq!(progress.collect::<Vec<_>>().await, [4]);
        assert_eq!(done.await, 8);
    });
}

#[test]
fn lint_clean_expansions_still_work() {
    futures::executor::block_on(async {
        assert_eq!(fetch_async("u").await, Ok(b"u".to_vec()));
        let (len, event) = subscribe_async("topic");
        assert_eq!((len, event.await), (5, ("topic".to_owned(), 1)));
        assert_eq!(connect_later(1).await, Ok(1));
        assert_eq!(connect_later(0).await, Err(LegacyError::Gone));
        assert_eq!(generic_async((&7_u64, 0)).await, 7);
        let mut client = Client::default();
        assert_eq!(client.count_async().await, 1);
        assert_eq!(client.get_async(1).await, 2);
        Arc::new(client).close_async().await;
        assert_eq!(Client::open_async().await.calls, 0);
    });
}

/// Two handlers, for several callbacks in one `promisify!` call.
pub fn handlers(start: impl Fn(u32) + Send + 'static, end: impl Fn(u32) + Send + 'static) {
    start(1);
    end(1);
}

/// Two progress callbacks and a completion.
pub fn transfer(
    mut objects: impl FnMut(u32) + Send + 'static,
    mut bytes: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(bool) + Send + 'static,
) -> usize {
    objects(1);
    bytes(2);
    done(true);
    3
}

#[test]
fn lint_clean_several_callbacks_and_streams() {
    use futures::StreamExt;
    futures::executor::block_on(async {
        let events = callback_async::promisify!(stream handlers(|n| { _(n) }, |n| { _(n + 10) }));
        assert_eq!(events.collect::<Vec<_>>().await, [1, 11]);
        let first = callback_async::promisify!(handlers(|n| { _(n) }, |n| { _(n + 10) }));
        assert_eq!(first.await, 1);
        let (count, objects, bytes, done) =
            callback_async::promisify!(transfer(stream(_), stream(_, bound = 4), _));
        assert_eq!(count, 3);
        assert_eq!(objects.collect::<Vec<_>>().await, [1]);
        assert_eq!(bytes.collect::<Vec<_>>().await, [2]);
        assert!(done.await);
        let (count, objects, bytes) =
            callback_async::promisify!(transfer(stream(_), stream(_), |_| ()));
        assert_eq!(count, 3);
        assert_eq!(objects.collect::<Vec<_>>().await, [1]);
        assert_eq!(bytes.collect::<Vec<_>>().await, [2]);
    });
}

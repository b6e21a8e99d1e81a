//! `#[callback_async]` on methods, `impl` blocks and traits.

use std::rc::Rc;
use std::sync::Arc;
use std::thread;

use callback_async::callback_async;
use futures::executor::block_on;

#[derive(Clone)]
struct Device {
    id: u8,
}

#[callback_async]
impl Device {
    fn by_ref(&self, done: impl FnOnce(u8)) {
        done(self.id);
    }

    fn by_mut(&mut self, done: impl FnOnce(u8)) {
        self.id += 1;
        done(self.id);
    }

    fn by_value(self, done: impl FnOnce(u8)) {
        done(self.id);
    }

    #[allow(unused_mut)]
    fn by_mut_value(mut self, done: impl FnOnce(u8)) {
        self.id *= 2;
        done(self.id);
    }

    #[allow(clippy::boxed_local)]
    fn boxed(self: Box<Self>, done: impl FnOnce(u8)) {
        done(self.id);
    }

    fn shared(self: Arc<Self>, done: impl FnOnce(u8) + Send + 'static) {
        thread::spawn(move || done(self.id));
    }

    fn counted(self: Rc<Self>, done: impl FnOnce(usize)) {
        done(Rc::strong_count(&self));
    }

    fn create(id: u8, done: impl FnOnce(Self)) {
        done(Device { id });
    }

    fn no_self(id: u8, done: impl FnOnce(u8)) {
        done(id);
    }

    /// Two callbacks and no own attribute: left alone.
    fn two_callbacks(&self, _a: impl FnOnce(u8), _b: impl FnOnce(u8)) {}

    #[callback_async(callback = done, name = "pick_later")]
    fn pick(&self, progress: impl FnMut(u8), done: impl FnOnce(u8)) {
        let mut progress = progress;
        progress(1);
        done(self.id);
    }

    fn plain(&self) -> u8 {
        self.id
    }
}

#[test]
fn every_receiver_in_an_impl_block() {
    let device = Device { id: 3 };
    assert_eq!(block_on(device.by_ref_async()), 3);
    let mut device = Device { id: 3 };
    assert_eq!(block_on(device.by_mut_async()), 4);
    assert_eq!(block_on(Device { id: 5 }.by_value_async()), 5);
    assert_eq!(block_on(Device { id: 5 }.by_mut_value_async()), 10);
    assert_eq!(block_on(Box::new(Device { id: 6 }).boxed_async()), 6);
    assert_eq!(block_on(Arc::new(Device { id: 7 }).shared_async()), 7);
    let rc = Rc::new(Device { id: 8 });
    assert_eq!(block_on(Rc::clone(&rc).counted_async()), 2);
    assert_eq!(block_on(Device::create_async(9)).id, 9);
    assert_eq!(block_on(Device::no_self_async(10)), 10);
    assert_eq!(block_on(Device { id: 11 }.pick_later(|_percent| {})), 11);
    assert_eq!(Device { id: 12 }.plain(), 12);
    Device { id: 13 }.two_callbacks(|_| {}, |_| {});
}

// Methods with a single attribute: with a receiver, or mentioning `Self`.
struct Sensor(u16);

impl Sensor {
    #[callback_async]
    pub fn read(&self, done: impl FnOnce(u16) + Send + 'static) {
        let value = self.0;
        thread::spawn(move || done(value));
    }

    #[callback_async]
    pub fn open(port: u16, done: impl FnOnce(Self)) {
        done(Sensor(port));
    }
}

#[test]
fn attribute_on_a_single_method() {
    assert_eq!(block_on(Sensor(40).read_async()), 40);
    assert_eq!(block_on(Sensor::open_async(41)).0, 41);
}

// Traits: the async versions become provided methods.
#[callback_async]
trait Storage {
    fn load(&self, key: &str, done: Box<dyn FnOnce(Option<String>) + Send>);

    fn store(&mut self, key: &str, value: String, done: impl FnOnce(bool) + Send + 'static);

    fn consume(self, done: impl FnOnce(usize))
    where
        Self: Sized;

    fn by_value(self, done: impl FnOnce(u8));

    fn create(done: impl FnOnce(Self))
    where
        Self: Sized;

    fn keys(&self) -> usize;
}

#[derive(Default)]
struct Memory(std::collections::HashMap<String, String>);

impl Storage for Memory {
    fn load(&self, key: &str, done: Box<dyn FnOnce(Option<String>) + Send>) {
        done(self.0.get(key).cloned());
    }

    fn store(&mut self, key: &str, value: String, done: impl FnOnce(bool) + Send + 'static) {
        done(self.0.insert(key.to_owned(), value).is_none());
    }

    fn consume(self, done: impl FnOnce(usize)) {
        done(self.0.len());
    }

    fn by_value(self, done: impl FnOnce(u8)) {
        done(u8::try_from(self.0.len()).unwrap());
    }

    fn create(done: impl FnOnce(Self)) {
        done(Memory::default());
    }

    fn keys(&self) -> usize {
        self.0.len()
    }
}

#[test]
fn trait_methods_get_provided_async_versions() {
    let mut memory = block_on(Memory::create_async());
    assert!(block_on(memory.store_async("a", "1".to_owned())));
    assert!(!block_on(memory.store_async("a", "2".to_owned())));
    assert_eq!(block_on(memory.load_async("a")), Some("2".to_owned()));
    assert_eq!(block_on(memory.load_async("b")), None);
    assert_eq!(memory.keys(), 1);
    assert_eq!(block_on(memory.consume_async()), 1);
    assert_eq!(block_on(Memory::default().by_value_async()), 0);
}

/// With only boxed callbacks the trait stays dyn compatible, and so do its async versions.
#[callback_async]
trait Remote {
    fn call(&self, request: u8, done: Box<dyn FnOnce(u8) + Send>);
}

struct Doubler;

impl Remote for Doubler {
    fn call(&self, request: u8, done: Box<dyn FnOnce(u8) + Send>) {
        done(request * 2);
    }
}

#[test]
fn trait_async_methods_work_through_dyn() {
    let remote: Box<dyn Remote> = Box::new(Doubler);
    assert_eq!(block_on(remote.call_async(21)), 42);
}

// A single trait method declaration.
trait Clock {
    #[callback_async]
    fn now(&self, done: impl FnOnce(u64) + Send + 'static);
}

struct Fixed;

impl Clock for Fixed {
    fn now(&self, done: impl FnOnce(u64) + Send + 'static) {
        done(1_700_000_000);
    }
}

#[test]
fn attribute_on_a_trait_method_declaration() {
    assert_eq!(block_on(Fixed.now_async()), 1_700_000_000);
}

// Generic impl blocks and `Self` in the value.
struct Wrapper<T>(T);

#[callback_async]
impl<T: Clone + Send + 'static> Wrapper<T> {
    fn get(&self, done: impl FnOnce(T) + Send + 'static) {
        done(self.0.clone());
    }

    fn duplicate(&self, done: impl FnOnce(Self)) {
        done(Wrapper(self.0.clone()));
    }
}

#[test]
fn generic_impl_blocks() {
    assert_eq!(block_on(Wrapper("w").get_async()), "w");
    assert_eq!(block_on(Wrapper(3).duplicate_async()).0, 3);
}

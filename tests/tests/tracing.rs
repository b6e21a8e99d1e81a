//! The `tracing` feature: warnings about misused callbacks, captured by a minimal subscriber.

use std::fmt::Debug;
use std::sync::{Arc, Mutex};

use callback_async::{callback_async, channel, promisify};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// Records every event's level, target and fields as text.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<String>>>);

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn Debug) {
        self.0.push_str(&format!(" {}={value:?}", field.name()));
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut fields = Fields(format!(
            "{} {}",
            event.metadata().level(),
            event.metadata().target()
        ));
        event.record(&mut fields);
        self.0.lock().unwrap().push(fields.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn captured(f: impl FnOnce()) -> Vec<String> {
    let capture = Capture::default();
    tracing::subscriber::with_default(capture.clone(), f);
    // The guard in a binding, not a temporary of the tail expression: on edition 2021
    // (`tests/edition2021`) that temporary would outlive `capture`.
    let events = capture.0.lock().unwrap();
    events.clone()
}

#[callback_async]
fn leaks(done: impl FnOnce(u8) + Send + 'static) {
    drop(done);
}

#[callback_async]
fn twice(done: impl Fn(u8) + Send + Sync + 'static) {
    done(1);
    done(2);
}

#[callback_async]
fn leaks_on_stack(done: impl FnOnce(u8)) {
    std::mem::forget(done);
}

#[callback_async]
fn twice_on_stack(mut done: impl FnMut(u8)) {
    done(1);
    done(2);
}

fn third_party(done: impl FnOnce(u8) + Send + 'static) {
    drop(done);
}

#[test]
fn a_dropped_callback_is_reported_with_its_function_and_caller() {
    let line = line!() + 1;
    let events = captured(|| drop(leaks_async()));
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(events[0].starts_with("WARN callback_async"), "{events:?}");
    assert!(
        events[0].contains("dropped without being called"),
        "{events:?}"
    );
    assert!(events[0].contains("tracing::leaks"), "{events:?}");
    assert!(
        events[0].contains(&format!("{}:{line}", file!())),
        "{events:?}"
    );
    let events = captured(|| drop(leaks_on_stack_async()));
    assert!(
        events.len() == 1 && events[0].contains("leaks_on_stack"),
        "{events:?}"
    );
    let events = captured(|| drop(promisify!(third_party(_))));
    assert!(
        events.len() == 1 && events[0].contains("third_party(_)"),
        "{events:?}"
    );
}

#[test]
fn a_callback_called_again_is_reported() {
    let events = captured(|| drop(twice_async()));
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        events[0].contains("called again") && events[0].contains("tracing::twice"),
        "{events:?}"
    );
    let events = captured(|| drop(twice_on_stack_async()));
    assert!(
        events.len() == 1 && events[0].contains("twice_on_stack"),
        "{events:?}"
    );
    let events = captured(|| {
        let (resolver, _promise) = channel::<u8>();
        resolver.resolve(1);
        resolver.resolve(2);
    });
    assert!(
        events.len() == 1 && events[0].contains("called again"),
        "{events:?}"
    );
}

#[test]
fn correct_use_is_silent() {
    let events = captured(|| {
        let (resolver, promise) = channel::<u8>();
        resolver.resolve(1);
        assert_eq!(futures::executor::block_on(promise), 1);
    });
    assert!(events.is_empty(), "{events:?}");
}

#[test]
fn a_blocking_send_that_cannot_wait_is_warned_about_at_the_next_poll() {
    use futures::StreamExt;

    let events = captured(|| {
        let (sender, mut stream) =
            callback_async::CallbackStream::bounded(1, callback_async::Overflow::Block);
        (0..3).for_each(|i| sender.send(i));
        drop(sender);
        assert_eq!(futures::executor::block_on(stream.next()), Some(0));
        assert_eq!(futures::executor::block_on(stream.next()), None);
    });
    assert_eq!(events.len(), 1, "{events:?}");
    assert!(
        events[0].starts_with("WARN callback_async") && events[0].contains("count=2"),
        "{events:?}"
    );
}

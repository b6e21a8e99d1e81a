//! Several callbacks in one `promisify!` call: body-form callbacks that share one promise or one
//! stream (items in the order the callbacks ran), and several `stream(..)` callbacks, one stream
//! each, beside the completion's promise or without one. The result is one flat tuple:
//! `(R?, streams.., promise or stream)`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use callback_async::{CallbackStream, Promise, promisify};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

#[derive(Debug, PartialEq)]
enum Event {
    Start(String),
    End(String),
}

/// Like expat's `XML_SetElementHandler`: a start and an end handler, called in document order
/// from a worker.
fn parse(
    document: &'static str,
    start: impl Fn(&str) + Send + 'static,
    end: impl Fn(&str) + Send + 'static,
) {
    std::thread::spawn(move || {
        for name in document.split(' ') {
            match name.strip_prefix('/') {
                Some(name) => end(name),
                None => start(name),
            }
        }
    });
}

/// Two callbacks of which either may come first; returns a handle.
fn race(first: impl FnOnce(u8) + Send + 'static, second: impl FnOnce(u8) + Send + 'static) -> u32 {
    std::thread::spawn(move || {
        second(2);
        first(1);
    });
    9
}

/// Two progress callbacks and a completion; the progress callbacks are kept a while after the
/// completion (as git2's and GIO's are), and called once more then.
fn transfer(
    objects: u32,
    mut on_object: impl FnMut(u32) + Send + 'static,
    mut on_bytes: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(Result<u32, String>) + Send + 'static,
) -> &'static str {
    std::thread::spawn(move || {
        for object in 1..=objects {
            on_object(object);
            on_bytes(u64::from(object) * 100);
        }
        done(Ok(objects));
        std::thread::sleep(Duration::from_millis(20));
        on_object(objects + 1);
        on_bytes(0);
    });
    "transfer"
}

/// Two progress callbacks and nothing that completes: each stream ends when its callback goes.
fn watch(
    mut on_create: impl FnMut(String) + Send + 'static,
    mut on_remove: impl FnMut(String) + Send + 'static,
) {
    std::thread::spawn(move || {
        on_create("a".into());
        on_remove("b".into());
        on_create("c".into());
    });
}

#[test]
fn a_start_and_an_end_handler_make_one_stream_in_the_order_they_ran() {
    watchdog(|| async {
        let events: CallbackStream<Event> = promisify!(stream parse(
            "doc p /p /doc",
            |name: &str| { _(Event::Start(name.to_owned())) },
            |name: &str| { _(Event::End(name.to_owned())) },
        ));
        assert_eq!(
            events.collect::<Vec<_>>().await,
            [
                Event::Start("doc".into()),
                Event::Start("p".into()),
                Event::End("p".into()),
                Event::End("doc".into()),
            ]
        );
    });
}

#[test]
fn in_stream_mode_plain_placeholders_of_one_type_share_the_stream() {
    watchdog(|| async {
        let (handle, items): (u32, CallbackStream<u8>) = promisify!(stream race(_, _));
        assert_eq!(handle, 9);
        assert_eq!(items.collect::<Vec<_>>().await, [2, 1]);
    });
}

#[test]
fn body_form_callbacks_share_one_promise_and_the_first_call_settles_it() {
    watchdog(|| async {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (first, second) = (Arc::clone(&seen), Arc::clone(&seen));
        let (handle, promise): (u32, Promise<&str>) = promisify!(race(
            move |n| {
                first.lock().unwrap().push(n);
                _("first")
            },
            move |n| {
                second.lock().unwrap().push(n);
                _("second")
            },
        ));
        assert_eq!(handle, 9);
        assert_eq!(promise.await, "second");
        // The later callback still ran; its value was ignored.
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        while seen.lock().unwrap().len() < 2 && std::time::Instant::now() < deadline {
            std::thread::yield_now();
        }
        assert_eq!(*seen.lock().unwrap(), [2, 1]);
    });
}

#[test]
fn two_streams_and_a_completion_give_a_flat_tuple_in_the_order_written() {
    watchdog(|| async {
        let (name, objects, bytes, done): (
            _,
            CallbackStream<u32>,
            CallbackStream<u64>,
            Promise<_>,
        ) = promisify!(transfer(3, stream(_), stream(_), _));
        assert_eq!(name, "transfer");
        // Both streams end with the completion, though the API calls them once more after it.
        assert_eq!(objects.collect::<Vec<_>>().await, [1, 2, 3]);
        assert_eq!(bytes.collect::<Vec<_>>().await, [100, 200, 300]);
        assert_eq!(done.await, Ok(3));
    });
}

#[test]
fn each_stream_keeps_its_own_bound() {
    watchdog(|| async {
        let (_, objects, bytes, done) = promisify!(transfer(
            40,
            stream(|n: u32| _, bound = 2, overflow = drop_oldest),
            stream(_),
            _
        ));
        assert_eq!(done.await, Ok(40));
        // Read after the completion: the bounded stream kept its last two items.
        assert_eq!(objects.collect::<Vec<_>>().await, [39, 40]);
        assert_eq!(bytes.collect::<Vec<_>>().await.len(), 40);
    });
}

#[test]
fn a_dropped_completion_ends_every_stream() {
    /// Keeps its progress callbacks, and drops the completion uncalled.
    fn abandon(
        on_a: impl FnMut(u8) + Send + 'static,
        on_b: impl FnMut(u8) + Send + 'static,
        done: impl FnOnce(()) + Send + 'static,
    ) -> impl Drop {
        struct Keep<A, B>(A, B);
        impl<A, B> Drop for Keep<A, B> {
            fn drop(&mut self) {}
        }
        drop(done);
        Keep(on_a, on_b)
    }
    watchdog(|| async {
        let (kept, a, b, done) = promisify!(abandon(stream(_), stream(_), _));
        assert_eq!(a.collect::<Vec<_>>().await, []);
        assert_eq!(b.collect::<Vec<_>>().await, []);
        assert!(done.or_dropped().await.is_err());
        drop(kept);
    });
}

#[test]
fn two_streams_without_a_completion_give_the_streams() {
    watchdog(|| async {
        let (created, removed): (CallbackStream<String>, CallbackStream<String>) =
            promisify!(watch(stream(_), stream(_)));
        assert_eq!(created.collect::<Vec<_>>().await, ["a", "c"]);
        assert_eq!(removed.collect::<Vec<_>>().await, ["b"]);
    });
}

#[test]
fn several_completions_beside_a_stream() {
    watchdog(|| async {
        let (name, objects, done) = promisify!(transfer(
            2,
            stream(_),
            |bytes: u64| {
                if bytes == 0 {
                    _(Err(String::from("reset")))
                }
            },
            |result: Result<u32, String>| { _(result.map(|n| n * 10)) },
        ));
        assert_eq!(name, "transfer");
        assert_eq!(objects.collect::<Vec<_>>().await, [1, 2]);
        assert_eq!(done.await, Ok(20));
    });
}

//! `promisify!`'s body form on local APIs shaped like real ones: callbacks that return a value to
//! their API, arguments with lifetimes, visitor factories, progress with completion, and Rust
//! callbacks of an `unsafe fn`. (`real_*.rs` test the same forms on the crates themselves.)

use std::sync::Mutex;
use std::time::Duration;

use callback_async::{CallbackStream, Promise, promisify};
use futures::StreamExt;
use futures::executor::block_on;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// Like curl's `write_function`: the callback answers how much it took, and the API keeps it
/// until the transfer is dropped.
struct Transfer {
    write: Option<WriteFunction>,
}

type WriteFunction = Box<dyn FnMut(&[u8]) -> Result<usize, String> + Send>;

impl Transfer {
    fn write_function(
        &mut self,
        f: impl FnMut(&[u8]) -> Result<usize, String> + Send + 'static,
    ) -> Result<(), String> {
        self.write = Some(Box::new(f));
        Ok(())
    }

    /// Feeds the chunks and returns how many bytes the callback took.
    fn perform(&mut self, chunks: &[&[u8]]) -> usize {
        let write = self.write.as_mut().expect("a write function");
        chunks.iter().map(|chunk| write(chunk).unwrap()).sum()
    }
}

#[test]
fn a_stream_callback_that_returns_a_value_to_its_api() {
    watchdog(|| async {
        let mut transfer = Transfer { write: None };
        let (set, chunks) = promisify!(stream transfer.write_function(
            |data: &[u8]| -> Result<usize, String> { _(data.to_vec()); Ok(data.len()) }
        ));
        set.unwrap();
        assert_eq!(transfer.perform(&[b"ab", b"cde"]), 5);
        // The stream ends when the API drops the callback.
        drop(transfer);
        let chunks: Vec<Vec<u8>> = chunks.collect().await;
        assert_eq!(chunks, [b"ab".to_vec(), b"cde".to_vec()]);
    });
}

/// Like `rusqlite`'s `progress_handler`: an optional callback whose answer stops the work.
fn progress_handler(steps: u32, handler: Option<impl FnMut() -> bool + Send + 'static>) -> u32 {
    let mut handler = handler.expect("a handler");
    (0..steps).take_while(|_| !handler()).count() as u32
}

#[test]
fn a_callback_in_some_with_no_arguments() {
    let (done, ticks) = promisify!(stream progress_handler(3, Some(|| { _(()); false })));
    assert_eq!(done, 3);
    assert_eq!(block_on(ticks.count()), 3);
}

/// Like `git2`'s `transfer_progress`: an argument whose type carries a lifetime.
struct Progress<'a> {
    received: &'a usize,
}

impl Progress<'_> {
    fn received_objects(&self) -> usize {
        *self.received
    }
}

fn transfer(total: usize, mut progress: impl FnMut(Progress<'_>) -> bool) -> usize {
    let mut received = 0;
    while received < total {
        received += 1;
        if !progress(Progress {
            received: &received,
        }) {
            break;
        }
    }
    received
}

#[test]
fn an_argument_whose_type_carries_a_lifetime() {
    let (received, progress) = promisify!(stream transfer(4, |p: Progress<'_>| {
        _(p.received_objects());
        true
    }));
    assert_eq!(received, 4);
    assert_eq!(block_on(progress.collect::<Vec<_>>()), [1, 2, 3, 4]);
}

/// Like `ignore`'s parallel walk: a factory of visitors, run on several threads.
type Visitor = Box<dyn FnMut(Result<String, String>) -> bool + Send>;

fn walk(names: Vec<&'static str>, mut factory: impl FnMut() -> Visitor) {
    let names = Mutex::new(names);
    std::thread::scope(|scope| {
        for _ in 0..3 {
            let mut visit = factory();
            let names = &names;
            scope.spawn(move || {
                while let Some(name) = names.lock().unwrap().pop() {
                    let entry = if name.ends_with(".tmp") {
                        Err(name.to_owned())
                    } else {
                        Ok(name.to_owned())
                    };
                    if !visit(entry) {
                        break;
                    }
                }
            });
        }
    });
}

#[test]
fn a_factory_whose_visitors_run_on_several_threads() {
    watchdog(|| async {
        let names = vec!["a.rs", "b.tmp", "c.rs", "d.rs", "e.tmp"];
        let paths = promisify!(stream walk(names, || Box::new(|entry| {
            if let Ok(name) = entry {
                _(name.to_uppercase())
            }
            true
        })));
        let mut paths: Vec<String> = paths.collect().await;
        paths.sort();
        assert_eq!(paths, ["A.RS", "C.RS", "D.RS"]);
    });
}

#[test]
fn a_factory_in_promise_mode_settles_with_the_first_call() {
    let first: Promise<String> = promisify!(walk(vec!["only.rs"], || Box::new(|entry| {
        _(entry.unwrap());
        true
    })));
    assert_eq!(block_on(first), "only.rs");
}

/// A one-shot callback that answers its API: the answer decides what the API returns.
fn ask(question: &str, answer: impl FnOnce(&str) -> bool + Send + 'static) -> &'static str {
    if answer(question) {
        "accepted"
    } else {
        "refused"
    }
}

#[test]
fn a_one_shot_callback_that_returns_a_value_to_its_api() {
    let (verdict, heard) = promisify!(ask("continue?", |q: &str| {
        _(q.len(), q.to_owned());
        q.ends_with('?')
    }));
    assert_eq!(verdict, "accepted");
    assert_eq!(block_on(heard), (9, "continue?".to_owned()));
}

#[test]
fn handovers_in_branches_and_the_first_call_wins() {
    let (verdict, heard) = promisify!(ask("", |q: &str| {
        if q.is_empty() {
            _("empty")
        } else {
            _("some")
        }
        _("ignored: the promise is settled");
        false
    }));
    assert_eq!(verdict, "refused");
    assert_eq!(block_on(heard), "empty");
}

/// Like `gio`'s `copy_async`: progress reported many times, then one completion.
fn copy(
    size: u64,
    mut progress: impl FnMut(u64, u64) + Send + 'static,
    done: impl FnOnce(Result<u64, String>) + Send + 'static,
) {
    std::thread::spawn(move || {
        for copied in (0..=size).step_by(4) {
            progress(copied, size);
        }
        done(Ok(size));
        // The API keeps the progress callback past the completion.
        std::thread::sleep(Duration::from_millis(50));
        progress(size, size);
    });
}

#[test]
fn progress_with_completion() {
    watchdog(|| async {
        type Copied = Result<u64, String>;
        let (mut progress, done): (CallbackStream<(u64, u64)>, Promise<Copied>) =
            promisify!(copy(8, stream(|copied: u64, total: u64| _), _));
        let mut seen = Vec::new();
        while let Some((copied, _)) = progress.next().await {
            seen.push(copied);
        }
        assert_eq!(seen, [0, 4, 8]);
        assert_eq!(done.await, Ok(8));
    });
}

fn copy_returning(
    mut progress: impl FnMut(u64) + Send + 'static,
    done: impl FnOnce(u64) + Send + 'static,
) -> &'static str {
    progress(1);
    progress(2);
    done(3);
    "started"
}

#[test]
fn progress_with_completion_and_a_returned_value() {
    let (started, progress, done) =
        promisify!(copy_returning(stream(|n: u64| { _(n * 10) }), |n| { _(n) }));
    assert_eq!(started, "started");
    assert_eq!(block_on(progress.collect::<Vec<_>>()), [10, 20]);
    assert_eq!(block_on(done), 3);
}

/// Like `signal_hook::low_level::register`: an `unsafe fn` that takes a Rust callback.
///
/// # Safety
/// The callback must be safe to call where the API calls it.
unsafe fn register(times: u32, callback: impl Fn() + Send + Sync + 'static) -> Result<u32, String> {
    for _ in 0..times {
        callback();
    }
    Ok(times)
}

#[test]
fn a_rust_callback_of_an_unsafe_fn() {
    // SAFETY: `register` calls the callback on this thread, where it is safe to run.
    let (registered, calls) = promisify!(stream unsafe { register(3, || _(())) });
    assert_eq!(registered, Ok(3));
    assert_eq!(block_on(calls.count()), 3);
}

// The handle a body-form closure owns is named for what `_(..)` feeds (`stream`, `promise`), so
// that rustc's "`stream` declared here" reads as the user's; it is hygienic, so the user's own
// `stream`, `promise` and `callback` stay theirs inside the closure, nested closures included.
#[test]
fn locals_named_like_the_handle_stay_the_users() {
    watchdog(|| async {
        let (stream, promise, callback) = ("s", "p", "c");
        let mut transfer = Transfer { write: None };
        let (set, chunks) = promisify!(stream transfer.write_function(
            |data: &[u8]| -> Result<usize, String> {
                _(format!("{stream}{promise}{callback}{}", data.len()));
                Ok(data.len())
            }
        ));
        set.unwrap();
        transfer.perform(&[b"ab"]);
        drop(transfer);
        assert_eq!(chunks.collect::<Vec<_>>().await, ["spc2"]);
        let (verdict, heard) = promisify!(ask("?", |q: &str| {
            _(format!("{promise}{q}"));
            true
        }));
        assert_eq!(verdict, "accepted");
        assert_eq!(heard.await, "p?");
        let paths = promisify!(stream walk(vec!["a.rs"], || Box::new(|entry| {
            _(format!("{stream}{}", entry.unwrap()));
            true
        })));
        assert_eq!(paths.collect::<Vec<_>>().await, ["sa.rs"]);
    });
}

/// An API that calls back before it returns, as `promisify-body-captured-copy-never-read.rs`'s.
fn each(items: &[u8], mut f: impl FnMut(u8)) {
    items.iter().for_each(|item| f(*item));
}

// The fix the docs give for rustc's "value captured by `count` is never read": the `move` closure
// owns a reference, so the caller's `count` is the one updated.
#[test]
fn a_reference_bound_before_the_call_updates_the_callers_variable() {
    watchdog(|| async {
        let mut count = 0;
        let items = [1, 2, 3];
        let counter = &mut count;
        let seen = promisify!(stream each(&items, |n| {
            *counter += 1;
            _(n);
        }));
        assert_eq!(count, 3);
        assert_eq!(seen.collect::<Vec<u8>>().await, [1, 2, 3]);
    });
}

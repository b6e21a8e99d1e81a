//! A stream's waker is foreign code: the executor's, or anyone's. A waker may own the last
//! reference to a task, and so whatever that task owns, such as the stream's own sender or a
//! progress stream's completion callback; when the stream drops that waker (a poll from another
//! task replaces it), the drop touches the stream. The stream clones and drops wakers outside its
//! lock, so that such a drop ends the stream instead of locking it twice on one thread (a
//! deadlock, which each test's watchdog turns into a failure).

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use callback_async::{CallbackStream, Overflow, promisify};
use futures::Stream;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// Code that a waker runs when it is dropped.
type OnDrop = Box<dyn FnOnce() + Send>;

/// A waker that does nothing when woken and runs its hook when its last clone is dropped, as a
/// task that owns the hook's captures would drop them.
struct DropHook(Mutex<Option<OnDrop>>);

impl DropHook {
    fn waker(hook: impl FnOnce() + Send + 'static) -> Waker {
        Waker::from(Arc::new(DropHook(Mutex::new(Some(Box::new(hook))))))
    }
}

impl Wake for DropHook {
    fn wake(self: Arc<Self>) {}
}

impl Drop for DropHook {
    fn drop(&mut self) {
        if let Some(hook) = self.0.get_mut().unwrap().take() {
            hook();
        }
    }
}

fn poll<T>(stream: &mut CallbackStream<T>, waker: &Waker) -> Poll<Option<T>> {
    std::pin::Pin::new(stream).poll_next(&mut Context::from_waker(waker))
}

/// Polls `stream` with a waker that runs `hook` when dropped, leaves the stream that waker's
/// only clone, then polls with another waker, which replaces (and drops) it: the stream ends.
fn replace_the_waker_that_runs<T: std::fmt::Debug>(
    stream: &mut CallbackStream<T>,
    hook: impl FnOnce() + Send + 'static,
) {
    let first = DropHook::waker(hook);
    assert!(poll(stream, &first).is_pending());
    drop(first);
    let second = Waker::noop();
    // The hook ran while this poll replaced the waker: the stream ends at this poll or the next.
    if poll(stream, second).is_pending() {
        assert!(matches!(poll(stream, second), Poll::Ready(None)));
    }
}

#[test]
fn a_dropped_waker_may_drop_the_streams_last_sender() {
    watchdog(|| async {
        for overflow in [Overflow::DropOldest, Overflow::DropNewest, Overflow::Block] {
            let (sender, mut stream) = CallbackStream::<u32>::bounded(4, overflow);
            replace_the_waker_that_runs(&mut stream, move || {
                assert!(sender.is_awaited());
                drop(sender);
            });
            assert_eq!(stream.discarded(), 0);
        }
        let (sender, mut stream) = CallbackStream::<u32>::channel();
        replace_the_waker_that_runs(&mut stream, move || drop(sender));
    });
}

/// Hands its progress callback and its completion callback to `keep`, uncalled.
fn start(
    progress: impl FnMut(u32) + Send + 'static,
    done: impl FnOnce(u32) + Send + 'static,
    keep: &mut Vec<OnDrop>,
) {
    keep.push(Box::new(move || drop(progress)));
    keep.push(Box::new(move || drop(done)));
}

#[test]
fn a_dropped_waker_may_drop_a_progress_streams_completion() {
    watchdog(|| async {
        let mut kept = Vec::new();
        let (mut progress, done) = promisify!(start(stream(_), _, &mut kept));
        let drop_completion = kept.pop().unwrap();
        // The completion's drop closes the progress stream, whose sender lives on in `kept`.
        replace_the_waker_that_runs(&mut progress, drop_completion);
        assert!(done.or_dropped().await.is_err());
        drop(kept);
    });
}

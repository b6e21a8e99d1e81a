//! `#[callback_async(callback = .., progress = ..)]`: a function with a progress callback and a
//! completion callback becomes one that returns the progress stream beside the promise, and the
//! stream ends with the completion even when the API keeps the progress callback.

use std::sync::Mutex;
use std::time::Duration;

use callback_async::{CallbackStream, Promise, callback_async};
use futures::StreamExt;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// A legacy copy that reports progress from a worker, then completes, and keeps the progress
/// callback for a while after (as GIO's and git2's do until their objects go).
#[callback_async(callback = done, progress = on_progress)]
fn copy(
    size: u64,
    mut on_progress: impl FnMut(u64, u64) + Send + 'static,
    done: impl FnOnce(Result<u64, String>) + Send + 'static,
) {
    std::thread::spawn(move || {
        for copied in (0..=size).step_by(2) {
            on_progress(copied, size);
        }
        done(Ok(size));
        std::thread::sleep(Duration::from_millis(50));
        on_progress(size, size);
    });
}

struct Repository {
    objects: u32,
}

#[callback_async]
impl Repository {
    /// The completion is found as the one other callback.
    #[callback_async(progress = progress)]
    fn clone_into(
        &self,
        path: &str,
        progress: Box<dyn FnMut(u32) + Send>,
        finished: Box<dyn FnOnce(String) + Send>,
    ) -> usize {
        let (objects, path) = (self.objects, path.to_owned());
        let mut progress = progress;
        std::thread::spawn(move || {
            (1..=objects).for_each(&mut progress);
            finished(path);
        });
        7
    }
}

#[test]
fn the_progress_stream_ends_with_the_completion() {
    watchdog(|| async {
        type Copied = Result<u64, String>;
        let (mut progress, done): (CallbackStream<(u64, u64)>, Promise<Copied>) = copy_async(4);
        let mut seen = Vec::new();
        while let Some((copied, total)) = progress.next().await {
            seen.push((copied, total));
        }
        assert_eq!(seen, [(0, 4), (2, 4), (4, 4)]);
        assert_eq!(done.await, Ok(4));
    });
}

#[test]
fn a_returned_value_comes_first() {
    watchdog(|| async {
        let repository = Repository { objects: 3 };
        let (handle, progress, done) = repository.clone_into_async("/tmp/clone");
        assert_eq!(handle, 7);
        assert_eq!(progress.collect::<Vec<_>>().await, [1, 2, 3]);
        assert_eq!(done.await, "/tmp/clone");
    });
}

/// The completion dropped uncalled: the promise reads as dropped and the stream still ends.
#[callback_async(callback = done, progress = tick)]
fn abandoned(mut tick: impl FnMut(u8) + Send + 'static, done: impl FnOnce(u8) + Send + 'static) {
    tick(1);
    drop(done);
    // The API keeps the progress callback, here for the rest of the test binary.
    *KEPT.lock().unwrap() = Some(Box::new(tick));
}

static KEPT: Mutex<Option<Tick>> = Mutex::new(None);

type Tick = Box<dyn FnMut(u8) + Send>;

#[test]
fn a_dropped_completion_ends_the_stream_too() {
    watchdog(|| async {
        let (progress, done) = abandoned_async();
        assert_eq!(progress.collect::<Vec<_>>().await, [1]);
        assert!(done.or_dropped().await.is_err());
    });
}

//! Helpers shared by the `real_*.rs` tests, which run `promisify!` on real crates.io crates (each
//! test file is a crate of its own, and uses what it needs of this file).
#![allow(dead_code)]

use std::future::Future;
use std::panic::resume_unwind;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

/// Longest a test may take: far above what any of them needs, so that only a callback that never
/// comes (or a stream that never ends) trips it.
pub const WATCHDOG: Duration = Duration::from_secs(30);

/// Runs the future that `test` makes on a thread of its own, failing the test if it has not
/// finished within [`WATCHDOG`]. A blocking call that hangs (a walk, a transfer, a clone) fails
/// the test too, which a timeout around the future alone would not catch. A panic in the test is
/// the test's failure, as if it had run here.
pub fn watchdog<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let (done, finished) = mpsc::channel();
    // Named after the test, so that a panic names it as the harness's own thread would.
    let name = std::thread::current().name().unwrap_or("test").to_owned();
    let thread = std::thread::Builder::new()
        .name(name)
        .spawn(move || {
            futures::executor::block_on(test());
            let _ = done.send(());
        })
        .unwrap();
    match finished.recv_timeout(WATCHDOG) {
        Ok(()) => thread.join().unwrap(),
        Err(mpsc::RecvTimeoutError::Disconnected) => match thread.join() {
            Err(panic) => resume_unwind(panic),
            Ok(()) => unreachable!("the test's thread ended without reporting"),
        },
        // The thread is left behind: the test binary ends with its last test.
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the test did not finish in {WATCHDOG:?}"),
    }
}

/// A fresh directory under the system's temporary directory, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "callback-async-{name}-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    /// Writes `contents` to `relative` inside the directory, creating its parent directories.
    pub fn write(&self, relative: &str, contents: &str) {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Polls `stream` without pause until `stop` is set, then once more until it is empty: the number
/// of items delivered. Polling never parks, so the consumer spends its time inside the stream's
/// own code, where the signals of the signal tests land.
pub fn poll_until<S: futures::Stream + Unpin>(
    stream: &mut S,
    stop: &std::sync::atomic::AtomicBool,
) -> u64 {
    use std::sync::atomic::Ordering;
    use std::task::{Context, Poll, Waker};

    let mut cx = Context::from_waker(Waker::noop());
    let mut delivered = 0;
    loop {
        let stopping = stop.load(Ordering::SeqCst);
        loop {
            match std::pin::Pin::new(&mut *stream).poll_next(&mut cx) {
                Poll::Ready(Some(_)) => delivered += 1,
                Poll::Ready(None) => return delivered,
                Poll::Pending => break,
            }
        }
        if stopping {
            return delivered;
        }
    }
}

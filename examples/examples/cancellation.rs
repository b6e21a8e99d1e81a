//! Cancelling a legacy operation when its future is dropped, here by `tokio::time::timeout`:
//! `cargo run --example cancellation`.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use callback_async::callback_async;

/// A handle to a running legacy download, which can stop it.
pub struct Download {
    stop: Arc<AtomicBool>,
}

impl Download {
    fn abort(self) {
        println!("  cancel hook: aborting the legacy download");
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// A legacy download that takes `ms` milliseconds, checking a stop flag as it goes.
#[callback_async(cancel = Download::abort)]
fn download(
    ms: u64,
    stopped: Arc<AtomicBool>,
    done: impl FnOnce(usize) + Send + 'static,
) -> Download {
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let report = Arc::clone(&stopped);
    thread::spawn(move || {
        for _ in 0..ms {
            if flag.load(Ordering::SeqCst) {
                report.store(true, Ordering::SeqCst);
                return;
            }
            thread::sleep(Duration::from_millis(1));
        }
        done(1024);
    });
    Download { stop }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let stopped = Arc::new(AtomicBool::new(false));
    let quick = tokio::time::timeout(
        Duration::from_secs(2),
        download_async(20, Arc::clone(&stopped)),
    )
    .await;
    println!("20 ms download within 2 s: {quick:?}");

    let start = Instant::now();
    let slow = tokio::time::timeout(
        Duration::from_millis(50),
        download_async(60_000, Arc::clone(&stopped)),
    )
    .await;
    println!(
        "60 s download within 50 ms: {}",
        if slow.is_err() {
            "timed out"
        } else {
            "finished?"
        }
    );
    while !stopped.load(Ordering::SeqCst) && start.elapsed() < Duration::from_secs(5) {
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    println!(
        "legacy worker stopped: {} (after {:?})",
        stopped.load(Ordering::SeqCst),
        start.elapsed()
    );
    assert!(stopped.load(Ordering::SeqCst));
}

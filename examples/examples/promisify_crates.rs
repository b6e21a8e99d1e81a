//! `promisify!` on crates you cannot annotate: `cargo run --example promisify_crates`.
//!
//! `threadpool` and `notify` are used exactly as published; each callback-taking call is turned
//! into a `Promise` or a `CallbackStream` where it is made.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use callback_async::{CallbackStream, Promise, promisify};
use futures::future::{self, Either};
use futures::{FutureExt, StreamExt};
use notify::Watcher;

/// A promise that settles after `delay`, to bound the waits below.
fn deadline(delay: Duration) -> Promise<()> {
    Promise::new(|resolver| {
        thread::spawn(move || {
            thread::sleep(delay);
            resolver.resolve(());
        });
    })
}

async fn thread_pool() {
    let pool = threadpool::ThreadPool::new(1);
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..5 {
        let done = Arc::clone(&done);
        pool.execute(move || {
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    // The pool runs its jobs in order, so this one settles after the five before it.
    let barrier: Promise<()> = promisify!(pool.execute(|| _));
    barrier.await;
    println!(
        "threadpool: promisify!(pool.execute(|| _)).await -> {} jobs done before it",
        done.load(Ordering::SeqCst)
    );
}

async fn file_watcher() -> notify::Result<()> {
    let dir: PathBuf =
        std::env::temp_dir().join(format!("callback-async-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;

    // `recommended_watcher` returns a `Result`, so `promisify!` gives it back with the stream.
    let (watcher, mut events): (_, CallbackStream<notify::Result<notify::Event>>) =
        promisify!(stream notify::recommended_watcher(|e: notify::Result<notify::Event>| _));
    let mut watcher = watcher?;
    watcher.watch(&dir, notify::RecursiveMode::NonRecursive)?;
    println!("notify: watching {}", dir.display());

    let file = dir.join("hello.txt");
    std::fs::write(&file, "hello")?;
    let start = Instant::now();
    let mut timeout = deadline(Duration::from_secs(2)).fuse();
    let mut seen = 0;
    loop {
        match future::select(events.next(), &mut timeout).await {
            Either::Left((Some(Ok(event)), _)) => {
                seen += 1;
                println!("notify: event {seen}: {:?} {:?}", event.kind, event.paths);
                if event.kind.is_create() && event.paths.contains(&file) {
                    break;
                }
            }
            Either::Left((Some(Err(error)), _)) => println!("notify: error {error}"),
            Either::Left((None, _)) => {
                println!("notify: the watcher stopped");
                break;
            }
            Either::Right(((), _)) => {
                println!("notify: no event within 2 s (is inotify available?)");
                break;
            }
        }
    }
    println!("notify: creation seen after {:?}", start.elapsed());

    // Dropping the watcher drops its handler, which ends the stream.
    drop(watcher);
    let rest = future::select(events.count(), deadline(Duration::from_secs(2))).await;
    if let Either::Left((count, _)) = rest {
        println!("notify: stream ended after the watcher was dropped ({count} late events)");
    }
    std::fs::remove_dir_all(&dir)?;
    Ok(())
}

fn main() -> notify::Result<()> {
    futures::executor::block_on(async {
        thread_pool().await;
        file_watcher().await
    })
}

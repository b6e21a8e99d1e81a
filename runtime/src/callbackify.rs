//! The reverse direction: async code called from callback-based code.

use alloc::boxed::Box;
use core::future::Future;
use core::pin::Pin;

/// A spawned future, as handed to the spawner of [`callbackify`] (and of the functions that
/// `#[callbackify]` generates): the spawner's parameter type.
///
/// ```
/// use callback_async::{BoxFuture, callbackify};
///
/// // A spawner that runs the future to its end at once, on this thread.
/// let spawn = |future: BoxFuture| futures::executor::block_on(future);
/// let (sender, receiver) = std::sync::mpsc::channel();
/// callbackify(async { 2 + 2 }, spawn, move |n| sender.send(n).unwrap());
/// assert_eq!(receiver.recv().unwrap(), 4);
/// ```
pub type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send + 'static>>;

/// Runs `future` on the executor that `spawn` hands it to, and calls `callback` with its output:
/// the async → callback direction, for legacy callers of new async code.
///
/// `spawn` is any function or closure that spawns a boxed future (its return value, such as a
/// join handle, is dropped): `tokio::spawn`, `|f| pool.spawn_ok(f)` for
/// `futures::executor::ThreadPool`, `|f| smol::spawn(f).detach()`. No executor is built in.
///
/// `callback` runs exactly once, on the executor, with the output. If the future panics, or the
/// executor drops it before completion (a runtime shutting down), `callback` is dropped without
/// being called: a callback built on a [`Resolver`](crate::Resolver) then reads as
/// [`Dropped`](crate::Dropped) on the other side.
///
/// ```
/// use futures::executor::ThreadPool;
///
/// async fn double(n: u32) -> u32 { n * 2 }
///
/// let pool = ThreadPool::new().unwrap();
/// let (sender, receiver) = std::sync::mpsc::channel();
/// callback_async::callbackify(double(21), |f| pool.spawn_ok(f), move |n| sender.send(n).unwrap());
/// assert_eq!(receiver.recv().unwrap(), 42);
/// ```
pub fn callbackify<T, R>(
    future: impl Future<Output = T> + Send + 'static,
    spawn: impl FnOnce(BoxFuture) -> R,
    callback: impl FnOnce(T) + Send + 'static,
) {
    let _handle = spawn(Box::pin(async move { callback(future.await) }));
}

use core::fmt;
use core::future::{Future, IntoFuture};
use core::panic::Location;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use crate::Resolver;

/// A value that a callback will deliver later: the awaiting half of a callback call.
///
/// A `Promise<T>` is a [`Future`] with `Output = T`. It is settled exactly once, by its
/// [`Resolver`], from any thread. It never borrows anything, so it is `'static` when `T` is, and it
/// is `Send` when `T` is: it can be handed to `tokio::spawn` or any other executor.
///
/// # When the callback is dropped
///
/// Legacy code sometimes drops a callback without calling it. The promise never hangs: awaiting it
/// then panics with a message that contains `dropped` and names the callback (the function's name
/// for generated code, the place where the promise was created for hand-made ones). To handle that
/// case without a panic, await [`Promise::or_dropped`] instead, which yields
/// `Result<T, Dropped>`.
///
/// ```
/// use callback_async::{Dropped, Promise};
///
/// # futures::executor::block_on(async {
/// let promise = Promise::new(|resolver: callback_async::Resolver<u8>| drop(resolver));
/// assert_eq!(promise.or_dropped().await, Err(Dropped));
/// # });
/// ```
///
/// Dropping the promise is always fine: a later resolve is a silent no-op.
#[must_use = "a promise does nothing unless awaited; dropping it ignores the callback's value"]
pub struct Promise<T> {
    state: Option<State<T>>,
    origin: Origin,
    /// Called if the promise is dropped while its callback is still pending
    /// (`#[callback_async(cancel = ..)]`).
    on_cancel: Option<Box<dyn FnOnce() + Send>>,
}

enum State<T> {
    Waiting(oneshot::AsyncReceiver<T>),
    Ready(T),
    /// The callback was dropped before the promise was made (a callback that could not outlive
    /// its call, dropped or forgotten uncalled).
    Abandoned,
}

/// Which callback a promise waits for, for the message of a dropped callback (and, with the
/// `tracing` feature, for the warnings about misused callbacks).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin {
    /// The callback passed to this function (or written in this `promisify!` call), by a caller
    /// at this place.
    Callback(&'static str, &'static Location<'static>),
    /// A promise made by hand at this place.
    Caller(&'static Location<'static>),
    /// A promise made already settled.
    Ready,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::Callback(name, location) => {
                write!(f, "the callback of `{name}` (called at {location})")
            }
            Origin::Caller(location) => {
                write!(f, "the resolver of the promise created at {location}")
            }
            Origin::Ready => f.write_str("a ready promise"),
        }
    }
}

/// The error of [`Promise::or_dropped`]: the resolver (the callback) was dropped without settling
/// the promise, so its value will never arrive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the callback was dropped without being called")
    }
}

impl std::error::Error for Dropped {}

impl<T> Promise<T> {
    /// Creates a promise and runs `executor` at once with its [`Resolver`], as JavaScript's
    /// `new Promise(resolve => …)` does.
    ///
    /// The executor typically starts a callback-based operation and moves the resolver into its
    /// callback.
    ///
    /// ```
    /// use callback_async::Promise;
    ///
    /// fn legacy_add(a: u32, b: u32, done: impl FnOnce(u32) + Send + 'static) {
    ///     std::thread::spawn(move || done(a + b));
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let sum = Promise::new(|resolver| legacy_add(2, 3, move |n| resolver.resolve(n))).await;
    /// assert_eq!(sum, 5);
    /// # });
    /// ```
    #[track_caller]
    pub fn new(executor: impl FnOnce(Resolver<T>)) -> Self {
        let (resolver, promise) = crate::channel();
        executor(resolver);
        promise
    }

    /// A promise that is already settled with `value`, like JavaScript's `Promise.resolve(v)`.
    /// It allocates nothing.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// assert_eq!(callback_async::Promise::resolved(7).await, 7);
    /// # });
    /// ```
    pub fn resolved(value: T) -> Self {
        Promise {
            state: Some(State::Ready(value)),
            origin: Origin::Ready,
            on_cancel: None,
        }
    }

    pub(crate) fn settled(value: Option<T>, origin: Origin) -> Self {
        Promise {
            state: Some(value.map_or(State::Abandoned, State::Ready)),
            origin,
            on_cancel: None,
        }
    }

    pub(crate) fn with_origin(origin: Origin) -> (Resolver<T>, Self) {
        let (sender, promise) = Promise::with_sender(origin);
        (Resolver::new(sender, origin), promise)
    }

    pub(crate) fn with_sender(origin: Origin) -> (oneshot::Sender<T>, Self) {
        let (sender, receiver) = oneshot::channel();
        let promise = Promise {
            state: Some(State::Waiting(receiver.into_future())),
            origin,
            on_cancel: None,
        };
        (sender, promise)
    }

    /// Awaits the value, or [`Dropped`] if the resolver is dropped without settling, instead of
    /// panicking in that case.
    ///
    /// ```
    /// use callback_async::{channel, Dropped};
    ///
    /// # futures::executor::block_on(async {
    /// let (resolver, promise) = channel::<String>();
    /// std::thread::spawn(move || drop(resolver));
    /// assert_eq!(promise.or_dropped().await, Err(Dropped));
    /// # });
    /// ```
    pub fn or_dropped(self) -> OrDropped<T> {
        OrDropped { promise: self }
    }

    pub(crate) fn set_on_cancel(&mut self, hook: Box<dyn FnOnce() + Send>) {
        self.on_cancel = Some(hook);
    }

    #[inline]
    fn poll_settled(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Dropped>> {
        // The common case, polled in place: no move of the state until it is ready.
        if let Some(State::Waiting(receiver)) = &mut self.state {
            let Poll::Ready(result) = Pin::new(receiver).poll(cx) else {
                return Poll::Pending;
            };
            // Settled: the channel goes, and the operation's handle without a cancel.
            self.state = None;
            self.on_cancel = None;
            return Poll::Ready(result.map_err(|_| Dropped));
        }
        match self.state.take() {
            Some(State::Ready(value)) => Poll::Ready(Ok(value)),
            Some(State::Abandoned) => Poll::Ready(Err(Dropped)),
            // `Waiting` was handled above.
            Some(State::Waiting(_)) | None => polled_after_completion(),
        }
    }
}

impl<T> Drop for Promise<T> {
    #[inline]
    fn drop(&mut self) {
        let Some(State::Waiting(mut receiver)) = self.state.take() else {
            return;
        };
        if receiver.has_message() {
            // Settled but never awaited: take the value out and free the channel before the
            // value's `Drop` runs, so that a panicking `Drop` cannot leak the channel.
            let polled = Pin::new(&mut receiver).poll(&mut Context::from_waker(Waker::noop()));
            drop(receiver);
            drop(polled);
        } else if !receiver.is_closed() {
            // Still running: cancel it (`cancel = ..`). A dropped callback needs no cancel.
            if let Some(hook) = self.on_cancel.take() {
                hook();
            }
        }
    }
}

/// Kept out of line, so that the hot `poll` stays small enough to inline.
#[cold]
#[inline(never)]
fn dropped(origin: &Origin) -> ! {
    panic!(
        "callback-async: {origin} was dropped without being called, so this promise can never \
         settle (await `.or_dropped()` to handle this without a panic)"
    )
}

#[cold]
#[inline(never)]
fn polled_after_completion() -> ! {
    panic!("callback-async: `Promise` polled after completion")
}

// The promise never pins its value in place: it only moves it out.
impl<T> Unpin for Promise<T> {}

impl<T> Future for Promise<T> {
    type Output = T;

    #[inline]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = self.get_mut();
        match this.poll_settled(cx) {
            Poll::Ready(Ok(value)) => Poll::Ready(value),
            Poll::Ready(Err(Dropped)) => dropped(&this.origin),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A completed promise reports itself terminated, so `futures::select!` can poll it in a loop.
impl<T> futures_core::FusedFuture for Promise<T> {
    fn is_terminated(&self) -> bool {
        self.state.is_none()
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match &self.state {
            Some(State::Waiting(_)) => "waiting",
            Some(State::Ready(_)) => "ready",
            Some(State::Abandoned) => "dropped",
            None => "completed",
        };
        f.debug_struct("Promise")
            .field("state", &state)
            .field("origin", &format_args!("{}", self.origin))
            .finish()
    }
}

impl<V, E> Promise<Result<V, E>> {
    /// Creates a promise of a `Result` and runs `executor` at once with a **resolve** and a
    /// **reject** function, as JavaScript's `new Promise((resolve, reject) => …)` does.
    ///
    /// `resolve(v)` settles the promise with `Ok(v)`, `reject(e)` with `Err(e)`. Both may be
    /// called from any thread; the first call of either wins and later calls of either are
    /// ignored. Dropping both uncalled is the usual [dropped outcome](Promise#when-the-callback-is-dropped).
    /// Each is a `Box<dyn Fn(..) + Send + Sync>`, so it can be passed where an `FnOnce`, `FnMut`
    /// or `Fn` callback with `Send + Sync + 'static` is asked for. (This convenience costs three
    /// small allocations besides the channel's; the generated code does not use it.)
    ///
    /// ```
    /// use callback_async::Promise;
    ///
    /// fn legacy(n: i32, done: impl FnOnce(Result<i32, String>) + Send + 'static) {
    ///     std::thread::spawn(move || done(if n >= 0 { Ok(n) } else { Err(format!("{n} < 0")) }));
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let promise = Promise::new_fallible(|resolve, reject| {
    ///     legacy(-1, move |result| match result {
    ///         Ok(v) => resolve(v),
    ///         Err(e) => reject(e),
    ///     })
    /// });
    /// assert_eq!(promise.await, Err("-1 < 0".to_owned()));
    /// # });
    /// ```
    #[track_caller]
    pub fn new_fallible(executor: impl FnOnce(Resolve<V>, Reject<E>)) -> Self
    where
        V: Send + 'static,
        E: Send + 'static,
    {
        let (resolver, promise) = crate::channel();
        let resolver = std::sync::Arc::new(resolver);
        let for_reject = std::sync::Arc::clone(&resolver);
        executor(
            Box::new(move |value| resolver.resolve(Ok(value))),
            Box::new(move |error| for_reject.resolve(Err(error))),
        );
        promise
    }

    /// A promise that is already settled with `Err(error)`, like JavaScript's
    /// `Promise.reject(e)`. It allocates nothing.
    ///
    /// ```
    /// # futures::executor::block_on(async {
    /// let promise = callback_async::Promise::<Result<u8, &str>>::rejected("no");
    /// assert_eq!(promise.await, Err("no"));
    /// # });
    /// ```
    pub fn rejected(error: E) -> Self {
        Promise::resolved(Err(error))
    }
}

/// The **resolve** function that [`Promise::new_fallible`] hands to its executor: settles the
/// promise with `Ok(value)`.
pub type Resolve<V> = Box<dyn Fn(V) + Send + Sync>;

/// The **reject** function that [`Promise::new_fallible`] hands to its executor: settles the
/// promise with `Err(error)`.
pub type Reject<E> = Box<dyn Fn(E) + Send + Sync>;

/// The future returned by [`Promise::or_dropped`]: the promise's value, or [`Dropped`].
#[must_use = "futures do nothing unless awaited"]
#[derive(Debug)]
pub struct OrDropped<T> {
    promise: Promise<T>,
}

impl<T> futures_core::FusedFuture for OrDropped<T> {
    fn is_terminated(&self) -> bool {
        self.promise.is_terminated()
    }
}

impl<T> Future for OrDropped<T> {
    type Output = Result<T, Dropped>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        self.get_mut().promise.poll_settled(cx)
    }
}

/// Creates a promise and its resolver as a pair, for code that does not fit [`Promise::new`].
///
/// ```
/// # futures::executor::block_on(async {
/// let (resolver, promise) = callback_async::channel();
/// std::thread::spawn(move || resolver.resolve("done"));
/// assert_eq!(promise.await, "done");
/// # });
/// ```
#[track_caller]
pub fn channel<T>() -> (Resolver<T>, Promise<T>) {
    Promise::with_origin(Origin::Caller(Location::caller()))
}

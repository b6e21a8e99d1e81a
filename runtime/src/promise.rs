use core::fmt;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::panic::Location;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::Resolver;
use crate::cell;

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
    state: State<T>,
}

/// Each state carries only what it needs, so that a ready promise is its value and a tag: what
/// a dropped callback's message names (`origin`) and the cancel hook only matter while waiting.
///
/// `Waiting`'s fields have no drop glue (the receiver has no `Drop`, the hook is in a
/// `ManuallyDrop`): [`Promise`]'s `Drop` and `poll` release them when they leave that state, so
/// that the glue of the other states, run after every `.await`, is only `T`'s.
enum State<T> {
    Waiting {
        receiver: cell::Receiver<T>,
        origin: Origin,
        /// Called if the promise is dropped while its callback is still pending
        /// (`#[callback_async(cancel = ..)]`).
        on_cancel: ManuallyDrop<Option<Box<dyn FnOnce() + Send>>>,
    },
    Ready(T),
    /// The callback was dropped before the promise was made (a callback that could not outlive
    /// its call, dropped or forgotten uncalled).
    Abandoned(Origin),
    /// The value (or `Dropped`) was handed out.
    Done,
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
    #[inline]
    pub fn resolved(value: T) -> Self {
        Promise {
            state: State::Ready(value),
        }
    }

    pub(crate) fn settled(value: Option<T>, origin: Origin) -> Self {
        Promise {
            state: match value {
                Some(value) => State::Ready(value),
                None => State::Abandoned(origin),
            },
        }
    }

    pub(crate) fn with_origin(origin: Origin) -> (Resolver<T>, Self) {
        let (sender, promise) = Promise::with_sender(origin);
        (Resolver::new(sender, origin), promise)
    }

    #[inline]
    pub(crate) fn with_sender(origin: Origin) -> (cell::Sender<T>, Self) {
        let (sender, receiver) = cell::channel();
        let promise = Promise {
            state: State::Waiting {
                receiver,
                origin,
                on_cancel: ManuallyDrop::new(None),
            },
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

    /// A promise that is settled already needs no cancel: `hook` is then dropped uncalled.
    pub(crate) fn set_on_cancel(&mut self, hook: Box<dyn FnOnce() + Send>) {
        if let State::Waiting { on_cancel, .. } = &mut self.state {
            // The `ManuallyDrop` holds `None` until now: nothing to drop.
            **on_cancel = Some(hook);
        }
    }

    /// The value, or the origin of the callback that was dropped uncalled.
    #[inline(always)]
    fn poll_settled(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Origin>> {
        // Two tests rather than a `match`, which compiles to a jump table; the rare states are
        // out of line.
        if let State::Ready(value) = &mut self.state {
            // A ready promise (the stack slot's, and `Promise::resolved`): a test and a move.
            // SAFETY: the value is moved out and the state overwritten at once, without
            // dropping it again.
            let value = unsafe { core::ptr::read(value) };
            // SAFETY: `self.state` is valid for writes; its old value (the moved-out `T`) must
            // not be dropped.
            unsafe { core::ptr::write(&mut self.state, State::Done) };
            return Poll::Ready(Ok(value));
        }
        if let State::Waiting {
            receiver,
            origin,
            on_cancel,
        } = &mut self.state
        {
            // A call's promise, polled in place.
            let Poll::Ready(result) = receiver.poll(cx) else {
                return Poll::Pending;
            };
            // The origin is copied only for a dropped callback's message.
            let result = result.map_err(|Dropped| *origin);
            // Settled: the receiver is spent (its block freed), and the operation's handle goes
            // without a cancel.
            // SAFETY: the hook is taken once, here, as the state leaves `Waiting`.
            let hook = unsafe { ManuallyDrop::take(on_cancel) };
            self.state = State::Done;
            drop(hook);
            return Poll::Ready(result);
        }
        self.poll_rare()
    }

    /// A callback dropped before the promise was made, or a promise polled again: out of line.
    #[cold]
    #[inline(never)]
    fn poll_rare(&mut self) -> Poll<Result<T, Origin>> {
        let State::Abandoned(origin) = self.state else {
            polled_after_completion()
        };
        self.state = State::Done;
        Poll::Ready(Err(origin))
    }

    /// `Drop`'s work for a promise still waiting, out of line: the hot paths never need it.
    #[cold]
    #[inline(never)]
    fn drop_waiting(&mut self) {
        let State::Waiting {
            receiver,
            on_cancel,
            ..
        } = &mut self.state
        else {
            return;
        };
        // SAFETY: the hook is taken once, here, as the state leaves `Waiting` (below).
        let hook = unsafe { ManuallyDrop::take(on_cancel) };
        // Settled but never awaited: the receiver frees the block before the value's `Drop`
        // runs, so that a panicking `Drop` cannot leak it. Still running: cancel it
        // (`cancel = ..`); a dropped callback needs no cancel.
        let pending = receiver.abandon();
        self.state = State::Done;
        if let Some(hook) = hook {
            if pending {
                hook();
            }
        }
    }
}

impl<T> Drop for Promise<T> {
    #[inline(always)]
    fn drop(&mut self) {
        if let State::Waiting { .. } = self.state {
            self.drop_waiting();
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

    #[inline(always)]
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.get_mut().poll_settled(cx) {
            Poll::Ready(Ok(value)) => Poll::Ready(value),
            Poll::Ready(Err(origin)) => dropped(&origin),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// A completed promise reports itself terminated, so `futures::select!` can poll it in a loop.
impl<T> futures_core::FusedFuture for Promise<T> {
    fn is_terminated(&self) -> bool {
        matches!(self.state, State::Done)
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (state, origin) = match &self.state {
            State::Waiting { origin, .. } => ("waiting", Some(origin)),
            State::Ready(_) => ("ready", None),
            State::Abandoned(origin) => ("dropped", Some(origin)),
            State::Done => ("completed", None),
        };
        let mut debug = f.debug_struct("Promise");
        debug.field("state", &state);
        if let Some(origin) = origin {
            debug.field("origin", &format_args!("{origin}"));
        }
        debug.finish()
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
        self.get_mut()
            .promise
            .poll_settled(cx)
            .map_err(|_origin| Dropped)
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

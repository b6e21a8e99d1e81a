//! [`Promise`], the future of one callback call, with [`channel`], [`Dropped`] and
//! [`OrDropped`] (the future of [`Promise::or_dropped`]).

use alloc::boxed::Box;
use core::fmt;
use core::future::Future;
use core::mem::ManuallyDrop;
use core::panic::Location;
use core::pin::Pin;
use core::ptr;
use core::task::{Context, Poll};

use crate::oneshot::{self, NoValue};
use crate::panic::Panic;
use crate::{Cancelling, Resolver};

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
///
/// # Signal handlers
///
/// Every promise is settled with atomic operations only: no lock, and no allocation unless the
/// value is built by one (an owned copy of a borrowed argument). So the callbacks that the macros
/// generate, C callbacks, and a [`Resolver`] used by hand may run in a signal handler; the
/// awaiting task is then woken through its executor's waker.
///
/// # Panics in C callbacks
///
/// A C callback's body (`promisify!(unsafe { .. })`, see [`ffi`](crate::ffi)) must not unwind
/// into C: its panic is caught there and carried to the promise, which resumes it in the task
/// that polls it, whether through `.await`, [`wait`](Promise::wait),
/// [`or_dropped`](Promise::or_dropped) or [`cancel`](Promise::cancel).
#[must_use = "a promise does nothing unless awaited; dropping it ignores the callback's value"]
pub struct Promise<T> {
    /// Which state, and what it needs besides the payload (see [`Tag`]).
    tag: Tag,
    payload: Payload<T>,
}

/// The promise's state in one word, so that a promise is two words for a value of up to one
/// (it is built before the legacy call and moved into the awaiting future, in registers):
///
/// - [`READY`]: the payload is the value;
/// - [`DONE`]: the value (or `Dropped`) was handed out; no payload;
///
/// or an address whose two low bits say what it is:
///
/// - a [`Name`] (low bits `00`), waiting: the payload is the channel's receiver, and the name
///   is the callback's, for the message of a dropped callback (the block keeps the place it
///   was created at);
/// - a [`Name`] with [`ABANDONED`] (`01`): the callback was dropped before the promise was
///   made (a callback that could not outlive its call, dropped or forgotten uncalled); the
///   payload is the caller's location;
/// - a [`Cancel`] box with [`CANCEL`] (`10`), waiting: as a name, with the cancel hook of
///   `#[callback_async(cancel = ..)]`; the promise owns the box.
///
/// Names and cancel boxes are aligned to at least 4, so their two low bits are free for the
/// tags, and they are never null, so they never read as `READY` (`01`) or `DONE` (`11`).
///
/// The tag is a pointer whose address carries the two bits (`READY` and `DONE` are addresses
/// without provenance): the strict-provenance APIs (`addr`, `map_addr`) set and clear the bits
/// without ever turning an integer back into a pointer, so Miri's `-Zmiri-strict-provenance`
/// checks every access through it. The calls cost the instructions that integer tags with
/// exposed provenance cost (`scripts/instruction-counts.sh`), with `Drop`'s `DONE` test written
/// as a pointer comparison, which the compiler folds after an await.
type Tag = *mut ();

/// `Tag`'s two low bits.
const KIND: usize = 0b11;
const ABANDONED: usize = 0b01;
const CANCEL: usize = 0b10;
const READY: usize = 0b01;
const DONE: usize = 0b11;

/// A ready promise's tag.
const READY_TAG: Tag = ptr::without_provenance_mut(READY);
/// A completed promise's tag.
const DONE_TAG: Tag = ptr::without_provenance_mut(DONE);

// The tags above need 4-aligned names and cancel boxes.
const _: () = assert!(align_of::<&'static str>() >= 4 && align_of::<Cancel>() >= 4);

// Two words for a value of up to a word: returned and moved in registers.
const _: () = assert!(size_of::<Promise<usize>>() == 2 * size_of::<usize>());

/// What a promise holds, by its tag: the value, or a pointer (the receiver's, see
/// [`oneshot::Receiver::into_raw`], or the caller's location).
union Payload<T> {
    value: ManuallyDrop<T>,
    address: *mut (),
}

/// The callback's name as the macros pass it: a thin pointer to a `&'static str` (promoted to a
/// static), so that it fits a word with the promise's tag.
pub(crate) type Name = &'static &'static str;

/// The name of a promise made by hand, which has none (compared by address).
static NO_NAME: &str = "";

/// A waiting promise's cancel hook and the name that its tag held before.
struct Cancel {
    name: Name,
    hook: Box<dyn FnOnce() + Send>,
}

/// Which callback a promise waits for, for the message of a dropped callback (and, with the
/// `tracing` feature, for the warnings about misused callbacks).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Origin {
    /// The callback passed to this function (or written in this `promisify!` call), by a caller
    /// at this place.
    Callback(Name, &'static Location<'static>),
    /// A promise made by hand at this place.
    Caller(&'static Location<'static>),
}

impl Origin {
    /// The name and the location that a promise and its block keep.
    #[inline(always)]
    fn parts(self) -> (Name, &'static Location<'static>) {
        match self {
            Origin::Callback(name, location) => (name, location),
            Origin::Caller(location) => (&NO_NAME, location),
        }
    }

    fn from_parts(name: Name, location: &'static Location<'static>) -> Self {
        if core::ptr::eq(name, &NO_NAME) {
            Origin::Caller(location)
        } else {
            Origin::Callback(name, location)
        }
    }
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
///
/// ```
/// use callback_async::Dropped;
///
/// let (resolver, promise) = callback_async::channel::<u8>();
/// drop(resolver);
/// let error: Dropped = promise.or_dropped().wait().unwrap_err();
/// assert_eq!(error.to_string(), "the callback was dropped without being called");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Dropped;

impl fmt::Display for Dropped {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the callback was dropped without being called")
    }
}

impl core::error::Error for Dropped {}

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
            tag: READY_TAG,
            payload: Payload {
                value: ManuallyDrop::new(value),
            },
        }
    }

    pub(crate) fn settled(value: Option<T>, origin: Origin) -> Self {
        match value {
            Some(value) => Promise::resolved(value),
            None => {
                let (name, location) = origin.parts();
                Promise {
                    tag: name_tag(name).map_addr(|address| address | ABANDONED),
                    payload: Payload {
                        address: ptr::from_ref(location).cast_mut().cast(),
                    },
                }
            }
        }
    }

    #[inline]
    pub(crate) fn with_origin(origin: Origin) -> (Resolver<T>, Self) {
        let (sender, promise) = Promise::with_sender(origin);
        (Resolver::new(sender, origin), promise)
    }

    #[inline]
    pub(crate) fn with_sender(origin: Origin) -> (oneshot::Sender<T>, Self) {
        let (name, location) = origin.parts();
        let (sender, receiver) = oneshot::channel(location);
        let promise = Promise {
            tag: name_tag(name),
            payload: Payload {
                address: receiver.into_raw(),
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

    /// Cancels the operation and waits until it has stopped: runs the cancel hook now
    /// (`#[callback_async(cancel = ..)]`), if the promise has one and has not settled, then
    /// resolves when the callback is called, to `Some(value)`, the value that arrived late, which
    /// is yours to use or release; or when the callback is dropped uncalled, to `None`.
    ///
    /// Without a cancel hook it still waits for the callback to be called or dropped. A promise
    /// that has settled already resolves at once, to `Some(value)` (or `None` if its callback was
    /// dropped). Dropping the returned future is dropping the promise (the hook has run already).
    ///
    /// Use it where the next operation must not start before the cancelled one has stopped: a
    /// transfer on a connection, a job on a device.
    ///
    /// ```
    /// use callback_async::callback_async;
    /// use std::sync::mpsc;
    ///
    /// /// A transfer on a worker thread, which stops at the next chunk once told to, and then
    /// /// reports how many bytes it moved.
    /// struct Transfer(mpsc::Sender<()>);
    ///
    /// impl Transfer {
    ///     fn abort(self) {
    ///         let _ = self.0.send(());
    ///     }
    /// }
    ///
    /// #[callback_async(cancel = Transfer::abort)]
    /// fn transfer(chunks: u64, done: impl FnOnce(u64) + Send + 'static) -> Transfer {
    ///     let (abort, aborted) = mpsc::channel();
    ///     std::thread::spawn(move || {
    ///         let mut moved = 0;
    ///         for _ in 0..chunks {
    ///             if aborted.try_recv().is_ok() {
    ///                 break;
    ///             }
    ///             std::thread::sleep(std::time::Duration::from_millis(1));
    ///             moved += 1024;
    ///         }
    ///         done(moved);
    ///     });
    ///     Transfer(abort)
    /// }
    ///
    /// # futures::executor::block_on(async {
    /// let first = transfer_async(1_000_000);
    /// // Abort it, and wait until its thread has stopped before the next transfer starts.
    /// let moved = first.cancel().await;
    /// assert!(moved.is_some_and(|bytes| bytes < 1_000_000 * 1024));
    /// assert_eq!(transfer_async(3).await, 3 * 1024);
    /// # });
    /// ```
    pub fn cancel(mut self) -> Cancelling<Self> {
        if self.tag.addr() & KIND == CANCEL {
            // SAFETY: a `CANCEL` tag is an address from `Box::into_raw` in `set_on_cancel`, owned
            // by this promise; the tag goes back to the name below, so the box is taken once.
            let cancel = unsafe { Box::from_raw(cancel_box(self.tag)) };
            self.tag = name_tag(cancel.name);
            // SAFETY: a waiting payload is the receiver's address; it is only read here.
            let receiver = unsafe { oneshot::Receiver::<T>::from_raw(self.payload.address) };
            if receiver.is_pending() {
                (cancel.hook)();
            }
        }
        Cancelling::new(self)
    }

    /// Whether the promise waits for its channel (with or without a cancel hook).
    #[inline(always)]
    fn is_waiting(&self) -> bool {
        // Waiting tags (names and cancel boxes) are the only ones with the low bit clear.
        self.tag.addr() & ABANDONED == 0
    }

    /// A promise that is settled already needs no cancel: `hook` is then dropped uncalled.
    pub(crate) fn set_on_cancel(&mut self, hook: Box<dyn FnOnce() + Send>) {
        if !self.is_waiting() {
            return;
        }
        let name = if self.tag.addr() & KIND == CANCEL {
            // A second hook replaces the first (the generated code sets one).
            // SAFETY: a `CANCEL` tag is an address from `Box::into_raw` below, owned by this
            // promise; the tag is overwritten below, so the box is taken once.
            let old = unsafe { Box::from_raw(cancel_box(self.tag)) };
            old.name
        } else {
            // SAFETY: a waiting tag without `CANCEL` is a `Name` pointer (see `name_tag`).
            unsafe { &*self.tag.cast::<&'static str>() }
        };
        let cancel = Box::into_raw(Box::new(Cancel { name, hook }));
        self.tag = cancel.cast::<()>().map_addr(|address| address | CANCEL);
    }

    /// The name in a waiting or abandoned tag.
    #[cold]
    fn name(&self) -> Name {
        if self.tag.addr() & KIND == CANCEL {
            // SAFETY: a `CANCEL` tag is the address of the promise's live `Cancel` box.
            unsafe { (*cancel_box(self.tag)).name }
        } else {
            // SAFETY: other pointer tags are `Name` pointers (see `name_tag`).
            unsafe { &*untagged(self.tag).cast::<&'static str>() }
        }
    }

    /// Leaves a waiting state for `DONE`: the cancel box, if any, is given back to be dropped
    /// (settled: no cancel) or called.
    #[inline(always)]
    fn finish_waiting(&mut self) -> Option<Box<Cancel>> {
        let tag = self.tag;
        self.tag = DONE_TAG;
        if tag.addr() & KIND == CANCEL {
            // SAFETY: a `CANCEL` tag is an address from `Box::into_raw` in `set_on_cancel`,
            // owned by this promise; the tag is `DONE` now, so the box is taken once.
            Some(unsafe { Box::from_raw(cancel_box(tag)) })
        } else {
            None
        }
    }

    /// The value, or the origin of the callback that was dropped uncalled; resumes a C
    /// callback's panic.
    #[inline(always)]
    pub(crate) fn poll_settled(&mut self, cx: &mut Context<'_>) -> Poll<Result<T, Origin>> {
        // Two tests rather than a `match`; the rare states are out of line.
        if self.tag.addr() == READY {
            // A ready promise (the stack slot's, and `Promise::resolved`): a test and a move.
            self.tag = DONE_TAG;
            // SAFETY: a `READY` payload is the value; the tag is `DONE` now, so it is moved out
            // once and never dropped here again.
            let value = unsafe { ManuallyDrop::take(&mut self.payload.value) };
            return Poll::Ready(Ok(value));
        }
        if self.is_waiting() {
            // A call's promise, polled in place.
            // SAFETY: a waiting payload is the receiver's address; it is spent only by a `Ready`
            // poll, after which the tag leaves waiting.
            let mut receiver = unsafe { oneshot::Receiver::<T>::from_raw(self.payload.address) };
            let Poll::Ready(result) = receiver.poll(cx) else {
                return Poll::Pending;
            };
            // Settled: the receiver is spent (its block freed).
            return Poll::Ready(match result {
                Ok(value) => {
                    if self.tag.addr() & KIND == CANCEL {
                        // The operation's handle goes without a cancel.
                        drop(self.finish_waiting());
                    } else {
                        self.tag = DONE_TAG;
                    }
                    Ok(value)
                }
                Err(NoValue::Closed(created_at)) => Err(self.closed(created_at)),
                Err(NoValue::Panicked(panic)) => self.panicked(panic),
            });
        }
        self.poll_rare()
    }

    /// The sender was dropped without sending: the callback's origin, out of line.
    #[cold]
    #[inline(never)]
    fn closed(&mut self, created_at: &'static Location<'static>) -> Origin {
        let origin = Origin::from_parts(self.name(), created_at);
        drop(self.finish_waiting());
        origin
    }

    /// A C callback's body panicked: resumed here, in the awaiting task, once the promise is
    /// `DONE` (its receiver is spent), so that it can be dropped or polled again safely.
    #[cold]
    #[inline(never)]
    fn panicked(&mut self, panic: Panic) -> ! {
        drop(self.finish_waiting());
        panic.resume()
    }

    /// A callback dropped before the promise was made, or a promise polled again: out of line.
    #[cold]
    #[inline(never)]
    fn poll_rare(&mut self) -> Poll<Result<T, Origin>> {
        if self.tag.addr() & KIND != ABANDONED || self.tag.addr() == READY {
            polled_after_completion()
        }
        // SAFETY: an abandoned payload is the caller's location's address.
        let location = unsafe { location(self.payload.address) };
        let origin = Origin::from_parts(self.name(), location);
        self.tag = DONE_TAG;
        Poll::Ready(Err(origin))
    }

    /// `Drop`'s work for a promise still waiting, out of line: the hot paths never need it.
    #[cold]
    #[inline(never)]
    fn drop_waiting(&mut self) {
        // SAFETY: a waiting payload is the receiver's address; the state leaves waiting below,
        // so it is abandoned once.
        let mut receiver = unsafe { oneshot::Receiver::<T>::from_raw(self.payload.address) };
        // The cancel box is taken first, so that unwinding from a settled value's panicking
        // `Drop` (in `abandon`) still frees it and the handle its hook owns.
        let cancel = self.finish_waiting();
        // Settled but never awaited: the receiver frees the block before the value's `Drop`
        // runs, so that a panicking `Drop` cannot leak it. Still running: cancel it
        // (`cancel = ..`); a dropped callback needs no cancel.
        let pending = receiver.abandon();
        if let Some(cancel) = cancel {
            if pending {
                (cancel.hook)();
            }
        }
    }

    /// The origin of a waiting or abandoned promise, for `Debug`.
    fn debug_origin(&self) -> Option<Name> {
        (self.tag.addr() != READY && self.tag.addr() != DONE).then(|| self.name())
    }
}

/// A name as a waiting promise's tag (only ever read through).
#[inline(always)]
fn name_tag(name: Name) -> Tag {
    ptr::from_ref(name).cast_mut().cast()
}

/// A pointer tag without its two low bits.
#[inline(always)]
fn untagged(tag: Tag) -> Tag {
    tag.map_addr(|address| address & !KIND)
}

/// The cancel box of a `CANCEL` tag.
#[inline(always)]
fn cancel_box(tag: Tag) -> *mut Cancel {
    untagged(tag).cast()
}

/// The location that an abandoned promise keeps.
///
/// # Safety
///
/// `address` is a `&'static Location` (from `Promise::settled`).
unsafe fn location(address: *mut ()) -> &'static Location<'static> {
    // SAFETY: the caller guarantees a `&'static Location`, only ever read through.
    unsafe { &*address.cast::<Location<'static>>() }
}

impl<T> Drop for Promise<T> {
    #[inline(always)]
    fn drop(&mut self) {
        // A pointer comparison first: where the tag was just set to `DONE` (an awaited promise),
        // the compiler folds it and drops nothing, which it does not do through `addr`.
        if self.tag == DONE_TAG {
            return;
        }
        if self.tag.addr() == READY {
            self.tag = DONE_TAG;
            // SAFETY: a `READY` payload is the value, dropped once: the tag is `DONE` now.
            unsafe { ManuallyDrop::drop(&mut self.payload.value) };
        } else if self.is_waiting() {
            self.drop_waiting();
        }
    }
}

// SAFETY: `Send` when `T` is, as it would be derived from what its pointers stand for: the
// receiving half of a channel of `T` (`Send` when `T` is), `&'static` names and locations, and a
// box of a `Send` cancel hook that the promise owns.
unsafe impl<T: Send> Send for Promise<T> {}

// SAFETY: `Sync` when `T` is: through `&Promise` only the tag is read (`is_terminated`, `Debug`),
// and the name it points to (a `&'static str`, directly or in the cancel box); the hook, the
// receiver and the value are only reached through `&mut Promise`.
unsafe impl<T: Sync> Sync for Promise<T> {}

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
        self.tag.addr() == DONE
    }
}

impl<T> fmt::Debug for Promise<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = match self.tag.addr() {
            READY => "ready",
            DONE => "completed",
            tag if tag & KIND == ABANDONED => "dropped",
            _ => "waiting",
        };
        let mut debug = f.debug_struct("Promise");
        debug.field("state", &state);
        if let Some(name) = self.debug_origin() {
            if !core::ptr::eq(name, &NO_NAME) {
                debug.field("callback", name);
            }
        }
        if self.tag.addr() & KIND == ABANDONED && self.tag.addr() != READY {
            // SAFETY: an abandoned payload is the caller's location's address.
            let location = unsafe { location(self.payload.address) };
            debug.field("called_at", &format_args!("{location}"));
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
    pub fn new_fallible(
        executor: impl FnOnce(Box<dyn Fn(V) + Send + Sync>, Box<dyn Fn(E) + Send + Sync>),
    ) -> Self
    where
        V: Send + 'static,
        E: Send + 'static,
    {
        let (resolver, promise) = crate::channel();
        let resolver = alloc::sync::Arc::new(resolver);
        let for_reject = alloc::sync::Arc::clone(&resolver);
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

/// The future returned by [`Promise::or_dropped`]: the promise's value, or [`Dropped`].
///
/// ```
/// use callback_async::{Dropped, OrDropped};
///
/// # futures::executor::block_on(async {
/// let (resolver, promise) = callback_async::channel::<u8>();
/// let value: OrDropped<u8> = promise.or_dropped();
/// resolver.resolve(5);
/// assert_eq!(value.await, Ok(5));
///
/// let (resolver, promise) = callback_async::channel::<u8>();
/// drop(resolver);
/// assert_eq!(promise.or_dropped().await, Err(Dropped));
/// # });
/// ```
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

#[cfg(all(test, loom))]
mod loom_tests {
    //! `cancel` racing with the callback: the hook runs only while the callback is pending, and
    //! the value comes back exactly once, from `cancel`'s future.

    use alloc::boxed::Box;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicBool, Ordering};
    use loom::thread;

    use super::{Promise, channel};
    use crate::Resolver;

    /// A promise with a cancel hook that records its call.
    fn hooked() -> (Resolver<Arc<u8>>, Promise<Arc<u8>>, Arc<AtomicBool>) {
        let (resolver, mut promise) = channel::<Arc<u8>>();
        let hooked = Arc::new(AtomicBool::new(false));
        let hook = Arc::clone(&hooked);
        promise.set_on_cancel(Box::new(move || hook.store(true, Ordering::SeqCst)));
        (resolver, promise, hooked)
    }

    #[test]
    fn cancel_races_with_send() {
        loom::model(|| {
            let (resolver, promise, _hooked) = hooked();
            let value = Arc::new(7);
            let sent = Arc::clone(&value);
            let callback = thread::spawn(move || resolver.resolve(sent));
            let late = crate::sync::block_on(promise.cancel());
            callback.join().unwrap();
            assert_eq!(
                late.as_deref(),
                Some(&7),
                "the value comes back from `cancel`"
            );
            drop(late);
            assert_eq!(Arc::strong_count(&value), 1, "and only once");
        });
    }

    #[test]
    fn cancel_races_with_drop() {
        loom::model(|| {
            let (resolver, promise, _hooked) = hooked();
            let callback = thread::spawn(move || drop(resolver));
            assert!(crate::sync::block_on(promise.cancel()).is_none());
            callback.join().unwrap();
        });
    }
}

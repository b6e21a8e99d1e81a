//! What `promisify!` names for several callbacks in one call: a completion that ends several
//! streams, and the one flat result, `(R?, streams.., promise or stream, Registration?)`.

use core::cell::Cell;

use crate::stream::StreamCloser;
use crate::{Resolver, StreamSender};

/// The streams a completion ends: one [`StreamCloser`], or a pair of them, nested.
pub trait Close {
    fn close_streams(&self);
}

impl<P> Close for StreamCloser<P> {
    #[inline]
    fn close_streams(&self) {
        self.close();
    }
}

impl<A: Close, B: Close> Close for (A, B) {
    #[inline]
    fn close_streams(&self) {
        self.0.close_streams();
        self.1.close_streams();
    }
}

/// What ends `sender`'s stream when the completion settles or is dropped.
#[inline]
pub fn closer<P>(sender: &StreamSender<P>) -> StreamCloser<P> {
    StreamCloser::new(sender)
}

/// The completion of a call with several `stream(..)` callbacks: settling it, or dropping it
/// uncalled (the closers close on drop), ends every one of their streams.
pub struct ManyCompletion<T, C> {
    resolver: Resolver<T>,
    streams: C,
}

/// [`ManyCompletion`] from the completion's resolver and the closers of its streams.
#[inline]
pub fn completion_many<T, C: Close>(resolver: Resolver<T>, streams: C) -> ManyCompletion<T, C> {
    ManyCompletion { resolver, streams }
}

impl<T, C: Close> ManyCompletion<T, C> {
    /// Settles, if no call settled before, and ends the streams.
    #[inline]
    pub fn resolve(&self, value: T) {
        self.resolver.resolve(value);
        self.streams.close_streams();
    }
}

/// A tuple with the call's return value put first: `(S1, S2, P)` becomes `(R, S1, S2, P)`.
pub trait Prepend<R> {
    type With;
    fn prepend(self, value: R) -> Self::With;
}

macro_rules! prepend {
    ($($part:ident),+) => {
        impl<R, $($part),+> Prepend<R> for ($($part,)+) {
            type With = (R, $($part,)+);

            #[inline]
            #[allow(non_snake_case)]
            fn prepend(self, value: R) -> Self::With {
                let ($($part,)+) = self;
                (value, $($part,)+)
            }
        }
    };
}

prepend!(A, B);
prepend!(A, B, C);
prepend!(A, B, C, D);
prepend!(A, B, C, D, E);
prepend!(A, B, C, D, E, F);
prepend!(A, B, C, D, E, F, G);
prepend!(A, B, C, D, E, F, G, H);

/// [`super::Finish`] for a result of several parts (streams, a promise, a `Registration`), given
/// as one tuple: the tuple itself when the call returned `()`, else the tuple with the call's
/// value first. Chosen by method resolution as [`super::Finish`] is.
pub struct FinishFlat<R, T>(FinishFlatWithValue<R, T>);

/// The call's return value and the parts, for the `Deref` step of [`FinishFlat`].
pub struct FinishFlatWithValue<R, T>(Cell<Option<(R, T)>>);

/// `promisify!`'s result of several parts, before its shape is chosen; see [`FinishFlat`].
#[inline]
pub fn finish_flat<R, T>(ret: R, parts: T) -> FinishFlat<R, T> {
    FinishFlat(FinishFlatWithValue(Cell::new(Some((ret, parts)))))
}

impl<T> FinishFlat<(), T> {
    #[inline]
    pub fn callback_async_finish(self) -> T {
        match self.0.0.into_inner() {
            Some(((), parts)) => parts,
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

impl<R, T> core::ops::Deref for FinishFlat<R, T> {
    type Target = FinishFlatWithValue<R, T>;

    #[inline]
    fn deref(&self) -> &FinishFlatWithValue<R, T> {
        &self.0
    }
}

impl<R, T: Prepend<R>> FinishFlatWithValue<R, T> {
    /// Reached through `&self` (the `Deref` step); the expansion calls this once, on a temporary.
    #[inline]
    pub fn callback_async_finish(&self) -> T::With {
        match self.0.take() {
            Some((ret, parts)) => parts.prepend(ret),
            None => unreachable!("`promisify!` finishes its result once"),
        }
    }
}

//! What expansions of `#[callback_async]` and `promisify!` name; not a public API.

pub use std::borrow::ToOwned;
pub use std::boxed::Box;
pub use std::string::String;
pub use std::sync::Arc;
pub use std::vec::Vec;

use crate::promise::Origin;
use crate::resolver::send;
pub use crate::{Promise, Resolver};

/// A promise whose dropped-callback message names `callback` (a function or a `promisify!` call).
#[inline]
pub fn promise<T>(callback: &'static str) -> (Resolver<T>, Promise<T>) {
    Promise::with_origin(Origin::Callback(callback))
}

/// How a generated callback settles its promise, one method per closure kind, so that an
/// `FnOnce` or `FnMut` callback never pays for the lock that an `Fn` callback needs.
pub trait Settle<T> {
    /// From an `FnOnce` callback, which owns the resolver.
    fn settle_once(self, value: T);
    /// From an `FnMut` callback: exclusive access, no lock.
    fn settle_mut(&mut self, value: T);
    /// From an `Fn` callback, which may be called from several threads at once.
    fn settle(&self, value: T);
}

impl<T> Settle<T> for Resolver<T> {
    #[inline]
    fn settle_once(mut self, value: T) {
        send(self.take_owned(), value);
    }

    #[inline]
    fn settle_mut(&mut self, value: T) {
        send(self.take_owned(), value);
    }

    #[inline]
    fn settle(&self, value: T) {
        send(self.take_shared(), value);
    }
}

/// A resolver that, when dropped unsettled, settles with a fallback value instead
/// (`#[callback_async(dropped = EXPR)]`). The fallback runs where the callback is dropped.
pub struct Fallback<T> {
    resolver: Resolver<T>,
    value: fn() -> T,
}

impl<T> Fallback<T> {
    #[inline]
    pub fn new(resolver: Resolver<T>, value: fn() -> T) -> Self {
        Fallback { resolver, value }
    }
}

impl<T> Drop for Fallback<T> {
    fn drop(&mut self) {
        if let Some(sender) = self.resolver.take_owned() {
            if !sender.is_closed() {
                send(Some(sender), (self.value)());
            }
        }
    }
}

impl<T> Settle<T> for Fallback<T> {
    #[inline]
    fn settle_once(mut self, value: T) {
        self.resolver.settle_mut(value);
    }

    #[inline]
    fn settle_mut(&mut self, value: T) {
        self.resolver.settle_mut(value);
    }

    #[inline]
    fn settle(&self, value: T) {
        self.resolver.settle(value);
    }
}

//! Several user-data pointers in one call, each handed back to its own C callback
//! (`register(|_, a: c_int| _(a), _, |_, b: c_int| _(b), _)`): each pointer has a state of its
//! own, with its own closure, freed by its own rule (its call, its destroy notify, the block's
//! end, or the release); the states share the one sink (the promise's resolver or the stream's
//! sender) through an [`Arc`], which frees it with the last of them.

use alloc::boxed::Box;
use alloc::sync::Arc;
#[cfg(feature = "std")]
use core::any::Any;

use super::Sink;
use crate::ffi::Registration;

impl<S: Sink> Sink for Arc<S> {
    type Value = S::Value;

    #[inline]
    fn send(&self, value: S::Value) {
        S::send(self, value);
    }

    #[cfg(feature = "std")]
    fn send_panic(&self, payload: Box<dyn Any + Send>) {
        S::send_panic(self, payload);
    }
}

/// One registration for the states of several pointers: releasing it releases each.
pub fn join(first: Registration, second: Registration) -> Registration {
    let both = Box::into_raw(Box::new([first, second])).cast();
    // SAFETY: `release_both` frees the box leaked here, once, when `Registration::release` calls
    // it; its caller's obligation (C no longer uses any of the pointers) is each part's.
    unsafe { Registration::new(both, release_both) }
}

/// # Safety
///
/// `both` is the pointer that `join` leaked, this is its only use, and C no longer uses the
/// pointers of the registrations inside.
unsafe fn release_both(both: *mut core::ffi::c_void) {
    // SAFETY: the caller guarantees a live `Box<[Registration; 2]>` that nothing else reclaims.
    let both = unsafe { Box::from_raw(both.cast::<[Registration; 2]>()) };
    for registration in *both {
        // SAFETY: forwarded from the caller: C no longer uses this part's pointer.
        unsafe { registration.release() };
    }
}

// Not under loom, whose atomics need a model: these run no threads; with `std`, for `Vec` and
// the executor.
#[cfg(all(test, feature = "std", not(loom)))]
mod tests {
    use alloc::vec::Vec;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::super::{Sink, registration};
    use super::join;

    struct Counted(Arc<AtomicUsize>);

    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_joined_registration_frees_each_state_once() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (_, first) = registration(Counted(Arc::clone(&drops)));
        let (_, second) = registration(Counted(Arc::clone(&drops)));
        let third = {
            let (_, third) = registration(Counted(Arc::clone(&drops)));
            join(join(first, second), third)
        };
        assert_eq!(drops.load(Ordering::SeqCst), 0);
        // SAFETY: no C code holds the pointers.
        unsafe { third.release() };
        assert_eq!(drops.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn a_shared_sink_delivers_through_each_clone() {
        let (sender, stream) = crate::__private::stream::<u8>();
        let sender = Arc::new(sender);
        let other = Arc::clone(&sender);
        Sink::send(&sender, 1);
        Sink::send(&other, 2);
        drop((sender, other));
        let items: Vec<u8> = futures::executor::block_on(futures::StreamExt::collect(stream));
        assert_eq!(items, [1, 2]);
    }
}

//! [`Panic`]: a panic caught in a C callback's body (which must not unwind into C), carried to
//! the awaiting task by a promise or a stream and resumed there.
//!
//! Without `std` nothing catches a panic (it follows the target's panic strategy where it
//! happens), so a `Panic` cannot exist: the type is empty, and the paths that carry one compile
//! to nothing.

#[cfg(feature = "std")]
use alloc::boxed::Box;
#[cfg(feature = "std")]
use core::any::Any;

/// A caught panic's payload, boxed once more so that it is one word: a promise's block keeps its
/// size (32 bytes for a `u64`), and only the (cold) panicking path pays the extra allocation.
#[cfg(feature = "std")]
pub(crate) struct Panic(Box<Box<dyn Any + Send>>);

/// Without `std`, no panic is caught: there is none to carry.
#[cfg(not(feature = "std"))]
pub(crate) enum Panic {}

#[cfg(feature = "std")]
impl Panic {
    /// The payload that `catch_unwind` gave.
    #[cold]
    pub(crate) fn new(payload: Box<dyn Any + Send>) -> Self {
        Panic(Box::new(payload))
    }

    /// Resumes the panic, in the task that awaits its promise or stream.
    #[cold]
    #[inline(never)]
    pub(crate) fn resume(self) -> ! {
        std::panic::resume_unwind(*self.0)
    }

    /// The payload, for tests.
    #[cfg(all(test, loom))]
    pub(crate) fn payload(&self) -> &(dyn Any + Send) {
        &**self.0
    }
}

#[cfg(not(feature = "std"))]
impl Panic {
    pub(crate) fn resume(self) -> ! {
        match self {}
    }
}

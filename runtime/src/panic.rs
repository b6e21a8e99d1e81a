//! [`Panic`]: a panic caught in a C callback's body (which must not unwind into C), carried to
//! the awaiting task by a promise or a stream and resumed there.

use std::any::Any;

/// A caught panic's payload, boxed once more so that it is one word: a promise's block keeps its
/// size (32 bytes for a `u64`), and only the (cold) panicking path pays the extra allocation.
pub(crate) struct Panic(Box<Box<dyn Any + Send>>);

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

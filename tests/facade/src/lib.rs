//! A facade over callback-async, as a company's platform crate or a framework re-exports it:
//! under a module of its own, with no `callback_async` for its users to depend on.

/// The callback-async runtime and macros, re-exported.
pub mod callbacks {
    pub use callback_async::*;
}

//! Runnable examples of callback-async live in `examples/`.

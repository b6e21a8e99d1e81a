//! What one call's callbacks settle together: one callback, an ok/err pair, or a completion with a
//! progress callback beside it. `#[callback_async]` keeps the chosen parameters in it
//! (`Selection<Chosen>`); `promisify!`, whose placeholders are replaced in place, only the shape
//! (`Selection<()>`).

/// What the callbacks settle, with a `T` for each callback.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Selection<T> {
    /// One callback (or, in stream mode, the stream).
    One(T),
    /// An ok/err pair (`ok = .., err = ..`, or `Ok(_)`/`Err(_)`): the value is
    /// `Result<ok's, err's>`.
    OkErr(T, T),
    /// The completion settles the promise, and every call of the progress callback
    /// (`progress = ..`, or `stream(..)`) is an item of a stream beside it.
    WithProgress(T, T),
}

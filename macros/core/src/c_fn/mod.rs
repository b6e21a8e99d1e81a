//! C callbacks that take a user-data pointer: `promisify!(unsafe { .. })` and
//! `#[callback_async(param: placeholder)]`, which share one expansion.
//!
//! The input is the user's `unsafe` block, kept as written (the C call stays `unsafe`), with
//! placeholders: one C-callback closure (`|_, n: c_int| -> c_int { _(n); 0 }`), the user data
//! (`_`, or `&_` when C may use it only while the block runs) and optionally a destroy notify
//! (`|_| drop(_)`). The expansion hoists the closure out of the block into a state next to the
//! promise's resolver (or the stream's sender), generates the `extern "C"` trampoline that turns
//! the user-data pointer back into that state, and replaces the placeholders by the trampoline
//! and the pointer.
//!
//! # Safety of the generated code
//!
//! Generated comments do not survive expansion, so the argument is here. The trampoline's one
//! `unsafe` block calls `ffi::call_once`, `ffi::call_shared` or `ffi::destroy`, whose contract is
//! that the pointer is the one made from the state of type `D` and is still alive (see
//! `callback_async::__private::ffi`):
//!
//! - **The type matches.** The trampoline is generic over `D` and is instantiated by
//!   `callback_async_instantiate(&state)`, from the very value whose address becomes the user
//!   data, so the cast back is always to the type the pointer was made from. With several
//!   callbacks behind one user data, each has its trampoline (`CallSharedAt<I, ..>`, calling the
//!   `I`-th closure of one state), each instantiated from that same state.
//! - **The pointer is live and reclaimed once.** That is C's side of the contract, which the user
//!   vouches for with the `unsafe` block they wrote: for `_` without a destroy notify in a
//!   future, C calls the callback once (the trampoline frees the state; with several callbacks
//!   this form is rejected, since no call can know it is the last); with a destroy notify, C
//!   calls the callback only before it (the notify frees the state); for `&_`, C calls it only
//!   while the block runs (the state is a local of the expansion, dropped after the block); for a
//!   stream with `_` and no notify, the state is freed only by `Registration::release`, an
//!   `unsafe fn` with the same obligation.
//! - **Threads.** The states are `Send` (and `Sync` where C may call them several times), which
//!   `into_raw_once`, `into_raw_shared`, `borrow_raw` and `registration` require.
//! - **Unwinding.** The user's body runs inside `catch_unwind` in the runtime; the panic goes to
//!   the awaiting side and C gets `CReturn::on_panic()`.
//!
//! Reading the pointer from a carrier (`libc::sigval { sival_ptr: _ }`) is a field read, inside
//! the same `unsafe` block because the carrier may be a union (as bindgen writes `sigval`); C
//! hands back the carrier it was given, whose pointer field is the one written.

mod attribute;
mod paired;
mod pairing;
pub mod slot;
mod take;
mod trampoline;
mod user_data;

use proc_macro2::{Span, TokenStream};
use syn::ExprUnsafe;

use crate::flow::{Bound, Overflow};
use crate::root::Private;

pub use attribute::generate;

/// Who frees the state behind the user-data pointer, and when.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    /// A future; C calls once and the call frees the state.
    Once,
    /// C calls until the destroy notify, which frees the state.
    Destroy,
    /// C calls while the block runs; the state is a local.
    Scoped,
    /// A stream that C feeds until the program releases its state.
    Handle,
}

/// An expansion, with what a generated function's signature needs to know of it.
pub struct Expansion {
    pub tokens: TokenStream,
    pub ownership: Ownership,
    /// The type of the value handed to `_(..)`, where the callback's parameters tell it: `_(n)`
    /// with `n: c_int`, `_()`, or a body that is `_`.
    pub value: Option<TokenStream>,
    /// Where the callback's body hands its value over, for errors about its type.
    pub value_span: Span,
    /// How many user-data pointers the call takes, each with its own callback.
    pub pointers: usize,
}

// Input:  unsafe { start(|_, n: c_int| _(n), _) }
// Output: { extern "C" fn trampoline<D>(..) {..} let (sink, promise) = ..; .. finish(unsafe { start(callback, user_data) }, promise).callback_async_finish() }
/// Expands a `[stream[(bound = N, ..)]] unsafe { .. }` block with C-callback placeholders; `text` names the call
/// in the dropped-callback message.
pub fn expand_block(
    stream: bool,
    bound: Option<&Bound>,
    mut block: ExprUnsafe,
    text: &str,
    private: Private,
) -> syn::Result<Expansion> {
    let taken = take::take(&mut block, private)?;
    let ownership = match (taken.borrowed, &taken.destroy, stream) {
        (true, _, _) => Ownership::Scoped,
        (false, Some(_), _) => Ownership::Destroy,
        (false, None, false) => Ownership::Once,
        (false, None, true) => Ownership::Handle,
    };
    if let (Ownership::Once, Some(second)) = (ownership, taken.others.first()) {
        return Err(syn::Error::new(second.span, SEVERAL_ONCE));
    }
    if let (Ownership::Scoped, Some(bound)) = (ownership, bound) {
        check_scoped(bound)?;
    }
    let bound = bound.filter(|_| stream);
    let tokens = if taken.more.is_empty() {
        trampoline::emit(&taken, ownership, stream, bound, &block, text, private)
    } else {
        let create = trampoline::create(stream, bound, text, private);
        paired::emit(&taken, ownership, &create, &block, private)
    };
    Ok(Expansion {
        tokens,
        ownership,
        value: taken.callback.value.clone(),
        value_span: taken.callback.value_span,
        pointers: 1 + taken.more.len(),
    })
}

/// Several callbacks behind one `_` in a future, without a destroy notify: no call can know it is
/// the last, so none may free the state.
const SEVERAL_ONCE: &str = "several C callbacks share this user data, so no call of one can free \
                            it (another may come after): lend it for the call with `&_` if C \
                            calls back only while the call runs, add the destroy notify \
                            (`|_| drop(_)`) if the call takes one, or make it a stream \
                            (`promisify!(stream unsafe { .. })`), whose `Registration` frees it";

/// With `&_`, C calls back only while the call runs, before the stream is handed back to be read:
/// no item can be taken to make room for a producer that waits.
fn check_scoped(bound: &Bound) -> syn::Result<()> {
    match (bound.overflow, bound.overflow_span) {
        (Overflow::Block, Some(span)) => Err(syn::Error::new(
            span,
            "`overflow = block` cannot wait for room here: with `&_`, C calls back only while \
             the call runs, before the stream is handed back to be read, so no item is taken \
             until it returns; write `overflow = drop_oldest` or `drop_newest`, or a bound above \
             the number of items",
        )),
        _ => Ok(()),
    }
}

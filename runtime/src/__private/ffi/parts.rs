//! Several C callbacks behind one user-data pointer (`promisify!(unsafe { set_handlers(p,
//! start_cb, end_cb, _) })`): one [`SharedState`] holds the sink and a tuple of the callbacks'
//! closures, and the trampoline of the `I`-th callback calls the `I`-th closure. The safety
//! argument is the parent module's: each trampoline is instantiated from the very state whose
//! address is the user data, so the cast back is always to the type the pointer was made from.

use core::ffi::c_void;

use super::{SharedState, Sink, run};
use crate::ffi::CReturn;

/// One callback's closure, unchanged: its bound tells rustc the types of the closure's
/// parameters, which the tuple of [`shared_parts`] cannot.
#[inline]
pub fn part<S, A, R, F>(_sink: &S, callback: F) -> F
where
    S: Sink,
    F: Fn(&S, A) -> R,
{
    callback
}

/// The state of several callbacks that C may call many times, from several threads.
#[inline]
pub fn shared_parts<S: Sink, F>(sink: S, callbacks: F) -> SharedState<S, F> {
    SharedState {
        sink,
        callback: callbacks,
    }
}

/// The state behind the trampoline of the `I`-th of several callbacks, which only borrows it.
pub trait CallSharedAt<const I: usize, A> {
    type Output;
    fn call_at(&self, args: A) -> Self::Output;
}

// Input:  1: F1 of (F0, F1, F2)
// Output: impl CallSharedAt<1, A> for SharedState<S, (F0, F1, F2)>, calling `.1`
macro_rules! call_at {
    ($($index:tt: $picked:ident of ($($all:ident),+);)+) => {$(
        impl<S, A, R, $($all),+> CallSharedAt<$index, A> for SharedState<S, ($($all,)+)>
        where
            S: Sink,
            R: CReturn,
            $picked: Fn(&S, A) -> R,
        {
            type Output = R;

            #[inline]
            fn call_at(&self, args: A) -> R {
                run(&self.sink, || (self.callback.$index)(&self.sink, args))
            }
        }
    )+};
}

call_at! {
    0: F0 of (F0, F1);
    1: F1 of (F0, F1);
    0: F0 of (F0, F1, F2);
    1: F1 of (F0, F1, F2);
    2: F2 of (F0, F1, F2);
    0: F0 of (F0, F1, F2, F3);
    1: F1 of (F0, F1, F2, F3);
    2: F2 of (F0, F1, F2, F3);
    3: F3 of (F0, F1, F2, F3);
    0: F0 of (F0, F1, F2, F3, F4);
    1: F1 of (F0, F1, F2, F3, F4);
    2: F2 of (F0, F1, F2, F3, F4);
    3: F3 of (F0, F1, F2, F3, F4);
    4: F4 of (F0, F1, F2, F3, F4);
    0: F0 of (F0, F1, F2, F3, F4, F5);
    1: F1 of (F0, F1, F2, F3, F4, F5);
    2: F2 of (F0, F1, F2, F3, F4, F5);
    3: F3 of (F0, F1, F2, F3, F4, F5);
    4: F4 of (F0, F1, F2, F3, F4, F5);
    5: F5 of (F0, F1, F2, F3, F4, F5);
}

/// The trampoline of the `I`-th callback of a state behind [`super::into_raw_shared`],
/// [`super::registration`] or [`super::borrow_raw`].
///
/// # Safety
///
/// As [`super::call_shared`]: `user_data` is the pointer that one of those returned for this `D`,
/// and the state is still alive.
#[inline]
pub unsafe fn call_shared_at<const I: usize, D: CallSharedAt<I, A>, A>(
    user_data: *mut c_void,
    args: A,
) -> D::Output {
    // SAFETY: the caller guarantees that the pointer is a live `D`; it is only read, and
    // `D: Sync` (required where the pointer was made) allows calls from several threads.
    let state = unsafe { &*user_data.cast::<D>().cast_const() };
    state.call_at(args)
}

//! The generated side of a call with several user-data pointers (see `pairing`): one state per
//! pointer, each with its own closure and trampolines and freed by its own rule (the form's
//! `Ownership`, the same for all), and one sink that they share through an `Arc`, so that the
//! promise or stream hears from every callback and ends when the last state is freed. The safety
//! argument is the parent module's, once per pointer: each trampoline is instantiated from the
//! state whose address is its pointer.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote_spanned};
use syn::{ExprUnsafe, Ident};

use super::Ownership;
use super::take::{CClosure, Taken};
use super::trampoline::{CLocals, CSignature, Trampolines, finish, give, make};
use crate::root::Private;

// Output: {
//             let (sink, promise) = PRIVATE::ffi::promise_shared(&"TEXT");   (or a stream)
//             let sink = PRIVATE::Arc::new(sink);
//             let state = PRIVATE::ffi::shared(PRIVATE::Arc::clone(&sink), move |sink, (a,)| ..);
//             let (callback, destroy) = { TRAMPOLINES (callback_async_instantiate(&state), ..) };
//             let user_data = PRIVATE::ffi::into_raw_shared(state);
//             .. the same for `state_2`, `callback_2`, `destroy_2`, `user_data_2`
//             PRIVATE::finish(unsafe { .. }, promise).callback_async_finish()   (`finish_flat` with a
//                                                                        `Registration`)
//         }
/// The expansion of a block with several user-data placeholders, paired with its callbacks.
/// `create` makes the promise or stream and its sink (`trampoline::create`).
pub fn emit(
    taken: &Taken,
    ownership: Ownership,
    create: &TokenStream,
    block: &ExprUnsafe,
    private: Private,
) -> TokenStream {
    let site = private.site();
    let first = CLocals::numbered(private, 1);
    let (sink, promise) = (&first.sink, &first.promise);
    let pairs = std::iter::once((&taken.callback, taken.destroy.as_ref())).chain(
        taken
            .more
            .iter()
            .map(|pair| (&pair.callback, pair.destroy.as_ref())),
    );
    let mut pointers = TokenStream::new();
    let mut registration = None;
    for (index, (callback, destroy)) in pairs.enumerate() {
        let locals = CLocals::numbered(private, index + 1);
        pointers.extend(pointer(
            callback, destroy, ownership, &locals, sink, private,
        ));
        let this = &locals.registration;
        registration = Some(match registration {
            None => this.to_token_stream(),
            Some(joined) => quote_spanned!(site=> #private::ffi::join(#joined, #this)),
        });
    }
    let result = match (ownership, registration) {
        (Ownership::Handle, Some(registration)) => quote_spanned!(site=> (#promise, #registration)),
        _ => promise.to_token_stream(),
    };
    let finish = finish(ownership, private);
    quote_spanned! {site=>
        {
            let (#sink, #promise) = #create;
            let #sink = #private::Arc::new(#sink);
            #pointers
            #private::#finish(#block, #result).callback_async_finish()
        }
    }
}

// Output: let state_2 = PRIVATE::ffi::shared(PRIVATE::Arc::clone(&sink), move |sink, (b,)| ..);
//         let (callback_2, destroy_2) = { TRAMPOLINES (callback_async_instantiate(&state_2), ..) };
//         let user_data_2 = PRIVATE::ffi::into_raw_shared(state_2);
/// One pointer's state, trampolines (in a block of their own, since every pointer's have the
/// same names) and pointer.
fn pointer(
    callback: &CClosure,
    destroy: Option<&CClosure>,
    ownership: Ownership,
    locals: &CLocals,
    sink: &Ident,
    private: Private,
) -> TokenStream {
    let site = private.site();
    let signature = CSignature::of(callback, private);
    let trampolines = Trampolines::new(&signature, destroy, ownership, private);
    let closure = signature.closure(callback, sink);
    let make = make(ownership, private);
    let CLocals { state, .. } = locals;
    let (callback_local, destroy_local) = (&locals.callback, &locals.destroy);
    let (names, instantiate) = if destroy.is_some() {
        (
            quote_spanned!(site=> (#callback_local, #destroy_local)),
            quote_spanned!(site=> (
                callback_async_instantiate(&#state),
                callback_async_instantiate_destroy(&#state),
            )),
        )
    } else {
        (
            callback_local.to_token_stream(),
            quote_spanned!(site=> callback_async_instantiate(&#state)),
        )
    };
    let (give, _) = give(ownership, locals, private);
    quote_spanned! {site=>
        let #state = #private::ffi::#make(#private::Arc::clone(&#sink), #closure);
        let #names = {
            #trampolines
            #instantiate
        };
        #give
    }
}

//! The generated side of a block with several C callbacks behind one user data: one trampoline per
//! callback, the `I`-th calling the `I`-th closure of one shared state (`ffi::CallSharedAt<I, ..>`).
//! Their state is never freed by a call (a block that would is rejected before), but by the
//! destroy notify, the `Registration`, or the end of the block (`&_`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote_spanned};
use syn::{ExprUnsafe, Ident};

use super::super::Ownership;
use super::super::take::{CClosure, Taken};
use super::{CLocals, CSignature, create, destroy_trampoline, finish, give, state_param};
use crate::flow::Bound;
use crate::root::Private;

// Output: {
//             TRAMPOLINES
//             let (sink, promise) = PRIVATE::ffi::promise_shared(&"TEXT");   (or a stream)
//             let parts = (PRIVATE::ffi::part(&sink, move |sink, (n,): (c_int,)| ..), ..);
//             let state = PRIVATE::ffi::shared_parts(sink, parts);
//             let callback = callback_async_instantiate_0(&state);
//             let callback_2 = callback_async_instantiate_1(&state);
//             [let destroy = callback_async_instantiate_destroy(&state);]
//             let user_data = PRIVATE::ffi::into_raw_shared(state);   (or borrow_raw, registration)
//             PRIVATE::finish(unsafe { .. }, promise).callback_async_finish()
//         }
pub fn emit(
    taken: &Taken,
    ownership: Ownership,
    stream: bool,
    bound: Option<&Bound>,
    block: &ExprUnsafe,
    text: &str,
    private: Private,
) -> TokenStream {
    let site = private.site();
    let local = |name: &str| Ident::new(name, private.local());
    let locals = CLocals::new(private);
    let CLocals {
        sink,
        promise,
        state,
        destroy,
        ..
    } = &locals;
    let parts = local("parts");
    let callbacks: Vec<&CClosure> = [&taken.callback].into_iter().chain(&taken.others).collect();
    let signatures: Vec<CSignature> = callbacks
        .iter()
        .map(|callback| CSignature::of(callback, private))
        .collect();
    let destroy_signature = taken
        .destroy
        .as_ref()
        .map(|destroy| CSignature::of(destroy, private));
    let param = state_param(signatures.iter().chain(&destroy_signature), private);
    let mut items = TokenStream::new();
    let mut instantiated = TokenStream::new();
    for (index, signature) in signatures.iter().enumerate() {
        items.extend(trampoline(index, signature, &param, private));
        let instantiate = format_ident!("callback_async_instantiate_{}", index, span = site);
        let callback = local(&super::super::take::callback_local(index));
        instantiated.extend(quote_spanned!(site=> let #callback = #instantiate(&#state);));
    }
    if let Some(signature) = &destroy_signature {
        items.extend(destroy_trampoline(signature, &param, private));
        instantiated.extend(
            quote_spanned!(site=> let #destroy = callback_async_instantiate_destroy(&#state);),
        );
    }
    let closures = signatures
        .iter()
        .zip(&callbacks)
        .map(|(signature, callback)| signature.closure(callback, sink));
    let create = create(stream, bound, text, private);
    // `Once` is rejected before: no call of one of several callbacks may free the state.
    let (give, result) = give(ownership, &locals, private);
    let finish = finish(ownership, private);
    quote_spanned! {site=>
        {
            #items
            let (#sink, #promise) = #create;
            let #parts = (#(#private::ffi::part(&#sink, #closures),)*);
            let #state = #private::ffi::shared_parts(#sink, #parts);
            #instantiated
            #give
            #private::#finish(#block, #result).callback_async_finish()
        }
    }
}

// Output: extern "C" fn callback_async_trampoline_I<D>(..) where D: CallSharedAt<I, ..> {..}
//         fn callback_async_instantiate_I<D>(_: &D) -> extern "C" fn(..) {..}
/// The `index`-th callback's trampoline, and the function that instantiates it from the state.
fn trampoline(
    index: usize,
    signature: &CSignature,
    state: &Ident,
    private: Private,
) -> TokenStream {
    let site = private.site();
    let (args_ty, ret) = (&signature.args_ty, &signature.ret);
    let at = proc_macro2::Literal::usize_unsuffixed(index);
    let bound = quote_spanned!(site=> #private::ffi::CallSharedAt<#at, #args_ty, Output = #ret>);
    let name = format_ident!("callback_async_trampoline_{}", index, span = site);
    let trampoline = signature.trampoline(
        &name,
        &bound,
        state,
        &quote_spanned!(site=> #private::ffi::call_shared_at::<#at, #state, _>),
        true,
    );
    let instantiate = format_ident!("callback_async_instantiate_{}", index, span = site);
    let fn_ptr = signature.fn_ptr();
    quote_spanned! {site=>
        #trampoline
        #[inline]
        fn #instantiate<#state>(_: &#state) -> #fn_ptr
        where
            #state: #bound,
        {
            #name::<#state>
        }
    }
}

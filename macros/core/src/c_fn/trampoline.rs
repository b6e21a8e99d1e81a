//! The generated side of a C-callback block: the `extern "C"` trampolines that turn the user-data
//! pointer back into the state, the state itself, and the block with its placeholders replaced.
//! The safety argument is in the parent module's documentation.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote_spanned};
use syn::{Expr, ExprUnsafe, Ident, Pat};

use super::Ownership;
use super::pairing::numbered;
use super::take::{CClosure, CParam, Carrier, Taken};
use crate::flow::{Bound, BoundedStream, Maker};
use crate::generics;
use crate::root::Private;
use crate::splice::append;

mod several;

/// The generated locals, hygienic (`Span::mixed_site()`).
pub(super) struct CLocals {
    pub(super) sink: Ident,
    pub(super) state: Ident,
    pub(super) promise: Ident,
    pub(super) callback: Ident,
    pub(super) destroy: Ident,
    pub(super) user_data: Ident,
    pub(super) registration: Ident,
}

impl CLocals {
    fn new(private: Private) -> Self {
        Self::numbered(private, 1)
    }

    /// The locals of the `number`-th user-data pointer of a call: `state`, then `state_2`, ..
    /// (named as `take` named the slots the placeholders left).
    pub(super) fn numbered(private: Private, number: usize) -> Self {
        let local = |name| Ident::new(&numbered(name, number), private.local());
        CLocals {
            sink: local("sink"),
            state: local("state"),
            promise: local("promise"),
            callback: local("callback"),
            destroy: local("destroy"),
            user_data: local("user_data"),
            registration: local("registration"),
        }
    }
}

// Output: {
//             extern "C" fn callback_async_trampoline<D>(..) {..}  fn callback_async_instantiate ..
//             let (sink, promise) = PRIVATE::ffi::promise(&"TEXT");   (or PRIVATE::ffi::stream(),
//                                    PRIVATE::ffi::stream_bounded(BOUND, PRIVATE::Overflow::POLICY))
//             let state = PRIVATE::ffi::once(sink, move |sink, (n,): (c_int,)| ..);
//             let callback = callback_async_instantiate(&state);
//             let user_data = PRIVATE::ffi::into_raw_once(state);
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
    if !taken.others.is_empty() {
        return several::emit(taken, ownership, stream, bound, block, text, private);
    }
    let site = private.site();
    let locals = CLocals::new(private);
    let CLocals {
        sink,
        state,
        promise,
        callback,
        destroy,
        ..
    } = &locals;
    let signature = CSignature::of(&taken.callback, private);
    let trampolines = Trampolines::new(&signature, taken.destroy.as_ref(), ownership, private);
    let closure = signature.closure(&taken.callback, sink);
    let create = create(stream, bound, text, private);
    let make = make(ownership, private);
    let make_destroy = taken.destroy.is_some().then(
        || quote_spanned!(site=> let #destroy = callback_async_instantiate_destroy(&#state);),
    );
    let (give, result) = give(ownership, &locals, private);
    let finish = finish(ownership, private);
    quote_spanned! {site=>
        {
            #trampolines
            let (#sink, #promise) = #create;
            let #state = #private::ffi::#make(#sink, #closure);
            let #callback = callback_async_instantiate(&#state);
            #make_destroy
            #give
            #private::#finish(#block, #result).callback_async_finish()
        }
    }
}

/// The runtime's function that makes the state: `once` for a callback that C calls once.
pub(super) fn make(ownership: Ownership, private: Private) -> TokenStream {
    let site = private.site();
    if ownership == Ownership::Once {
        quote_spanned!(site=> once)
    } else {
        quote_spanned!(site=> shared)
    }
}

/// The promise or stream and its sink: `let (sink, promise) = CREATE;`.
pub(super) fn create(
    stream: bool,
    bound: Option<&Bound>,
    text: &str,
    private: Private,
) -> TokenStream {
    let site = private.site();
    if let Some(bound) = bound {
        let create = BoundedStream {
            bound,
            maker: Maker::C,
            value_type: None,
            private,
        };
        create.into_token_stream()
    } else if stream {
        quote_spanned!(site=> #private::ffi::stream())
    } else {
        quote_spanned!(site=> #private::ffi::promise_shared(&#text))
    }
}

// Output: let user_data = PRIVATE::ffi::into_raw_once(state);   and the block's result, `promise`
/// How the state becomes the user-data pointer, by who frees it; and what the block evaluates to
/// beside its own value.
pub(super) fn give(
    ownership: Ownership,
    locals: &CLocals,
    private: Private,
) -> (TokenStream, TokenStream) {
    let site = private.site();
    let CLocals {
        state,
        promise,
        user_data,
        registration,
        ..
    } = locals;
    match ownership {
        Ownership::Once => (
            quote_spanned!(site=> let #user_data = #private::ffi::into_raw_once(#state);),
            promise.to_token_stream(),
        ),
        Ownership::Destroy => (
            quote_spanned!(site=> let #user_data = #private::ffi::into_raw_shared(#state);),
            promise.to_token_stream(),
        ),
        Ownership::Scoped => (
            quote_spanned!(site=> let #user_data = #private::ffi::borrow_raw(&#state);),
            promise.to_token_stream(),
        ),
        Ownership::Handle => (
            quote_spanned!(site=> let (#user_data, #registration) = #private::ffi::registration(#state);),
            quote_spanned!(site=> (#promise, #registration)),
        ),
    }
}

/// `finish`, or `finish_flat` when a `Registration` comes beside the stream: the result is one
/// flat tuple, `(R?, stream, Registration)`.
pub(super) fn finish(ownership: Ownership, private: Private) -> Ident {
    let name = match ownership {
        Ownership::Handle => "finish_flat",
        _ => "finish",
    };
    Ident::new(name, private.site())
}

// Output: extern "C" fn callback_async_trampoline<D>(..) where D: CallOnce<..> {..}
//         fn callback_async_instantiate<D>(_: &D) -> extern "C" fn(..) {..}
//         and the same pair for the destroy notify, if any
/// The items that C calls, generic over the state's type `D`, and the functions that instantiate
/// them from the state itself (so the cast back is always to the type the pointer was made from).
pub(super) struct Trampolines<'a> {
    /// The state's type parameter, `D`.
    state: Ident,
    signature: &'a CSignature,
    destroy: Option<CSignature>,
    ownership: Ownership,
    private: Private<'a>,
}

impl<'a> Trampolines<'a> {
    /// The trampolines of a callback with this `signature`, and of its destroy notify, if any.
    pub(super) fn new(
        signature: &'a CSignature,
        destroy: Option<&CClosure>,
        ownership: Ownership,
        private: Private<'a>,
    ) -> Self {
        let destroy = destroy.map(|destroy| CSignature::of(destroy, private));
        let signatures = [Some(signature), destroy.as_ref()];
        Trampolines {
            state: state_param(signatures.into_iter().flatten(), private),
            signature,
            destroy,
            ownership,
            private,
        }
    }
}

impl ToTokens for Trampolines<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let private = self.private;
        let site = private.site();
        let signature = self.signature;
        let state = &self.state;
        let (args_ty, ret) = (&signature.args_ty, &signature.ret);
        let (call_trait, call_fn) = if self.ownership == Ownership::Once {
            (
                quote_spanned!(site=> CallOnce),
                quote_spanned!(site=> call_once),
            )
        } else {
            (
                quote_spanned!(site=> CallShared),
                quote_spanned!(site=> call_shared),
            )
        };
        let bound = quote_spanned!(site=> #private::ffi::#call_trait<#args_ty, Output = #ret>);
        let trampoline = signature.trampoline(
            &Ident::new("callback_async_trampoline", site),
            &bound,
            state,
            &quote_spanned!(site=> #private::ffi::#call_fn::<#state, _>),
            true,
        );
        let fn_ptr = signature.fn_ptr();
        append(
            out,
            quote_spanned! {site=>
                #trampoline
                #[inline]
                fn callback_async_instantiate<#state>(_: &#state) -> #fn_ptr
                where
                    #state: #bound,
                {
                    callback_async_trampoline::<#state>
                }
            },
        );
        if let Some(destroy) = &self.destroy {
            append(out, destroy_trampoline(destroy, state, private));
        }
    }
}

// Output: extern "C" fn callback_async_destroy<D>(..) {..}
//         fn callback_async_instantiate_destroy<D>(_: &D) -> extern "C" fn(..) {..}
/// The destroy notify's trampoline, and the function that instantiates it from the state.
fn destroy_trampoline(signature: &CSignature, state: &Ident, private: Private) -> TokenStream {
    let site = private.site();
    let trampoline = signature.trampoline(
        &Ident::new("callback_async_destroy", site),
        &quote_spanned!(site=> ::core::marker::Sized),
        state,
        &quote_spanned!(site=> #private::ffi::destroy::<#state>),
        false,
    );
    let fn_ptr = signature.fn_ptr();
    quote_spanned! {site=>
        #trampoline
        #[inline]
        fn callback_async_instantiate_destroy<#state>(_: &#state) -> #fn_ptr {
            callback_async_destroy::<#state>
        }
    }
}

/// The trampolines' type parameter for the state: `D`, or `D_`, `D__`.. when the callback's types
/// name a `D`. Type parameters cannot be hygienic: one named like a type in the signature (as in
/// `|_, d: D| _(d)`) would take it over.
fn state_param<'a>(signatures: impl Iterator<Item = &'a CSignature>, private: Private) -> Ident {
    let mut names = BTreeSet::new();
    for signature in signatures {
        for ty in signature.types.iter().chain([&signature.ret]) {
            generics::names(ty.clone(), &mut names);
        }
    }
    let mut name = "D".to_owned();
    while names.contains(&name) {
        name.push('_');
    }
    Ident::new(&name, private.site())
}

/// The trampoline's name for a parameter: `arg0`, `arg1`, ..; the user's own name where an
/// accessor (`#[user_data(sqlite3_user_data(ctx))]`) may read it, so that the accessor, written in
/// terms of the callback's parameters, reads the trampoline's.
fn arg_name(callback: &CClosure, param: &CParam, position: usize, mixed: Span) -> Ident {
    match (&callback.accessor, param) {
        (Some(_), CParam::Typed(Pat::Ident(pat), _)) if pat.subpat.is_none() => pat.ident.clone(),
        _ => format_ident!("arg{}", position, span = mixed),
    }
}

/// Whether the accessor (`#[user_data(sqlite3_user_data(ctx))]`) names this parameter: the
/// trampoline reads it there, so the closure's body need not use it, and rustc must not warn.
fn read_by_accessor(callback: &CClosure, ident: &Ident) -> bool {
    let Some(accessor) = &callback.accessor else {
        return false;
    };
    fn names(tokens: TokenStream, ident: &Ident) -> bool {
        tokens.into_iter().any(|token| match token {
            TokenTree::Ident(found) => found == *ident,
            TokenTree::Group(group) => names(group.stream(), ident),
            _ => false,
        })
    }
    names(accessor.expr.to_token_stream(), ident)
}

/// The C signature of a closure placeholder, and the pieces generated from it.
pub(super) struct CSignature {
    /// The span of the generated tokens (see `Private::site`).
    site: Span,
    /// `arg0: *mut c_void, arg1: c_int`
    pub(super) params: Vec<TokenStream>,
    /// The same with the typed arguments unnamed (`_: c_int`), for a destroy notify.
    unnamed: Vec<TokenStream>,
    /// The parameter types, for the function pointer type.
    pub(super) types: Vec<TokenStream>,
    /// How the trampoline reads the user-data pointer: `arg0`, `arg0.sival_ptr`.
    user_data: TokenStream,
    /// The typed arguments, as the tuple the state is called with.
    pub(super) args: TokenStream,
    pub(super) args_ty: TokenStream,
    pub(super) ret: TokenStream,
    unit: bool,
}

impl CSignature {
    pub(super) fn of(callback: &CClosure, private: Private) -> Self {
        let (site, mixed) = (private.site(), private.local());
        let (mut params, mut types, mut args, mut args_ty) = (vec![], vec![], vec![], vec![]);
        let mut unnamed = vec![];
        let mut user_data = TokenStream::new();
        for (position, param) in callback.params.iter().enumerate() {
            let arg = arg_name(callback, param, position, mixed);
            let ty = match param {
                CParam::UserData(Carrier::Pointer) => {
                    user_data = arg.to_token_stream();
                    quote_spanned!(site=> *mut ::core::ffi::c_void)
                }
                CParam::UserData(Carrier::Field(path, member)) => {
                    user_data = quote_spanned!(site=> #arg.#member);
                    path.to_token_stream()
                }
                CParam::Typed(_, ty) => {
                    args.push(arg.clone());
                    args_ty.push(ty.to_token_stream());
                    ty.to_token_stream()
                }
            };
            params.push(quote_spanned!(site=> #arg: #ty));
            unnamed.push(match param {
                CParam::Typed(..) => quote_spanned!(site=> _: #ty),
                CParam::UserData(_) => quote_spanned!(site=> #arg: #ty),
            });
            types.push(ty);
        }
        if let Some(accessor) = &callback.accessor {
            user_data = accessor.expr.to_token_stream();
        }
        let unit = callback.output.is_none();
        let ret = callback
            .output
            .as_ref()
            .map_or_else(|| quote_spanned!(site=> ()), ToTokens::to_token_stream);
        CSignature {
            site,
            params,
            unnamed,
            types,
            user_data,
            args: quote_spanned!(site=> (#(#args,)*)),
            args_ty: quote_spanned!(site=> (#(#args_ty,)*)),
            ret,
            unit,
        }
    }

    /// `extern "C" fn(*mut c_void, c_int) -> c_int`
    fn fn_ptr(&self) -> TokenStream {
        let site = self.site;
        let types = &self.types;
        let ret = self.arrow();
        quote_spanned!(site=> extern "C" fn(#(#types),*) #ret)
    }

    /// `-> T`, or nothing for `()` (an explicit `-> ()` would be linted).
    pub(super) fn arrow(&self) -> Option<TokenStream> {
        let site = self.site;
        let ret = &self.ret;
        (!self.unit).then(|| quote_spanned!(site=> -> #ret))
    }

    /// The `extern "C"` function that C calls: it passes the user-data pointer (and, for a
    /// callback, the other arguments) to `target`, the runtime's `unsafe fn` that turns it back
    /// into the state. The safety argument is in this module's documentation.
    fn trampoline(
        &self,
        name: &Ident,
        bound: &TokenStream,
        state: &Ident,
        target: &TokenStream,
        with_args: bool,
    ) -> TokenStream {
        let params = if with_args {
            &self.params
        } else {
            &self.unnamed
        };
        let site = self.site;
        let ret = self.arrow();
        let user_data = &self.user_data;
        let args = with_args.then_some(&self.args).into_iter();
        let call = quote_spanned!(site=> #target(#user_data #(, #args)*));
        let body = if self.unit || !with_args {
            quote_spanned!(site=> unsafe { #call; })
        } else {
            quote_spanned!(site=> unsafe { #call })
        };
        quote_spanned! {site=>
            #[allow(clippy::too_many_arguments)]
            extern "C" fn #name<#state>(#(#params),*) #ret
            where
                #state: #bound,
            {
                #body
            }
        }
    }

    /// The user's closure, as the state stores it: `move |sink, (n, s): (c_int, *const c_char)|
    /// -> c_int { .. }`.
    pub(super) fn closure(&self, callback: &CClosure, sink: &Ident) -> TokenStream {
        let pats = callback.params.iter().filter_map(|param| match param {
            CParam::Typed(pat, _) => Some(pat),
            CParam::UserData(_) => None,
        });
        let args_ty = &self.args_ty;
        let at = callback.span;
        let call = self.site.located_at(at);
        let body = Touched::new(callback, self.site);
        match self.arrow() {
            Some(ret) => quote_spanned!(call=> move |#sink, (#(#pats,)*): #args_ty| #ret #body),
            None => quote_spanned!(call=> move |#sink, (#(#pats,)*): #args_ty| #body),
        }
    }
}

// Input:  #[user_data(sqlite3_user_data(ctx))] |ctx: *mut sqlite3_context, n: c_int| _(n)
// Output: { let _ = &ctx; _(n) }   (the body itself, a block where a return type needs one)
/// The closure's body, first touching each parameter that only the accessor may read: the
/// trampoline reads it there, so rustc must not call it unused.
struct Touched<'a> {
    touched: Vec<&'a Ident>,
    body: &'a Expr,
    block: bool,
    site: Span,
}

impl<'a> Touched<'a> {
    fn new(callback: &'a CClosure, site: Span) -> Self {
        let touched = callback
            .params
            .iter()
            .filter_map(|param| match param {
                CParam::Typed(Pat::Ident(pat), _) if read_by_accessor(callback, &pat.ident) => {
                    Some(&pat.ident)
                }
                _ => None,
            })
            .collect();
        Touched {
            touched,
            body: &callback.body,
            block: callback.output.is_some(),
            site,
        }
    }
}

impl ToTokens for Touched<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let (site, body, touched) = (self.site, self.body, &self.touched);
        let plain_block =
            matches!(body, Expr::Block(block) if block.attrs.is_empty() && block.label.is_none());
        if touched.is_empty() && (plain_block || !self.block) {
            body.to_tokens(out);
        } else {
            out.extend(quote_spanned!(site=> { #(let _ = &#touched;)* #body }));
        }
    }
}

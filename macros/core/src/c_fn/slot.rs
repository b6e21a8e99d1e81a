//! Callbacks that take no user data, marked `static |..|`: a plain `fn` (the Rust form) or an
//! `extern "C" fn` (the C form, in `promisify!(unsafe { .. })`) that reaches its stream through a
//! `static` slot declared in the expansion, since no pointer comes back with the call.
//!
//! The user's closure becomes the state in the slot (so it may capture, as the C form's closures
//! do); the trampoline is generic over the state's type and instantiated from the very state
//! installed, as the C form's is; the runtime checks the state's type on each call (one slot
//! serves every instantiation of a generic caller), so the generated code has no `unsafe`.

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote_spanned};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Ident, Pat};

use super::take::{CClosure, CParam, callback_of};
use super::trampoline::CSignature;
use crate::error::Errors;
use crate::flow::{Bound, Overflow};
use crate::handover::hands_over;
use crate::placeholders::{self, Language, Scope};
use crate::root::Private;

const NOT_STREAM: &str = "a `static` callback feeds a stream, since the API may call its `fn` \
                          any number of times: write `promisify!(stream f(static |x: T| _(x)))` \
                          (and read one item with `.next()` if it is called once)";

const UNTYPED: &str = "a `static` callback becomes a `fn`, whose parameters need their types: \
                       `static |p: Progress| _(p)`";

const USER_DATA: &str = "a `static` callback takes no user data, the slot stands for it: give \
                         every parameter its type (`static |sig: c_int| _(sig)`); for a C \
                         callback that has a `void *` user data, drop `static` and write `_` for \
                         it (`|_, n: c_int| _(n)`)";

const NO_VALUE: &str = "a `static` callback hands values over from its body with `_(value)`, or \
                        is `_` to hand over its arguments: `static |p: Progress| _(p)`";

/// The attribute that stands for `static` before a closure while syn parses the input: syn 3
/// does not parse `static |..|` closures.
const MARK: &str = "callback_async_static";

// Input:  f(static |p: Progress| _(p))
// Output: f(#[callback_async_static] |p: Progress| _(p)), the attribute located at `static`
/// Replaces the `static` before each closure by an attribute that syn keeps on the closure.
pub fn mark(input: TokenStream) -> TokenStream {
    let mut trees: Vec<TokenTree> = input.into_iter().collect();
    let mut out = TokenStream::new();
    let mut index = 0;
    while index < trees.len() {
        let marks = matches!(&trees[index], TokenTree::Ident(ident) if ident == "static")
            && match trees.get(index + 1) {
                Some(TokenTree::Punct(punct)) => punct.as_char() == '|',
                Some(TokenTree::Ident(next)) => next == "move" || next == "async",
                _ => false,
            };
        let tree = std::mem::replace(
            &mut trees[index],
            TokenTree::Punct(Punct::new('#', Spacing::Alone)),
        );
        index += 1;
        match tree {
            TokenTree::Ident(ident) if marks => {
                let span = ident.span();
                let mut pound = Punct::new('#', Spacing::Alone);
                pound.set_span(span);
                let mut attribute = Group::new(
                    Delimiter::Bracket,
                    TokenTree::Ident(Ident::new(MARK, span)).into(),
                );
                attribute.set_span(span);
                out.extend([TokenTree::Punct(pound), TokenTree::Group(attribute)]);
            }
            TokenTree::Group(group) => {
                let mut marked = Group::new(group.delimiter(), mark(group.stream()));
                marked.set_span(group.span());
                out.extend([TokenTree::Group(marked)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// Takes the mark off `closure`: the span of the `static` it stood for, if it had one.
fn unmark(closure: &mut ExprClosure) -> Option<Span> {
    let position = closure
        .attrs
        .iter()
        .position(|attribute| attribute.path().is_ident(MARK))?;
    let attribute = closure.attrs.remove(position);
    Some(attribute.pound_token.span)
}

/// The parsed input of a call with a `static` callback.
pub struct SlotInput<'a> {
    /// The `stream` mode, if written.
    pub stream: bool,
    pub bound: Option<&'a Bound>,
    pub text: &'a str,
    pub private: Private<'a>,
}

// Input:  stream rusqlite_backup.run_to_completion(5, pause, Some(static |p: Progress| _(p)))
// Output: the slot, the trampoline, and the call with `callback` for the closure
/// Expands the call if it holds a `static` callback; `None` if it holds none.
pub fn expand(call: &mut Expr, input: &SlotInput) -> Option<syn::Result<TokenStream>> {
    let c = matches!(call, Expr::Unsafe(_));
    let local = Ident::new("callback", input.private.local());
    let mut taker = Taker {
        found: Vec::new(),
        private: input.private,
    };
    match call {
        Expr::Unsafe(block) => taker.visit_block_mut(&mut block.block),
        Expr::Call(inner) => inner.args.iter_mut().for_each(|a| taker.visit_expr_mut(a)),
        Expr::MethodCall(inner) => inner.args.iter_mut().for_each(|a| taker.visit_expr_mut(a)),
        _ => {}
    }
    let mut errors = Errors::new();
    misplaced(call, &mut errors);
    let mut found = taker.found.into_iter();
    let Some((closure, marker)) = found.next() else {
        return (!errors.is_empty()).then(|| errors.finish().map(|()| TokenStream::new()));
    };
    for (_, second) in found {
        errors.push(syn::Error::new(
            second,
            "a second `static` callback: one call site has one slot, for one callback",
        ));
    }
    others(call, c, &mut errors);
    Some(
        errors
            .finish()
            .and_then(|()| emit(call, (*closure, marker), c, &local, input)),
    )
}

/// Takes each `static` closure out of the tree, leaving the local that holds its `fn`.
struct Taker<'a> {
    /// Each closure with the span of its `static`.
    found: Vec<(Box<ExprClosure>, Span)>,
    private: Private<'a>,
}

impl VisitMut for Taker<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Closure(closure) => {
                let Some(marker) = unmark(closure) else {
                    // A closure's body is its own: a `static` one there is rustc's to reject.
                    return;
                };
                let at = closure.inputs_begin.span;
                let local = Ident::new("callback", self.private.local().located_at(at));
                let taken = std::mem::replace(expr, Expr::Verbatim(local.into_token_stream()));
                if let Expr::Closure(closure) = taken {
                    self.found.push((Box::new(closure), marker));
                }
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// Reports the `static` closures left in the call: inside another closure, in the callee or the
/// receiver, or in an input that is no call.
fn misplaced(call: &mut Expr, errors: &mut Errors) {
    struct Left<'a>(&'a mut Errors);
    impl VisitMut for Left<'_> {
        fn visit_expr_closure_mut(&mut self, closure: &mut ExprClosure) {
            if let Some(marker) = unmark(closure) {
                self.0.push(syn::Error::new(
                    marker,
                    "a `static` callback is an argument of the call (or nested in one, like \
                     `Some(static |p: P| _(p))`), not inside another closure nor the callee",
                ));
            }
            visit_mut::visit_expr_closure_mut(self, closure);
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    Left(errors).visit_expr_mut(call);
}

/// Reports the other placeholders of the call: the slot's callback is its only one.
fn others(call: &mut Expr, c: bool, errors: &mut Errors) {
    let (found, _) = match call {
        Expr::Unsafe(block) => placeholders::find(Language::C, Scope::Block(&mut block.block)),
        call => placeholders::find(Language::Rust, Scope::Args(call)),
    };
    for placeholder in found {
        let message = if c && matches!(placeholder.written, placeholders::Written::UserData { .. })
        {
            USER_DATA
        } else {
            "a `static` callback is the only callback placeholder of its call: write the \
             others by hand, or make this call without `static`"
        };
        errors.push(syn::Error::new(placeholder.span, message));
    }
}

/// Reads the closure: typed parameters, no user data, a body that hands values over.
fn read(mut closure: ExprClosure, private: Private) -> syn::Result<CClosure> {
    let mut errors = Errors::new();
    if let Some(asyncness) = &closure.asyncness {
        errors.push(syn::Error::new(
            asyncness.span,
            "a `static` callback is a plain closure: the API cannot await an `async` one",
        ));
    }
    for input in &closure.inputs {
        match input {
            Pat::Type(_) => {}
            Pat::Wild(_) | Pat::Struct(_) => errors.push(syn::Error::new_spanned(input, USER_DATA)),
            other => errors.push(syn::Error::new_spanned(other, UNTYPED)),
        }
    }
    let bare = match &*closure.body {
        Expr::Infer(infer) => Some(infer.underscore_token.span),
        _ => None,
    };
    if bare.is_none() && !hands_over(&mut closure.body) {
        errors.push(syn::Error::new_spanned(&closure.body, NO_VALUE));
    }
    errors.finish()?;
    callback_of(closure, bare, false, private, true)
}

fn emit(
    call: &Expr,
    (closure, marker): (ExprClosure, Span),
    c: bool,
    callback: &Ident,
    input: &SlotInput,
) -> syn::Result<TokenStream> {
    let private = input.private;
    if !input.stream {
        return Err(syn::Error::new(marker, NOT_STREAM));
    }
    let create = create(input.bound, private)?;
    let read = read(closure, private)?;
    // Errors about the return type (no `CReturn`) point at it, those about the state (not `Send`)
    // at the `static`, rather than at the whole call.
    let returns = read
        .output
        .as_ref()
        .map_or(marker, syn::spanned::Spanned::span);
    let (at_return, at_marker) = (private.located_at(returns), private.located_at(marker));
    let site = private.site();
    let (returns, marker) = (site.located_at(returns), site.located_at(marker));
    let signature = CSignature::of(&read, private);
    let local = |name| Ident::new(name, private.local());
    let (sink, state, stream) = (local("sink"), local("state"), local("stream"));
    let closure = signature.closure(&read, &sink);
    let abi = c.then(|| quote_spanned!(site=> extern "C"));
    let (params, types, args, args_ty, ret) = (
        &signature.params,
        &signature.types,
        &signature.args,
        &signature.args_ty,
        &signature.ret,
    );
    let arrow = signature.arrow();
    let text = input.text;
    let named = named_lifetimes(&read, site);
    let closure = for_any(closure, named.as_ref(), site);
    let (binder, args_ty) = match named {
        Some((lifetimes, args_ty)) => (Some(quote_spanned!(site=> for<#(#lifetimes),*>)), args_ty),
        None => (None, args_ty.clone()),
    };
    let bound = quote_spanned! {site=>
        #binder CallbackAsyncState: #private::ffi::CallShared<#args_ty, Output = #ret>,
        CallbackAsyncState: 'static
    };
    // Whole calls located there: a call's span joins its first and last tokens.
    let forward = quote_spanned! {returns=>
        #at_return::slot::call::<CallbackAsyncState, _>(&CALLBACK_ASYNC_SLOT, #args)
    };
    let instantiate = quote_spanned!(returns=> callback_async_instantiate(&#state));
    let claim = quote_spanned! {marker=>
        #at_marker::slot::claim(&CALLBACK_ASYNC_SLOT, #state, #stream, &#text)
    };
    Ok(quote_spanned! {site=>
        {
            static CALLBACK_ASYNC_SLOT: #private::slot::Slot = #private::slot::Slot::new();
            #[allow(clippy::too_many_arguments)]
            #abi fn callback_async_trampoline<CallbackAsyncState>(#(#params),*) #arrow
            where
                #bound
            {
                #forward
            }
            #[inline]
            fn callback_async_instantiate<CallbackAsyncState>(
                _: &CallbackAsyncState,
            ) -> #abi fn(#(#types),*) #arrow
            where
                #bound
            {
                callback_async_trampoline::<CallbackAsyncState>
            }
            let (#sink, #stream) = #create;
            let #state = #private::ffi::shared(#sink, #closure);
            let #callback = #instantiate;
            let #stream = #claim;
            #private::finish(#call, #stream).callback_async_finish()
        }
    })
}

// Output: { let bound: usize = N; PRIVATE::slot::stream(bound, PRIVATE::Overflow::POLICY) }
/// The stream's queue: `stream(bound = N, overflow = ..)`'s, or the default; it cannot wait for
/// room, since a call may be a signal handler.
fn create(bound: Option<&Bound>, private: Private) -> syn::Result<TokenStream> {
    let site = private.site();
    let Some(bound) = bound else {
        return Ok(quote_spanned! {site=>
            #private::slot::stream(#private::slot::DEFAULT_BOUND, #private::Overflow::DropOldest)
        });
    };
    let policy = match (bound.overflow, bound.overflow_span) {
        (Overflow::Block, span) => {
            return Err(syn::Error::new(
                span.unwrap_or(bound.key),
                "a `static` callback's stream cannot wait for room: its callback may run in a \
                 signal handler, which must not wait; write `overflow = drop_oldest` (the \
                 default) or `drop_newest`",
            ));
        }
        (Overflow::DropOldest, _) => "DropOldest",
        (Overflow::DropNewest, _) => "DropNewest",
    };
    let policy = Ident::new(policy, site);
    let limit = &bound.limit;
    let local = Ident::new("bound", private.local());
    let usize = quote_spanned!(site.located_at(bound.key)=> ::core::primitive::usize);
    Ok(quote_spanned! {site=>
        {
            let #local: #usize = #limit;
            #private::slot::stream(#local, #private::Overflow::#policy)
        }
    })
}

// Output: { fn callback_async_for_any<S, R, F>(callback: F) -> F where F: for<'callback_async_0>
//           Fn(&S, (u8, &'callback_async_0 str)) -> R { callback } callback_async_for_any(CLOSURE) }
/// The state's closure, made to take a borrowed parameter for every lifetime, which rustc infers
/// only from an expected higher-ranked signature; as it is without borrowed parameters.
fn for_any(
    closure: TokenStream,
    named: Option<&(Vec<syn::Lifetime>, TokenStream)>,
    site: Span,
) -> TokenStream {
    let Some((lifetimes, args_ty)) = named else {
        return closure;
    };
    quote_spanned! {site=>
        {
            #[inline]
            fn callback_async_for_any<S, R, F>(callback: F) -> F
            where
                F: for<#(#lifetimes),*> ::core::ops::Fn(&S, #args_ty) -> R,
            {
                callback
            }
            callback_async_for_any(#closure)
        }
    }
}

// Input:  |n: u8, name: &str, row: Row<'_>|
// Output: ['callback_async_0, 'callback_async_1], (u8, &'callback_async_0 str, Row<'callback_async_1>,)
/// The parameters' tuple type with each elided lifetime named, for the trampoline's bound, which
/// must hold for every lifetime the `fn` is called with; `None` when none is elided.
fn named_lifetimes(read: &CClosure, site: Span) -> Option<(Vec<syn::Lifetime>, TokenStream)> {
    struct Namer {
        site: Span,
        named: Vec<syn::Lifetime>,
    }
    impl Namer {
        fn fresh(&mut self) -> syn::Lifetime {
            let name = format!("'callback_async_{}", self.named.len());
            let lifetime = syn::Lifetime::new(&name, self.site);
            self.named.push(lifetime.clone());
            lifetime
        }
    }
    impl VisitMut for Namer {
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference.lifetime.is_none() {
                reference.lifetime = Some(self.fresh());
            }
            visit_mut::visit_type_reference_mut(self, reference);
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut syn::Lifetime) {
            if lifetime.ident == "_" {
                *lifetime = self.fresh();
            }
        }
        // A `fn` pointer's own elided lifetimes are its own.
        fn visit_type_fn_ptr_mut(&mut self, _: &mut syn::TypeFnPtr) {}
    }
    let mut namer = Namer {
        site,
        named: Vec::new(),
    };
    let mut types = Vec::new();
    for param in &read.params {
        if let CParam::Typed(_, ty) = param {
            let mut ty = ty.clone();
            namer.visit_type_mut(&mut ty);
            types.push(ty);
        }
    }
    (!namer.named.is_empty()).then(|| (namer.named, quote_spanned!(site=> (#(#types,)*))))
}

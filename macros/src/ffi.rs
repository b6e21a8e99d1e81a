//! `promisify!(unsafe { .. })`: C callbacks that take a user-data pointer.
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
//! `callback_async::ffi::private`):
//!
//! - **The type matches.** The trampoline is generic over `D` and is instantiated by
//!   `callback_async_instantiate(&state)`, from the very value whose address becomes the user
//!   data, so the cast back is always to the type the pointer was made from.
//! - **The pointer is live and reclaimed once.** That is C's side of the contract, which the user
//!   vouches for with the `unsafe` block they wrote: for `_` without a destroy notify in a
//!   future, C calls the callback once (the trampoline frees the state); with a destroy notify, C
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

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, ExprUnsafe, Ident, Member, Pat, ReturnType, Type};

use crate::args::push;

const NO_CALLBACK: &str = "`promisify!(unsafe { .. })` awaits a C callback: write the callback \
                           as a closure whose parameters have their C types, except the user \
                           data written `_`, and whose body hands a value over with `_(value)`, \
                           like `|_, code: c_int| _(code)`; for a Rust callback API that is \
                           unsafe to call, put the macro inside the block instead: \
                           `unsafe { promisify!(f(_)) }`";

/// How the C callback finds the user-data pointer among its arguments.
enum Carrier {
    /// A `void *` argument, written `_`.
    Pointer,
    /// A pointer in a field of a struct or union argument, written `Path { field: _ }`.
    Field(syn::Path, Member),
}

// Built a few times per expansion: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum Param {
    UserData(Carrier),
    Typed(Pat, Type),
}

/// A closure placeholder: the C callback or the destroy notify.
struct Callback {
    params: Vec<Param>,
    output: Option<Type>,
    body: Expr,
    span: Span,
    /// The type of the value handed to `_(..)`, where the parameters' types tell it.
    value: Option<TokenStream>,
    /// The first `_(..)` (or the closure, for a body that is `_`).
    value_span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A future; C calls once and the call frees the state.
    Once,
    /// C calls until the destroy notify, which frees the state.
    Destroy,
    /// C calls while the block runs; the state is a local.
    Scoped,
    /// A stream that C feeds until the program releases its state.
    Handle,
}

/// Expands `promisify!([stream] unsafe { .. })`.
pub fn expand(stream: bool, block: ExprUnsafe, text: &str) -> syn::Result<TokenStream> {
    expand_parts(stream, block, text).map(|expansion| expansion.tokens)
}

/// An expansion, with what a generated function's signature needs to know of it.
pub struct Expansion {
    pub tokens: TokenStream,
    pub mode: Mode,
    /// The type of the value handed to `_(..)`, where the callback's parameters tell it: `_(n)`
    /// with `n: c_int`, `_()`, or a body that is `_`.
    pub value: Option<TokenStream>,
    /// Where the callback's body hands its value over, for errors about its type.
    pub value_span: Span,
}

/// Expands an `unsafe { .. }` block with C-callback placeholders.
pub fn expand_parts(stream: bool, mut block: ExprUnsafe, text: &str) -> syn::Result<Expansion> {
    let mixed = Span::mixed_site();
    let mut finder = Finder::default();
    finder.visit_block_mut(&mut block.block);
    let Finder {
        callbacks,
        destroys,
        user_data,
        mut errors,
    } = finder;

    let mut callback = None;
    for (index, closure) in callbacks.into_iter().enumerate() {
        if index > 0 {
            push(
                &mut errors,
                syn::Error::new(
                    closure.or_span(),
                    "a second C callback placeholder: `promisify!` settles one promise (or feeds \
                     one stream) from one callback",
                ),
            );
            continue;
        }
        match closure.and_then(|closure| callback_of(&closure, false)) {
            Ok(parsed) => callback = Some(parsed),
            Err(error) => push(&mut errors, error),
        }
    }
    let mut destroy = None;
    for (index, closure) in destroys.into_iter().enumerate() {
        if index > 0 {
            push(
                &mut errors,
                syn::Error::new(
                    closure.or_span(),
                    "a second destroy-notify placeholder: the user data is freed once",
                ),
            );
            continue;
        }
        match closure.and_then(|closure| callback_of(&closure, true)) {
            Ok(parsed) => destroy = Some(parsed),
            Err(error) => push(&mut errors, error),
        }
    }
    let mut borrowed = false;
    for (index, (span, is_borrowed)) in user_data.iter().enumerate() {
        if index > 0 {
            push(
                &mut errors,
                syn::Error::new(
                    *span,
                    "a second user-data placeholder: C hands back one pointer; `_` goes where the \
                     call takes the callback's `void *` user data",
                ),
            );
        }
        borrowed |= *is_borrowed;
    }
    if callback.is_none() && errors.is_none() {
        push(&mut errors, syn::Error::new_spanned(&block, NO_CALLBACK));
    }
    if user_data.is_empty() && callback.is_some() {
        push(
            &mut errors,
            syn::Error::new_spanned(
                &block,
                "this block has no user-data placeholder: write `_` where the call takes the \
                 callback's `void *` user data (or `&_` if C uses it only during the call)",
            ),
        );
    }
    if let (Some(destroy), true) = (&destroy, borrowed) {
        push(
            &mut errors,
            syn::Error::new(
                destroy.span,
                "a destroy notify frees user data given to C with `_`; `&_` lends it only while \
                 the block runs, and frees it afterwards",
            ),
        );
    }
    if let Some(errors) = errors {
        return Err(errors);
    }
    let Some(callback) = callback else {
        unreachable!("reported above")
    };
    let mode = match (borrowed, &destroy, stream) {
        (true, _, _) => Mode::Scoped,
        (false, Some(_), _) => Mode::Destroy,
        (false, None, false) => Mode::Once,
        (false, None, true) => Mode::Handle,
    };

    let private = quote!(::callback_async::__private);
    let ffi = quote!(#private::ffi);
    let sink = Ident::new("sink", mixed);
    let state = Ident::new("state", mixed);
    let promise = Ident::new("promise", mixed);
    let callback_ident = Ident::new("callback", mixed);
    let destroy_ident = Ident::new("destroy", mixed);
    let user_data_ident = Ident::new("user_data", mixed);
    let registration = Ident::new("registration", mixed);

    let signature = Signature::of(&callback);
    let (args_ty, ret) = (&signature.args_ty, &signature.ret);
    let (call_trait, call_fn, make) = if mode == Mode::Once {
        (quote!(CallOnce), quote!(call_once), quote!(once))
    } else {
        (quote!(CallShared), quote!(call_shared), quote!(shared))
    };
    let bound = quote!(#ffi::#call_trait<#args_ty, Output = #ret>);
    let trampoline = signature.trampoline(
        &format_ident!("callback_async_trampoline"),
        &bound,
        &quote!(#ffi::#call_fn::<D, _>),
        true,
    );
    let fn_ptr = signature.fn_ptr();
    let instantiate = quote! {
        #[inline]
        fn callback_async_instantiate<D>(_: &D) -> #fn_ptr
        where
            D: #bound,
        {
            callback_async_trampoline::<D>
        }
    };
    let destroy_items = destroy.as_ref().map(|destroy| {
        let signature = Signature::of(destroy);
        let trampoline = signature.trampoline(
            &format_ident!("callback_async_destroy"),
            &quote!(::core::marker::Sized),
            &quote!(#ffi::destroy::<D>),
            false,
        );
        let fn_ptr = signature.fn_ptr();
        quote! {
            #trampoline
            #[inline]
            fn callback_async_instantiate_destroy<D>(_: &D) -> #fn_ptr {
                callback_async_destroy::<D>
            }
        }
    });

    let closure = signature.closure(&callback, &sink);
    let create = if stream {
        quote!(#ffi::stream())
    } else {
        quote!(#ffi::promise(&#text))
    };
    let make_destroy = destroy
        .is_some()
        .then(|| quote!(let #destroy_ident = callback_async_instantiate_destroy(&#state);));
    let (user_data, result) = match mode {
        Mode::Once => (
            quote!(let #user_data_ident = #ffi::into_raw_once(#state);),
            promise.to_token_stream(),
        ),
        Mode::Destroy => (
            quote!(let #user_data_ident = #ffi::into_raw_shared(#state);),
            promise.to_token_stream(),
        ),
        Mode::Scoped => (
            quote!(let #user_data_ident = #ffi::borrow_raw(&#state);),
            promise.to_token_stream(),
        ),
        Mode::Handle => (
            quote!(let (#user_data_ident, #registration) = #ffi::registration(#state);),
            quote!((#promise, #registration)),
        ),
    };
    let tokens = quote! {
        {
            #trampoline
            #instantiate
            #destroy_items
            let (#sink, #promise) = #create;
            let #state = #ffi::#make(#sink, #closure);
            let #callback_ident = callback_async_instantiate(&#state);
            #make_destroy
            #user_data
            #private::finish(#block, #result).finish()
        }
    };
    Ok(Expansion {
        tokens,
        mode,
        value: callback.value.clone(),
        value_span: callback.value_span,
    })
}

/// A closure placeholder taken out of the block, or the error it raised.
type Found = syn::Result<ExprClosure>;

trait OrSpan {
    fn or_span(&self) -> Span;
}

impl OrSpan for Found {
    fn or_span(&self) -> Span {
        match self {
            Ok(closure) => closure.inputs_begin.span,
            Err(error) => error.span(),
        }
    }
}

/// Takes the placeholders out of the user's block, replacing each by the generated local it
/// stands for.
#[derive(Default)]
struct Finder {
    callbacks: Vec<Found>,
    destroys: Vec<Found>,
    /// Each user-data placeholder, and whether it is borrowed (`&_`).
    user_data: Vec<(Span, bool)>,
    errors: Option<syn::Error>,
}

fn local(name: &str, at: Span) -> Expr {
    Expr::Verbatim(Ident::new(name, Span::mixed_site().located_at(at)).to_token_stream())
}

impl VisitMut for Finder {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Infer(infer) => {
                let span = infer.underscore_token.span;
                self.user_data.push((span, false));
                *expr = local("user_data", span);
            }
            Expr::Reference(reference) if matches!(&*reference.expr, Expr::Infer(_)) => {
                let span = reference.and_token.span;
                self.user_data.push((span, true));
                *expr = local("user_data", span);
            }
            Expr::Call(call) if matches!(&*call.func, Expr::Infer(_)) => push(
                &mut self.errors,
                syn::Error::new_spanned(
                    &*call,
                    "`_(value)` hands a value over from inside the C callback's body; outside \
                     it, `_` is the user-data pointer",
                ),
            ),
            Expr::Closure(closure) if is_destroy(closure) => {
                let span = closure.inputs_begin.span;
                self.destroys.push(Ok((*closure).clone()));
                *expr = local("destroy", span);
            }
            // Not a guard: `is_callback` walks the body with a `VisitMut`, which a guard's shared
            // binding cannot give it.
            Expr::Closure(closure) => {
                if !is_callback(closure) {
                    visit_mut::visit_expr_mut(self, expr);
                    return;
                }
                let span = closure.inputs_begin.span;
                let found = match &closure.asyncness {
                    Some(asyncness) => Err(syn::Error::new(
                        asyncness.span,
                        "a C callback placeholder is a plain closure: C cannot await",
                    )),
                    None => Ok((*closure).clone()),
                };
                self.callbacks.push(found);
                *expr = local("callback", span);
            }
            // `_ = value;` discards a value: its `_` is no placeholder.
            Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => {
                self.visit_expr_mut(&mut assign.right);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Tokens of a macro call are not expressions: leave them alone.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// `|_| drop(_)`: the destroy notify.
fn is_destroy(closure: &ExprClosure) -> bool {
    let Expr::Call(call) = &*closure.body else {
        return false;
    };
    matches!(&*call.func, Expr::Path(path) if path.qself.is_none() && path.path.is_ident("drop"))
        && call.args.len() == 1
        && matches!(call.args[0], Expr::Infer(_))
}

/// A closure whose body is `_` or hands a value over with `_(..)`.
fn is_callback(closure: &mut ExprClosure) -> bool {
    // A `VisitMut` that changes nothing: syn's `visit` is off (see Cargo.toml).
    struct Delivers(bool);
    impl VisitMut for Delivers {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            self.0 |= matches!(&*call.func, Expr::Infer(_));
            visit_mut::visit_expr_call_mut(self, call);
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    if bare(&closure.body).is_some() {
        return true;
    }
    let mut delivers = Delivers(false);
    delivers.visit_expr_mut(&mut closure.body);
    delivers.0
}

/// The `_` of a body that is `_` or `{ _ }`.
fn bare(body: &Expr) -> Option<&syn::ExprInfer> {
    match body {
        Expr::Infer(infer) => Some(infer),
        Expr::Block(block) if block.label.is_none() => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(Expr::Infer(infer), None)] => Some(infer),
            _ => None,
        },
        _ => None,
    }
}

/// Reads a closure placeholder's parameters, return type and body.
fn callback_of(closure: &ExprClosure, destroy: bool) -> syn::Result<Callback> {
    let mut errors = None;
    let mut params = Vec::new();
    let mut user_data = 0;
    for input in &closure.inputs {
        match input {
            Pat::Type(typed) => {
                if let Pat::Wild(_) = &*typed.pat {
                    if let Type::Infer(_) = &*typed.ty {
                        push(
                            &mut errors,
                            syn::Error::new_spanned(
                                typed,
                                "write the user-data parameter as `_`, without a type: the \
                                 trampoline gives it the type `*mut c_void`",
                            ),
                        );
                        continue;
                    }
                }
                params.push(Param::Typed((*typed.pat).clone(), (*typed.ty).clone()));
            }
            Pat::Wild(_) => {
                user_data += 1;
                params.push(Param::UserData(Carrier::Pointer));
            }
            Pat::Struct(pattern) if carrier(pattern).is_some() => {
                user_data += 1;
                let member = carrier(pattern).cloned().expect("checked by the guard");
                params.push(Param::UserData(Carrier::Field(
                    pattern.path.clone(),
                    member,
                )));
            }
            other => push(
                &mut errors,
                syn::Error::new_spanned(
                    other,
                    "a C callback's parameter needs its C type (`n: c_int`); only the user data \
                     is written without one: `_` for a `void *`, or `Struct { field: _ }` for a \
                     pointer carried in a field (`libc::sigval { sival_ptr: _ }`)",
                ),
            ),
        }
    }
    if user_data != 1 && errors.is_none() {
        let message = if user_data == 0 {
            "this C callback has no user-data parameter: write the parameter that carries the \
             user data as `_`, without a type (`|_, n: c_int| ..`)"
        } else {
            "this C callback has several user-data parameters: only the one that carries the \
             user data is written `_` without a type; give the others their C types"
        };
        push(
            &mut errors,
            syn::Error::new_spanned(quote!(#closure), message),
        );
    }
    let output = match &closure.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) if destroy => {
            push(
                &mut errors,
                syn::Error::new_spanned(ty, "a destroy notify returns nothing"),
            );
            None
        }
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    if let Some(errors) = errors {
        return Err(errors);
    }
    let mut body = (*closure.body).clone();
    let mut value = None;
    let mut value_span = closure.inputs_begin.span;
    if !destroy {
        let mut deliver = Deliver::default();
        if let Some(span) = bare(&body).map(|infer| infer.underscore_token.span) {
            value = Some(named_types(&params));
            if output.is_some() {
                return Err(syn::Error::new(
                    span,
                    "a C callback that returns a value to C hands its value over with \
                     `_(value)`, then returns: `-> c_int { _(value); 0 }`",
                ));
            }
            body = deliver.all(&params, span)?;
        } else {
            deliver.visit_expr_mut(&mut body);
            if let Some(error) = deliver.errors {
                return Err(error);
            }
            if let Some((span, values)) = deliver.first {
                value_span = span;
                value = type_of_values(&values, &params);
            }
        }
    }
    Ok(Callback {
        params,
        output,
        body,
        span: closure.inputs_begin.span,
        value,
        value_span,
    })
}

/// The type of what a body that is `_` hands over: its named arguments.
fn named_types(params: &[Param]) -> TokenStream {
    let types: Vec<&Type> = params
        .iter()
        .filter_map(|param| match param {
            Param::Typed(Pat::Ident(_), ty) => Some(ty),
            _ => None,
        })
        .collect();
    match types.as_slice() {
        [one] => one.to_token_stream(),
        _ => quote!((#(#types),*)),
    }
}

/// The type of `_(a, b)` when each value is an argument of the callback, named with its type.
fn type_of_values(values: &[Expr], params: &[Param]) -> Option<TokenStream> {
    let types = values
        .iter()
        .map(|value| {
            let Expr::Path(path) = value else {
                return None;
            };
            let name = path.path.get_ident()?;
            params.iter().find_map(|param| match param {
                Param::Typed(Pat::Ident(pat), ty) if pat.ident == *name && pat.subpat.is_none() => {
                    Some(ty)
                }
                _ => None,
            })
        })
        .collect::<Option<Vec<&Type>>>()?;
    Some(match types.as_slice() {
        [one] => one.to_token_stream(),
        _ => quote!((#(#types),*)),
    })
}

/// The field written `_` in `Path { field: _ }` (other fields may follow `..`).
fn carrier(pattern: &syn::PatStruct) -> Option<&Member> {
    let mut wild = pattern
        .fields
        .iter()
        .filter(|field| matches!(&*field.pat, Pat::Wild(_)) && field.colon_token.is_some());
    let field = wild.next()?;
    (wild.next().is_none() && pattern.qself.is_none()).then_some(&field.member)
}

/// Rewrites `_(value)` in a C callback's body into a delivery to the sink.
#[derive(Default)]
struct Deliver {
    errors: Option<syn::Error>,
    /// The first `_(..)`: its span and its values as written.
    first: Option<(Span, Vec<Expr>)>,
}

fn deliver_call(span: Span, value: &TokenStream) -> Expr {
    let call = Span::call_site().located_at(span);
    let sink = Ident::new("sink", Span::mixed_site().located_at(span));
    Expr::Verbatim(quote_spanned!(call=>
        ::callback_async::__private::ffi::deliver(#sink, #value)
    ))
}

impl Deliver {
    /// A body that is just `_`: hands over every named argument (not those written `_: T`).
    fn all(&mut self, params: &[Param], span: Span) -> syn::Result<Expr> {
        let mut values = Vec::new();
        for param in params {
            if let Param::Typed(pat, _) = param {
                match pat {
                    Pat::Ident(ident) if ident.subpat.is_none() => {
                        values.push(ident.ident.to_token_stream());
                    }
                    Pat::Wild(_) => {}
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "a C callback whose body is `_` hands over its named arguments: name \
                             this one (or write `_: T` to leave it out), or write the body as \
                             `_(value)`",
                        ));
                    }
                }
            }
        }
        let value = match values.as_slice() {
            [one] => one.clone(),
            _ => quote!((#(#values),*)),
        };
        Ok(deliver_call(span, &value))
    }
}

impl VisitMut for Deliver {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Call(call) if matches!(&*call.func, Expr::Infer(_)) => {
                if self.first.is_none() {
                    let values = call.args.iter().cloned().collect();
                    self.first = Some((call.span(), values));
                }
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
                let args = call.args.iter();
                let value = match call.args.len() {
                    1 => call.args[0].to_token_stream(),
                    _ => quote!((#(#args),*)),
                };
                *expr = deliver_call(call.func.span(), &value);
            }
            Expr::Infer(infer) => push(
                &mut self.errors,
                syn::Error::new(
                    infer.underscore_token.span,
                    "inside a C callback's body, hand a value over with `_(value)`",
                ),
            ),
            Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => {
                self.visit_expr_mut(&mut assign.right);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// The C signature of a closure placeholder, and the pieces generated from it.
struct Signature {
    /// `arg0: *mut c_void, arg1: c_int`
    params: Vec<TokenStream>,
    /// The same with the typed arguments unnamed (`_: c_int`), for a destroy notify.
    unnamed: Vec<TokenStream>,
    /// The parameter types, for the function pointer type.
    types: Vec<TokenStream>,
    /// How the trampoline reads the user-data pointer: `arg0`, `arg0.sival_ptr`.
    user_data: TokenStream,
    /// The typed arguments, as the tuple the state is called with.
    args: TokenStream,
    args_ty: TokenStream,
    ret: TokenStream,
    unit: bool,
}

impl Signature {
    fn of(callback: &Callback) -> Self {
        let mixed = Span::mixed_site();
        let (mut params, mut types, mut args, mut args_ty) = (vec![], vec![], vec![], vec![]);
        let mut unnamed = vec![];
        let mut user_data = TokenStream::new();
        for (position, param) in callback.params.iter().enumerate() {
            let arg = format_ident!("arg{}", position, span = mixed);
            let ty = match param {
                Param::UserData(Carrier::Pointer) => {
                    user_data = arg.to_token_stream();
                    quote!(*mut ::core::ffi::c_void)
                }
                Param::UserData(Carrier::Field(path, member)) => {
                    user_data = quote!(#arg.#member);
                    path.to_token_stream()
                }
                Param::Typed(_, ty) => {
                    args.push(arg.clone());
                    args_ty.push(ty.to_token_stream());
                    ty.to_token_stream()
                }
            };
            params.push(quote!(#arg: #ty));
            unnamed.push(match param {
                Param::Typed(..) => quote!(_: #ty),
                Param::UserData(_) => quote!(#arg: #ty),
            });
            types.push(ty);
        }
        let unit = callback.output.is_none();
        let ret = callback
            .output
            .as_ref()
            .map_or_else(|| quote!(()), ToTokens::to_token_stream);
        Signature {
            params,
            unnamed,
            types,
            user_data,
            args: quote!((#(#args,)*)),
            args_ty: quote!((#(#args_ty,)*)),
            ret,
            unit,
        }
    }

    /// `extern "C" fn(*mut c_void, c_int) -> c_int`
    fn fn_ptr(&self) -> TokenStream {
        let types = &self.types;
        let ret = self.arrow();
        quote!(extern "C" fn(#(#types),*) #ret)
    }

    /// `-> T`, or nothing for `()` (an explicit `-> ()` would be linted).
    fn arrow(&self) -> Option<TokenStream> {
        let ret = &self.ret;
        (!self.unit).then(|| quote!(-> #ret))
    }

    /// The `extern "C"` function that C calls: it passes the user-data pointer (and, for a
    /// callback, the other arguments) to `target`, the runtime's `unsafe fn` that turns it back
    /// into the state. The safety argument is in this module's documentation.
    fn trampoline(
        &self,
        name: &Ident,
        bound: &TokenStream,
        target: &TokenStream,
        with_args: bool,
    ) -> TokenStream {
        let params = if with_args {
            &self.params
        } else {
            &self.unnamed
        };
        let ret = self.arrow();
        let user_data = &self.user_data;
        let args = with_args.then_some(&self.args).into_iter();
        let call = quote!(#target(#user_data #(, #args)*));
        let body = if self.unit || !with_args {
            quote!(unsafe { #call; })
        } else {
            quote!(unsafe { #call })
        };
        quote! {
            #[allow(clippy::too_many_arguments)]
            extern "C" fn #name<D>(#(#params),*) #ret
            where
                D: #bound,
            {
                #body
            }
        }
    }

    /// The user's closure, as the state stores it: `move |sink, (n, s): (c_int, *const c_char)|
    /// -> c_int { .. }`.
    fn closure(&self, callback: &Callback, sink: &Ident) -> TokenStream {
        let pats = callback.params.iter().filter_map(|param| match param {
            Param::Typed(pat, _) => Some(pat),
            Param::UserData(_) => None,
        });
        let args_ty = &self.args_ty;
        let body = &callback.body;
        let at = callback.span;
        let call = Span::call_site().located_at(at);
        match (self.arrow(), body) {
            (Some(ret), Expr::Block(block)) if block.attrs.is_empty() && block.label.is_none() => {
                quote_spanned!(call=> move |#sink, (#(#pats,)*): #args_ty| #ret #block)
            }
            (Some(ret), body) => {
                quote_spanned!(call=> move |#sink, (#(#pats,)*): #args_ty| #ret { #body })
            }
            (None, body) => quote_spanned!(call=> move |#sink, (#(#pats,)*): #args_ty| #body),
        }
    }
}

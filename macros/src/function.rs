//! Generating the async version of one callback-taking function.

use std::collections::BTreeSet;

use proc_macro2::{Delimiter, Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{
    Attribute, FnArg, Ident, Pat, ReceiverKind, ReturnType, Safety, Signature, Type, Visibility,
};

use crate::args::{Options, push};
use crate::callback::{self, Chosen, Delivery, Form, Kind, Selection};
use crate::generics;
use crate::tokens::{self, Lazy, Private};

/// Where the function sits, which decides how the async version calls it.
#[derive(Clone)]
pub enum Place {
    /// A free function: called by name.
    Free,
    /// An associated function: called as `Self::name`. `owner` names the type or trait for
    /// messages; `in_trait` asks for `where Self: Sized` on by-value receivers.
    Associated {
        owner: Option<String>,
        in_trait: bool,
    },
}

/// `NAME_async`, `NAME_stream`, or the `name = ".."` override.
pub fn generated_name(sig: &Signature, options: &Options) -> Ident {
    match &options.name {
        Some(name) => name.value.clone(),
        None if options.stream.is_some() => {
            format_ident!("{}_stream", sig.ident, span = sig.ident.span())
        }
        None => format_ident!("{}_async", sig.ident, span = sig.ident.span()),
    }
}

/// `#[deprecated]` for the original function under `#[callback_async(deprecate)]`, pointing
/// remaining callers at the generated function.
pub fn deprecation(sig: &Signature, options: &Options) -> Option<syn::Attribute> {
    options.deprecate.as_ref()?;
    let name = generated_name(sig, options);
    let note = if options.stream.is_some() {
        format!("use `{name}(…)`, a stream of the callback's calls")
    } else {
        format!("use `{name}(…).await`")
    };
    Some(syn::parse_quote!(#[deprecated(note = #note)]))
}

/// Where the callback's value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A oneshot channel: the callback may outlive the call.
    Channel,
    /// A slot on the caller's stack: the signature proves that the callback cannot outlive the
    /// call, so the promise is ready (or dropped) when the call returns. See [`stays_in_call`].
    Stack,
    /// `stream`: every call is an item.
    Stream,
}

/// The parts of a function item that the async version is built from.
pub struct Function<'a> {
    pub attrs: &'a [Attribute],
    pub vis: &'a Visibility,
    pub sig: &'a Signature,
}

/// Whether a function is associated even though the attribute sits on it alone: it has a
/// receiver or mentions `Self`.
pub fn looks_associated(sig: &Signature) -> bool {
    // A copy, for `VisitMut` (syn's `visit` is off, see Cargo.toml); not the tokens, which would
    // also find `Self` in attributes' arguments and in macro calls.
    sig.receiver().is_some() || mentions_self(&mut sig.clone())
}

/// `looks_associated` for a signature the caller owns: no copy.
pub fn looks_associated_mut(sig: &mut Signature) -> bool {
    sig.receiver().is_some() || mentions_self(sig)
}

/// Whether `Self` starts a path (a type, `Self::Assoc`, `<Self as Trait>`, a bound) anywhere in
/// the signature: the only places it can stand. Comparing an identifier's text costs a call into
/// the compiler, so only the first segment of each path is compared.
fn mentions_self(sig: &mut Signature) -> bool {
    struct MentionsSelf(bool);
    impl VisitMut for MentionsSelf {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if !self.0 {
                self.0 = path
                    .segments
                    .first()
                    .is_some_and(|first| first.ident == "Self");
                syn::visit_mut::visit_path_mut(self, path);
            }
        }
    }
    let mut mentions = MentionsSelf(false);
    mentions.visit_signature_mut(sig);
    mentions.0
}

// Input:
//     fn fetch(url: &str, done: impl FnOnce(io::Result<Vec<u8>>) + Send + 'static) -> Handle
// Output:
//     fn fetch_async(url: &str) -> (Handle, Promise<io::Result<Vec<u8>>>) {
//         let (resolver, promise) = __private::promise("fetch");
//         let ret = fetch(url, move |arg0| resolver.settle_once(arg0));
//         (ret, promise)
//     }
/// The async version of `function`, or the errors that prevent it.
pub fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    if !options.c_args.is_empty() {
        return crate::c_function::generate(function, options, place);
    }
    let sig = function.sig;
    let mut errors = None;
    if let Some(output) = &options.output {
        push(
            &mut errors,
            syn::Error::new(
                output.key,
                "`output` names the value of a C callback, given as `param: |_, ..| ..`; a Rust \
                 callback's parameters already tell it",
            ),
        );
    }
    if let Some(asyncness) = &sig.asyncness {
        push(
            &mut errors,
            syn::Error::new(
                asyncness.span,
                "`#[callback_async]` goes on a callback-taking function; this one is already \
                 `async`, so await it directly",
            ),
        );
    }
    if let Some(variadic) = &sig.variadic {
        push(
            &mut errors,
            syn::Error::new(
                variadic.dots.spans[0],
                "variadic functions are not supported",
            ),
        );
    }
    if let Some(name) = options.name.as_ref().filter(|name| name.value == sig.ident) {
        push(
            &mut errors,
            syn::Error::new(
                name.value.span(),
                "`name` must differ from the function's own name: the original is kept beside \
                 the generated function",
            ),
        );
    }
    if let Some(cancel) = &options.cancel {
        if returned_type(sig).is_none() {
            push(
                &mut errors,
                syn::Error::new(
                    cancel.key,
                    "`cancel` needs the function to return a handle to the operation, which \
                     `cancel` receives when the promise is dropped early; this one returns `()`",
                ),
            );
        }
    }
    let selection = match callback::select(sig, options) {
        Ok(selection) => selection,
        Err(error) => {
            push(&mut errors, error);
            return Err(errors.unwrap_or_else(|| unreachable_error(sig)));
        }
    };
    let chosen: Vec<&Chosen> = match &selection {
        Selection::One(one) => vec![one],
        Selection::OkErr(ok, err) => vec![ok, err],
    };
    for one in &chosen {
        check_shape(sig, one, &mut errors);
    }
    if let Some(stream) = &options.stream {
        check_stream(sig, options, stream.key, &selection, &mut errors);
    }
    let private = Private::new(options.krate.as_ref().map(|krate| &krate.value));
    let deliveries: Vec<Delivery> = chosen
        .iter()
        .filter_map(|one| match callback::delivery(&one.shape, private) {
            Ok(delivery) => Some(delivery),
            Err(error) => {
                push(&mut errors, error);
                None
            }
        })
        .collect();
    if let Some(errors) = errors {
        return Err(errors);
    }
    Ok(expand(
        function,
        options,
        place,
        &selection,
        &deliveries,
        private,
    ))
}

/// Whether the callback provably cannot outlive the call, so that its value can go into a slot on
/// the caller's stack: no allocation, no atomics, and a promise that is ready (or dropped) the
/// moment the call returns.
///
/// Soundness does not rest on this check: the generated closure borrows a local, so the borrow
/// checker rejects any expansion in which the callback could escape. The check only predicts when
/// that borrow compiles, and falls back to the channel otherwise. A callback type with no
/// lifetime bound (no `'static`, no `'a`), that no other parameter, no other bound and not the
/// receiver's `Self` names (the callback is a method-level `impl Fn…` or type parameter), and that
/// the return type neither names nor can capture (no `impl Trait` in it, which edition 2024 lets
/// capture every generic), can only be called, dropped, leaked or forgotten before the legacy
/// function returns. A callback that is dropped or forgotten uncalled leaves the slot empty,
/// which reads as "dropped" (never as a hang). `Box<dyn Fn…>` is `'static` and never qualifies;
/// nor do bounds on the value that the borrowed slot could not meet as the channel would
/// (`Sync` on `FnOnce`/`FnMut`, `Send`/`Sync` on `Fn`), nor `stream`, `cancel`, or `ok`/`err`.
fn stays_in_call(sig: &Signature, selection: &Selection, options: &Options) -> bool {
    let Selection::One(one) = selection else {
        return false;
    };
    let shape = &one.shape;
    let borrowable = match shape.kind {
        Kind::Once | Kind::Mut => !shape.needs_sync,
        Kind::Shared => !shape.needs_send,
    };
    options.stream.is_none()
        && options.cancel.is_none()
        && !matches!(shape.form, Form::BoxDyn)
        && !shape.lifetime_bound
        && borrowable
        && !returned_type(sig).is_some_and(contains_impl_trait)
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct Finder(bool);
    impl VisitMut for Finder {
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = Finder(false);
    // A copy, as in `looks_associated`; not the tokens, which would also find `impl` in macro
    // calls.
    finder.visit_type_mut(&mut ty.clone());
    finder.0
}

/// Only reached if `push` lost an error, which it cannot: kept so that no path panics.
fn unreachable_error(sig: &Signature) -> syn::Error {
    syn::Error::new(
        sig.ident.span(),
        "`#[callback_async]` could not expand this function",
    )
}

fn returned_type(sig: &Signature) -> Option<&Type> {
    match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            ty => Some(ty),
        },
    }
}

fn check_stream(
    sig: &Signature,
    options: &Options,
    key: Span,
    selection: &Selection,
    errors: &mut Option<syn::Error>,
) {
    match selection {
        Selection::OkErr(..) => push(
            errors,
            syn::Error::new(
                key,
                "`stream` takes one callback, whose calls become the items; it does not combine \
                 with `ok`/`err`",
            ),
        ),
        Selection::One(one) if one.shape.kind == Kind::Once => {
            let FnArg::Typed(typed) = &sig.inputs[one.index] else {
                return;
            };
            push(
                errors,
                syn::Error::new_spanned(
                    &typed.ty,
                    "`stream` needs a callback that can be called many times (`FnMut` or `Fn`): \
                     an `FnOnce` callback fires at most once, so await a promise instead (remove \
                     `stream`)",
                ),
            );
        }
        Selection::One(_) => {}
    }
    if let Some(dropped) = &options.dropped {
        push(
            errors,
            syn::Error::new(
                dropped.key,
                "`dropped` does not apply to a stream: a dropped callback ends the stream",
            ),
        );
    }
}

fn check_shape(sig: &Signature, chosen: &Chosen, errors: &mut Option<syn::Error>) {
    for bound in &chosen.shape.unsupported {
        push(
            errors,
            syn::Error::new_spanned(
                &bound.path,
                format!(
                    "the callback must implement `{}`, which the generated callback cannot: it \
                     implements the closure trait, `Send`, `Sync` and `Unpin` only",
                    bound.path.to_token_stream().to_string().replace(' ', "")
                ),
            ),
        );
    }
    if let Form::TypeParam(param) = &chosen.shape.form {
        if let Some(place) = other_use(sig, chosen.index, param) {
            push(
                errors,
                syn::Error::new_spanned(
                    place,
                    format!(
                        "the callback's type parameter `{param}` is also used here, so the async \
                         version cannot choose it; give the callback a type parameter of its own"
                    ),
                ),
            );
        }
    }
}

/// Where, besides its own parameter and bounds, the callback's type parameter is named.
fn other_use(sig: &Signature, index: usize, param: &Ident) -> Option<TokenStream> {
    let inputs = sig
        .inputs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, arg)| arg.to_token_stream());
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some(ty.to_token_stream()),
        ReturnType::Default => None,
    };
    let other_params = sig
        .generics
        .params
        .iter()
        .filter_map(|generic| match generic {
            syn::GenericParam::Type(ty) if ty.ident == *param => None,
            other => Some(other.to_token_stream()),
        });
    let predicates = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|clause| &clause.predicates)
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(pred) if callback::bounds_param(&pred.bounded_ty, param) => {
                None
            }
            other => Some(other.to_token_stream()),
        });
    inputs
        .chain(output)
        .chain(other_params)
        .chain(predicates)
        .find(|tokens| mentions(tokens, param))
}

fn mentions(item: &impl ToTokens, name: &Ident) -> bool {
    let mut names = BTreeSet::new();
    generics::names(item.to_token_stream(), &mut names);
    names.contains(&name.to_string())
}

/// A parameter of the legacy function, as the async version takes and forwards it.
enum Arg<'a> {
    /// A callback, which the async version provides: its slot in `deliveries` and its choice.
    Callback(usize, &'a Chosen),
    /// The receiver, without `mut` (the async version only forwards it).
    Receiver(syn::Receiver),
    /// A parameter forwarded under `name`.
    Typed(Ident, &'a Type),
}

// The tokens are written straight into the stream (or group) that they end up in, never built
// as intermediate streams: see `tokens`. Each piece is written as `quote!` would write the text in
// its comment, spans and spacing included.
fn expand(
    function: &Function,
    options: &Options,
    place: &Place,
    selection: &Selection,
    deliveries: &[Delivery],
    private: Private,
) -> TokenStream {
    let sig = function.sig;
    let mixed = Span::mixed_site();
    let resolver = Ident::new("resolver", mixed);
    let promise = Ident::new("promise", mixed);
    let ret = Ident::new("ret", mixed);

    // `::core::result::Result<OK, ERR>` for `ok`/`err`, else the one callback's value type.
    let value_type = |out: &mut TokenStream| match deliveries {
        [ok, err] => {
            tokens::path(out, "::core::result::Result");
            tokens::punct(out, "<");
            ok.write_value_type(out);
            tokens::punct(out, ",");
            err.write_value_type(out);
            tokens::punct(out, ">");
        }
        [one, ..] => one.write_value_type(out),
        [] => {}
    };

    let streams = options.stream.is_some();
    let mode = if streams {
        Mode::Stream
    } else if stays_in_call(sig, selection, options) {
        Mode::Stack
    } else {
        Mode::Channel
    };

    let label = match place {
        Place::Free => sig.ident.to_string(),
        Place::Associated { owner, .. } => {
            format!("{}::{}", owner.as_deref().unwrap_or("Self"), sig.ident)
        }
    };
    // `&::core::concat!(::core::module_path!(), "::", LABEL)`
    let origin = |out: &mut TokenStream| {
        tokens::punct(out, "&");
        tokens::path(out, "::core::concat");
        tokens::punct(out, "!");
        tokens::group(out, Delimiter::Parenthesis, |out| {
            tokens::path(out, "::core::module_path");
            tokens::punct(out, "!");
            tokens::group(out, Delimiter::Parenthesis, |_| {});
            tokens::punct(out, ",");
            tokens::string(out, "::");
            tokens::punct(out, ",");
            tokens::string(out, &label);
        });
    };

    let chosen: Vec<(usize, &Chosen)> = match selection {
        Selection::One(one) => vec![(0, one)],
        Selection::OkErr(ok, err) => vec![(0, ok), (1, err)],
    };
    let args: Vec<Arg> = sig
        .inputs
        .iter()
        .enumerate()
        .map(|(index, arg)| {
            if let Some((slot, one)) = chosen.iter().find(|(_, one)| one.index == index) {
                return Arg::Callback(*slot, one);
            }
            match arg {
                FnArg::Receiver(receiver) => {
                    let mut receiver = receiver.clone();
                    receiver.mutability = None;
                    Arg::Receiver(receiver)
                }
                FnArg::Typed(typed) => {
                    // A parameter named like the function itself would shadow it in the call.
                    let name = match &*typed.pat {
                        Pat::Ident(pat)
                            if pat.by_ref.is_none()
                                && pat.subpat.is_none()
                                && pat.ident != sig.ident =>
                        {
                            pat.ident.clone()
                        }
                        _ => format_ident!("arg_{}", index, span = mixed),
                    };
                    Arg::Typed(name, &typed.ty)
                }
            }
        })
        .collect();
    // The async version's parameters: `SELF, NAME: TYPE, ..` (without the commas for `prune`,
    // which only reads the names).
    let inputs = |out: &mut TokenStream, commas: bool| {
        let mut first = true;
        for arg in &args {
            if matches!(arg, Arg::Callback(..)) {
                continue;
            }
            if !first && commas {
                tokens::punct(out, ",");
            }
            first = false;
            match arg {
                Arg::Callback(..) => {}
                Arg::Receiver(receiver) => receiver.to_tokens(out),
                Arg::Typed(name, ty) => {
                    name.to_tokens(out);
                    tokens::punct(out, ":");
                    ty.to_tokens(out);
                }
            }
        }
    };

    // `PRIVATE::CallbackStream<VALUE>` or `PRIVATE::Promise<VALUE>`
    let promise_type = |out: &mut TokenStream| {
        private.to_tokens(out);
        tokens::path(
            out,
            if streams {
                "::CallbackStream"
            } else {
                "::Promise"
            },
        );
        tokens::punct(out, "<");
        value_type(out);
        tokens::punct(out, ">");
    };
    let returns_value = returned_type(sig);
    // `(RETURNED, PROMISE)`, or the promise alone.
    let output = |out: &mut TokenStream| match returns_value {
        Some(ty) if options.cancel.is_none() => {
            tokens::group(out, Delimiter::Parenthesis, |out| {
                ty.to_tokens(out);
                tokens::punct(out, ",");
                promise_type(out);
            });
        }
        _ => promise_type(out),
    };

    let callback_params: Vec<Ident> = chosen
        .iter()
        .filter_map(|(_, one)| match &one.shape.form {
            Form::TypeParam(param) => Some(param.clone()),
            _ => None,
        })
        .collect();
    let receiver = sig.receiver();
    let mut generics = generics::prune(&sig.generics, &callback_params, || {
        let mut used = TokenStream::new();
        inputs(&mut used, false);
        output(&mut used);
        used
    });
    let mut predicates = Vec::new();
    let needs_send = chosen.iter().any(|(_, one)| one.shape.needs_send);
    let needs_static = chosen.iter().any(|(_, one)| one.shape.needs_static);
    let value_generic =
        (needs_send || needs_static) && value_is_generic(tokens::stream(value_type), &generics);
    if value_generic {
        let value_type = tokens::stream(value_type);
        let send = needs_send.then(|| quote!(::core::marker::Send));
        let plus = (needs_send && needs_static).then(|| quote!(+));
        let statik = needs_static.then(|| quote!('static));
        // Spanned at the attribute: the bound is ours, and lints about where bounds are written
        // (`clippy::multiple_bound_locations`) must not fire at the user's tokens.
        let predicate = respan(quote!(#value_type: #send #plus #statik), Span::call_site());
        predicates.push(predicate);
    }
    if let Place::Associated { in_trait: true, .. } = place {
        if receiver.is_some_and(|r| matches!(r.kind, ReceiverKind::Value)) {
            predicates.push(quote!(Self: ::core::marker::Sized));
        }
    }
    if !predicates.is_empty() {
        let clause = generics.make_where_clause();
        for predicate in predicates {
            clause.predicates.push(syn::parse_quote!(#predicate));
        }
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let generic_params = (!generics.params.is_empty()).then_some(impl_generics);

    let name = generated_name(sig, options);
    let original = &sig.ident;
    let link = match place {
        Place::Free => original.to_string(),
        Place::Associated { .. } => format!("Self::{original}"),
    };
    // `ORIGINAL` or `Self::ORIGINAL`
    let callee = |out: &mut TokenStream| {
        if let Place::Associated { .. } = place {
            tokens::ident(out, "Self");
            tokens::punct(out, "::");
        }
        original.to_tokens(out);
    };

    // Outer attributes only: inner ones (`//!` in the body) belong to the original's body.
    let outer = || {
        function
            .attrs
            .iter()
            .filter(|attr| matches!(attr.style, syn::AttrStyle::Outer))
    };
    let kept_attrs =
        outer().filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"));
    // Documented functions get a documented twin; an undocumented one stays undocumented (a doc
    // attribute on each of a thousand generated functions costs the compiler about 1%).
    let has_docs = outer().any(|attr| attr.path().is_ident("doc"));
    let note = if streams {
        format!(
            " The stream version of [`{link}`], generated by `#[callback_async(stream)]`: it \
             calls `{original}` at once with a callback whose every call is an item of the \
             returned stream, which ends when the callback is dropped."
        )
    } else {
        format!(
            " The async version of [`{link}`], generated by `#[callback_async]`: it calls \
             `{original}` at once with a callback that settles the returned promise."
        )
    };
    // `#[doc = ""] #[doc = NOTE]`
    let note = |out: &mut TokenStream| {
        if has_docs {
            for line in ["", &note] {
                tokens::punct(out, "#");
                tokens::group(out, Delimiter::Bracket, |out| {
                    tokens::ident(out, "doc");
                    tokens::punct(out, "=");
                    tokens::string(out, line);
                });
            }
        }
    };
    // The generated call would warn where the original is deprecated (by the user or by
    // `deprecate`); elsewhere the attribute would only cost compile time.
    let deprecated =
        options.deprecate.is_some() || outer().any(|attr| attr.path().is_ident("deprecated"));
    let vis = function.vis;
    let unsafety = matches!(sig.safety, Safety::Unsafe(_));
    let unsafe_keyword = unsafety.then(|| Ident::new("unsafe", Span::call_site()));

    let stack_slot = Ident::new("slot", mixed);
    let shared_callback =
        matches!(selection, Selection::One(one) if one.shape.kind == Kind::Shared);
    // A value that must be `Send` is checked first and at the value's type, so that one that is
    // not is reported there rather than deep inside the generated callback: by the bound of the
    // function that makes the channel, or by `require_send` where there is none.
    let check_send = needs_send && !value_generic;
    // The closure's own tokens are ours, so that lints such as `clippy::redundant_closure` do
    // not report it at the user's expression.
    let fallback = options.dropped.as_ref().map(|dropped| &dropped.value);
    // `|| EXPR`
    let write_fallback = |out: &mut TokenStream, expr: &syn::Expr| {
        tokens::punct(out, "||");
        expr.to_tokens(out);
    };
    // `PRIVATE::PATH::<VALUE>`
    let turbofish = |out: &mut TokenStream, path: &str| {
        private.to_tokens(out);
        tokens::path(out, path);
        tokens::punct(out, "::");
        tokens::punct(out, "<");
        value_type(out);
        tokens::punct(out, ">");
    };
    // `let (resolver, promise) =`
    let let_pair = |out: &mut TokenStream| {
        tokens::ident(out, "let");
        tokens::group(out, Delimiter::Parenthesis, |out| {
            resolver.to_tokens(out);
            tokens::punct(out, ",");
            promise.to_tokens(out);
        });
        tokens::punct(out, "=");
    };
    // `let NAME = PRIVATE::PATH(ARGS);`
    let let_call =
        |out: &mut TokenStream, name: &Ident, path: &str, args: &dyn Fn(&mut TokenStream)| {
            tokens::ident(out, "let");
            name.to_tokens(out);
            tokens::punct(out, "=");
            private.to_tokens(out);
            tokens::path(out, path);
            tokens::group(out, Delimiter::Parenthesis, args);
            tokens::punct(out, ";");
        };
    let setup = |out: &mut TokenStream| {
        match mode {
            // `let (resolver, promise) = PRIVATE::stream_send::<VALUE>();`
            Mode::Stream => {
                let_pair(out);
                turbofish(
                    out,
                    if check_send {
                        "::stream_send"
                    } else {
                        "::stream"
                    },
                );
                tokens::group(out, Delimiter::Parenthesis, |_| {});
                tokens::punct(out, ";");
            }
            // `let (resolver, promise) = PRIVATE::promise_once_send::<VALUE>(ORIGIN);`
            Mode::Channel => {
                let_pair(out);
                turbofish(
                    out,
                    if check_send {
                        "::promise_once_send"
                    } else {
                        "::promise_once"
                    },
                );
                tokens::group(out, Delimiter::Parenthesis, origin);
                tokens::punct(out, ";");
            }
            // `let slot = PRIVATE::OnceCell::<VALUE>::new();`
            Mode::Stack if shared_callback => {
                tokens::ident(out, "let");
                stack_slot.to_tokens(out);
                tokens::punct(out, "=");
                turbofish(out, "::OnceCell");
                tokens::path(out, "::new");
                tokens::group(out, Delimiter::Parenthesis, |_| {});
                tokens::punct(out, ";");
            }
            // `let mut slot = ::core::option::Option::<VALUE>::None;`
            Mode::Stack => {
                tokens::ident(out, "let");
                tokens::ident(out, "mut");
                stack_slot.to_tokens(out);
                tokens::punct(out, "=");
                tokens::path(out, "::core::option::Option");
                tokens::punct(out, "::");
                tokens::punct(out, "<");
                value_type(out);
                tokens::punct(out, ">");
                tokens::path(out, "::None");
                tokens::punct(out, ";");
            }
        }
        // `PRIVATE::require_send::<VALUE>();`
        if check_send && mode == Mode::Stack {
            turbofish(out, "::require_send");
            tokens::group(out, Delimiter::Parenthesis, |_| {});
            tokens::punct(out, ";");
        }
        // `let resolver = PRIVATE::Settler::or_else(resolver, || EXPR);`
        if let (Some(fallback), Mode::Channel) = (fallback, mode) {
            let_call(out, &resolver, "::Settler::or_else", &|out| {
                resolver.to_tokens(out);
                tokens::punct(out, ",");
                write_fallback(out, fallback);
            });
        }
        match selection {
            // `let ok = PRIVATE::Arc::new(PRIVATE::SharedSettler::new(resolver));`
            // `let err = PRIVATE::Arc::clone(&ok);`
            Selection::OkErr(..) => {
                let (ok, err) = (Ident::new("ok", mixed), Ident::new("err", mixed));
                let_call(out, &ok, "::Arc::new", &|out| {
                    private.to_tokens(out);
                    tokens::path(out, "::SharedSettler::new");
                    tokens::group(out, Delimiter::Parenthesis, |out| resolver.to_tokens(out));
                });
                let_call(out, &err, "::Arc::clone", &|out| {
                    tokens::punct(out, "&");
                    ok.to_tokens(out);
                });
            }
            // `let mut resolver = resolver;`
            Selection::One(one) if one.shape.kind == Kind::Mut && mode == Mode::Channel => {
                tokens::ident(out, "let");
                tokens::ident(out, "mut");
                resolver.to_tokens(out);
                tokens::punct(out, "=");
                resolver.to_tokens(out);
                tokens::punct(out, ";");
            }
            // `let resolver = PRIVATE::SharedSettler::new(resolver);`
            Selection::One(one) if one.shape.kind == Kind::Shared && mode == Mode::Channel => {
                let_call(out, &resolver, "::SharedSettler::new", &|out| {
                    resolver.to_tokens(out)
                });
            }
            Selection::One(_) => {}
        }
    };
    // `CALLEE(ARGS)`, in `unsafe { .. }` for an unsafe function.
    let call = |out: &mut TokenStream| {
        let call = |out: &mut TokenStream| {
            callee(out);
            tokens::group(out, Delimiter::Parenthesis, |out| {
                for (position, arg) in args.iter().enumerate() {
                    if position > 0 {
                        tokens::punct(out, ",");
                    }
                    match arg {
                        Arg::Callback(slot, one) => Closure {
                            origin: &origin,
                            mode,
                            slot: *slot,
                            chosen: one,
                            delivery: &deliveries[*slot],
                            selection,
                            private,
                        }
                        .to_tokens(out),
                        Arg::Receiver(_) => tokens::ident(out, "self"),
                        Arg::Typed(name, _) => name.to_tokens(out),
                    }
                }
            });
        };
        if unsafety {
            tokens::ident(out, "unsafe");
            tokens::group(out, Delimiter::Brace, call);
        } else {
            call(out);
        }
    };
    // What the generated function hands back, built from the call's value `ret` (if any).
    let handed_back = |out: &mut TokenStream, ret: Option<&Ident>| match mode {
        Mode::Stack => {
            // `PRIVATE::settled_or(FILLED, || EXPR)` or `PRIVATE::settled(FILLED, ORIGIN)`,
            // where `FILLED` is `slot.into_inner()` or `slot`.
            let settled = |out: &mut TokenStream| {
                private.to_tokens(out);
                tokens::path(
                    out,
                    if fallback.is_some() {
                        "::settled_or"
                    } else {
                        "::settled"
                    },
                );
                tokens::group(out, Delimiter::Parenthesis, |out| {
                    stack_slot.to_tokens(out);
                    if shared_callback {
                        tokens::punct(out, ".");
                        tokens::ident(out, "into_inner");
                        tokens::group(out, Delimiter::Parenthesis, |_| {});
                    }
                    tokens::punct(out, ",");
                    match fallback {
                        Some(fallback) => write_fallback(out, fallback),
                        None => origin(out),
                    }
                });
            };
            match ret {
                // `(ret, SETTLED)`
                Some(ret) => tokens::group(out, Delimiter::Parenthesis, |out| {
                    ret.to_tokens(out);
                    tokens::punct(out, ",");
                    settled(out);
                }),
                None => settled(out),
            }
        }
        Mode::Channel | Mode::Stream => match (ret, &options.cancel) {
            // `PRIVATE::cancel_promise(promise, ret, CANCEL)`
            (Some(ret), Some(cancel)) => {
                private.to_tokens(out);
                tokens::path(
                    out,
                    if streams {
                        "::cancel_stream"
                    } else {
                        "::cancel_promise"
                    },
                );
                tokens::group(out, Delimiter::Parenthesis, |out| {
                    promise.to_tokens(out);
                    tokens::punct(out, ",");
                    ret.to_tokens(out);
                    tokens::punct(out, ",");
                    cancel.value.to_tokens(out);
                });
            }
            // `(ret, promise)`
            (Some(ret), None) => tokens::group(out, Delimiter::Parenthesis, |out| {
                ret.to_tokens(out);
                tokens::punct(out, ",");
                promise.to_tokens(out);
            }),
            (None, _) => promise.to_tokens(out),
        },
    };
    // `#[allow(deprecated)] let ret = CALL; HANDED_BACK` or `#[allow(deprecated)] CALL;
    // HANDED_BACK`
    let finish = |out: &mut TokenStream| {
        if deprecated {
            tokens::punct(out, "#");
            tokens::group(out, Delimiter::Bracket, |out| {
                tokens::ident(out, "allow");
                tokens::group(out, Delimiter::Parenthesis, |out| {
                    tokens::ident(out, "deprecated");
                });
            });
        }
        let ret = returns_value.map(|_| &ret);
        if let Some(ret) = ret {
            tokens::ident(out, "let");
            ret.to_tokens(out);
            tokens::punct(out, "=");
        }
        call(out);
        tokens::punct(out, ";");
        handed_back(out, ret);
    };
    let inputs = Lazy(|out: &mut TokenStream| inputs(out, true));
    let (note, output) = (Lazy(note), Lazy(output));
    let body = Lazy(|out: &mut TokenStream| {
        setup(out);
        finish(out);
    });
    quote! {
        #(#kept_attrs)*
        #note
        #[inline]
        #[track_caller]
        #vis #unsafe_keyword fn #name #generic_params (#inputs) -> #output #where_clause {
            #body
        }
    }
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// Whether the value type names a generic parameter that stays, or `Self`: then its `Send` or
/// `'static` is not known and must be required.
fn value_is_generic(value_type: TokenStream, generics: &syn::Generics) -> bool {
    let mut names = BTreeSet::new();
    generics::names(value_type, &mut names);
    names.contains("Self")
        || generics.params.iter().any(|param| {
            let name = match param {
                syn::GenericParam::Lifetime(l) => l.lifetime.to_string(),
                syn::GenericParam::Type(t) => t.ident.to_string(),
                syn::GenericParam::Const(c) => c.ident.to_string(),
            };
            names.contains(&name)
        })
}

// Input:  the callback `done: impl FnOnce(&str, u8)`
// Output: move |arg0: &str, arg1: u8| resolver.settle_once((ToOwned::to_owned(arg0), arg1))
/// The closure that the async version passes for one callback.
struct Closure<'a> {
    origin: &'a dyn Fn(&mut TokenStream),
    mode: Mode,
    slot: usize,
    chosen: &'a Chosen,
    delivery: &'a Delivery<'a>,
    selection: &'a Selection,
    private: Private<'a>,
}

impl ToTokens for Closure<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let Closure {
            origin,
            mode,
            slot,
            chosen,
            delivery,
            selection,
            private,
        } = *self;
        let mixed = Span::mixed_site();
        // `|PARAMS|`. `Box::new(closure)` gives the closure no expected signature: its
        // parameters need their types (a borrowed one would otherwise get one lifetime rather
        // than any).
        let params = |out: &mut TokenStream| {
            tokens::punct(out, "|");
            match chosen.shape.form {
                Form::BoxDyn => delivery.write_params(out, true),
                Form::ImplTrait | Form::TypeParam(_) => delivery.write_params(out, false),
            }
            tokens::punct(out, "|");
        };
        let value = Lazy(|out: &mut TokenStream| delivery.write_value(out));
        // `PRIVATE::PATH(ARGS)`
        let settle = |out: &mut TokenStream, path: &str, args: &dyn Fn(&mut TokenStream)| {
            private.to_tokens(out);
            tokens::path(out, path);
            tokens::group(out, Delimiter::Parenthesis, args);
        };
        // `&mut NAME` or `&NAME`
        let borrow = |out: &mut TokenStream, name: &Ident, mutable: bool| {
            tokens::punct(out, "&");
            if mutable {
                tokens::ident(out, "mut");
            }
            name.to_tokens(out);
        };
        if let (Selection::One(_), Mode::Stack) = (selection, mode) {
            // Borrows the caller's slot: the closure is not `move`.
            let slot = Ident::new("slot", mixed);
            params(out);
            match chosen.shape.kind {
                // `PRIVATE::fill_once(&mut slot, VALUE)`
                Kind::Once => settle(out, "::fill_once", &|out| {
                    borrow(out, &slot, true);
                    tokens::punct(out, ",");
                    value.to_tokens(out);
                }),
                // `PRIVATE::fill_cell(&slot, ORIGIN, || VALUE)` or
                // `PRIVATE::fill(&mut slot, ORIGIN, || VALUE)`
                kind @ (Kind::Shared | Kind::Mut) => {
                    let (path, mutable) = match kind {
                        Kind::Shared => ("::fill_cell", false),
                        _ => ("::fill", true),
                    };
                    settle(out, path, &|out| {
                        borrow(out, &slot, mutable);
                        tokens::punct(out, ",");
                        origin(out);
                        tokens::punct(out, ",");
                        tokens::punct(out, "||");
                        value.to_tokens(out);
                    });
                }
            }
            return;
        }
        let resolver = Ident::new("resolver", mixed);
        // `RECEIVER.METHOD(VALUE)`: an inherent method on a receiver of the exact type it takes
        // (`resolver`, `(&resolver)`, `(&mut resolver)`), which costs the type checker less
        // than a type-relative path such as `PRIVATE::Settler::settle_once(resolver, VALUE)`, and
        // which no trait in the user's scope can take over: inherent methods win at the first
        // step of method resolution.
        let call = |out: &mut TokenStream,
                    receiver: &dyn Fn(&mut TokenStream),
                    method: &str,
                    args: &dyn Fn(&mut TokenStream)| {
            receiver(out);
            tokens::punct(out, ".");
            tokens::ident(out, method);
            tokens::group(out, Delimiter::Parenthesis, args);
        };
        // `(&mut NAME)` or `(&NAME)`
        let borrowed = |name: &Ident, mutable: bool| {
            let name = name.clone();
            move |out: &mut TokenStream| {
                tokens::group(out, Delimiter::Parenthesis, |out| {
                    borrow(out, &name, mutable)
                });
            }
        };
        // `move |PARAMS| SETTLE`
        let closure = |out: &mut TokenStream| {
            tokens::ident(out, "move");
            params(out);
            match selection {
                // `(&*ok).settle(::core::result::Result::Ok(VALUE))`
                Selection::OkErr(..) => {
                    let (holder, variant) = if slot == 0 {
                        (Ident::new("ok", mixed), "::core::result::Result::Ok")
                    } else {
                        (Ident::new("err", mixed), "::core::result::Result::Err")
                    };
                    let receiver = |out: &mut TokenStream| {
                        tokens::group(out, Delimiter::Parenthesis, |out| {
                            tokens::punct(out, "&");
                            tokens::punct(out, "*");
                            holder.to_tokens(out);
                        });
                    };
                    call(out, &receiver, "settle", &|out| {
                        tokens::path(out, variant);
                        tokens::group(out, Delimiter::Parenthesis, |out| value.to_tokens(out));
                    });
                }
                // `(&resolver).send(VALUE)`
                Selection::One(_) if mode == Mode::Stream => {
                    call(out, &borrowed(&resolver, false), "send", &|out| {
                        value.to_tokens(out);
                    });
                }
                // `resolver.settle_once(VALUE)`, `(&mut resolver).settle_mut(VALUE)` or
                // `(&resolver).settle(VALUE)`
                Selection::One(_) => {
                    let args = |out: &mut TokenStream| value.to_tokens(out);
                    match chosen.shape.kind {
                        Kind::Once => {
                            call(out, &|out| resolver.to_tokens(out), "settle_once", &args)
                        }
                        Kind::Mut => call(out, &borrowed(&resolver, true), "settle_mut", &args),
                        Kind::Shared => call(out, &borrowed(&resolver, false), "settle", &args),
                    }
                }
            }
        };
        match chosen.shape.form {
            // `PRIVATE::Box::new(CLOSURE)`
            Form::BoxDyn => {
                private.to_tokens(out);
                tokens::path(out, "::Box::new");
                tokens::group(out, Delimiter::Parenthesis, closure);
            }
            Form::ImplTrait | Form::TypeParam(_) => closure(out),
        }
    }
}

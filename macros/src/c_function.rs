//! `#[callback_async(param: placeholder, ..)]`: the async version of a function that takes a C
//! callback and its user data — a function of an `extern` block, or a wrapper the user wrote.
//!
//! Each `param: EXPR` replaces a parameter in a call of the original function by what
//! `promisify!(unsafe { .. })` would have there (the C-callback closure, `_`, `&_`, `|_| drop(_)`),
//! the other parameters stay parameters of the generated function, and the call is expanded by
//! [`crate::ffi`], so the generated code and its safety argument are those of `promisify!`. The
//! generated function is `unsafe` even when the original is not: C's side of the contract (how
//! often it calls back, and until when) is what the caller vouches for.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{FnArg, Pat, ReturnType, Signature, Type};

use crate::args::{Options, push};
use crate::ffi::{self, Mode};
use crate::function::{Function, Place, generated_name};

/// Options that belong to Rust callbacks, and why they do not apply here.
fn reject_rust_options(options: &Options, errors: &mut Option<syn::Error>) {
    let keys = [
        options.callback.as_ref().map(|o| (o.key, "callback")),
        options.ok.as_ref().map(|o| (o.key, "ok")),
        options.err.as_ref().map(|o| (o.key, "err")),
        options.dropped.as_ref().map(|o| (o.key, "dropped")),
        options.cancel.as_ref().map(|o| (o.key, "cancel")),
        options.krate.as_ref().map(|o| (o.key, "crate")),
    ];
    for (span, key) in keys.into_iter().flatten() {
        push(
            errors,
            syn::Error::new(
                span,
                format!(
                    "`{key}` is an option for Rust callbacks; with `param: placeholder` the \
                     function takes a C callback, whose options are `stream`, `name`, `output` \
                     and `deprecate`"
                ),
            ),
        );
    }
}

/// Generates `NAME_async` (or `NAME_stream`) for a function whose C-callback parameters are
/// given as `param: placeholder` in `options`.
pub fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    let sig = function.sig;
    let mut errors = None;
    reject_rust_options(options, &mut errors);
    if let Some(variadic) = &sig.variadic {
        push(
            &mut errors,
            syn::Error::new_spanned(
                variadic,
                "a variadic C function cannot be wrapped: declare it with the arguments of the \
                 call you make",
            ),
        );
    }
    if let Some(asyncness) = &sig.asyncness {
        push(
            &mut errors,
            syn::Error::new(asyncness.span, "this function is already `async`"),
        );
    }

    let mixed = Span::mixed_site();
    let mut inputs = Vec::new();
    let mut call_args = Vec::new();
    let mut used = vec![false; options.c_args.len()];
    let mut receiver = None;
    for (position, input) in sig.inputs.iter().enumerate() {
        let typed = match input {
            FnArg::Receiver(this) => {
                receiver = Some(this.self_token);
                inputs.push(input.to_token_stream());
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let name = match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => Some(&pat.ident),
            _ => None,
        };
        let replaced =
            name.and_then(|name| options.c_args.iter().position(|arg| arg.param == *name));
        if let Some(index) = replaced {
            used[index] = true;
            call_args.push(options.c_args[index].value.to_token_stream());
            continue;
        }
        // Patterns (`_`, `(a, b)`) get a name, so that the call can pass the argument on.
        let arg = match name {
            Some(name) => name.clone(),
            None => format_ident!("arg{}", position, span = mixed),
        };
        let ty = &typed.ty;
        inputs.push(quote!(#arg: #ty));
        call_args.push(arg.to_token_stream());
    }
    for (arg, used) in options.c_args.iter().zip(used) {
        if !used {
            push(
                &mut errors,
                syn::Error::new(
                    arg.param.span(),
                    format!(
                        "`{}` has no parameter `{}` to put this placeholder in",
                        sig.ident, arg.param
                    ),
                ),
            );
        }
    }
    if let Some(errors) = errors {
        return Err(errors);
    }

    let original = &sig.ident;
    let (call, link) = match place {
        Place::Free => (quote!(#original(#(#call_args),*)), original.to_string()),
        Place::Associated { .. } => {
            let this = receiver.into_iter();
            (
                quote!(Self::#original(#(#this,)* #(#call_args),*)),
                format!("Self::{original}"),
            )
        }
    };
    let block: syn::ExprUnsafe = syn::parse2(quote!(unsafe { #call }))?;
    let streams = options.stream.is_some();
    let text = format!("{link}(..)");
    let expansion = ffi::expand_parts(streams, block, &text)?;

    let value = match (&options.output, &expansion.value) {
        (Some(output), _) => output.value.to_token_stream(),
        (None, Some(value)) => value.clone(),
        (None, None) => {
            return Err(syn::Error::new(
                expansion.value_span,
                "the type of the value this callback hands to `_(..)` is not written in its \
                 parameters: name it with `output = Type` in `#[callback_async(..)]`",
            ));
        }
    };
    let ffi_types = quote!(::callback_async::ffi);
    let handed_back = match (expansion.mode, streams) {
        (Mode::Handle, _) => quote!((#ffi_types::CStream<#value>, #ffi_types::Registration)),
        (_, true) => quote!(#ffi_types::CStream<#value>),
        (_, false) => quote!(#ffi_types::CPromise<#value>),
    };
    let output = match returned(sig) {
        Some(ty) => quote!((#ty, #handed_back)),
        None => handed_back,
    };

    let name = generated_name(sig, options);
    let kept_attrs = function
        .attrs
        .iter()
        .filter(|attr| matches!(attr.style, syn::AttrStyle::Outer))
        .filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"));
    let has_docs = function
        .attrs
        .iter()
        .any(|attr| attr.path().is_ident("doc"));
    let separator = has_docs.then(|| quote!(#[doc = ""]));
    let note = if streams {
        format!(
            " The stream version of [`{link}`], generated by `#[callback_async]`: it calls \
             `{original}` at once with a generated `extern \"C\"` callback whose every `_(..)` \
             is an item of the returned stream."
        )
    } else {
        format!(
            " The async version of [`{link}`], generated by `#[callback_async]`: it calls \
             `{original}` at once with a generated `extern \"C\"` callback whose `_(..)` settles \
             the returned promise."
        )
    };
    let safety = format!(" {}", contract(expansion.mode, &link));
    let (impl_generics, _, where_clause) = sig.generics.split_for_impl();
    let vis = function.vis;
    let body = expansion.tokens;
    Ok(quote! {
        #(#kept_attrs)*
        #separator
        #[doc = #note]
        #[doc = ""]
        #[doc = " # Safety"]
        #[doc = ""]
        #[doc = #safety]
        #[inline]
        #[track_caller]
        #vis unsafe fn #name #impl_generics (#(#inputs),*) -> #output #where_clause {
            #body
        }
    })
}

/// What C must do for the generated code to be sound, for the form chosen.
fn contract(mode: Mode, link: &str) -> String {
    let form = match mode {
        Mode::Once => {
            "C calls the callback at most once, with the user data it was given; if it never \
             does, the callback's state is leaked and the promise never settles"
        }
        Mode::Destroy => {
            "C calls the callback only before it calls the destroy notify, which it calls once"
        }
        Mode::Scoped => "C calls the callback only while the call runs (`&_`)",
        Mode::Handle => "C calls the callback only until the returned `Registration` is released",
    };
    format!(
        "The contract of [`{link}`] for its other arguments, and: {form}. See \
         `callback_async::ffi`."
    )
}

/// The original's return type, unless it returns nothing.
fn returned(sig: &Signature) -> Option<&Type> {
    match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            ty => Some(ty),
        },
    }
}

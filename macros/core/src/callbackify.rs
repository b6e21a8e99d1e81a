//! `#[callbackify]`: the callback version of an `async fn`, for legacy callers.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::{AttrStyle, FnArg, Ident, ImplItemFn, Pat, ReceiverKind, ReturnType, Type};

use crate::error::Errors;
use crate::options::CallbackifyOptions;
use crate::root::{Private, Root};
use crate::signature::looks_associated;

/// Expands `#[callbackify(args)]` on `input`; on errors the input is kept beside them.
pub fn callbackify(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = Errors::new();
    let options = CallbackifyOptions::parse(args, &mut errors);
    let generated = match syn::parse2::<ImplItemFn>(input.clone()) {
        Ok(function) => errors.keep(expand(&function, &options)),
        Err(_) => {
            errors.push(syn::Error::new(
                Span::call_site(),
                "`#[callbackify]` goes on an `async fn`",
            ));
            None
        }
    };
    errors.emit_after(quote!(#input #generated))
}

// Input:  async fn fetch(url: String) -> Vec<u8>
// Output: fn fetch_callback(url: String, spawn: impl FnOnce(BoxFuture) -> R, callback: impl FnOnce(Vec<u8>) + Send + 'static) {
//             callbackify(fetch(url), spawn, callback)
//         }
fn expand(function: &ImplItemFn, options: &CallbackifyOptions) -> syn::Result<TokenStream> {
    let sig = &function.sig;
    if sig.asyncness.is_none() {
        return Err(syn::Error::new(
            sig.fn_token.span,
            "`#[callbackify]` goes on an `async fn`; for a callback-taking function use \
             `#[callback_async]`",
        ));
    }
    let mut errors = Errors::new();
    for lifetime in sig.generics.lifetimes() {
        errors.push(syn::Error::new_spanned(
            lifetime,
            "the future is spawned, so it cannot borrow: `#[callbackify]` needs an `async fn` \
                 without lifetimes",
        ));
    }
    let mixed = Span::mixed_site();
    let mut inputs = Vec::new();
    let mut call_args = Vec::new();
    for (index, arg) in sig.inputs.iter().enumerate() {
        match arg {
            FnArg::Receiver(receiver) => {
                if let ReceiverKind::Reference(and, ..) = &receiver.kind {
                    errors.push(syn::Error::new(
                        and.span,
                        "the future is spawned, so it cannot borrow `self`: take `self`, \
                             `self: Arc<Self>` or another owning receiver",
                    ));
                }
                let mut receiver = receiver.clone();
                receiver.mutability = None;
                inputs.push(receiver.to_token_stream());
                call_args.push(quote!(self));
            }
            FnArg::Typed(typed) => {
                if let Type::Reference(reference) = &*typed.ty {
                    if reference
                        .lifetime
                        .as_ref()
                        .is_none_or(|l| l.ident != "static")
                    {
                        errors.push(syn::Error::new_spanned(
                            &typed.ty,
                            "the future is spawned, so it cannot borrow its arguments: take \
                                 this argument by value",
                        ));
                    }
                }
                let name = match &*typed.pat {
                    Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                        pat.ident.clone()
                    }
                    _ => format_ident!("arg_{}", index, span = mixed),
                };
                let ty = &typed.ty;
                inputs.push(quote!(#name: #ty));
                call_args.push(name.to_token_stream());
            }
        }
    }
    errors.finish()?;
    let private = Private::new(Root::from_option(options.krate.as_ref().map(|k| &k.value)));
    let output = match &sig.output {
        ReturnType::Default => quote!(()),
        ReturnType::Type(_, ty) => ty.to_token_stream(),
    };
    let original = &sig.ident;
    let name = format_ident!("{}_callback", original, span = original.span());
    let callee = if sig.receiver().is_some() || looks_associated(sig) {
        quote!(Self::#original)
    } else {
        quote!(#original)
    };
    let spawn = Ident::new("spawn", mixed);
    let callback = Ident::new("callback", mixed);
    let spawned = Ident::new("Spawned", mixed);
    let (spawn_param, spawn_generic, spawner) = match &options.spawn {
        Some(spawn) => {
            let expr = &spawn.value;
            (None, None, quote!(#expr))
        }
        None => (
            Some(quote!(#spawn: impl ::core::ops::FnOnce(#private::BoxFuture) -> #spawned,)),
            Some(quote!(#spawned,)),
            spawn.to_token_stream(),
        ),
    };
    let generics = &sig.generics;
    // One by one: `<T,>` keeps its trailing comma in `generics.params`, and a second one after it
    // would not parse.
    let params = generics.params.iter();
    let where_clause = &generics.where_clause;
    let vis = &function.vis;
    // Outer ones only: `attrs` also holds the body's inner attributes (`//!`, `#![cfg(..)]`), which
    // cannot stand before an item.
    let docs = function.attrs.iter().filter(|attr| {
        matches!(attr.style, AttrStyle::Outer)
            && (attr.path().is_ident("doc") || attr.path().is_ident("cfg"))
    });
    let note = format!(
        " The callback version of [`{original}`], generated by `#[callbackify]`: it spawns \
         `{original}(…)` and calls `callback` with its output. If the future panics or the \
         executor drops it, `callback` is dropped uncalled."
    );
    Ok(quote! {
        #(#docs)*
        #[doc = ""]
        #[doc = #note]
        #vis fn #name<#spawn_generic #(#params,)*>(
            #(#inputs,)*
            #spawn_param
            #callback: impl ::core::ops::FnOnce(#output) + ::core::marker::Send + 'static,
        ) #where_clause {
            #private::callbackify(#callee(#(#call_args),*), #spawner, #callback);
        }
    })
}

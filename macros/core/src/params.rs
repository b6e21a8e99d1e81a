//! The generated function's parameters, for every macro that generates one (`#[callback_async]`'s
//! Rust and C forms, `#[callbackify]`): the original's parameters that it takes again, each under
//! a name that its call of the original can pass on.
//!
//! The expansions' own locals (`callback`, `value`, `promise`, `resolver`, `spawn`, `future`, ..)
//! are hygienic (`Span::mixed_site()`), so a parameter named like one of them keeps its name. A
//! parameter named like the function itself would shadow the function where the call names it
//! alone, as a free function (`fetch(fetch)`: "expected function, found `String`"): there it is
//! renamed, hygienically. (`Self::fetch(self, fetch)` needs no guard.)

use proc_macro2::{Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt, format_ident};
use syn::{FnArg, Ident, Pat, Signature, Type};

use crate::signature::Place;

/// One of the original's parameters, as the generated function takes it and passes it on.
pub enum ForwardedParam<'a> {
    /// The receiver, without `mut`: the generated function only passes it on.
    Receiver(syn::Receiver),
    /// `NAME: TYPE`.
    Typed(Ident, &'a Type),
}

impl<'a> ForwardedParam<'a> {
    // Input:  `mut self`, `url: &str`, `(a, b): (u8, u8)`, `fetch: String` in a free `fn fetch`
    // Output: `self`, `url: &str`, `arg_1: (u8, u8)`, `arg_2: String` (the last two hygienic)
    /// The parameter `arg`, at `index` in the inputs of `sig`, a function at `place`.
    pub fn new(sig: &Signature, place: &Place, index: usize, arg: &'a FnArg) -> Self {
        match arg {
            FnArg::Receiver(receiver) => {
                let mut receiver = receiver.clone();
                receiver.mutability = None;
                ForwardedParam::Receiver(receiver)
            }
            FnArg::Typed(typed) => {
                let shadows = |name: &Ident| matches!(place, Place::Free) && *name == sig.ident;
                let name = match plain_name(arg) {
                    Some(name) if !shadows(name) => name.clone(),
                    // Patterns (`_`, `(a, b)`) get a name, so that the call can pass the argument
                    // on.
                    _ => format_ident!("arg_{}", index, span = Span::mixed_site()),
                };
                ForwardedParam::Typed(name, &typed.ty)
            }
        }
    }

    /// The argument that passes it on to the original.
    pub fn passed(&self) -> Passed<'_, 'a> {
        Passed(self)
    }
}

/// The name of a parameter written as a plain identifier (not `ref x`, not `x @ ..`, not a
/// pattern), which the generated function can take it by.
pub fn plain_name(arg: &FnArg) -> Option<&Ident> {
    match arg {
        FnArg::Typed(typed) => match &*typed.pat {
            Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => Some(&pat.ident),
            _ => None,
        },
        FnArg::Receiver(_) => None,
    }
}

// Output: self, or url: &str
impl ToTokens for ForwardedParam<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self {
            ForwardedParam::Receiver(receiver) => receiver.to_tokens(out),
            ForwardedParam::Typed(name, ty) => {
                name.to_tokens(out);
                out.append(Punct::new(':', Spacing::Alone));
                ty.to_tokens(out);
            }
        }
    }
}

// Output: self, or url
/// The argument that passes a parameter on to the original.
pub struct Passed<'p, 'a>(&'p ForwardedParam<'a>);

impl ToTokens for Passed<'_, '_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self.0 {
            ForwardedParam::Receiver(receiver) => receiver.self_token.to_tokens(out),
            ForwardedParam::Typed(name, _) => name.to_tokens(out),
        }
    }
}

//! `#[callback_async(param: placeholder, ..)]`: the async version of a function that takes a C
//! callback and its user data — a function of an `extern` block, or a wrapper the user wrote.
//!
//! Each `param: EXPR` replaces a parameter in a call of the original function by what
//! `promisify!(unsafe { .. })` would have there (the C-callback closure, `_`, `&_`, `|_| drop(_)`),
//! the other parameters stay parameters of the generated function, and the call is expanded as
//! `promisify!` expands its block, so the generated code and its safety argument are the same.
//! The generated function is `unsafe` even when the original is not: C's side of the contract
//! (how often it calls back, and until when) is what the caller vouches for.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::Signature;

use super::{Expansion, Ownership};
use crate::error::Errors;
use crate::flow::Bound;
use crate::options::{Options, Scope};
use crate::params::{ForwardedParam, plain_name};
use crate::root::{Private, Root};
use crate::signature::{Function, Place, generated_name, returned_type};
use crate::splice::append;

/// Generates `NAME_async` (or `NAME_stream`) for a function whose C-callback parameters are
/// given as `param: placeholder` in `options`.
pub fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    let sig = function.sig;
    let mut errors = Errors::new();
    check(sig, options, &mut errors);
    let call = call_with_placeholders(sig, place, options, &mut errors);
    errors.finish()?;
    let (inputs, call_args) = call;

    let original = &sig.ident;
    let link = place.link(original);
    let call = match place {
        Place::Free => quote!(#original(#(#call_args),*)),
        Place::Associated { .. } => quote!(Self::#original(#(#call_args),*)),
    };
    let block: syn::ExprUnsafe = syn::parse2(quote!(unsafe { #call }))?;
    let streams = options.stream.is_some();
    let bound = options.stream.as_ref().and_then(|s| s.value.as_ref());
    let private = Private::new(Root::from_option(options.krate.as_ref().map(|k| &k.value)));
    let text = format!("{link}(..)");
    let expansion = super::expand_block(streams, bound, block, &text, private)?;
    let output = output_type(sig, options, &expansion, private)?;

    let name = generated_name(sig, options);
    let kept_attrs = function.kept_attrs();
    let docs = Docs {
        after_docs: function.has_docs(),
        note: note(streams, &link, original) + &bound.map(Bound::describe).unwrap_or_default(),
        safety: format!(
            " {}",
            contract(expansion.ownership, &link, expansion.pointers)
        ),
    };
    let (impl_generics, _, where_clause) = sig.generics.split_for_impl();
    let vis = function.vis;
    let body = expansion.tokens;
    Ok(quote! {
        #(#kept_attrs)*
        #docs
        #[inline]
        #[track_caller]
        #vis unsafe fn #name #impl_generics (#(#inputs),*) -> #output #where_clause {
            #body
        }
    })
}

/// Options that belong to Rust callbacks, and signatures that C cannot call back into.
fn check(sig: &Signature, options: &Options, errors: &mut Errors) {
    options.reject_outside(Scope::CFn, errors);
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new_spanned(
            variadic,
            "a variadic C function cannot be wrapped: declare it with the arguments of the call \
             you make",
        ));
    }
    if let Some(asyncness) = &sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span,
            "this function is already `async`",
        ));
    }
}

// Input:  fn start(cb: .., data: *mut c_void, n: c_int) with `cb: |_, n: c_int| _(n), data: _`
// Output: the inputs `n: c_int` and the call's arguments `|_, n: c_int| _(n), _, n`
/// The generated function's parameters, and the original's call arguments with the
/// placeholders in place.
fn call_with_placeholders<'a>(
    sig: &'a Signature,
    place: &Place,
    options: &'a Options,
    errors: &mut Errors,
) -> (Vec<ForwardedParam<'a>>, Vec<TokenStream>) {
    let mut inputs = Vec::new();
    let mut call_args = Vec::new();
    let mut used = vec![false; options.c_args.len()];
    for (position, input) in sig.inputs.iter().enumerate() {
        let replaced = plain_name(input)
            .and_then(|name| options.c_args.iter().position(|arg| arg.param == *name));
        if let Some(index) = replaced {
            used[index] = true;
            call_args.push(options.c_args[index].value.to_token_stream());
            continue;
        }
        let param = ForwardedParam::new(sig, place, position, input);
        call_args.push(param.passed().to_token_stream());
        inputs.push(param);
    }
    for (arg, used) in options.c_args.iter().zip(used) {
        if !used {
            errors.push(syn::Error::new(
                arg.param.span(),
                format!(
                    "`{}` has no parameter `{}` to put this placeholder in",
                    sig.ident, arg.param
                ),
            ));
        }
    }
    (inputs, call_args)
}

// Output: PRIVATE::Promise<VALUE>, PRIVATE::CallbackStream<VALUE>,
//         (PRIVATE::CallbackStream<VALUE>, PRIVATE::Registration), each after the original's
//         return type if it has one
fn output_type(
    sig: &Signature,
    options: &Options,
    expansion: &Expansion,
    private: Private,
) -> syn::Result<TokenStream> {
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
    let handed_back = match (expansion.ownership, options.stream.is_some()) {
        (Ownership::Handle, _) => {
            quote!(#private::CallbackStream<#value>, #private::Registration)
        }
        (_, true) => quote!(#private::CallbackStream<#value>),
        (_, false) => quote!(#private::Promise<#value>),
    };
    // One flat tuple, as `promisify!`'s: `(R?, stream, Registration)`.
    Ok(match (returned_type(sig), expansion.ownership) {
        (Some(ty), _) => quote!((#ty, #handed_back)),
        (None, Ownership::Handle) => quote!((#handed_back)),
        (None, _) => handed_back,
    })
}

fn note(streams: bool, link: &str, original: &syn::Ident) -> String {
    if streams {
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
    }
}

// Output: #[doc = ""] #[doc = NOTE] #[doc = ""] #[doc = " # Safety"] #[doc = ""] #[doc = CONTRACT]
/// The generated function's docs: always a `# Safety` section, since it is `unsafe`.
struct Docs {
    /// Whether the note follows the original's docs, and so needs a blank line before it.
    after_docs: bool,
    note: String,
    safety: String,
}

impl ToTokens for Docs {
    fn to_tokens(&self, out: &mut TokenStream) {
        let Docs {
            after_docs,
            note,
            safety,
        } = self;
        let separator = after_docs.then(|| quote!(#[doc = ""]));
        append(
            out,
            quote! {
                #separator
                #[doc = #note]
                #[doc = ""]
                #[doc = " # Safety"]
                #[doc = ""]
                #[doc = #safety]
            },
        );
    }
}

/// What C must do for the generated code to be sound, for the form chosen.
fn contract(ownership: Ownership, link: &str, pointers: usize) -> String {
    let form = match ownership {
        Ownership::Once => {
            "C calls the callback at most once, with the user data it was given; if it never \
             does, the callback's state is leaked and the promise never settles"
        }
        Ownership::Destroy => {
            "C calls the callback only before it calls the destroy notify, which it calls once"
        }
        Ownership::Scoped => "C calls the callback only while the call runs (`&_`)",
        Ownership::Handle => {
            "C calls the callback only until the returned `Registration` is released"
        }
    };
    // Several pointers: the same rule for each callback, with its own pointer and notify.
    let each = if pointers > 1 {
        "for each of its callbacks and the user data paired with it, "
    } else {
        ""
    };
    format!(
        "The contract of [`{link}`] for its other arguments, and: {each}{form}. See \
         `callback_async::ffi`."
    )
}

//! `promisify!(CALL)`: one call of a callback API that cannot be annotated, with `_` where the
//! callback goes.

mod closure;
mod display;
mod placeholders;

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::visit_mut::VisitMut;
use syn::{Expr, Ident, Token};

use crate::error::Errors;
use crate::root::{Private, Root};
use closure::GeneratedClosure;
use placeholders::{Placeholder, Placeholders, Replacer, Settlement};

mod kw {
    syn::custom_keyword!(stream);
}

/// The macro's input: `[stream] CALL`.
struct Input {
    stream: Option<kw::stream>,
    call: Expr,
}

const USAGE: &str = "`promisify!` takes one function or method call with `_` where the callback \
                     goes, like `promisify!(pool.execute(|| _))` or `promisify!(stream \
                     watcher.watch(path, |event: Event| _))`";

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        // `stream` is the mode only when an expression follows it; `stream.subscribe(_)` is a
        // call on a variable named `stream`.
        let is_mode = input.peek(kw::stream)
            && !(input.peek2(Token![.])
                || input.peek2(Token![::])
                || input.peek2(syn::token::Paren)
                || input.peek2(Token![?])
                || input.peek2(syn::token::Bracket));
        let stream: Option<kw::stream> = if is_mode { Some(input.parse()?) } else { None };
        if let Some(stream) = stream.filter(|_| input.is_empty()) {
            return Err(syn::Error::new(stream.span, USAGE));
        }
        let call = input.parse()?;
        Ok(Input { stream, call })
    }
}

/// Expands `promisify!(input)` for a runtime named `::callback_async`.
pub fn promisify(input: TokenStream) -> TokenStream {
    expand_with(input, Private::new(Root::Default))
}

// Input:  [$crate] pool.execute(|| _)     (from the runtime's `macro_rules! promisify`)
// Output: the expansion of `pool.execute(|| _)`, with every path under `$crate::__private`
/// Expands the input that the runtime's `promisify!` forwards: the runtime's `$crate` in
/// brackets, then the user's input. Works through any crate that re-exports the runtime.
pub fn promisify_forwarded(input: TokenStream) -> TokenStream {
    let mut trees = input.into_iter();
    match trees.next() {
        Some(TokenTree::Group(root)) if root.delimiter() == Delimiter::Bracket => {
            let path = root.stream();
            expand_with(trees.collect(), Private::forwarded(&path, root.span()))
        }
        _ => {
            let error = syn::Error::new(Span::call_site(), USAGE).to_compile_error();
            quote!({ #error })
        }
    }
}

/// Never fails: errors become `compile_error!` at the offending tokens.
fn expand_with(input: TokenStream, private: Private) -> TokenStream {
    let text = display::display(input.clone());
    let site = private.site();
    // At the site, not the call site: through the runtime's `macro_rules!`, the call site is the
    // hidden macro it forwards to, which an error must not name.
    let result = if input.is_empty() {
        Err(syn::Error::new(site, USAGE))
    } else {
        syn::parse2(input).and_then(|input| expand(input, &text, private))
    };
    result.unwrap_or_else(|error| {
        // In a block: the macro is an expression, and several `compile_error!`s side by side are
        // not one.
        let errors = error.to_compile_error();
        quote_spanned!(site=> { #errors })
    })
}

// Input:  promisify!(pool.execute(|| _))
// Output: {
//             let (resolver, promise) = PRIVATE::promise_shared(&"pool.execute(|| _)");
//             PRIVATE::finish(pool.execute(move || (&resolver).settle(())), promise).finish()
//         }
fn expand(input: Input, text: &str, private: Private) -> syn::Result<TokenStream> {
    let site = private.site();
    let stream = input.stream.is_some();
    let mut call = match input.call {
        // C callbacks with a user-data pointer.
        Expr::Unsafe(block) => {
            return crate::c_fn::expand_block(stream, block, text, private)
                .map(|expansion| expansion.tokens);
        }
        Expr::Block(block) => {
            return Err(syn::Error::new_spanned(
                block,
                "a block in `promisify!` is the C form, which keeps the C call `unsafe`: write \
                 `promisify!(unsafe { .. })`",
            ));
        }
        call => call,
    };
    let mut errors = Errors::new();
    let found = find_placeholders(&mut call, &mut errors);
    // A misplaced or malformed placeholder is already reported: "no placeholder" would mislead.
    let misplaced = !errors.is_empty();
    let settlement = placeholders::check_settlement(&found, &call, misplaced, &mut errors);
    errors.finish()?;

    let closures = found
        .iter()
        .map(|placeholder| {
            let closure = GeneratedClosure::new(placeholder, settlement, stream, private)?;
            Ok(closure.into_token_stream())
        })
        .collect::<syn::Result<Vec<TokenStream>>>()?;
    let mut replacer = Replacer {
        closures: closures.into_iter(),
    };
    for arg in call_args(&mut call) {
        replacer.visit_expr_mut(arg);
    }

    let local = private.local();
    let (resolver, promise) = (Ident::new("resolver", local), Ident::new("promise", local));
    let create = if stream {
        quote_spanned!(site=> #private::stream())
    } else {
        quote_spanned!(site=> #private::promise_shared(&#text))
    };
    let shared = (settlement == Settlement::OkErr).then(|| {
        let (ok, err) = (Ident::new("ok", local), Ident::new("err", local));
        quote_spanned! {site=>
            let #ok = #private::Arc::new(#resolver);
            let #err = #private::Arc::clone(&#ok);
        }
    });
    Ok(quote_spanned! {site=>
        {
            let (#resolver, #promise) = #create;
            #shared
            #private::finish(#call, #promise).finish()
        }
    })
}

/// The placeholders among the call's arguments, in order; one in the callee or the receiver is
/// reported.
fn find_placeholders(call: &mut Expr, errors: &mut Errors) -> Vec<Placeholder> {
    let receiver_or_callee = match call {
        Expr::Call(call) => &mut *call.func,
        Expr::MethodCall(call) => &mut *call.receiver,
        other => {
            errors.push(syn::Error::new_spanned(other, USAGE));
            return Vec::new();
        }
    };
    let mut misplaced = Placeholders::default();
    misplaced.visit_expr_mut(receiver_or_callee);
    for found in misplaced.found {
        errors.push(syn::Error::new(
            found.span,
            "the callback placeholder must be an argument of the call",
        ));
    }
    let mut finder = Placeholders::default();
    for arg in call_args(call) {
        finder.visit_expr_mut(arg);
    }
    errors.append(finder.errors);
    finder.found
}

fn call_args(call: &mut Expr) -> Vec<&mut Expr> {
    match call {
        Expr::Call(call) => call.args.iter_mut().collect(),
        Expr::MethodCall(call) => call.args.iter_mut().collect(),
        _ => Vec::new(),
    }
}

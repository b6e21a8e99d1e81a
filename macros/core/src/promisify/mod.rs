//! `promisify!(CALL)`: one call of a callback API that cannot be annotated, with `_` where the
//! callback goes.

mod body;
mod closure;
mod display;
mod many;
mod selection;

use proc_macro2::{Delimiter, Group, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, ExprUnsafe, Ident, Stmt, Token};

use crate::c_fn::slot::SlotInput;
use crate::error::Errors;
use crate::flow::{self, Bound, BoundedStream, Maker};
use crate::placeholders::{self, Found, Language, Scope, Wrapper, Written};
use crate::root::{Private, Root};
use crate::selection::Selection;
use body::Destination;
use closure::GeneratedClosure;

mod kw {
    syn::custom_keyword!(stream);
}

/// The macro's input: `[stream[(bound = N, ..)]] CALL`.
struct Input {
    stream: Option<kw::stream>,
    /// `stream(bound = N, ..)`'s bound.
    bound: Option<Bound>,
    call: Expr,
    /// Problems inside `stream(..)`, reported with the expansion's own.
    errors: Errors,
}

const USAGE: &str = "`promisify!` takes one function or method call with `_` where the callback \
                     goes, like `promisify!(pool.execute(|| _))` or `promisify!(stream \
                     watcher.watch(path, |event: Event| _))`";

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let mut errors = Errors::new();
        let stream: Option<kw::stream> = if is_mode(input) {
            Some(input.parse()?)
        } else {
            None
        };
        let bound = match stream {
            Some(_) => flow::parse_after_stream(input, &mut errors)?,
            None => None,
        };
        if let Some(stream) = stream.filter(|_| input.is_empty()) {
            return Err(syn::Error::new(stream.span, USAGE));
        }
        let call = input.parse()?;
        Ok(Input {
            stream,
            bound,
            call,
            errors,
        })
    }
}

/// Whether the input starts with the mode, `stream` or `stream(..)`, rather than with an
/// expression that names something called `stream`: the mode is followed by an expression, and
/// `stream.subscribe(_)`, `stream(x)` or `stream(x).subscribe(_)` are calls on a variable or a
/// function named `stream`.
fn is_mode(input: ParseStream) -> bool {
    if !input.peek(kw::stream) {
        return false;
    }
    if !input.peek2(syn::token::Paren) {
        return !(input.peek2(Token![.])
            || input.peek2(Token![::])
            || input.peek2(Token![?])
            || input.peek2(syn::token::Bracket));
    }
    let after = input.fork();
    let parsed = after.parse::<kw::stream>().is_ok() && after.parse::<Group>().is_ok();
    parsed
        && !(after.is_empty()
            || after.peek(Token![.])
            || after.peek(Token![?])
            || after.peek(syn::token::Paren)
            || after.peek(syn::token::Bracket))
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
            let path: Vec<TokenTree> = root.stream().into_iter().collect();
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
        // Only inputs that may hold a `static` closure are walked again (the text is at hand).
        let input = if text.contains("static") {
            crate::c_fn::slot::mark(input)
        } else {
            input
        };
        syn::parse2(input).and_then(|mut input: Input| {
            let mut errors = std::mem::take(&mut input.errors);
            let expanded = errors.keep(expand(input, &text, private));
            errors.finish().map(|()| expanded.unwrap_or_default())
        })
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
//             let (callback, promise) = PRIVATE::promise_shared(&"pool.execute(|| _)");
//             PRIVATE::finish(pool.execute(move || (&callback).resolve(())), promise).callback_async_finish()
//         }
fn expand(mut input: Input, text: &str, private: Private) -> syn::Result<TokenStream> {
    let stream = input.stream.is_some();
    let bound = input.bound.as_ref();
    // A callback without user data, marked `static |..|`.
    let slot = SlotInput {
        stream,
        bound,
        text,
        private,
    };
    if text.contains("static") {
        if let Some(expansion) = crate::c_fn::slot::expand(&mut input.call, &slot) {
            return expansion;
        }
    }
    match input.call {
        Expr::Unsafe(mut block) => {
            // C callbacks with a user-data pointer.
            if placeholders::is_c_form(&mut block) {
                return crate::c_fn::expand_block(stream, bound, block, text, private)
                    .map(|expansion| expansion.tokens);
            }
            let call = tail_call(&mut block)?;
            let (selection, plan) = replace_placeholders(call, stream, private)?;
            if plan.is_new_shape() {
                return Ok(plan.emit(&block, stream, bound, text, private));
            }
            let bounds = (bound, plan.first_bound());
            Ok(emit(&block, selection, stream, bounds, text, private))
        }
        Expr::Block(block) => Err(syn::Error::new_spanned(
            block,
            "a block in `promisify!` is the C form, which keeps the C call `unsafe`: write \
             `promisify!(unsafe { .. })`",
        )),
        mut call => {
            let (selection, plan) = replace_placeholders(&mut call, stream, private)?;
            if plan.is_new_shape() {
                return Ok(plan.emit(&call, stream, bound, text, private));
            }
            let bounds = (bound, plan.first_bound());
            Ok(emit(&call, selection, stream, bounds, text, private))
        }
    }
}

/// The call that ends an `unsafe` block without a C user-data placeholder: a Rust callback API
/// that is unsafe to call, like `signal_hook::low_level::register`.
fn tail_call(block: &mut ExprUnsafe) -> syn::Result<&mut Expr> {
    let span = block.unsafe_token.span;
    match block.block.stmts.last_mut() {
        Some(Stmt::Expr(call @ (Expr::Call(_) | Expr::MethodCall(_)), None)) => Ok(call),
        _ => Err(syn::Error::new(
            span,
            "this `unsafe` block has no `_` outside a closure, so it is not the C form (whose \
             `_` stands for the user data): it is taken for a Rust callback API called in an \
             `unsafe` block, and must end with that call, like `unsafe { register(SIGUSR1, || \
             _(())) }`",
        )),
    }
}

// Input:  pool.execute(Ok(|s: &str| _), Err(_))
// Output: pool.execute(move |value: &str| (&*ok).resolve(..), move |value| (&*err).resolve(..))
/// Replaces the placeholders among `call`'s arguments by their closures, and says what they
/// settle together.
fn replace_placeholders(
    call: &mut Expr,
    stream: bool,
    private: Private,
) -> syn::Result<(Selection<()>, many::Plan)> {
    let mut errors = Errors::new();
    let found = find_placeholders(call, &mut errors);
    // A misplaced or malformed placeholder is already reported: "no placeholder" would mislead.
    let misplaced = !errors.is_empty();
    let selection = selection::check_selection(&found, call, misplaced, stream, &mut errors);
    let mut plan = many::Plan::of(&found, selection, stream, &mut errors);
    std::mem::take(&mut errors).finish()?;

    // A closure that cannot be generated is reported alone; else every body's errors together.
    let mut replacements = Vec::with_capacity(found.len());
    for mut placeholder in found {
        let progress = plan.take_progress(&mut placeholder, stream);
        let destination = destination(&placeholder, selection, stream, progress, &plan, private);
        let replacement = match placeholder.written {
            Written::Body(closure) => errors.keep(body::rewrite(*closure, &destination, private)),
            _ => Some(plan.own(
                GeneratedClosure::new(&placeholder, &destination)?,
                &destination,
            )),
        };
        replacements.extend(replacement);
    }
    errors.finish()?;
    placeholders::fill(Scope::Args(call), replacements);
    Ok((selection, plan))
}

/// Where one placeholder's values go; `progress` is the local of its `stream(..)` marker's
/// sender, if it has one.
fn destination<'a>(
    placeholder: &Found,
    selection: Selection<()>,
    stream: bool,
    progress: Option<&'static str>,
    plan: &many::Plan,
    private: Private<'a>,
) -> Destination<'a> {
    let method = if stream { "send" } else { "resolve" };
    let (holder, shared, method, variant) = match (selection, placeholder.marks.wrapper) {
        (Selection::OkErr(..), Some((Wrapper::Ok, _))) => ("ok", true, method, Some("Ok")),
        (Selection::OkErr(..), _) => ("err", true, method, Some("Err")),
        (Selection::WithProgress(..), _) if placeholder.marks.progress.is_some() => {
            (progress.unwrap_or("progress"), false, "send", None)
        }
        (Selection::One(_) | Selection::WithProgress(..), _) => ("callback", false, method, None),
    };
    let cloned = holder == "callback" && plan.shared;
    Destination {
        holder,
        shared: shared || cloned,
        cloned,
        method,
        variant,
        private,
    }
}

// Output: {
//             let (callback, promise) = PRIVATE::promise_shared(&"TEXT");   (or PRIVATE::stream())
//             [let ok = PRIVATE::Arc::new(callback); let err = PRIVATE::Arc::clone(&ok);]
//             [let (progress, progress_stream) = PRIVATE::stream();   (or stream_bounded(..))
//              let callback = PRIVATE::completion(callback, &progress);]
//             PRIVATE::finish(CALL, promise).callback_async_finish()   (or finish_pair(CALL, progress_stream, promise))
//         }
fn emit(
    call: &impl ToTokens,
    selection: Selection<()>,
    stream: bool,
    (bound, progress_bound): (Option<&Bound>, Option<&Bound>),
    text: &str,
    private: Private,
) -> TokenStream {
    let site = private.site();
    let local = private.local();
    // Named for what they are to the user, since rustc may name them in an error about the
    // callback ("`callback` declared here, outside of the closure body").
    let (callback, promise) = (Ident::new("callback", local), Ident::new("promise", local));
    let create = Create {
        stream,
        bound,
        text,
        private,
    };
    // One template per shape, each interpolating only tokens and syntax trees: a `TokenStream`
    // interpolated into another costs several calls across the proc-macro bridge.
    match selection {
        Selection::One(_) => quote_spanned! {site=>
            {
                let (#callback, #promise) = #create;
                #private::finish(#call, #promise).callback_async_finish()
            }
        },
        Selection::OkErr(..) => {
            let (ok, err) = (Ident::new("ok", local), Ident::new("err", local));
            quote_spanned! {site=>
                {
                    let (#callback, #promise) = #create;
                    let #ok = #private::Arc::new(#callback);
                    let #err = #private::Arc::clone(&#ok);
                    #private::finish(#call, #promise).callback_async_finish()
                }
            }
        }
        Selection::WithProgress(..) => {
            let progress = Ident::new("progress", local);
            let progress_stream = Ident::new("progress_stream", local);
            let create_progress = Create {
                stream: true,
                bound: progress_bound,
                text,
                private,
            };
            quote_spanned! {site=>
                {
                    let (#callback, #promise) = #create;
                    let (#progress, #progress_stream) = #create_progress;
                    let #callback = #private::completion(#callback, &#progress);
                    #private::finish_pair(#call, #progress_stream, #promise).callback_async_finish()
                }
            }
        }
    }
}

// Output: PRIVATE::stream() or PRIVATE::promise_shared(&"TEXT"), or with a bound
//         PRIVATE::stream_bounded(BOUND, PRIVATE::Overflow::POLICY)
/// What makes the promise (or the stream) and its settler.
struct Create<'a> {
    stream: bool,
    bound: Option<&'a Bound>,
    text: &'a str,
    private: Private<'a>,
}

impl ToTokens for Create<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        if let Some(bound) = self.bound.filter(|_| self.stream) {
            let create = BoundedStream {
                bound,
                maker: Maker::Rust,
                value_type: None,
                private: self.private,
            };
            return create.to_tokens(out);
        }
        let site = self.private.site();
        self.private.to_tokens(out);
        for spacing in [Spacing::Joint, Spacing::Alone] {
            let mut colon = Punct::new(':', spacing);
            colon.set_span(site);
            out.append(colon);
        }
        let mut args = TokenStream::new();
        if self.stream {
            out.append(Ident::new("stream", site));
        } else {
            out.append(Ident::new("promise_shared", site));
            let mut and = Punct::new('&', Spacing::Alone);
            and.set_span(site);
            args.append(and);
            args.append(Literal::string(self.text));
        }
        let mut group = Group::new(Delimiter::Parenthesis, args);
        group.set_span(site);
        out.append(group);
    }
}

/// The placeholders among the call's arguments, in order, each taken out; one in the callee or the
/// receiver is reported.
fn find_placeholders(call: &mut Expr, errors: &mut Errors) -> Vec<Found> {
    let receiver_or_callee = match call {
        Expr::Call(call) => &mut *call.func,
        Expr::MethodCall(call) => &mut *call.receiver,
        other => {
            errors.push(syn::Error::new_spanned(other, USAGE));
            return Vec::new();
        }
    };
    placeholders::forbid(
        Language::Rust,
        Scope::Expr(receiver_or_callee),
        "the callback placeholder must be an argument of the call",
        errors,
    );
    let (found, found_errors) = placeholders::find(Language::Rust, Scope::Args(call));
    errors.append(found_errors);
    found
}

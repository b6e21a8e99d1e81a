//! `promisify!(CALL)`: one call of a callback API that cannot be annotated, with `_` where the
//! callback goes.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use syn::parse::{Parse, ParseStream};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Ident, Pat, ReturnType, Token};

use crate::args::push;
use crate::callback::Conversion;
use crate::tokens::{self, Lazy, Private};

mod kw {
    syn::custom_keyword!(stream);
}

/// The macro's input: `[stream] CALL`.
pub struct Input {
    stream: Option<kw::stream>,
    call: Expr,
}

impl Parse for Input {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if input.is_empty() {
            return Err(syn::Error::new(Span::call_site(), USAGE));
        }
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

/// One callback placeholder found in the call's arguments.
struct Placeholder {
    /// `Ok(..)` or `Err(..)` around it, with the wrapper's span.
    wrapper: Option<(Wrapper, Span)>,
    /// `None` for `_` (one argument), or the closure's parameters.
    params: Option<Vec<Param>>,
    span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Wrapper {
    Ok,
    Err,
}

struct Param {
    ty: Option<syn::Type>,
}

/// Expands `promisify!(input)`. Never fails: errors become `compile_error!` at the offending
/// tokens.
pub fn promisify(input: TokenStream) -> TokenStream {
    let text = display(input.clone());
    let result = syn::parse2(input).and_then(|input| expand(input, &text));
    result.unwrap_or_else(|error| {
        // In a block: the macro is an expression, and several `compile_error!`s side by side are
        // not one.
        let errors = error.to_compile_error();
        quote!({ #errors })
    })
}

const USAGE: &str = "`promisify!` takes one function or method call with `_` where the callback \
                     goes, like `promisify!(pool.execute(|| _))` or `promisify!(stream \
                     watcher.watch(path, |event: Event| _))`";

// Input:  promisify!(pool.execute(|| _))
// Output: {
//             let (resolver, promise) = __private::promise_shared(&"pool.execute(|| _)");
//             __private::finish(pool.execute(move || (&resolver).settle(())), promise).finish()
//         }
fn expand(input: Input, text: &str) -> syn::Result<TokenStream> {
    let mut call = match input.call {
        // C callbacks with a user-data pointer: see `ffi.rs`.
        Expr::Unsafe(block) => return crate::ffi::expand(input.stream.is_some(), block, text),
        Expr::Block(block) => {
            return Err(syn::Error::new_spanned(
                block,
                "a block in `promisify!` is the C form, which keeps the C call `unsafe`: write \
                 `promisify!(unsafe { .. })`",
            ));
        }
        call => call,
    };
    let receiver_or_callee = match &mut call {
        Expr::Call(call) => &mut *call.func,
        Expr::MethodCall(call) => &mut *call.receiver,
        other => return Err(syn::Error::new_spanned(other, USAGE)),
    };
    let mut errors = None;
    let mut finder = Finder::default();
    finder.visit_expr_mut(receiver_or_callee);
    for found in finder.found {
        push(
            &mut errors,
            syn::Error::new(
                found.span,
                "the callback placeholder must be an argument of the call",
            ),
        );
    }
    let args = match &mut call {
        Expr::Call(call) => &mut call.args,
        Expr::MethodCall(call) => &mut call.args,
        _ => unreachable!("matched above"),
    };
    let mut finder = Finder::default();
    for arg in args.iter_mut() {
        finder.visit_expr_mut(arg);
    }
    if let Some(error) = finder.errors.take() {
        push(&mut errors, error);
    }
    let found = finder.found;
    // A misplaced or malformed placeholder is already reported: "no placeholder" would mislead.
    let shape = check_shape(&found, &call, errors.is_some(), &mut errors);
    if let Some(errors) = errors {
        return Err(errors);
    }

    let private = Private::new(None);
    let mixed = Span::mixed_site();
    let resolver = Ident::new("resolver", mixed);
    let promise = Ident::new("promise", mixed);
    let mut closures = Vec::new();
    for placeholder in &found {
        closures.push(closure(placeholder, shape, input.stream.is_some())?);
    }
    let mut replacer = Replacer {
        closures: closures.into_iter(),
    };
    match &mut call {
        Expr::Call(call) => call
            .args
            .iter_mut()
            .for_each(|arg| replacer.visit_expr_mut(arg)),
        Expr::MethodCall(call) => call
            .args
            .iter_mut()
            .for_each(|arg| replacer.visit_expr_mut(arg)),
        _ => {}
    }

    let stream = input.stream.is_some();
    // `PRIVATE::stream()` or `PRIVATE::promise_shared(&"TEXT")`
    let create = Lazy(|out: &mut TokenStream| {
        private.to_tokens(out);
        if stream {
            tokens::path(out, "::stream");
            tokens::group(out, Delimiter::Parenthesis, |_| {});
        } else {
            tokens::path(out, "::promise_shared");
            tokens::group(out, Delimiter::Parenthesis, |out| {
                tokens::punct(out, "&");
                tokens::string(out, text);
            });
        }
    });
    let shared = (shape == Shape::OkErr).then(|| {
        let (ok, err) = (Ident::new("ok", mixed), Ident::new("err", mixed));
        quote! {
            let #ok = #private::Arc::new(#resolver);
            let #err = #private::Arc::clone(&#ok);
        }
    });
    Ok(quote! {
        {
            let (#resolver, #promise) = #create;
            #shared
            #private::finish(#call, #promise).finish()
        }
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    One,
    OkErr,
}

fn check_shape(
    found: &[Placeholder],
    call: &Expr,
    misplaced: bool,
    errors: &mut Option<syn::Error>,
) -> Shape {
    let plain: Vec<&Placeholder> = found.iter().filter(|p| p.wrapper.is_none()).collect();
    let oks: Vec<&Placeholder> = found
        .iter()
        .filter(|p| matches!(p.wrapper, Some((Wrapper::Ok, _))))
        .collect();
    let errs: Vec<&Placeholder> = found
        .iter()
        .filter(|p| matches!(p.wrapper, Some((Wrapper::Err, _))))
        .collect();
    if found.is_empty() {
        if misplaced {
            return Shape::One;
        }
        push(
            errors,
            syn::Error::new_spanned(
                call,
                "this call has no callback placeholder: write `_` where the callback goes (or \
                 `|a, b| _` for a callback of several arguments, `Ok(_)` and `Err(_)` for \
                 success and failure callbacks)",
            ),
        );
        return Shape::One;
    }
    if !oks.is_empty() || !errs.is_empty() {
        for extra in plain
            .iter()
            .chain(oks.iter().skip(1))
            .chain(errs.iter().skip(1))
        {
            push(
                errors,
                syn::Error::new(
                    extra.wrapper.map_or(extra.span, |(_, span)| span),
                    "a second callback placeholder: `promisify!` settles one promise, from one \
                     callback or from one `Ok(_)`/`Err(_)` pair",
                ),
            );
        }
        match (oks.first(), errs.first()) {
            (Some(ok), None) => push(
                errors,
                syn::Error::new(
                    ok.wrapper.map_or(ok.span, |(_, span)| span),
                    "`Ok(_)` needs an `Err(_)` placeholder for the failure callback",
                ),
            ),
            (None, Some(err)) => push(
                errors,
                syn::Error::new(
                    err.wrapper.map_or(err.span, |(_, span)| span),
                    "`Err(_)` needs an `Ok(_)` placeholder for the success callback",
                ),
            ),
            _ => {}
        }
        return Shape::OkErr;
    }
    for extra in plain.iter().skip(1) {
        push(
            errors,
            syn::Error::new(
                extra.span,
                "a second callback placeholder: `promisify!` settles one promise from one \
                 callback; for success and failure callbacks write `Ok(_)` and `Err(_)`",
            ),
        );
    }
    Shape::One
}

// Input:  `|s: &str, n| _` inside `Err(..)`
// Output: move |arg0: &str, arg1| (&*err).settle(Err((ToOwned::to_owned(arg0), arg1)))
//
// The generated tokens resolve as before but are located at the placeholder, so that errors about
// the callback (a value that is not `Send`, a borrowed argument) point there rather than at the
// whole `promisify!(..)`. They are written straight into one stream: see `tokens`.
fn closure(placeholder: &Placeholder, shape: Shape, stream: bool) -> syn::Result<TokenStream> {
    let at = placeholder.span;
    let call = Span::call_site().located_at(at);
    let mixed = Span::mixed_site().located_at(at);
    let declared = placeholder.params.as_ref();
    let count = declared.map_or(1, Vec::len);
    let mut args = Vec::with_capacity(count);
    for position in 0..count {
        let arg = format_ident!("arg{}", position, span = mixed);
        let conversion = match declared.and_then(|params| params[position].ty.as_ref()) {
            Some(ty) => Some(Conversion::new(ty)?),
            None => None,
        };
        args.push((arg, conversion));
    }
    // Only owned copies of typed arguments name the runtime here.
    let private = Private::located_at(at);
    let value = |out: &mut TokenStream| {
        let write = |out: &mut TokenStream, (arg, conversion): &(Ident, Option<Conversion>)| {
            match conversion {
                Some(conversion) => conversion.write_value(out, arg, &private),
                None => arg.to_tokens(out),
            }
        };
        match (declared, args.as_slice()) {
            (None, [one]) | (Some(_), [one]) => write(out, one),
            // `(VALUE, ..,)`
            _ => tokens::group_spanned(out, Delimiter::Parenthesis, call, |out| {
                for arg in &args {
                    write(out, arg);
                    tokens::punct_spanned(out, ",", call);
                }
            }),
        }
    };

    let mut out = TokenStream::new();
    // `move |ARG: PARAM, ..|`
    tokens::path_spanned(&mut out, "move", call);
    tokens::punct_spanned(&mut out, "|", call);
    for (position, (arg, conversion)) in args.iter().enumerate() {
        if position > 0 {
            tokens::punct_spanned(&mut out, ",", call);
        }
        arg.to_tokens(&mut out);
        if let Some(conversion) = conversion {
            tokens::punct_spanned(&mut out, ":", call);
            conversion.write_param(&mut out);
        }
    }
    tokens::punct_spanned(&mut out, "|", call);
    // `(&RESOLVER).METHOD(VALUE)`: an inherent method called on an explicit `&`, the cheapest
    // form for the type checker in a crate with many calls (a type-relative path like
    // `AtomicSettler::settle(&r, v)` costs more); no trait in the user's scope can take the call
    // over, since inherent methods win at the first step of method resolution, whose receiver
    // type is already `&AtomicSettler<T>` (or `&StreamSender<T>`).
    let (holder, variant) = match (shape, placeholder.wrapper) {
        (Shape::OkErr, Some((Wrapper::Ok, _))) => (Ident::new("ok", mixed), Some("Ok")),
        (Shape::OkErr, _) => (Ident::new("err", mixed), Some("Err")),
        (Shape::One, _) => (Ident::new("resolver", mixed), None),
    };
    tokens::group_spanned(&mut out, Delimiter::Parenthesis, call, |out| {
        tokens::punct_spanned(out, "&", call);
        if variant.is_some() {
            tokens::punct_spanned(out, "*", call);
        }
        holder.to_tokens(out);
    });
    tokens::punct_spanned(&mut out, ".", call);
    tokens::path_spanned(&mut out, if stream { "send" } else { "settle" }, call);
    tokens::group_spanned(
        &mut out,
        Delimiter::Parenthesis,
        call,
        |out| match variant {
            // `::core::result::Result::Ok(VALUE)`
            Some(variant) => {
                tokens::path_spanned(out, "::core::result::Result", call);
                tokens::path_spanned(out, &format!("::{variant}"), call);
                tokens::group_spanned(out, Delimiter::Parenthesis, call, value);
            }
            None => value(out),
        },
    );
    Ok(out)
}

/// Collects placeholders in visiting order, and errors for placeholders where none may be.
#[derive(Default)]
struct Finder {
    found: Vec<Placeholder>,
    errors: Option<syn::Error>,
}

// A `VisitMut` that changes nothing: syn's `visit` is off (see Cargo.toml).
impl VisitMut for Finder {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match classify(expr) {
            Classified::Placeholder(placeholder) => self.found.push(placeholder),
            Classified::Invalid(error) => push(&mut self.errors, error),
            Classified::Closure => {
                // Always a closure (see `classify`): matched again for its body, mutably.
                let Expr::Closure(closure) = expr else {
                    return;
                };
                let mut inner = Finder::default();
                inner.visit_expr_mut(&mut closure.body);
                for found in inner.found {
                    push(
                        &mut self.errors,
                        syn::Error::new(
                            found.span,
                            "a callback placeholder cannot be inside a closure's body: it must be \
                             an argument of the call (or nested in one, like `Box::new(_)`)",
                        ),
                    );
                }
            }
            Classified::Other => {
                for operand in operands(expr) {
                    if let Classified::Placeholder(found) = classify(operand) {
                        push(
                            &mut self.errors,
                            syn::Error::new(
                                found.span,
                                "a callback placeholder cannot be an operand (`_.into()`, \
                                 `_ as T`): pass it as an argument, or nested in a call like \
                                 `Box::new(_)`",
                            ),
                        );
                    }
                }
                visit_mut::visit_expr_mut(self, expr);
            }
        }
    }

    // Tokens of a macro call are not expressions: leave them alone.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// The operands of an operator expression: where a closure would need parentheses.
fn operands(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::MethodCall(call) => vec![&call.receiver],
        Expr::Field(field) => vec![&field.base],
        Expr::Cast(cast) => vec![&cast.expr],
        Expr::Binary(binary) => vec![&binary.left, &binary.right],
        Expr::Unary(unary) => vec![&unary.expr],
        Expr::Try(try_expr) => vec![&try_expr.expr],
        Expr::Index(index) => vec![&index.expr, &index.index],
        Expr::Await(await_expr) => vec![&await_expr.base],
        Expr::Call(call) => vec![&call.func],
        _ => Vec::new(),
    }
}

/// Replaces placeholders, in the order `Finder` found them, by the generated closures.
struct Replacer {
    closures: std::vec::IntoIter<TokenStream>,
}

impl VisitMut for Replacer {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match classify(expr) {
            Classified::Placeholder(_) => {
                if let Some(closure) = self.closures.next() {
                    *expr = Expr::Verbatim(closure);
                }
            }
            Classified::Invalid(_) | Classified::Closure => {}
            Classified::Other => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

enum Classified {
    Placeholder(Placeholder),
    Invalid(syn::Error),
    /// A closure that is not a placeholder: its body must hold none.
    Closure,
    Other,
}

fn classify(expr: &Expr) -> Classified {
    match expr {
        Expr::Infer(infer) => Classified::Placeholder(Placeholder {
            wrapper: None,
            params: None,
            span: infer.underscore_token.span,
        }),
        Expr::Closure(closure) if is_placeholder_body(closure) => closure_placeholder(closure),
        Expr::Closure(_) => Classified::Closure,
        Expr::Call(call) if call.args.len() == 1 => {
            let wrapper = match &*call.func {
                Expr::Path(path) if path.qself.is_none() && path.path.is_ident("Ok") => Wrapper::Ok,
                Expr::Path(path) if path.qself.is_none() && path.path.is_ident("Err") => {
                    Wrapper::Err
                }
                _ => return Classified::Other,
            };
            match classify(&call.args[0]) {
                Classified::Placeholder(mut placeholder) if placeholder.wrapper.is_none() => {
                    let span = call
                        .func
                        .to_token_stream()
                        .into_iter()
                        .next()
                        .map_or(placeholder.span, |t| t.span());
                    placeholder.wrapper = Some((wrapper, span));
                    Classified::Placeholder(placeholder)
                }
                Classified::Invalid(error) => Classified::Invalid(error),
                _ => Classified::Other,
            }
        }
        _ => Classified::Other,
    }
}

/// `|..| _`, or `|..| -> T { _ }`: a closure with a return type needs a block, and is reported as a
/// placeholder that returns a value rather than as a placeholder inside a closure's body.
fn is_placeholder_body(closure: &ExprClosure) -> bool {
    match &*closure.body {
        Expr::Infer(_) => true,
        Expr::Block(block) if !matches!(closure.output, ReturnType::Default) => {
            block.label.is_none()
                && matches!(
                    block.block.stmts.as_slice(),
                    [syn::Stmt::Expr(Expr::Infer(_), None)]
                )
        }
        _ => false,
    }
}

fn closure_placeholder(closure: &ExprClosure) -> Classified {
    if let Some(asyncness) = &closure.asyncness {
        return Classified::Invalid(syn::Error::new(
            asyncness.span,
            "a callback placeholder is a plain closure: `async` has no meaning here",
        ));
    }
    if let ReturnType::Type(arrow, ty) = &closure.output {
        return Classified::Invalid(syn::Error::new_spanned(
            quote!(#arrow #ty),
            "a callback placeholder returns `()`: a callback that must return a value cannot \
             settle a promise",
        ));
    }
    let params = closure
        .inputs
        .iter()
        .map(|pat| Param {
            ty: match pat {
                Pat::Type(typed) => Some((*typed.ty).clone()),
                _ => None,
            },
        })
        .collect();
    Classified::Placeholder(Placeholder {
        wrapper: None,
        params: Some(params),
        span: closure.inputs_begin.span,
    })
}

/// The call as a user wrote it (`pool.execute(|| _)`), for the dropped-callback message: tokens
/// printed with the spacing rustfmt would use for the common shapes.
pub fn display(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_tokens(tokens, &mut out);
    out
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    let mut previous: Option<TokenTree> = None;
    let mut pipes_open = false;
    let mut after_path_separator = false;
    for tree in tokens {
        let space = match (&previous, &tree) {
            (None, _) => false,
            _ if after_path_separator => false,
            (Some(TokenTree::Punct(p)), _) if p.spacing() == proc_macro2::Spacing::Joint => false,
            (Some(TokenTree::Punct(p)), _) if matches!(p.as_char(), '.' | '&' | '!' | '#') => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == '|' && pipes_open => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == ':' => true,
            (_, TokenTree::Punct(p)) if matches!(p.as_char(), '.' | ',' | ';' | '?' | ':') => false,
            (_, TokenTree::Punct(p)) if p.as_char() == '|' && pipes_open => false,
            (Some(TokenTree::Ident(_) | TokenTree::Group(_)), TokenTree::Group(g))
                if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
            {
                false
            }
            (Some(TokenTree::Punct(p)), TokenTree::Group(g))
                if p.as_char() == '>' && g.delimiter() == Delimiter::Parenthesis =>
            {
                false
            }
            (Some(TokenTree::Punct(p)), TokenTree::Punct(q))
                if p.as_char() == '<' || q.as_char() == '>' =>
            {
                false
            }
            (Some(TokenTree::Ident(_)), TokenTree::Punct(p)) if p.as_char() == '<' => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == '<' => false,
            (_, TokenTree::Punct(p)) if p.as_char() == '>' => false,
            _ => true,
        };
        if space {
            out.push(' ');
        }
        match &tree {
            TokenTree::Group(group) => {
                after_path_separator = false;
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                out.push_str(close);
            }
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                after_path_separator = p.as_char() == ':'
                    && matches!(&previous, Some(TokenTree::Punct(q)) if q.as_char() == ':' && q.spacing() == proc_macro2::Spacing::Joint);
                // A lone `|` opens or closes closure parameters; `||` (joint) is both at once.
                if p.as_char() == '|' && p.spacing() == proc_macro2::Spacing::Alone {
                    let joined = matches!(&previous, Some(TokenTree::Punct(q)) if q.as_char() == '|' && q.spacing() == proc_macro2::Spacing::Joint);
                    if !joined {
                        pipes_open = !pipes_open;
                    }
                }
            }
            other => {
                after_path_separator = false;
                out.push_str(&other.to_string());
            }
        }
        previous = Some(tree);
    }
}

#[cfg(test)]
mod tests {
    use super::display;

    #[test]
    fn calls_are_displayed_as_written() {
        let cases = [
            "pool.execute(|| _)",
            "legacy::once(1, _)",
            "f::<Vec<u8>>(|a, b| _)",
            "watcher.watch(&path, |e: notify::Result<Event>| _)",
            "rayon::spawn(Box::new(_))",
            "api.call(Ok(_), Err(|e: &str| _))",
            "stream timer.every(Duration::from_secs(1), _)",
        ];
        for case in cases {
            let tokens: proc_macro2::TokenStream = case.parse().unwrap();
            assert_eq!(display(tokens), case);
        }
    }
}

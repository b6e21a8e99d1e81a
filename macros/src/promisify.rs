//! `promisify!(CALL)`: one call of a callback API that cannot be annotated, with `_` where the
//! callback goes.

use proc_macro2::{Delimiter, Group, Span, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Ident, Pat, ReturnType, Token};

use crate::args::push;

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
//             let (resolver, promise) = __private::promise_shared("pool.execute(|| _)");
//             __private::finish(pool.execute(move || Shared::settle(&resolver, ())), promise).finish()
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

    let private = quote!(::callback_async::__private);
    let mixed = Span::mixed_site();
    let resolver = Ident::new("resolver", mixed);
    let promise = Ident::new("promise", mixed);
    let mut closures = Vec::new();
    for placeholder in &found {
        closures.push(closure(
            placeholder,
            shape,
            input.stream.is_some(),
            &private,
        )?);
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

    let create = if input.stream.is_some() {
        quote!(#private::stream())
    } else {
        quote!(#private::promise_shared(&#text))
    };
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
// Output: move |arg0: &str, arg1| Shared::settle(&*err, Err((ToOwned::to_owned(arg0), arg1)))
//
// The generated tokens resolve as before but are located at the placeholder, so that errors about
// the callback (a value that is not `Send`, a borrowed argument) point there rather than at the
// whole `promisify!(..)`.
fn closure(
    placeholder: &Placeholder,
    shape: Shape,
    stream: bool,
    private: &TokenStream,
) -> syn::Result<TokenStream> {
    let at = placeholder.span;
    let call = Span::call_site().located_at(at);
    let mixed = Span::mixed_site().located_at(at);
    // Only owned copies of typed arguments name the runtime here.
    let mut located_private = None;
    let mut params = Vec::new();
    let mut values = Vec::new();
    let declared = placeholder.params.as_ref();
    let count = declared.map_or(1, Vec::len);
    for position in 0..count {
        let arg = format_ident!("arg{}", position, span = mixed);
        match declared.and_then(|params| params[position].ty.as_ref()) {
            Some(ty) => {
                let private =
                    located_private.get_or_insert_with(|| located_at(private.clone(), at));
                let (_, param, value) = crate::callback::owned(ty, &arg, private)?;
                params.push(quote_spanned!(call=> #arg: #param));
                values.push(value);
            }
            None => {
                params.push(arg.to_token_stream());
                values.push(arg.to_token_stream());
            }
        }
    }
    let value = match (declared, values.len()) {
        (None, _) | (Some(_), 1) => values.remove(0),
        _ => quote_spanned!(call=> (#(#values,)*)),
    };
    // An inherent method called on an explicit `&`: the cheapest form for the type checker in a
    // crate with many calls (a type-relative path like `Shared::settle(&r, v)` costs more), and
    // no trait in the user's scope can take the call over, since inherent methods win at the
    // first step of method resolution, whose receiver type is already `&Shared<T>`.
    let method = if stream {
        Ident::new("send", call)
    } else {
        Ident::new("settle", call)
    };
    let settle = match (shape, placeholder.wrapper) {
        (Shape::OkErr, Some((Wrapper::Ok, _))) => {
            let ok = Ident::new("ok", mixed);
            quote_spanned!(call=> (&*#ok).#method(::core::result::Result::Ok(#value)))
        }
        (Shape::OkErr, _) => {
            let err = Ident::new("err", mixed);
            quote_spanned!(call=> (&*#err).#method(::core::result::Result::Err(#value)))
        }
        (Shape::One, _) => {
            let resolver = Ident::new("resolver", mixed);
            quote_spanned!(call=> (&#resolver).#method(#value))
        }
    };
    Ok(quote_spanned!(call=> move |#(#params),*| #settle))
}

/// `tokens`, resolved as they are but located at `span`.
fn located_at(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let TokenTree::Group(group) = &tree {
                let mut inner = Group::new(group.delimiter(), located_at(group.stream(), span));
                inner.set_span(group.span().located_at(span));
                tree = TokenTree::Group(inner);
            } else {
                tree.set_span(tree.span().located_at(span));
            }
            tree
        })
        .collect()
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

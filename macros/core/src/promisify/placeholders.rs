//! Finding the callback placeholders among a call's arguments (`_`, `|a, b| _`, a closure whose
//! body calls `_(value)`, each maybe inside `Ok(..)`, `Err(..)` or `stream(..)`), rejecting those
//! where none may stand, and replacing each by its generated closure.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Pat, ReturnType};

use super::body::{self, Target};
use crate::error::Errors;
use crate::flow::{self, Bound};
use crate::root::Private;

/// One callback placeholder found in the call's arguments.
pub struct Placeholder {
    /// `Ok(..)` or `Err(..)` around it, with the wrapper's span.
    pub wrapper: Option<(Wrapper, Span)>,
    /// `stream(..)` around it, with the marker's span: the progress callback of a call whose
    /// other placeholder settles the promise.
    pub progress: Option<Span>,
    /// `stream(_, bound = N, ..)`'s bound: the progress stream's (boxed: a placeholder is
    /// classified often, and rarely has one).
    pub bound: Option<Box<Bound>>,
    pub form: Form,
    pub span: Span,
}

/// How a placeholder is written.
pub enum Form {
    /// `_`: a callback of one argument, handed over as it is.
    Bare,
    /// `|a, b: &str| _`: its arguments, handed over as a tuple (borrowed ones made owned).
    Params(Vec<PlaceholderParam>),
    /// A closure of the user's whose body hands values over with `_(value)`.
    Body,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    Ok,
    Err,
}

/// A parameter of a closure placeholder, with its type if written.
pub struct PlaceholderParam {
    pub ty: Option<syn::Type>,
}

/// What the placeholders settle.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    /// One callback (or, in stream mode, the stream).
    One,
    /// An `Ok(_)`/`Err(_)` pair settles a `Result`.
    OkErr,
    /// One callback settles the promise, and a `stream(..)` one reports progress.
    WithProgress,
}

/// Checks how many placeholders of each kind the call has, and what they settle together.
pub fn check_settlement(
    found: &[Placeholder],
    call: &Expr,
    misplaced: bool,
    stream: bool,
    errors: &mut Errors,
) -> Settlement {
    let (progress, completion): (Vec<&Placeholder>, Vec<&Placeholder>) =
        found.iter().partition(|p| p.progress.is_some());
    if stream {
        for marked in &progress {
            errors.push(syn::Error::new(
                marked.progress.unwrap_or(marked.span),
                "`stream(..)` marks the progress callback of a call that settles a promise; in \
                 `promisify!(stream ..)` every placeholder's calls are already items: remove \
                 `stream(..)`",
            ));
        }
        return check_completion(&found.iter().collect::<Vec<_>>(), call, misplaced, errors);
    }
    let Some(first) = progress.first() else {
        return check_completion(&completion, call, misplaced, errors);
    };
    for extra in progress.iter().skip(1) {
        errors.push(syn::Error::new(
            extra.progress.unwrap_or(extra.span),
            "a second progress placeholder: a call reports its progress to one stream",
        ));
    }
    if let Some((_, span)) = first.wrapper {
        errors.push(syn::Error::new(
            span,
            "`stream(..)` goes around the progress callback's placeholder itself, not inside \
             `Ok(..)` or `Err(..)`",
        ));
    }
    if completion.is_empty() {
        errors.push(syn::Error::new(
            first.progress.unwrap_or(first.span),
            "`stream(..)` marks a progress callback, which pairs with the placeholder of the \
             completion callback (`_`); for a callback whose every call is an item, write \
             `promisify!(stream ..)` instead",
        ));
        return Settlement::WithProgress;
    }
    if let Some(paired) = completion.iter().find(|p| p.wrapper.is_some()) {
        errors.push(syn::Error::new(
            paired.wrapper.map_or(paired.span, |(_, span)| span),
            "a progress stream pairs with one completion callback, not with an `Ok(_)`/`Err(_)` \
             pair: hand the `Result` over from one callback, `|r: Result<T, E>| _`",
        ));
    }
    check_completion(&completion, call, misplaced, errors);
    Settlement::WithProgress
}

fn check_completion(
    found: &[&Placeholder],
    call: &Expr,
    misplaced: bool,
    errors: &mut Errors,
) -> Settlement {
    let plain: Vec<&Placeholder> = found
        .iter()
        .copied()
        .filter(|p| p.wrapper.is_none())
        .collect();
    let oks: Vec<&Placeholder> = found
        .iter()
        .copied()
        .filter(|p| matches!(p.wrapper, Some((Wrapper::Ok, _))))
        .collect();
    let errs: Vec<&Placeholder> = found
        .iter()
        .copied()
        .filter(|p| matches!(p.wrapper, Some((Wrapper::Err, _))))
        .collect();
    if found.is_empty() {
        if misplaced {
            return Settlement::One;
        }
        errors.push(syn::Error::new_spanned(
            call,
            "this call has no callback placeholder: write `_` where the callback goes (or \
             `|a, b| _` for a callback of several arguments, a closure whose body calls \
             `_(value)` for one that returns a value to its API, `Ok(_)` and `Err(_)` for \
             success and failure callbacks)",
        ));
        return Settlement::One;
    }
    if !oks.is_empty() || !errs.is_empty() {
        for extra in plain
            .iter()
            .chain(oks.iter().skip(1))
            .chain(errs.iter().skip(1))
        {
            errors.push(syn::Error::new(
                extra.wrapper.map_or(extra.span, |(_, span)| span),
                "a second callback placeholder: `promisify!` settles one promise, from one \
                 callback or from one `Ok(_)`/`Err(_)` pair",
            ));
        }
        match (oks.first(), errs.first()) {
            (Some(ok), None) => errors.push(syn::Error::new(
                ok.wrapper.map_or(ok.span, |(_, span)| span),
                "`Ok(_)` needs an `Err(_)` placeholder for the failure callback",
            )),
            (None, Some(err)) => errors.push(syn::Error::new(
                err.wrapper.map_or(err.span, |(_, span)| span),
                "`Err(_)` needs an `Ok(_)` placeholder for the success callback",
            )),
            _ => {}
        }
        return Settlement::OkErr;
    }
    for extra in plain.iter().skip(1) {
        errors.push(syn::Error::new(
            extra.span,
            "a second callback placeholder: `promisify!` settles one promise from one callback \
             (for success and failure callbacks write `Ok(_)` and `Err(_)`; for a progress \
             callback beside the completion, mark it `stream(..)`)",
        ));
    }
    Settlement::One
}

/// Collects placeholders in visiting order, and errors for placeholders where none may be.
#[derive(Default)]
pub struct Placeholders {
    pub found: Vec<Placeholder>,
    pub errors: Errors,
}

// A `VisitMut` that changes nothing: syn's `visit` is off (see Cargo.toml).
impl VisitMut for Placeholders {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match classify(expr) {
            ArgClass::Placeholder(placeholder) => self.found.push(placeholder),
            ArgClass::Invalid(error) => self.errors.push(error),
            ArgClass::Closure => {
                // Always a closure (see `classify`): matched again for its body, mutably.
                let Expr::Closure(closure) = expr else {
                    return;
                };
                let mut inner = Placeholders::default();
                inner.visit_expr_mut(&mut closure.body);
                for found in inner.found {
                    self.errors.push(syn::Error::new(
                        found.span,
                        "a callback placeholder cannot be inside a closure's body: it must be \
                         an argument of the call (or nested in one, like `Box::new(_)`); to \
                         hand a value over from a closure's body, call `_(value)`",
                    ));
                }
            }
            ArgClass::Other => {
                for operand in operands(expr) {
                    if let ArgClass::Placeholder(found) = classify(operand) {
                        self.errors.push(syn::Error::new(
                            found.span,
                            "a callback placeholder cannot be an operand (`_.into()`, `_ as T`): \
                             pass it as an argument, or nested in a call like `Box::new(_)`",
                        ));
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

/// What replaces one placeholder: a closure generated from its parameters, or, for the body
/// form, the user's own closure rewritten to hand its values to `target`.
pub enum Replacement<'a> {
    Generated(TokenStream),
    Body(Target<'a>),
}

/// Replaces placeholders, in the order `Placeholders` found them.
pub struct Replacer<'a> {
    pub replacements: std::vec::IntoIter<Replacement<'a>>,
    pub private: Private<'a>,
    pub errors: Errors,
}

impl VisitMut for Replacer<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match classify(expr) {
            ArgClass::Placeholder(_) => match self.replacements.next() {
                Some(Replacement::Generated(closure)) => *expr = Expr::Verbatim(closure),
                Some(Replacement::Body(target)) => {
                    if let Some(closure) = unwrapped_closure(expr) {
                        let rewritten = body::rewrite(closure, &target, self.private);
                        if let Some(tokens) = self.errors.keep(rewritten) {
                            *expr = Expr::Verbatim(tokens);
                        }
                    }
                }
                None => {}
            },
            ArgClass::Invalid(_) | ArgClass::Closure => {}
            ArgClass::Other => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// The closure inside `Ok(..)`, `Err(..)` and `stream(..)` wrappers (`stream(|..| {..}, bound =
/// N)` too).
fn unwrapped_closure(expr: &Expr) -> Option<&ExprClosure> {
    match expr {
        Expr::Closure(closure) => Some(closure),
        Expr::Call(call) if !call.args.is_empty() => unwrapped_closure(&call.args[0]),
        _ => None,
    }
}

enum ArgClass {
    Placeholder(Placeholder),
    Invalid(syn::Error),
    /// A closure that is not a placeholder: its body must hold none.
    Closure,
    Other,
}

fn classify(expr: &Expr) -> ArgClass {
    match expr {
        Expr::Infer(infer) => ArgClass::Placeholder(Placeholder {
            wrapper: None,
            progress: None,
            bound: None,
            form: Form::Bare,
            span: infer.underscore_token.span,
        }),
        Expr::Closure(closure) if is_placeholder_body(closure) => closure_placeholder(closure),
        Expr::Closure(closure) if body::delivers(&closure.body) => body_placeholder(closure),
        Expr::Closure(_) => ArgClass::Closure,
        Expr::Call(call) if is_bounded_marker(call) => bounded_progress(call),
        Expr::Call(call) if call.args.len() == 1 => {
            let Expr::Path(path) = &*call.func else {
                return ArgClass::Other;
            };
            let name = match path.path.get_ident() {
                Some(name) if path.qself.is_none() => name,
                _ => return ArgClass::Other,
            };
            let marker = if name == "Ok" {
                Marker::Wrapper(Wrapper::Ok)
            } else if name == "Err" {
                Marker::Wrapper(Wrapper::Err)
            } else if name == "stream" {
                Marker::Progress
            } else {
                return ArgClass::Other;
            };
            match classify(&call.args[0]) {
                ArgClass::Placeholder(mut placeholder) => {
                    let span = name.span();
                    match marker {
                        Marker::Wrapper(_) if placeholder.wrapper.is_some() => {
                            return ArgClass::Other;
                        }
                        Marker::Wrapper(wrapper) => placeholder.wrapper = Some((wrapper, span)),
                        Marker::Progress if placeholder.progress.is_some() => {
                            return ArgClass::Other;
                        }
                        Marker::Progress => placeholder.progress = Some(span),
                    }
                    ArgClass::Placeholder(placeholder)
                }
                ArgClass::Invalid(error) => ArgClass::Invalid(error),
                _ => ArgClass::Other,
            }
        }
        _ => ArgClass::Other,
    }
}

/// `stream(PLACEHOLDER, key = value, ..)`: a progress marker with the keys of a bound.
fn is_bounded_marker(call: &syn::ExprCall) -> bool {
    let Expr::Path(path) = &*call.func else {
        return false;
    };
    path.qself.is_none()
        && path.path.is_ident("stream")
        && call.args.len() > 1
        && call
            .args
            .iter()
            .skip(1)
            .all(|arg| matches!(arg, Expr::Assign(_)))
}

// Input:  stream(|done: u64| _, bound = 16, overflow = drop_newest)
// Output: the placeholder `|done: u64| _`, marked as the progress callback, with its bound
/// A progress marker with a bound, around a placeholder; anything else is no marker.
fn bounded_progress(call: &syn::ExprCall) -> ArgClass {
    let mut placeholder = match classify(&call.args[0]) {
        ArgClass::Placeholder(placeholder) if placeholder.progress.is_none() => placeholder,
        ArgClass::Invalid(error) => return ArgClass::Invalid(error),
        _ => return ArgClass::Other,
    };
    let mut keys = TokenStream::new();
    for pair in call.args.pairs().skip(1) {
        pair.to_tokens(&mut keys);
    }
    let mut errors = Errors::new();
    let bound = flow::parse_args(keys, call.paren_token.span.join(), &mut errors);
    if let Err(error) = errors.finish() {
        return ArgClass::Invalid(error);
    }
    placeholder.progress = Some(call.func.span());
    placeholder.bound = bound.map(Box::new);
    ArgClass::Placeholder(placeholder)
}

/// A wrapper call around a placeholder.
enum Marker {
    Wrapper(Wrapper),
    Progress,
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

fn closure_placeholder(closure: &ExprClosure) -> ArgClass {
    if let Some(asyncness) = &closure.asyncness {
        return ArgClass::Invalid(syn::Error::new(
            asyncness.span,
            "a callback placeholder is a plain closure: `async` has no meaning here",
        ));
    }
    if let ReturnType::Type(arrow, ty) = &closure.output {
        return ArgClass::Invalid(syn::Error::new_spanned(
            quote!(#arrow #ty),
            "a placeholder written `|..| _` hands its arguments over and returns `()`; for a \
             callback that returns a value to its API, hand the value over from its body and \
             return what the API asks for: `|..| -> T { _(value); answer }`",
        ));
    }
    let params = closure
        .inputs
        .iter()
        .map(|pat| PlaceholderParam {
            ty: match pat {
                Pat::Type(typed) => Some((*typed.ty).clone()),
                _ => None,
            },
        })
        .collect();
    ArgClass::Placeholder(Placeholder {
        wrapper: None,
        progress: None,
        bound: None,
        form: Form::Params(params),
        span: closure.inputs_begin.span,
    })
}

/// A closure whose body calls `_(..)`: the body form.
fn body_placeholder(closure: &ExprClosure) -> ArgClass {
    if let Some(asyncness) = &closure.asyncness {
        return ArgClass::Invalid(syn::Error::new(
            asyncness.span,
            "a callback that hands values over with `_(..)` is a plain closure: an API that \
             calls back cannot await an `async` one",
        ));
    }
    ArgClass::Placeholder(Placeholder {
        wrapper: None,
        progress: None,
        bound: None,
        form: Form::Body,
        span: closure.inputs_begin.span,
    })
}

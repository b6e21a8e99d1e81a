//! The Rust form's classifier: among a call's arguments, `_`, `|a, b| _`, or a closure whose body
//! calls `_(value)`, each maybe inside `Ok(..)`, `Err(..)` or `stream(..)`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::spanned::Spanned;
use syn::{Expr, ExprCall, ExprClosure, ReturnType};

use super::found::{Classified, Known, Step, Tag, Wrapper};
use crate::accessor::has_accessor;
use crate::error::Errors;
use crate::flow;
use crate::handover::hands_over;

// Input:  one expression among the call's arguments, or nested in one
// Output: what it is: a placeholder (with its markers), a malformed one, a closure, or other
/// Classifies `expr`; the steps it works out for `expr`'s children on the way go to `known`.
pub fn classify(expr: &mut Expr, known: &mut Known) -> Step {
    match expr {
        Expr::Infer(infer) => {
            Step::Placeholder(Classified::new(infer.underscore_token.span, Tag::Bare))
        }
        Expr::Closure(closure) if has_accessor(closure) => Step::Invalid(syn::Error::new(
            closure.inputs_begin.span,
            "`#[user_data(..)]` says where a C callback reads its user-data pointer: it belongs \
             in the C form, `promisify!(unsafe { api(_, #[user_data(EXPR)] |ctx: *mut T, n: \
             c_int| ..) })`; a Rust callback reaches its promise without one",
        )),
        Expr::Closure(closure) if is_placeholder_body(closure) => closure_placeholder(closure),
        Expr::Closure(closure) => {
            if hands_over(&mut closure.body) {
                body_placeholder(closure)
            } else {
                Step::Closure
            }
        }
        Expr::Call(call) if is_bounded_marker(call) => bounded_progress(call, known),
        Expr::Call(call) if call.args.len() == 1 => marked(call, known),
        _ => Step::Descend,
    }
}

/// A wrapper call around a placeholder.
enum Marker {
    Wrapper(Wrapper),
    Progress,
}

// Input:  Ok(PLACEHOLDER), Err(PLACEHOLDER), stream(PLACEHOLDER)
// Output: the placeholder, marked
fn marked(call: &mut ExprCall, known: &mut Known) -> Step {
    let Expr::Path(path) = &*call.func else {
        return Step::Descend;
    };
    let name = match path.path.get_ident() {
        Some(name) if path.qself.is_none() => name,
        _ => return Step::Descend,
    };
    let marker = if name == "Ok" {
        Marker::Wrapper(Wrapper::Ok)
    } else if name == "Err" {
        Marker::Wrapper(Wrapper::Err)
    } else if name == "stream" {
        Marker::Progress
    } else {
        return Step::Descend;
    };
    let span = name.span();
    let inner = &mut call.args[0];
    let mut placeholder = match classify(inner, known) {
        Step::Placeholder(placeholder) => placeholder,
        Step::Invalid(error) => return Step::Invalid(error),
        other => {
            known.remember(inner, other);
            return Step::Descend;
        }
    };
    let marks = &mut placeholder.marks;
    match marker {
        Marker::Wrapper(_) if marks.wrapper.is_some() => {}
        Marker::Wrapper(wrapper) => {
            marks.wrapper = Some((wrapper, span));
            return Step::Placeholder(placeholder);
        }
        Marker::Progress if marks.progress.is_some() => {}
        Marker::Progress => {
            marks.progress = Some(span);
            return Step::Placeholder(placeholder);
        }
    }
    // Marked twice alike: the outer call is no marker, the inner one is the placeholder.
    known.remember(inner, Step::Placeholder(placeholder));
    Step::Descend
}

/// `stream(PLACEHOLDER, key = value, ..)`: a progress marker with the keys of a bound.
fn is_bounded_marker(call: &ExprCall) -> bool {
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
/// A progress marker with a bound, around a placeholder; anything else is no marker. The bound is
/// parsed here, once.
fn bounded_progress(call: &mut ExprCall, known: &mut Known) -> Step {
    let inner = &mut call.args[0];
    let mut placeholder = match classify(inner, known) {
        Step::Placeholder(placeholder) if placeholder.marks.progress.is_none() => placeholder,
        Step::Invalid(error) => return Step::Invalid(error),
        other => {
            known.remember(inner, other);
            return Step::Descend;
        }
    };
    let mut keys = TokenStream::new();
    for pair in call.args.pairs().skip(1) {
        pair.to_tokens(&mut keys);
    }
    let mut errors = Errors::new();
    let bound = flow::parse_args(keys, call.paren_token.span.join(), &mut errors);
    if let Err(error) = errors.finish() {
        return Step::Invalid(error);
    }
    placeholder.marks.progress = Some(call.func.span());
    placeholder.marks.bound = bound.map(Box::new);
    Step::Placeholder(placeholder)
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

fn closure_placeholder(closure: &ExprClosure) -> Step {
    if let Some(asyncness) = &closure.asyncness {
        return Step::Invalid(syn::Error::new(
            asyncness.span,
            "a callback placeholder is a plain closure: `async` has no meaning here",
        ));
    }
    if let ReturnType::Type(arrow, ty) = &closure.output {
        return Step::Invalid(syn::Error::new_spanned(
            quote!(#arrow #ty),
            "a placeholder written `|..| _` hands its arguments over and returns `()`; for a \
             callback that returns a value to its API, hand the value over from its body and \
             return what the API asks for: `|..| -> T { _(value); answer }`",
        ));
    }
    Step::Placeholder(Classified::new(closure.inputs_begin.span, Tag::Params))
}

/// A closure whose body calls `_(..)`: the body form.
fn body_placeholder(closure: &ExprClosure) -> Step {
    if let Some(asyncness) = &closure.asyncness {
        return Step::Invalid(syn::Error::new(
            asyncness.span,
            "a callback that hands values over with `_(..)` is a plain closure: an API that \
             calls back cannot await an `async` one",
        ));
    }
    Step::Placeholder(Classified::new(closure.inputs_begin.span, Tag::Body))
}

// Input:  `_.into()`, `_ as T`, `a + _` (not visited yet)
// Output: an error for each operand that is a placeholder; every operand's step kept in `known`
/// Reports placeholders used as operands, where a closure would need parentheses.
pub fn check_operands(expr: &mut Expr, known: &mut Known, errors: &mut Errors) {
    for operand in operands(expr) {
        let step = classify(operand, known);
        if let Step::Placeholder(placeholder) = &step {
            errors.push(syn::Error::new(
                placeholder.span,
                "a callback placeholder cannot be an operand (`_.into()`, `_ as T`): pass it as \
                 an argument, or nested in a call like `Box::new(_)`",
            ));
        }
        known.remember(operand, step);
    }
}

/// The operands of an operator expression: where a closure would need parentheses.
fn operands(expr: &mut Expr) -> Vec<&mut Expr> {
    match expr {
        Expr::MethodCall(call) => vec![&mut *call.receiver],
        Expr::Field(field) => vec![&mut *field.base],
        Expr::Cast(cast) => vec![&mut *cast.expr],
        Expr::Binary(binary) => vec![&mut *binary.left, &mut *binary.right],
        Expr::Unary(unary) => vec![&mut *unary.expr],
        Expr::Try(try_expr) => vec![&mut *try_expr.expr],
        Expr::Index(index) => vec![&mut *index.expr, &mut *index.index],
        Expr::Await(await_expr) => vec![&mut *await_expr.base],
        Expr::Call(call) => vec![&mut *call.func],
        _ => Vec::new(),
    }
}

//! Finding the callback placeholders among a call's arguments (`_`, `|a, b| _`, `Ok(_)`,
//! `Err(_)`), rejecting those where none may stand, and replacing each by its generated closure.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Pat, ReturnType};

use crate::error::Errors;

/// One callback placeholder found in the call's arguments.
pub struct Placeholder {
    /// `Ok(..)` or `Err(..)` around it, with the wrapper's span.
    pub wrapper: Option<(Wrapper, Span)>,
    /// `None` for `_` (one argument), or the closure's parameters.
    pub params: Option<Vec<PlaceholderParam>>,
    pub span: Span,
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

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Settlement {
    One,
    OkErr,
}

pub fn check_settlement(
    found: &[Placeholder],
    call: &Expr,
    misplaced: bool,
    errors: &mut Errors,
) -> Settlement {
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
            return Settlement::One;
        }
        errors.push(syn::Error::new_spanned(
            call,
            "this call has no callback placeholder: write `_` where the callback goes (or \
                 `|a, b| _` for a callback of several arguments, `Ok(_)` and `Err(_)` for \
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
            "a second callback placeholder: `promisify!` settles one promise from one \
                 callback; for success and failure callbacks write `Ok(_)` and `Err(_)`",
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
                             an argument of the call (or nested in one, like `Box::new(_)`)",
                    ));
                }
            }
            ArgClass::Other => {
                for operand in operands(expr) {
                    if let ArgClass::Placeholder(found) = classify(operand) {
                        self.errors.push(syn::Error::new(
                            found.span,
                            "a callback placeholder cannot be an operand (`_.into()`, \
                                 `_ as T`): pass it as an argument, or nested in a call like \
                                 `Box::new(_)`",
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

/// Replaces placeholders, in the order `Placeholders` found them, by the generated closures.
pub struct Replacer {
    pub closures: std::vec::IntoIter<TokenStream>,
}

impl VisitMut for Replacer {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match classify(expr) {
            ArgClass::Placeholder(_) => {
                if let Some(closure) = self.closures.next() {
                    *expr = Expr::Verbatim(closure);
                }
            }
            ArgClass::Invalid(_) | ArgClass::Closure => {}
            ArgClass::Other => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
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
            params: None,
            span: infer.underscore_token.span,
        }),
        Expr::Closure(closure) if is_placeholder_body(closure) => closure_placeholder(closure),
        Expr::Closure(_) => ArgClass::Closure,
        Expr::Call(call) if call.args.len() == 1 => {
            let wrapper = match &*call.func {
                Expr::Path(path) if path.qself.is_none() && path.path.is_ident("Ok") => Wrapper::Ok,
                Expr::Path(path) if path.qself.is_none() && path.path.is_ident("Err") => {
                    Wrapper::Err
                }
                _ => return ArgClass::Other,
            };
            match classify(&call.args[0]) {
                ArgClass::Placeholder(mut placeholder) if placeholder.wrapper.is_none() => {
                    let span = call
                        .func
                        .to_token_stream()
                        .into_iter()
                        .next()
                        .map_or(placeholder.span, |t| t.span());
                    placeholder.wrapper = Some((wrapper, span));
                    ArgClass::Placeholder(placeholder)
                }
                ArgClass::Invalid(error) => ArgClass::Invalid(error),
                _ => ArgClass::Other,
            }
        }
        _ => ArgClass::Other,
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
            "a callback placeholder returns `()`: a callback that must return a value cannot \
             settle a promise",
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
        params: Some(params),
        span: closure.inputs_begin.span,
    })
}

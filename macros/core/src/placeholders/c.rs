//! The C form's classifier: in a C-callback block, the C-callback closure, the user data (`_` or
//! `&_`) and the destroy notify (`|_| drop(_)`); and the test that tells a C block from a Rust
//! callback API called in an `unsafe` block.

use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, ExprUnsafe, Pat};

use super::found::{Classified, Step, Tag};
use crate::accessor::has_accessor;
use crate::handover::hands_over;

// Input:  one expression of the block
// Output: what it is: a placeholder, a misplaced `_(..)`, `_ = value`, or other
pub fn classify(expr: &mut Expr) -> Step {
    match expr {
        Expr::Infer(infer) => Step::Placeholder(Classified::new(
            infer.underscore_token.span,
            Tag::UserData { borrowed: false },
        )),
        Expr::Reference(reference) if matches!(&*reference.expr, Expr::Infer(_)) => {
            Step::Placeholder(Classified::new(
                reference.and_token.span,
                Tag::UserData { borrowed: true },
            ))
        }
        Expr::Call(call) if matches!(&*call.func, Expr::Infer(_)) => {
            Step::Invalid(syn::Error::new_spanned(
                &*call,
                "`_(value)` hands a value over from inside the C callback's body; outside it, \
                 `_` is the user-data pointer",
            ))
        }
        Expr::Closure(closure) if is_destroy(closure) => {
            Step::Placeholder(Classified::new(closure.inputs_begin.span, Tag::Destroy))
        }
        Expr::Closure(closure) if bare(&closure.body).is_some() => {
            let bare = bare(&closure.body).map(|infer| infer.underscore_token.span);
            Step::Placeholder(Classified::new(
                closure.inputs_begin.span,
                Tag::CCallback { bare },
            ))
        }
        // `#[user_data(..)]` marks a C callback, whatever its body.
        Expr::Closure(closure) if has_accessor(closure) => Step::Placeholder(Classified::new(
            closure.inputs_begin.span,
            Tag::CCallback { bare: None },
        )),
        // Not a guard: `hands_over` walks the body with a `VisitMut`, which a guard's shared
        // binding cannot give it.
        Expr::Closure(closure) => {
            if hands_over(&mut closure.body) {
                let tag = Tag::CCallback { bare: None };
                Step::Placeholder(Classified::new(closure.inputs_begin.span, tag))
            } else {
                Step::Descend
            }
        }
        // `_ = value;` discards a value: its `_` is no placeholder.
        Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => Step::Assigned,
        _ => Step::Descend,
    }
}

/// `|_| drop(_)`: the destroy notify.
fn is_destroy(closure: &ExprClosure) -> bool {
    let Expr::Call(call) = &*closure.body else {
        return false;
    };
    matches!(&*call.func, Expr::Path(path) if path.qself.is_none() && path.path.is_ident("drop"))
        && call.args.len() == 1
        && matches!(call.args[0], Expr::Infer(_))
}

/// The `_` of a body that is `_` or `{ _ }`.
fn bare(body: &Expr) -> Option<&syn::ExprInfer> {
    match body {
        Expr::Infer(infer) => Some(infer),
        Expr::Block(block) if block.label.is_none() => match block.block.stmts.as_slice() {
            [syn::Stmt::Expr(Expr::Infer(infer), None)] => Some(infer),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `block` is the C form: it holds a C user-data placeholder, `_` or `&_` outside any
/// closure, or a closure shaped like a C callback, whose untyped `_` parameter stands for the user
/// data beside typed ones. Otherwise its closures are Rust callbacks of an API called in an
/// `unsafe` block. Visits `block` in place and changes nothing (syn's `visit` is off, see
/// Cargo.toml).
pub fn is_c_form(block: &mut ExprUnsafe) -> bool {
    struct CForm(bool);
    impl VisitMut for CForm {
        fn visit_expr_mut(&mut self, expr: &mut Expr) {
            match expr {
                Expr::Infer(_) => self.0 = true,
                Expr::Reference(reference) if matches!(&*reference.expr, Expr::Infer(_)) => {
                    self.0 = true;
                }
                // `_ = value;` discards a value: its `_` is no placeholder.
                Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => {
                    self.visit_expr_mut(&mut assign.right);
                }
                Expr::Closure(closure) => self.0 |= is_c_shaped(closure),
                _ => visit_mut::visit_expr_mut(self, expr),
            }
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    let mut found = CForm(false);
    found.visit_block_mut(&mut block.block);
    found.0
}

/// `|_, code: c_int| ..`: an untyped `_` parameter beside typed ones; or a closure marked
/// `#[user_data(..)]`.
fn is_c_shaped(closure: &ExprClosure) -> bool {
    if has_accessor(closure) {
        return true;
    }
    let untyped_wild = closure.inputs.iter().any(|pat| matches!(pat, Pat::Wild(_)));
    let typed = closure.inputs.iter().any(|pat| matches!(pat, Pat::Type(_)));
    untyped_wild && typed
}

//! `_(value)`: how a callback's body hands a value over, in the Rust body form of `promisify!` and
//! in C callbacks alike.

use syn::Expr;
use syn::visit_mut::{self, VisitMut};

/// Whether `expr` calls `_(..)` anywhere, nested closures included; not inside macro calls, whose
/// tokens are not expressions. Visits `expr` in place and changes nothing (syn's `visit` is off,
/// see Cargo.toml).
pub fn hands_over(expr: &mut Expr) -> bool {
    struct HandsOver(bool);
    impl VisitMut for HandsOver {
        fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
            self.0 |= matches!(&*call.func, Expr::Infer(_));
            visit_mut::visit_expr_call_mut(self, call);
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    let mut found = HandsOver(false);
    found.visit_expr_mut(expr);
    found.0
}

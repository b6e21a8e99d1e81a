//! `_(value)`: how a callback's body hands a value over, in the Rust body form of `promisify!` and
//! in C callbacks alike.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
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

// Input:  the arguments of `_(a)`, `_(a, b)` or `_()`, or their types
// Output: a, (a, b), ()
/// What `_(..)` hands over: its one argument, or the tuple of all of them, whose parentheses and
/// commas are at `span`.
pub fn handed_over<T: ToTokens>(
    mut items: impl ExactSizeIterator<Item = T>,
    span: Span,
) -> TokenStream {
    if items.len() == 1 {
        if let Some(one) = items.next() {
            return one.into_token_stream();
        }
    }
    quote_spanned!(span=> (#(#items),*))
}

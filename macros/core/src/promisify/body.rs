//! The body form: the user's own closure, whose body hands values over with `_(value)`, rewritten
//! so that it owns a handle on the promise (or the stream) and delivers to it.
//!
//! The closure becomes `move`: the API may keep it (`'static`), so it must own its handle, and a
//! closure cannot own one value and borrow others. Keeping the user's capture mode with an inner
//! closure called from an outer `move` one would break what rustc infers from the API's bound: an
//! untyped parameter's type, or a factory's return type, so `|entry| { .. e.into_path() .. }`
//! would not compile (E0282). Each closure nested in it that also calls `_(..)` (a factory's
//! products) owns a handle of its own, an `Arc` clone, since it may be made any number of times
//! and run on any thread; the stream ends, or the promise reads as dropped, when the last one is
//! dropped.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, Ident};

use crate::error::Errors;
use crate::handover::{handed_over, hands_over};
use crate::root::Private;

/// Where a placeholder's values go.
#[derive(Clone)]
pub struct Destination<'a> {
    /// The local that owns the settler or sender: `callback`, `ok`, `err` or `progress`.
    pub holder: &'static str,
    /// `holder` is already an `Arc` (the `Ok`/`Err` pair shares one settler).
    pub shared: bool,
    /// `resolve` for a promise, `send` for a stream.
    pub method: &'static str,
    /// `Ok` or `Err` around the value, for a pair.
    pub variant: Option<&'static str>,
    pub private: Private<'a>,
}

/// Whether a closure nested in `expr` calls `_(..)`: then handles are `Arc`s, cloned per closure.
/// Visits `expr` in place and changes nothing (syn's `visit` is off, see Cargo.toml).
fn has_nested_deliveries(expr: &mut Expr) -> bool {
    struct Nested(bool);
    impl VisitMut for Nested {
        fn visit_expr_closure_mut(&mut self, closure: &mut ExprClosure) {
            self.0 |= hands_over(&mut closure.body);
        }
        fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
    }
    let mut nested = Nested(false);
    nested.visit_expr_mut(expr);
    nested.0
}

// Input:  |data: &[u8]| -> Result<usize, WriteError> { _(data.to_vec()); Ok(data.len()) }
// Output: {
//             let callback = callback;
//             move |data: &[u8]| -> Result<usize, WriteError> {
//                 (callback).send(data.to_vec());
//                 Ok(data.len())
//             }
//         }
/// The user's closure, owning a handle on `destination` and delivering each `_(value)` to it.
pub fn rewrite(
    mut closure: ExprClosure,
    destination: &Destination,
    private: Private,
) -> syn::Result<TokenStream> {
    let site = private.site();
    let at = closure.span();
    // Named for what `_` stands for to the user, since rustc names it in an error about the
    // closure: "`stream` captured here" when a plain `fn` is expected (the fix is `static |..|`),
    // "`stream` declared here" when a borrowed value escapes into it.
    let name = match (destination.holder, destination.method) {
        ("progress", _) => "progress",
        (_, "send") => "stream",
        _ => "promise",
    };
    let handle = Ident::new(name, private.local().located_at(at));
    let shared = destination.shared || has_nested_deliveries(&mut closure.body);
    let holder = Ident::new(destination.holder, private.local());
    let owned = if shared && !destination.shared {
        quote_spanned!(site=> #private::Arc::new(#holder))
    } else {
        holder.to_token_stream()
    };
    let mut rewriter = Rewriter {
        handle: &handle,
        shared,
        destination,
        errors: Errors::new(),
    };
    rewriter.rewrite_closure(&mut closure, site);
    rewriter.errors.finish()?;
    Ok(quote_spanned!(site=> { let #handle = #owned; #closure }))
}

/// Rewrites one closure's body: `_(..)` calls into deliveries to `handle`, nested closures that
/// deliver into closures owning a clone of it.
struct Rewriter<'a> {
    handle: &'a Ident,
    /// `handle` is an `Arc` of the settler or sender.
    shared: bool,
    destination: &'a Destination<'a>,
    errors: Errors,
}

impl Rewriter<'_> {
    fn rewrite_closure(&mut self, closure: &mut ExprClosure, site: Span) {
        if closure.capture.is_none() {
            closure.capture = Some(syn::Token![move](
                site.located_at(closure.inputs_begin.span),
            ));
        }
        self.visit_expr_mut(&mut closure.body);
    }

    // Input:  `_(a, b)` at `span`
    // Output: (*handle).resolve(::core::result::Result::Ok((a, b)))
    fn delivery(&self, call: &syn::ExprCall) -> TokenStream {
        let site = self.destination.private.site().located_at(call.func.span());
        let value = handed_over(call.args.iter(), site);
        let value = match self.destination.variant {
            Some(variant) => {
                let variant = Ident::new(variant, site);
                quote_spanned!(site=> ::core::result::Result::#variant(#value))
            }
            None => value,
        };
        let handle = self.handle;
        let place = if self.shared {
            quote_spanned!(site=> (*#handle))
        } else {
            quote_spanned!(site=> (#handle))
        };
        let method = Ident::new(self.destination.method, site);
        quote_spanned!(site=> #place.#method(#value))
    }
}

impl VisitMut for Rewriter<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Call(call) if matches!(&*call.func, Expr::Infer(_)) => {
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
                *expr = Expr::Verbatim(self.delivery(call));
            }
            // Not a guard: `hands_over` walks the body with a `VisitMut`, which a guard's shared
            // binding cannot give it.
            Expr::Closure(closure) => {
                if !hands_over(&mut closure.body) {
                    visit_mut::visit_expr_mut(self, expr);
                    return;
                }
                let site = self.destination.private.site();
                let handle = self.handle;
                let mut nested = Rewriter {
                    handle,
                    shared: true,
                    destination: self.destination,
                    errors: Errors::new(),
                };
                nested.rewrite_closure(closure, site);
                self.errors.append(nested.errors);
                let private = self.destination.private;
                *expr = Expr::Verbatim(quote_spanned!(site=> {
                    let #handle = #private::Arc::clone(&#handle);
                    #closure
                }));
            }
            Expr::Infer(infer) => self.errors.push(syn::Error::new(
                infer.underscore_token.span,
                "`_` in a callback's body is no value: hand a value over with `_(value)`, or \
                 `_()` for none",
            )),
            // `_ = value;` discards a value: its `_` is no placeholder.
            Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => {
                self.visit_expr_mut(&mut assign.right);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    // Tokens of a macro call are not expressions: `_(..)` there is not rewritten.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

//! The one placeholder engine, for the Rust form of `promisify!` and the C form (`promisify!(unsafe
//! { .. })`, `#[callback_async(param: placeholder)]`).
//!
//! One walk finds the placeholders: each expression is classified once, by its language's
//! classifier (`rust`, `c`); each placeholder is taken out of the tree, recorded in the order
//! found (its index), and its place left as a slot. The form reads the records and makes one
//! replacement per index, which `fill` writes into the slots, in order, without classifying
//! anything again.

mod c;
mod found;
mod rust;

use proc_macro2::TokenStream;
use syn::visit_mut::{self, VisitMut};
use syn::{Block, Expr};

use crate::error::Errors;
use found::{Known, Step};

pub use c::is_c_form;
pub use found::{Found, Wrapper, Written};

/// Which placeholders a walk looks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Language {
    /// Rust callbacks, among a call's arguments.
    Rust,
    /// A C callback, its user data and destroy notify, in an `unsafe` block.
    C,
}

/// Where the placeholders are.
pub enum Scope<'a> {
    /// The arguments of a call or method call.
    Args(&'a mut Expr),
    /// The whole expression.
    Expr(&'a mut Expr),
    /// The statements of a block.
    Block(&'a mut Block),
}

impl Scope<'_> {
    fn visit(self, visitor: &mut impl VisitMut) {
        match self {
            Scope::Args(Expr::Call(call)) => call.args.iter_mut().for_each(|arg| {
                visitor.visit_expr_mut(arg);
            }),
            Scope::Args(Expr::MethodCall(call)) => call.args.iter_mut().for_each(|arg| {
                visitor.visit_expr_mut(arg);
            }),
            Scope::Args(_) => {}
            Scope::Expr(expr) => visitor.visit_expr_mut(expr),
            Scope::Block(block) => visitor.visit_block_mut(block),
        }
    }
}

// Input:  pool.execute(Ok(|a: &str| _), Err(_))
// Output: pool.execute(SLOT, SLOT), and the two placeholders, in this order
/// Takes the placeholders of `language` out of `scope`, in visiting order, leaving a slot for each;
/// malformed ones and placeholders where none may stand are in the errors.
pub fn find(language: Language, scope: Scope) -> (Vec<Found>, Errors) {
    let mut finder = Finder {
        language,
        found: Vec::new(),
        errors: Errors::new(),
        known: Known::default(),
    };
    scope.visit(&mut finder);
    (finder.found, finder.errors)
}

/// Reports each placeholder in `scope`, where none may stand, with `message`.
pub fn forbid(language: Language, scope: Scope, message: &str, errors: &mut Errors) {
    let (found, _) = find(language, scope);
    for found in found {
        errors.push(syn::Error::new(found.span, message));
    }
}

/// Writes `replacements` into the slots `find` left in `scope`, the `n`-th into the `n`-th.
pub fn fill(scope: Scope, replacements: Vec<TokenStream>) {
    let mut filler = Filler {
        left: replacements.len(),
        replacements: replacements.into_iter(),
    };
    scope.visit(&mut filler);
}

struct Finder {
    language: Language,
    found: Vec<Found>,
    errors: Errors,
    known: Known,
}

// A `VisitMut` that changes nothing but the placeholders it takes out.
impl VisitMut for Finder {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        let step = match self.known.take(expr) {
            Some(step) => step,
            None => match self.language {
                Language::Rust => rust::classify(expr, &mut self.known),
                Language::C => c::classify(expr),
            },
        };
        match step {
            Step::Placeholder(classified) => {
                let taken = std::mem::replace(expr, slot());
                self.found.push(classified.record(taken));
            }
            Step::Invalid(error) => self.errors.push(error),
            Step::Closure => {
                if let Expr::Closure(closure) = expr {
                    forbid(
                        self.language,
                        Scope::Expr(&mut closure.body),
                        "a callback placeholder cannot be inside a closure's body: it must be an \
                         argument of the call (or nested in one, like `Box::new(_)`); to hand a \
                         value over from a closure's body, call `_(value)`",
                        &mut self.errors,
                    );
                }
            }
            Step::Assigned => {
                if let Expr::Assign(assign) = expr {
                    self.visit_expr_mut(&mut assign.right);
                }
            }
            Step::Descend => {
                if self.language == Language::Rust {
                    rust::check_operands(expr, &mut self.known, &mut self.errors);
                }
                visit_mut::visit_expr_mut(self, expr);
            }
        }
    }

    // Tokens of a macro call are not expressions: leave them alone.
    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

/// The slot a placeholder leaves: an empty verbatim expression, which parsing never makes.
fn slot() -> Expr {
    Expr::Verbatim(TokenStream::new())
}

fn is_slot(expr: &Expr) -> bool {
    matches!(expr, Expr::Verbatim(tokens) if tokens.is_empty())
}

struct Filler {
    replacements: std::vec::IntoIter<TokenStream>,
    /// Slots not filled yet: the walk stops at none.
    left: usize,
}

impl VisitMut for Filler {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if self.left == 0 {
            return;
        }
        if is_slot(expr) {
            if let Some(replacement) = self.replacements.next() {
                *expr = Expr::Verbatim(replacement);
                self.left -= 1;
            }
            return;
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

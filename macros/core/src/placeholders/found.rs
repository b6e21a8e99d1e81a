//! What the placeholder engine records: each placeholder as its language's classifier saw it, and
//! the step the walk takes at each expression.

use proc_macro2::Span;
use syn::{Expr, ExprClosure, Pat, Type};

use crate::flow::Bound;

/// One placeholder, taken out of the tree; the `n`-th found fills the `n`-th slot.
pub struct Found {
    /// Where errors about it point: the `_`, the `&`, or the closure's first `|`.
    pub span: Span,
    pub marks: Marks,
    pub written: Written,
}

/// The markers around a Rust placeholder (none in a C block).
#[derive(Default)]
pub struct Marks {
    /// `Ok(..)` or `Err(..)` around it, with the wrapper's span.
    pub wrapper: Option<(Wrapper, Span)>,
    /// `stream(..)` around it, with the marker's span: the progress callback of a call whose
    /// other placeholder settles the promise.
    pub progress: Option<Span>,
    /// `stream(_, bound = N, ..)`'s bound: the progress stream's (boxed: most placeholders have
    /// none).
    pub bound: Option<Box<Bound>>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    Ok,
    Err,
}

/// How a placeholder is written, with what its form reads of it.
pub enum Written {
    /// Rust `_`: a callback of one argument, handed over as it is.
    Bare,
    /// Rust `|a, b: &str| _`: its arguments' types where written, handed over as a tuple
    /// (borrowed ones made owned), but for those written `_` or `_: T`.
    Params(Vec<Param>),
    /// A Rust closure of the user's whose body hands values over with `_(value)`.
    Body(Box<ExprClosure>),
    /// C `_` (given) or `&_` (lent): the user-data pointer.
    UserData { borrowed: bool },
    /// The C callback: a closure whose body hands a value over with `_(value)`, or is `_` (then
    /// `bare` is that `_`'s span).
    CCallback {
        closure: Box<ExprClosure>,
        bare: Option<Span>,
    },
    /// The C destroy notify, `|_| drop(_)`.
    Destroy(Box<ExprClosure>),
}

/// What a classifier says of one expression, and so what the walk does there.
pub enum Step {
    /// A placeholder: the walk takes it out, records it, and leaves a slot.
    Placeholder(Classified),
    /// A malformed placeholder: reported, and not visited further.
    Invalid(syn::Error),
    /// A Rust closure that is no placeholder: a placeholder in its body is reported.
    Closure,
    /// C `_ = value`, which discards a value: only the value is visited.
    Assigned,
    /// Anything else: its children are visited.
    Descend,
}

/// A placeholder as classified, before it is taken out.
pub struct Classified {
    pub span: Span,
    pub marks: Marks,
    pub tag: Tag,
}

/// Which `Written` a taken placeholder becomes.
#[derive(Clone, Copy)]
pub enum Tag {
    Bare,
    Params,
    Body,
    UserData { borrowed: bool },
    CCallback { bare: Option<Span> },
    Destroy,
}

impl Classified {
    pub fn new(span: Span, tag: Tag) -> Self {
        Classified {
            span,
            marks: Marks::default(),
            tag,
        }
    }

    // Input:  the placeholder's expression, taken out of the tree: `Ok(|a: &str| _)`
    // Output: Found { written: Params([Some(&str)]), .. }
    /// The record of the placeholder, from its own expression: the closure is moved out of it
    /// rather than copied.
    pub fn record(self, taken: Expr) -> Found {
        let closure = || innermost_closure(taken).map(Box::new);
        let written = match self.tag {
            Tag::Bare => Some(Written::Bare),
            Tag::UserData { borrowed } => Some(Written::UserData { borrowed }),
            Tag::Params => closure().map(|closure| Written::Params(param_types(*closure))),
            Tag::Body => closure().map(Written::Body),
            Tag::CCallback { bare } => {
                closure().map(|closure| Written::CCallback { closure, bare })
            }
            Tag::Destroy => closure().map(Written::Destroy),
        };
        Found {
            span: self.span,
            marks: self.marks,
            // Classified as a closure, so one is there: `Bare` only to never panic.
            written: written.unwrap_or(Written::Bare),
        }
    }
}

/// The closure inside `Ok(..)`, `Err(..)` and `stream(..)` markers (`stream(|..| {..}, bound =
/// N)` too).
fn innermost_closure(expr: Expr) -> Option<ExprClosure> {
    match expr {
        Expr::Closure(closure) => Some(closure),
        Expr::Call(call) => call.args.into_iter().next().and_then(innermost_closure),
        _ => None,
    }
}

/// A parameter of a Rust `|a, b: &str| _` placeholder.
pub struct Param {
    /// Its type, where written.
    pub ty: Option<Type>,
    /// Written `_` or `_: T`: the callback takes the argument, and hands it not over (as a C
    /// callback whose body is `_` leaves out its `_: T` arguments).
    pub ignored: bool,
}

fn param_types(closure: ExprClosure) -> Vec<Param> {
    closure
        .inputs
        .into_iter()
        .map(|pat| match pat {
            Pat::Type(typed) => Param {
                ignored: matches!(*typed.pat, Pat::Wild(_)),
                ty: Some(*typed.ty),
            },
            pat => Param {
                ignored: matches!(pat, Pat::Wild(_)),
                ty: None,
            },
        })
        .collect()
}

/// Steps already computed for expressions the walk will reach later, so that none is classified
/// twice: the operand of an operator checked at its parent, the argument of an `Ok(..)` that
/// holds no placeholder. Keyed by address, compared and never read through; each entry is taken
/// when the walk reaches its expression, which it always does (they are children of the
/// expression being visited).
#[derive(Default)]
pub struct Known(Vec<(*const Expr, Step)>);

impl Known {
    pub fn remember(&mut self, expr: &Expr, step: Step) {
        self.0.push((expr, step));
    }

    pub fn take(&mut self, expr: &Expr) -> Option<Step> {
        let position = self
            .0
            .iter()
            .position(|(known, _)| std::ptr::eq(*known, expr))?;
        Some(self.0.swap_remove(position).1)
    }
}

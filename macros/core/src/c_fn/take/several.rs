//! Several C callbacks in one block, sharing the one user-data pointer: each is read as the first
//! is, and replaced by a local of its own.

use proc_macro2::Span;
use syn::ExprClosure;

use super::{CClosure, callback_of};
use crate::error::Errors;
use crate::root::Private;

/// How many C callbacks one user data may serve: the runtime's `CallSharedAt` is written for as
/// many.
const MOST: usize = 6;

/// Reads every callback placeholder: the first, and the others.
pub fn read(
    found: Vec<(Box<ExprClosure>, Option<Span>)>,
    errors: &mut Errors,
    private: Private,
) -> (Option<CClosure>, Vec<CClosure>) {
    let mut read = Vec::with_capacity(found.len());
    for (index, (closure, bare)) in found.into_iter().enumerate() {
        if index == MOST {
            errors.push(syn::Error::new(
                closure.inputs_begin.span,
                "too many C callbacks behind one user data: one block takes at most 6",
            ));
        }
        if let Some(asyncness) = closure.asyncness {
            errors.push(syn::Error::new(
                asyncness.span,
                "a C callback placeholder is a plain closure: C cannot await",
            ));
            continue;
        }
        read.extend(errors.keep(callback_of(*closure, bare, false, private, false)));
    }
    let mut read = read.into_iter();
    (read.next(), read.collect())
}

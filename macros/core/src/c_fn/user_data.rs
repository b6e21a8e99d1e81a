//! Where a C callback finds its user-data pointer, checked: one parameter written `_` (or
//! `Struct { field: _ }`), or none and an accessor, `#[user_data(EXPR)]`.

use quote::ToTokens;
use syn::{ExprClosure, ExprUnsafe};

use crate::accessor::{self, Accessor, FORM};
use crate::error::Errors;

// Input:  #[user_data(sqlite3_user_data(ctx))] |ctx: *mut sqlite3_context, n: c_int| ..
// Output: the closure without the attribute, and the accessor
/// Takes the accessor off a closure placeholder; a destroy notify has none (C hands it the
/// pointer itself).
pub fn take_accessor(
    closure: &mut ExprClosure,
    destroy: bool,
    errors: &mut Errors,
) -> Option<Accessor> {
    let accessor = errors.keep(accessor::take(closure)).flatten()?;
    if destroy {
        errors.push(syn::Error::new(
            accessor.span,
            "a destroy notify is handed the user-data pointer itself: write it `|_| drop(_)`, \
             without `#[user_data(..)]`",
        ));
        return None;
    }
    Some(accessor)
}

/// The error of a callback whose parameters do not carry its user data the way it says: one
/// `_` parameter, or none beside an accessor.
pub fn count_error(
    accessor: Option<&Accessor>,
    user_data: usize,
    closure: &ExprClosure,
) -> Option<syn::Error> {
    let message = match (accessor, user_data) {
        (None, 1) | (Some(_), 0) => return None,
        (Some(accessor), _) => {
            return Some(syn::Error::new(
                accessor.span,
                format!(
                    "this C callback reads its user data with `#[user_data(..)]` and also has a \
                     `_` user-data parameter: write one of the two; with the accessor, every \
                     parameter has its C type: {FORM}"
                ),
            ));
        }
        (None, 0) => format!(
            "this C callback has no user-data parameter: write the parameter that carries the \
             user data as `_`, without a type (`|_, n: c_int| ..`); where C hands it back only \
             through an accessor, say which: {FORM}"
        ),
        (None, _) => "this C callback has several user-data parameters: only the one that \
                      carries the user data is written `_` without a type; give the others \
                      their C types"
            .to_owned(),
    };
    Some(syn::Error::new_spanned(closure.to_token_stream(), message))
}

/// The error of a block with a C callback (reading its pointer through `accessor`, if any) and no
/// user-data placeholder.
pub fn missing_error(accessor: Option<&Accessor>, block: &ExprUnsafe) -> syn::Error {
    if let Some(accessor) = accessor {
        return syn::Error::new(
            accessor.span,
            "this C callback reads its user data with `#[user_data(..)]`, which gives back the \
             pointer the call was given: write `_` where the call takes that `void *` (as \
             `sqlite3_create_function_v2(db, name, n, flags, _, Some(#[user_data(..)] |ctx: \
             .., ..| ..), None, None, Some(|_| drop(_)))`)",
        );
    }
    syn::Error::new_spanned(
        block,
        "this block has no user-data placeholder: write `_` where the call takes the \
         callback's `void *` user data (or `&_` if C uses it only during the call); it is \
         taken for the C form because its closure has an untyped `_` parameter beside typed \
         ones, C's user data: for a Rust callback that ignores an argument, name it \
         (`|_unused, n: i32| ..`)",
    )
}

//! Several user-data pointers in one call, each handed back to its own C callback: which
//! callback gets which pointer. They pair by position, the `n`-th C callback (and the `n`-th
//! destroy notify, if any) with the `n`-th `_`, in the order written; a call whose placeholders
//! do not pair so is reported with the form to write.

use proc_macro2::Span;

use crate::error::Errors;

/// What the errors show.
const FORM: &str = "with several user-data placeholders, the n-th C callback is handed back the \
                    n-th `_`, in the order written: `register(|_, a: c_int| _(a), _, |_, b: \
                    c_int| _(b), _)`";

/// A user-data placeholder: where it is, and whether it is lent (`&_`).
pub type UserData = (Span, bool);

// Input:  the spans of the C callbacks, destroy notifies and user data of a call with several `_`
// Output: an error for each that does not pair
/// Checks that a call with several user-data placeholders pairs them with its callbacks (and
/// destroy notifies) one to one, and that they are all given (`_`) or all lent (`&_`).
pub fn check(callbacks: &[Span], destroys: &[Span], user_data: &[UserData], errors: &mut Errors) {
    let pointers = user_data.len();
    for (span, _) in user_data.iter().skip(callbacks.len()) {
        errors.push(syn::Error::new(
            *span,
            format!(
                "this user-data placeholder has no C callback to be handed back to ({} C \
                 callback placeholders, {pointers} user-data placeholders); {FORM}",
                callbacks.len()
            ),
        ));
    }
    for span in callbacks.iter().skip(pointers) {
        errors.push(syn::Error::new(
            *span,
            format!(
                "this C callback has no user-data placeholder of its own ({} C callback \
                 placeholders, {pointers} user-data placeholders); {FORM}",
                callbacks.len()
            ),
        ));
    }
    if !destroys.is_empty() && destroys.len() != pointers {
        errors.push(syn::Error::new(
            destroys[0],
            format!(
                "destroy notifies and user-data placeholders do not pair ({} and {pointers}): \
                 each pointer has its own, the n-th `|_| drop(_)` freeing the n-th `_`; write \
                 one per `_`, or none",
                destroys.len()
            ),
        ));
    }
    let lent = user_data.iter().filter(|(_, lent)| *lent).count();
    if let Some((span, _)) = user_data
        .iter()
        .find(|(_, lent)| *lent)
        .filter(|_| lent < pointers)
    {
        errors.push(syn::Error::new(
            *span,
            "the user data of one call is all given (`_`) or all lent (`&_`): C frees them alike \
             (by the calls, the destroy notifies or a `Registration`), or uses them only while \
             the block runs",
        ));
    }
    if let (Some(destroy), true) = (destroys.first(), lent > 0) {
        errors.push(syn::Error::new(
            *destroy,
            "a destroy notify frees user data given to C with `_`; `&_` lends it only while the \
             block runs, and frees it afterwards",
        ));
    }
}

/// `name` for the first of its kind, `name_2` for the second, ..: the generated locals of each
/// pointer.
pub fn numbered(name: &str, number: usize) -> String {
    if number > 1 {
        format!("{name}_{number}")
    } else {
        name.to_owned()
    }
}

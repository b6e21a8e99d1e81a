//! What the placeholders of one `promisify!` call settle together, checked from the engine's
//! records: one callback, an `Ok(_)`/`Err(_)` pair, or a completion with a `stream(..)` progress
//! callback.

use syn::Expr;

use crate::error::Errors;
use crate::placeholders::{Found, Wrapper};
use crate::selection::Selection;

/// Checks how many placeholders of each kind the call has, and what they settle together.
pub fn check_selection(
    found: &[Found],
    call: &Expr,
    misplaced: bool,
    stream: bool,
    errors: &mut Errors,
) -> Selection<()> {
    let (progress, completion): (Vec<&Found>, Vec<&Found>) =
        found.iter().partition(|p| p.marks.progress.is_some());
    if stream {
        for marked in &progress {
            errors.push(syn::Error::new(
                marked.marks.progress.unwrap_or(marked.span),
                "`stream(..)` marks the progress callback of a call that settles a promise; in \
                 `promisify!(stream ..)` every placeholder's calls are already items: remove \
                 `stream(..)`",
            ));
        }
        return check_completion(&found.iter().collect::<Vec<_>>(), call, misplaced, errors);
    }
    let Some(first) = progress.first() else {
        return check_completion(&completion, call, misplaced, errors);
    };
    for extra in progress.iter().skip(1) {
        errors.push(syn::Error::new(
            extra.marks.progress.unwrap_or(extra.span),
            "a second progress placeholder: a call reports its progress to one stream",
        ));
    }
    if let Some((_, span)) = first.marks.wrapper {
        errors.push(syn::Error::new(
            span,
            "`stream(..)` goes around the progress callback's placeholder itself, not inside \
             `Ok(..)` or `Err(..)`",
        ));
    }
    if completion.is_empty() {
        errors.push(syn::Error::new(
            first.marks.progress.unwrap_or(first.span),
            "`stream(..)` marks a progress callback, which pairs with the placeholder of the \
             completion callback (`_`); for a callback whose every call is an item, write \
             `promisify!(stream ..)` instead",
        ));
        return Selection::WithProgress((), ());
    }
    if let Some(paired) = completion.iter().find(|p| p.marks.wrapper.is_some()) {
        errors.push(syn::Error::new(
            paired.marks.wrapper.map_or(paired.span, |(_, span)| span),
            "a progress stream pairs with one completion callback, not with an `Ok(_)`/`Err(_)` \
             pair: hand the `Result` over from one callback, `|r: Result<T, E>| _`",
        ));
    }
    check_completion(&completion, call, misplaced, errors);
    Selection::WithProgress((), ())
}

fn check_completion(
    found: &[&Found],
    call: &Expr,
    misplaced: bool,
    errors: &mut Errors,
) -> Selection<()> {
    let (mut plain, mut oks, mut errs) = (Vec::new(), Vec::new(), Vec::new());
    for &placeholder in found {
        match placeholder.marks.wrapper {
            None => plain.push(placeholder),
            Some((Wrapper::Ok, _)) => oks.push(placeholder),
            Some((Wrapper::Err, _)) => errs.push(placeholder),
        }
    }
    if found.is_empty() {
        if misplaced {
            return Selection::One(());
        }
        errors.push(syn::Error::new_spanned(
            call,
            "this call has no callback placeholder: write `_` where the callback goes (or \
             `|a, b| _` for a callback of several arguments, a closure whose body calls \
             `_(value)` for one that returns a value to its API, `Ok(_)` and `Err(_)` for \
             success and failure callbacks)",
        ));
        return Selection::One(());
    }
    if !oks.is_empty() || !errs.is_empty() {
        for extra in plain
            .iter()
            .chain(oks.iter().skip(1))
            .chain(errs.iter().skip(1))
        {
            errors.push(syn::Error::new(
                extra.marks.wrapper.map_or(extra.span, |(_, span)| span),
                "a second callback placeholder: `promisify!` settles one promise, from one \
                 callback or from one `Ok(_)`/`Err(_)` pair",
            ));
        }
        match (oks.first(), errs.first()) {
            (Some(ok), None) => errors.push(syn::Error::new(
                ok.marks.wrapper.map_or(ok.span, |(_, span)| span),
                "`Ok(_)` needs an `Err(_)` placeholder for the failure callback",
            )),
            (None, Some(err)) => errors.push(syn::Error::new(
                err.marks.wrapper.map_or(err.span, |(_, span)| span),
                "`Err(_)` needs an `Ok(_)` placeholder for the success callback",
            )),
            _ => {}
        }
        return Selection::OkErr((), ());
    }
    for extra in plain.iter().skip(1) {
        errors.push(syn::Error::new(
            extra.span,
            "a second callback placeholder: `promisify!` settles one promise from one callback \
             (for success and failure callbacks write `Ok(_)` and `Err(_)`; for a progress \
             callback beside the completion, mark it `stream(..)`)",
        ));
    }
    Selection::One(())
}

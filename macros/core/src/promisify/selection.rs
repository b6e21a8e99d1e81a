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
        let all = found.iter().collect::<Vec<_>>();
        return check_completion(&all, call, misplaced, true, errors);
    }
    let Some(first) = progress.first() else {
        return check_completion(&completion, call, misplaced, false, errors);
    };
    for marked in progress.iter().filter(|p| p.marks.wrapper.is_some()) {
        errors.push(syn::Error::new(
            marked.marks.wrapper.map_or(marked.span, |(_, span)| span),
            "`stream(..)` goes around the progress callback's placeholder itself, not inside \
             `Ok(..)` or `Err(..)`",
        ));
    }
    // Several `stream(..)` callbacks without a completion: one stream each, nothing to settle.
    if completion.is_empty() && progress.len() > 1 {
        return Selection::WithProgress((), ());
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
    check_completion(&completion, call, misplaced, false, errors);
    Selection::WithProgress((), ())
}

/// The placeholders that settle the promise (or, with `stream`, feed the stream): one, an
/// `Ok(_)`/`Err(_)` pair, or several in the body form (any kind with `stream`).
fn check_completion(
    found: &[&Found],
    call: &Expr,
    misplaced: bool,
    stream: bool,
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
    if plain.len() > 1 && !stream {
        super::many::check_several(&plain, errors);
    }
    Selection::One(())
}

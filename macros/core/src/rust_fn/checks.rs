//! What the Rust form rejects before planning anything: options that do not apply, signatures it
//! cannot wrap, and callbacks whose bounds or arguments the generated callback cannot meet.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;
use syn::{FnArg, Ident, ReturnType, Signature};

use crate::callback::{self, Chosen, Kind, TypeSyntax};
use crate::error::Errors;
use crate::generics;
use crate::options::{Options, Scope};
use crate::owned::Delivery;
use crate::root::{Private, Root};
use crate::selection::Selection;
use crate::signature::returned_type;

/// A signature that passed the checks: its callback(s) and what each delivers.
pub struct Checked<'a> {
    pub selection: Selection<Chosen<'a>>,
    /// One per callback of the selection, in its order (`ok` before `err`).
    pub deliveries: Vec<Delivery<'a>>,
    pub private: Private<'a>,
}

impl<'a> Checked<'a> {
    /// The chosen callbacks, each with its slot in `deliveries`.
    pub fn chosen(&self) -> Vec<(usize, &Chosen<'a>)> {
        match &self.selection {
            Selection::One(one) => vec![(0, one)],
            Selection::OkErr(ok, err) | Selection::WithProgress(ok, err) => {
                vec![(0, ok), (1, err)]
            }
        }
    }
}

/// Checks `sig` under `options`, collecting every problem.
pub fn check<'a>(sig: &'a Signature, options: &'a Options) -> syn::Result<Checked<'a>> {
    let mut errors = Errors::new();
    check_options(sig, options, &mut errors);
    let selection = match callback::select(sig, options) {
        Ok(selection) => selection,
        Err(error) => {
            errors.push(error);
            errors.finish()?;
            unreachable!("an error was pushed")
        }
    };
    let chosen: Vec<&Chosen> = match &selection {
        Selection::One(one) => vec![one],
        Selection::OkErr(ok, err) | Selection::WithProgress(ok, err) => vec![ok, err],
    };
    for one in &chosen {
        check_shape(sig, one, &mut errors);
    }
    if let Some(stream) = &options.stream {
        check_stream(sig, options, stream.key, &selection, &mut errors);
    }
    if let Selection::WithProgress(_, progress) = &selection {
        check_progress(sig, options, progress, &mut errors);
    }
    let private = Private::new(Root::from_option(options.krate.as_ref().map(|k| &k.value)));
    let deliveries: Vec<Delivery<'a>> = chosen
        .iter()
        .filter_map(|one| errors.keep(Delivery::new(&one.shape, private)))
        .collect();
    errors.finish()?;
    Ok(Checked {
        selection,
        deliveries,
        private,
    })
}

fn check_options(sig: &Signature, options: &Options, errors: &mut Errors) {
    options.reject_outside(Scope::RustFn, errors);
    if let Some(asyncness) = &sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span,
            "`#[callback_async]` goes on a callback-taking function; this one is already \
             `async`, so await it directly",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        errors.push(syn::Error::new(
            variadic.dots.spans[0],
            "variadic functions are not supported",
        ));
    }
    if let Some(name) = options.name.as_ref().filter(|name| name.value == sig.ident) {
        errors.push(syn::Error::new(
            name.value.span(),
            "`name` must differ from the function's own name: the original is kept beside the \
             generated function",
        ));
    }
    if let Some(cancel) = &options.cancel {
        if returned_type(sig).is_none() {
            errors.push(syn::Error::new(
                cancel.key,
                "`cancel` needs the function to return a handle to the operation, which `cancel` \
                 receives when the promise is dropped early; this one returns `()`",
            ));
        }
    }
}

fn check_stream(
    sig: &Signature,
    options: &Options,
    key: Span,
    selection: &Selection<Chosen<'_>>,
    errors: &mut Errors,
) {
    match selection {
        Selection::OkErr(..) => errors.push(syn::Error::new(
            key,
            "`stream` takes one callback, whose calls become the items; it does not combine with \
             `ok`/`err`",
        )),
        Selection::WithProgress(..) => errors.push(syn::Error::new(
            key,
            "`stream` takes one callback, whose calls become the items; with `progress`, the \
             progress callback's calls are a stream already, beside the completion's promise: \
             remove `stream`",
        )),
        Selection::One(one) if one.shape.kind == Kind::Once => {
            let FnArg::Typed(typed) = &sig.inputs[one.index] else {
                return;
            };
            errors.push(syn::Error::new_spanned(
                &typed.ty,
                "`stream` needs a callback that can be called many times (`FnMut` or `Fn`): an \
                 `FnOnce` callback fires at most once, so await a promise instead (remove \
                 `stream`)",
            ));
        }
        Selection::One(_) => {}
    }
    options.reject_outside(Scope::Stream, errors);
}

/// A progress callback fires many times, and its stream ends with the completion, which no
/// fallback or cancel hook replaces.
fn check_progress(sig: &Signature, options: &Options, progress: &Chosen, errors: &mut Errors) {
    if progress.shape.kind == Kind::Once {
        if let FnArg::Typed(typed) = &sig.inputs[progress.index] {
            errors.push(syn::Error::new_spanned(
                &typed.ty,
                "`progress` needs a callback that can be called many times (`FnMut` or `Fn`): an \
                 `FnOnce` callback reports at most once",
            ));
        }
    }
    options.reject_outside(Scope::Progress, errors);
}

fn check_shape(sig: &Signature, chosen: &Chosen, errors: &mut Errors) {
    for bound in &chosen.shape.unsupported {
        errors.push(syn::Error::new_spanned(
            &bound.path,
            format!(
                "the callback must implement `{}`, which the generated callback cannot: it \
                 implements the closure trait, `Send`, `Sync` and `Unpin` only",
                bound.path.to_token_stream().to_string().replace(' ', "")
            ),
        ));
    }
    if let TypeSyntax::TypeParam(param) = &chosen.shape.syntax {
        if let Some(place) = other_use(sig, chosen.index, param) {
            errors.push(syn::Error::new_spanned(
                place,
                format!(
                    "the callback's type parameter `{param}` is also used here, so the async \
                     version cannot choose it; give the callback a type parameter of its own"
                ),
            ));
        }
    }
}

/// Where, besides its own parameter and bounds, the callback's type parameter is named.
fn other_use(sig: &Signature, index: usize, param: &Ident) -> Option<TokenStream> {
    let inputs = sig
        .inputs
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != index)
        .map(|(_, arg)| arg.to_token_stream());
    let output = match &sig.output {
        ReturnType::Type(_, ty) => Some(ty.to_token_stream()),
        ReturnType::Default => None,
    };
    let other_params = sig
        .generics
        .params
        .iter()
        .filter_map(|generic| match generic {
            syn::GenericParam::Type(ty) if ty.ident == *param => None,
            other => Some(other.to_token_stream()),
        });
    let predicates = sig
        .generics
        .where_clause
        .iter()
        .flat_map(|clause| &clause.predicates)
        .filter_map(|predicate| match predicate {
            syn::WherePredicate::Type(pred) if callback::bounds_param(&pred.bounded_ty, param) => {
                None
            }
            other => Some(other.to_token_stream()),
        });
    inputs
        .chain(output)
        .chain(other_params)
        .chain(predicates)
        .find(|tokens| mentions(tokens, param))
}

fn mentions(item: &impl ToTokens, name: &Ident) -> bool {
    let mut names = BTreeSet::new();
    generics::names(item.to_token_stream(), &mut names);
    names.contains(&name.to_string())
}

//! Finding the callback parameter of a signature and classifying it: which closure trait, how its
//! type is written, which bounds. What its arguments become is `owned`'s job.

use syn::{
    FnArg, GenericArgument, Generics, Ident, Pat, PathArguments, ReturnType, Signature, TraitBound,
    Type, TypeParamBound, WherePredicate,
};

use crate::options::{Options, Spanned};
use crate::selection::Selection;

/// Which closure trait the legacy function asks for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Once,
    Mut,
    Shared,
}

/// How the callback's type is written.
#[derive(Clone)]
pub enum TypeSyntax {
    /// `impl FnOnce(A) + …`
    ImplTrait,
    /// `F` with `F: FnOnce(A)` among the generics.
    TypeParam(Ident),
    /// `Box<dyn FnOnce(A) + …>`
    BoxDyn,
}

/// A parameter whose type is a callback type (see [`TypeSyntax`]).
#[derive(Clone)]
pub struct Shape<'a> {
    pub kind: Kind,
    pub syntax: TypeSyntax,
    /// The argument types of the callback, as written.
    pub inputs: Vec<&'a Type>,
    /// `Some` when the callback returns something other than `()`: then it is an ordinary argument.
    pub output: Option<&'a Type>,
    /// `Send` or `Sync` among the bounds: the value must then be `Send`.
    pub needs_send: bool,
    pub needs_sync: bool,
    pub needs_static: bool,
    /// Any lifetime among the bounds (`'static`, `'a`): the callback may outlive the call.
    pub lifetime_bound: bool,
    /// Bounds besides the closure trait and `Send`, `Sync`, `Unpin` or a lifetime.
    pub unsupported: Vec<&'a TraitBound>,
}

// Built once per parameter at expansion time: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
enum ParamRole<'a> {
    Callback(Shape<'a>),
    /// A callback that the async version cannot provide (a `fn` pointer, a borrowed closure).
    Rejected(syn::Error),
    Ordinary,
}

/// The callback parameter chosen in a signature.
#[derive(Clone)]
pub struct Chosen<'a> {
    /// Its position in `sig.inputs`.
    pub index: usize,
    pub shape: Shape<'a>,
}

const FN_TRAITS: [&str; 3] = ["FnOnce", "FnMut", "Fn"];

pub fn strip(ty: &Type) -> &Type {
    match ty {
        Type::Group(group) => strip(&group.elem),
        Type::Paren(paren) => strip(&paren.elem),
        _ => ty,
    }
}

/// The name of the parameter at `arg`, if it is a plain identifier.
pub fn param_name(arg: &FnArg) -> Option<&Ident> {
    match arg {
        FnArg::Typed(typed) => match &*typed.pat {
            Pat::Ident(pat) => Some(&pat.ident),
            _ => None,
        },
        FnArg::Receiver(_) => None,
    }
}

fn classify<'a>(ty: &'a Type, generics: &'a Generics) -> ParamRole<'a> {
    match strip(ty) {
        Type::ImplTrait(imp) => shape(imp.bounds.iter(), TypeSyntax::ImplTrait),
        Type::Path(path) if path.qself.is_none() => {
            if let Some(param) = path
                .path
                .get_ident()
                .and_then(|id| type_param(generics, id))
            {
                return shape(
                    param_bounds(generics, param),
                    TypeSyntax::TypeParam(param.clone()),
                );
            }
            match boxed_trait_object(&path.path) {
                Some(bounds) => shape(bounds.iter(), TypeSyntax::BoxDyn),
                None => ParamRole::Ordinary,
            }
        }
        Type::FnPtr(ptr) if returns_unit(&ptr.output) => {
            ParamRole::Rejected(syn::Error::new_spanned(
                ty,
                "a `fn` pointer cannot be the callback: it cannot carry the state that settles the \
             promise; make the legacy function take `impl FnOnce(..)`, a type parameter bounded by \
             one, or `Box<dyn FnOnce(..)>` instead",
            ))
        }
        Type::Reference(reference) if is_closure(&reference.elem, generics) => {
            ParamRole::Rejected(syn::Error::new_spanned(
                ty,
                "a borrowed callback (`&dyn Fn`, `&mut dyn FnMut`, `&impl Fn`) cannot be the \
                 callback: it must not outlive the call, but the promise outlives it; take it by \
                 value (`impl FnOnce(..)`, `Box<dyn FnOnce(..)>`) instead",
            ))
        }
        _ => ParamRole::Ordinary,
    }
}

fn is_closure(ty: &Type, generics: &Generics) -> bool {
    let is_fn = |bound: &TypeParamBound| fn_trait(bound).is_some();
    match strip(ty) {
        Type::TraitObject(obj) => obj.bounds.iter().any(is_fn),
        Type::ImplTrait(imp) => imp.bounds.iter().any(is_fn),
        Type::Path(path) => path
            .path
            .get_ident()
            .and_then(|id| type_param(generics, id))
            .is_some_and(|param| param_bounds(generics, param).any(is_fn)),
        _ => false,
    }
}

fn returns_unit(output: &ReturnType) -> bool {
    match output {
        ReturnType::Default => true,
        ReturnType::Type(_, ty) => matches!(strip(ty), Type::Tuple(t) if t.elems.is_empty()),
    }
}

fn type_param<'a>(generics: &'a Generics, ident: &Ident) -> Option<&'a Ident> {
    generics
        .type_params()
        .map(|param| &param.ident)
        .find(|param| *param == ident)
}

/// The bounds of type parameter `param`, inline and in the where-clause.
pub fn param_bounds<'a>(
    generics: &'a Generics,
    param: &'a Ident,
) -> impl Iterator<Item = &'a TypeParamBound> + 'a {
    let inline = generics
        .type_params()
        .filter(move |p| p.ident == *param)
        .flat_map(|p| p.bounds.iter());
    let predicates = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .filter_map(move |predicate| match predicate {
            WherePredicate::Type(pred) if bounds_param(&pred.bounded_ty, param) => {
                Some(pred.bounds.iter())
            }
            _ => None,
        })
        .flatten();
    inline.chain(predicates)
}

/// Whether `ty` is exactly the type parameter `param`.
pub fn bounds_param(ty: &Type, param: &Ident) -> bool {
    matches!(strip(ty), Type::Path(path) if path.qself.is_none() && path.path.is_ident(param))
}

fn boxed_trait_object(
    path: &syn::Path,
) -> Option<&syn::punctuated::Punctuated<TypeParamBound, syn::Token![+]>> {
    let last = path.segments.last()?;
    if last.ident != "Box" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    let mut types = args.args.iter();
    let (Some(GenericArgument::Type(inner)), None) = (types.next(), types.next()) else {
        return None;
    };
    match strip(inner) {
        Type::TraitObject(obj) => Some(&obj.bounds),
        _ => None,
    }
}

fn fn_trait(bound: &TypeParamBound) -> Option<(Kind, &syn::ParenthesizedGenericArguments)> {
    let TypeParamBound::Trait(trait_bound) = bound else {
        return None;
    };
    let last = trait_bound.path.segments.last()?;
    let kind = match FN_TRAITS.iter().position(|name| last.ident == name)? {
        0 => Kind::Once,
        1 => Kind::Mut,
        _ => Kind::Shared,
    };
    match &last.arguments {
        PathArguments::Parenthesized(args) => Some((kind, args)),
        _ => None,
    }
}

fn shape<'a>(
    bounds: impl Iterator<Item = &'a TypeParamBound>,
    syntax: TypeSyntax,
) -> ParamRole<'a> {
    let mut found = None;
    let mut needs_send = false;
    let mut needs_sync = false;
    let mut needs_static = false;
    let mut lifetime_bound = false;
    let mut unsupported = Vec::new();
    for bound in bounds {
        if let (None, Some((kind, args))) = (&found, fn_trait(bound)) {
            found = Some((kind, args));
            continue;
        }
        match bound {
            TypeParamBound::Lifetime(lifetime) => {
                lifetime_bound = true;
                needs_static |= lifetime.ident == "static";
            }
            TypeParamBound::Trait(trait_bound) => {
                let last = trait_bound.path.segments.last();
                let name = last
                    .map(|segment| segment.ident.to_string())
                    .unwrap_or_default();
                match name.as_str() {
                    "Send" => needs_send = true,
                    "Sync" => {
                        needs_send = true;
                        needs_sync = true;
                    }
                    "Unpin" | "Sized" => {}
                    _ => unsupported.push(trait_bound),
                }
            }
            _ => {}
        }
    }
    let Some((kind, args)) = found else {
        return ParamRole::Ordinary;
    };
    let output = match &args.output {
        output if returns_unit(output) => None,
        ReturnType::Type(_, ty) => Some(&**ty),
        ReturnType::Default => None,
    };
    ParamRole::Callback(Shape {
        kind,
        syntax,
        inputs: args.inputs.iter().map(|arg| &arg.ty).collect(),
        output,
        needs_send,
        needs_sync,
        needs_static,
        lifetime_bound,
        unsupported,
    })
}

fn typed_inputs(sig: &Signature) -> impl Iterator<Item = (usize, &syn::PatType)> {
    sig.inputs
        .iter()
        .enumerate()
        .filter_map(|(index, arg)| match arg {
            FnArg::Typed(typed) => Some((index, typed)),
            FnArg::Receiver(_) => None,
        })
}

/// The parameters that can be the callback: a callback type returning `()`.
pub fn candidates(sig: &Signature) -> Vec<Chosen<'_>> {
    typed_inputs(sig)
        .filter_map(|(index, typed)| match classify(&typed.ty, &sig.generics) {
            ParamRole::Callback(shape) if shape.output.is_none() => Some(Chosen { index, shape }),
            _ => None,
        })
        .collect()
}

/// Chooses the callback(s) of `sig` as `options` say, or explains why none fits.
pub fn select<'a>(sig: &'a Signature, options: &Options) -> syn::Result<Selection<Chosen<'a>>> {
    if let Some(progress) = &options.progress {
        return with_progress(sig, options, progress);
    }
    match (&options.ok, &options.err, &options.callback) {
        (Some(ok), Some(err), callback) => {
            if let Some(callback) = callback {
                return Err(syn::Error::new(
                    callback.key,
                    "`callback` and `ok`/`err` exclude each other: `ok` and `err` already name the callbacks",
                ));
            }
            if ok.value == err.value {
                return Err(syn::Error::new(
                    err.value.span(),
                    "`ok` and `err` must name two different callbacks",
                ));
            }
            let ok = by_name(sig, &ok.value)?;
            let err = by_name(sig, &err.value)?;
            Ok(Selection::OkErr(ok, err))
        }
        (Some(one), None, _) => Err(syn::Error::new(
            one.key,
            "`ok` needs `err`: name the failure callback too, as in `ok = on_success, err = on_error`",
        )),
        (None, Some(one), _) => Err(syn::Error::new(
            one.key,
            "`err` needs `ok`: name the success callback too, as in `ok = on_success, err = on_error`",
        )),
        (None, None, Some(callback)) => by_name(sig, &callback.value).map(Selection::One),
        (None, None, None) => single(sig).map(Selection::One),
    }
}

/// `progress = ..`, with `callback = ..` or the one other callback parameter.
fn with_progress<'a>(
    sig: &'a Signature,
    options: &Options,
    progress: &Spanned<Ident>,
) -> syn::Result<Selection<Chosen<'a>>> {
    if let Some(ok) = options.ok.as_ref().or(options.err.as_ref()) {
        return Err(syn::Error::new(
            ok.key,
            "`progress` pairs with one completion callback, not with `ok`/`err`: name it with \
             `callback = ..`",
        ));
    }
    let reported = by_name(sig, &progress.value)?;
    let done = match &options.callback {
        Some(callback) if callback.value == progress.value => {
            return Err(syn::Error::new(
                callback.value.span(),
                "`callback` and `progress` must name two different callbacks",
            ));
        }
        Some(callback) => by_name(sig, &callback.value)?,
        None => {
            let mut others: Vec<Chosen> = candidates(sig)
                .into_iter()
                .filter(|chosen| chosen.index != reported.index)
                .collect();
            if others.len() != 1 {
                return Err(syn::Error::new(
                    progress.key,
                    "`progress` needs the completion callback too: name it with `callback = ..`",
                ));
            }
            others.remove(0)
        }
    };
    Ok(Selection::WithProgress(done, reported))
}

fn single(sig: &Signature) -> syn::Result<Chosen<'_>> {
    let mut found = candidates(sig);
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => {
            let mut rejected = typed_inputs(sig).filter_map(|(_, typed)| {
                match classify(&typed.ty, &sig.generics) {
                    ParamRole::Rejected(error) => Some(error),
                    _ => None,
                }
            });
            match rejected.next() {
                Some(mut error) => {
                    rejected.for_each(|more| error.combine(more));
                    Err(error)
                }
                None => Err(syn::Error::new(
                    sig.ident.span(),
                    format!(
                        "`{}` has no callback parameter: expected a parameter of type \
                         `impl FnOnce(..)`, `impl FnMut(..)` or `impl Fn(..)`, a type parameter \
                         bounded by one of them, or `Box<dyn FnOnce(..)>`, returning `()`",
                        sig.ident
                    ),
                )),
            }
        }
        _ => {
            let names: Vec<String> = found
                .iter()
                .map(|chosen| match param_name(&sig.inputs[chosen.index]) {
                    Some(name) => format!("`{name}`"),
                    None => format!("parameter {}", chosen.index + 1),
                })
                .collect();
            let example = found
                .iter()
                .find_map(|chosen| param_name(&sig.inputs[chosen.index]))
                .map_or_else(|| "done".to_owned(), ToString::to_string);
            Err(syn::Error::new(
                sig.ident.span(),
                format!(
                    "`{}` has {} callback parameters ({}): choose the one that settles the promise \
                     with `#[callback_async(callback = {example})]`, or name success and failure \
                     callbacks with `ok = .., err = ..`",
                    sig.ident,
                    found.len(),
                    names.join(", "),
                ),
            ))
        }
    }
}

fn by_name<'a>(sig: &'a Signature, name: &Ident) -> syn::Result<Chosen<'a>> {
    let Some((index, typed)) =
        typed_inputs(sig).find(|(index, _)| param_name(&sig.inputs[*index]) == Some(name))
    else {
        let names: Vec<String> = sig
            .inputs
            .iter()
            .filter_map(param_name)
            .map(|name| format!("`{name}`"))
            .collect();
        return Err(syn::Error::new(
            name.span(),
            format!(
                "`{}` has no parameter named `{name}`; its parameters are {}",
                sig.ident,
                if names.is_empty() {
                    "unnamed".to_owned()
                } else {
                    names.join(", ")
                },
            ),
        ));
    };
    match classify(&typed.ty, &sig.generics) {
        ParamRole::Callback(shape) => match &shape.output {
            None => Ok(Chosen { index, shape }),
            Some(output) => Err(syn::Error::new_spanned(
                output,
                format!(
                    "`{name}` returns a value, so it cannot be the callback: the legacy function \
                     expects an answer that a promise cannot give; only callbacks returning `()` \
                     can settle a promise"
                ),
            )),
        },
        ParamRole::Rejected(error) => Err(error),
        ParamRole::Ordinary => Err(syn::Error::new_spanned(
            &typed.ty,
            format!(
                "`{name}` is not a callback: expected `impl FnOnce(..)`, `impl FnMut(..)`, \
                 `impl Fn(..)`, a type parameter bounded by one of them, or `Box<dyn FnOnce(..)>`"
            ),
        )),
    }
}

//! The plan of one generated function, computed once from the checked signature: where the value
//! goes, which parameters stay, the value's type, the generics, the names of the locals.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{Generics, Ident, ReceiverKind, Signature, Type};

use super::checks::Checked;
use crate::callback::{Chosen, Kind, TypeSyntax};
use crate::generics;
use crate::options::Options;
use crate::owned::Delivery;
use crate::params::ForwardedParam;
use crate::root::Private;
use crate::selection::Selection;
use crate::signature::{Function, Place, returned_type};

/// Where the callback's value goes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A oneshot channel: the callback may outlive the call.
    Channel,
    /// A slot on the caller's stack: the signature proves that the callback cannot outlive the
    /// call, so the promise is ready (or dropped) when the call returns. See [`stays_in_call`].
    Stack,
    /// `stream`: every call is an item.
    Stream,
}

/// An argument of the generated function's call of the original, one per parameter of the
/// original.
pub enum Arg<'a> {
    /// A callback, which the generated function provides: its slot in `deliveries` and its
    /// choice.
    Callback(usize, &'a Chosen<'a>),
    /// A parameter that the generated function takes and forwards.
    Forwarded(ForwardedParam<'a>),
}

/// Everything the emitted pieces read.
pub struct Plan<'a> {
    pub function: &'a Function<'a>,
    pub options: &'a Options,
    pub place: &'a Place,
    pub selection: &'a Selection<Chosen<'a>>,
    pub deliveries: &'a [Delivery<'a>],
    pub private: Private<'a>,
    pub mode: Mode,
    pub args: Vec<Arg<'a>>,
    /// `::core::result::Result<OK, ERR>` for `ok`/`err`, else the one callback's value type.
    pub value_type: TokenStream,
    /// With `progress = ..`: the type of the progress stream's items.
    pub progress_type: Option<TokenStream>,
    /// The original's return type, handed back beside the promise.
    pub returned: Option<&'a Type>,
    /// The generics that the generated function keeps, with the bounds it adds.
    pub generics: Generics,
    /// Check `Send` at the value's type, so that a value that is not `Send` is reported there
    /// rather than deep inside the generated callback.
    pub check_send: bool,
    /// `Fn` callback on the stack: the slot is a `OnceCell`.
    pub shared_slot: bool,
    /// `Type::name` or `name`, for the dropped-callback message.
    pub label: String,
    pub locals: RustFnLocals,
}

/// The names of the Rust form's generated function's own locals, hygienic
/// (`Span::mixed_site()`): no user name can clash.
pub struct RustFnLocals {
    pub resolver: Ident,
    pub promise: Ident,
    pub progress: Ident,
    pub progress_stream: Ident,
    pub ret: Ident,
    pub slot: Ident,
    pub ok: Ident,
    pub err: Ident,
}

impl<'a> Plan<'a> {
    pub fn new(
        function: &'a Function<'a>,
        options: &'a Options,
        place: &'a Place,
        checked: &'a Checked<'a>,
    ) -> Self {
        let sig = function.sig;
        let selection = &checked.selection;
        let deliveries = checked.deliveries.as_slice();
        let value_type = match (selection, deliveries) {
            (Selection::OkErr(..), [ok, err]) => {
                let (ok, err) = (ok.value_type(), err.value_type());
                quote!(::core::result::Result<#ok, #err>)
            }
            (_, [one, ..]) => one.value_type(),
            (_, []) => TokenStream::new(),
        };
        let progress_type = match (selection, deliveries) {
            (Selection::WithProgress(..), [_, progress]) => Some(progress.value_type()),
            _ => None,
        };
        let mode = if options.stream.is_some() {
            Mode::Stream
        } else if stays_in_call(sig, selection, options) {
            Mode::Stack
        } else {
            Mode::Channel
        };
        let label = match place {
            Place::Free => sig.ident.to_string(),
            Place::Associated { owner, .. } => {
                format!("{}::{}", owner.as_deref().unwrap_or("Self"), sig.ident)
            }
        };
        let mut plan = Plan {
            function,
            options,
            place,
            selection,
            deliveries,
            private: checked.private,
            mode,
            args: args(sig, place, checked),
            value_type,
            progress_type,
            returned: returned_type(sig),
            generics: Generics::default(),
            check_send: false,
            shared_slot: matches!(selection, Selection::One(one) if one.shape.kind == Kind::Shared),
            label,
            locals: RustFnLocals::new(),
        };
        plan.plan_generics(checked);
        plan
    }

    /// The generics the generated function keeps, and the bounds its value needs: `Send` or
    /// `'static` when the value names a generic, whose `Send` or `'static` is not known.
    fn plan_generics(&mut self, checked: &Checked) {
        let sig = self.function.sig;
        let chosen = checked.chosen();
        let callback_params: Vec<Ident> = chosen
            .iter()
            .filter_map(|(_, one)| match &one.shape.syntax {
                TypeSyntax::TypeParam(param) => Some(param.clone()),
                _ => None,
            })
            .collect();
        let mut generics =
            generics::prune(&sig.generics, &callback_params, || self.signature_types());
        let needs_send = chosen.iter().any(|(_, one)| one.shape.needs_send);
        let needs_static = chosen.iter().any(|(_, one)| one.shape.needs_static);
        let value_generic =
            (needs_send || needs_static) && value_is_generic(&self.value_type, &generics);
        let progress_generic = (needs_send || needs_static)
            && self
                .progress_type
                .as_ref()
                .is_some_and(|progress| value_is_generic(progress, &generics));
        let mut predicates = Vec::new();
        let generic_values = [
            value_generic.then_some(&self.value_type),
            self.progress_type.as_ref().filter(|_| progress_generic),
        ];
        for value_type in generic_values.into_iter().flatten() {
            let send = needs_send.then(|| quote!(::core::marker::Send));
            let plus = (needs_send && needs_static).then(|| quote!(+));
            let statik = needs_static.then(|| quote!('static));
            // Spanned at the attribute: the bound is ours, and lints about where bounds are
            // written (`clippy::multiple_bound_locations`) must not fire at the user's tokens.
            predicates.push(respan(
                quote!(#value_type: #send #plus #statik),
                Span::call_site(),
            ));
        }
        if let Place::Associated { in_trait: true, .. } = self.place {
            if sig
                .receiver()
                .is_some_and(|r| matches!(r.kind, ReceiverKind::Value))
            {
                predicates.push(quote!(Self: ::core::marker::Sized));
            }
        }
        if !predicates.is_empty() {
            let clause = generics.make_where_clause();
            for predicate in predicates {
                clause.predicates.push(syn::parse_quote!(#predicate));
            }
        }
        self.generics = generics;
        self.check_send = needs_send && !value_generic && !progress_generic;
    }
}

impl Plan<'_> {
    // Input:  the plan of `fn get<T, F: FnOnce(T)>(&self, key: K, done: F) -> Handle<'a>`
    // Output: &self key: K Handle<'a> T   (read for names only)
    /// What the generated signature writes of the user's syntax, where the generics it keeps are
    /// named: the parameters it forwards, the returned type it hands back beside the promise, and
    /// the types of the value and of the progress.
    fn signature_types(&self) -> TokenStream {
        let mut tokens = TokenStream::new();
        for arg in &self.args {
            if let Arg::Forwarded(param) = arg {
                param.to_tokens(&mut tokens);
            }
        }
        let returned = self.returned.filter(|_| self.options.cancel.is_none());
        returned.to_tokens(&mut tokens);
        self.value_type.to_tokens(&mut tokens);
        self.progress_type.to_tokens(&mut tokens);
        tokens
    }
}

impl RustFnLocals {
    fn new() -> Self {
        let mixed = Span::mixed_site();
        RustFnLocals {
            // Named for what it is to the user, since rustc may name it ("`callback` declared
            // here").
            resolver: Ident::new("callback", mixed),
            promise: Ident::new("promise", mixed),
            progress: Ident::new("progress", mixed),
            progress_stream: Ident::new("progress_stream", mixed),
            ret: Ident::new("ret", mixed),
            slot: Ident::new("slot", mixed),
            ok: Ident::new("ok", mixed),
            err: Ident::new("err", mixed),
        }
    }
}

/// The original's parameters in order, each a callback the generated function provides or a
/// parameter it forwards.
fn args<'a>(sig: &'a Signature, place: &Place, checked: &'a Checked<'a>) -> Vec<Arg<'a>> {
    let chosen = checked.chosen();
    sig.inputs
        .iter()
        .enumerate()
        .map(
            |(index, arg)| match chosen.iter().find(|(_, one)| one.index == index) {
                Some((slot, one)) => Arg::Callback(*slot, one),
                None => Arg::Forwarded(ForwardedParam::new(sig, place, index, arg)),
            },
        )
        .collect()
}

/// Whether the callback provably cannot outlive the call, so that its value can go into a slot on
/// the caller's stack: no allocation, no atomics, and a promise that is ready (or dropped) the
/// moment the call returns.
///
/// Soundness does not rest on this check: the generated closure borrows a local, so the borrow
/// checker rejects any expansion in which the callback could escape. The check only predicts when
/// that borrow compiles, and falls back to the channel otherwise. A callback type with no
/// lifetime bound (no `'static`, no `'a`), that no other parameter, no other bound and not the
/// receiver's `Self` names (the callback is a method-level `impl Fn…` or type parameter), and that
/// the return type neither names nor can capture (no `impl Trait` in it, which edition 2024 lets
/// capture every generic), can only be called, dropped, leaked or forgotten before the original
/// function returns. A callback that is dropped or forgotten uncalled leaves the slot empty,
/// which reads as "dropped" (never as a hang). `Box<dyn Fn…>` is `'static` and never qualifies;
/// nor do bounds on the value that the borrowed slot could not meet as the channel would
/// (`Sync` on `FnOnce`/`FnMut`, `Send`/`Sync` on `Fn`), nor `stream`, `cancel`, or `ok`/`err`.
fn stays_in_call(sig: &Signature, selection: &Selection<Chosen<'_>>, options: &Options) -> bool {
    let Selection::One(one) = selection else {
        return false;
    };
    let shape = &one.shape;
    let borrowable = match shape.kind {
        Kind::Once | Kind::Mut => !shape.needs_sync,
        Kind::Shared => !shape.needs_send,
    };
    options.stream.is_none()
        && options.cancel.is_none()
        && !matches!(shape.syntax, TypeSyntax::BoxDyn)
        && !shape.lifetime_bound
        && borrowable
        && !returned_type(sig).is_some_and(contains_impl_trait)
}

fn contains_impl_trait(ty: &Type) -> bool {
    struct ImplTrait(bool);
    impl VisitMut for ImplTrait {
        fn visit_type_impl_trait_mut(&mut self, _: &mut syn::TypeImplTrait) {
            self.0 = true;
        }
    }
    let mut finder = ImplTrait(false);
    // A copy, as in `looks_associated`; not the tokens, which would also find `impl` in macro
    // calls.
    finder.visit_type_mut(&mut ty.clone());
    finder.0
}

/// Whether the value type names a generic parameter that stays, or `Self`: then its `Send` or
/// `'static` is not known and must be required.
fn value_is_generic(value_type: &TokenStream, generics: &Generics) -> bool {
    let mut names = BTreeSet::new();
    generics::names(value_type.clone(), &mut names);
    names.contains("Self")
        || generics.params.iter().any(|param| {
            let name = match param {
                syn::GenericParam::Lifetime(l) => l.lifetime.to_string(),
                syn::GenericParam::Type(t) => t.ident.to_string(),
                syn::GenericParam::Const(c) => c.ident.to_string(),
            };
            names.contains(&name)
        })
}

fn respan(tokens: TokenStream, span: Span) -> TokenStream {
    tokens
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(group) = &tree {
                let mut inner =
                    proc_macro2::Group::new(group.delimiter(), respan(group.stream(), span));
                inner.set_span(span);
                tree = proc_macro2::TokenTree::Group(inner);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

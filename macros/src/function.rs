//! Generating the async version of one callback-taking function.

use std::collections::BTreeSet;

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote};
use syn::spanned::Spanned as _;
use syn::{
    Attribute, FnArg, Ident, Pat, ReceiverKind, ReturnType, Safety, Signature, Type, Visibility,
};

use crate::args::{Options, push};
use crate::callback::{self, Chosen, Delivery, Form, Kind, Selection};
use crate::generics;

/// Where the function sits, which decides how the async version calls it.
#[derive(Clone)]
pub enum Place {
    /// A free function: called by name.
    Free,
    /// An associated function: called as `Self::name`. `owner` names the type or trait for
    /// messages; `in_trait` asks for `where Self: Sized` on by-value receivers.
    Associated {
        owner: Option<String>,
        in_trait: bool,
    },
}

/// The parts of a function item that the async version is built from.
pub struct Function<'a> {
    pub attrs: &'a [Attribute],
    pub vis: &'a Visibility,
    pub sig: &'a Signature,
}

/// Whether a function is associated even though the attribute sits on it alone: it has a
/// receiver or mentions `Self`.
pub fn looks_associated(sig: &Signature) -> bool {
    let mut names = BTreeSet::new();
    generics::names(sig.to_token_stream(), &mut names);
    sig.receiver().is_some() || names.contains("Self")
}

// Input:
//     fn fetch(url: &str, done: impl FnOnce(io::Result<Vec<u8>>) + Send + 'static) -> Handle
// Output:
//     fn fetch_async(url: &str) -> (Handle, Promise<io::Result<Vec<u8>>>) {
//         let (resolver, promise) = __private::promise("fetch");
//         let ret = fetch(url, move |arg0| Settle::settle_once(resolver, arg0));
//         (ret, promise)
//     }
/// The async version of `function`, or the errors that prevent it.
pub fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    let sig = function.sig;
    let mut errors = None;
    if let Some(asyncness) = &sig.asyncness {
        push(
            &mut errors,
            syn::Error::new(
                asyncness.span,
                "`#[callback_async]` goes on a callback-taking function; this one is already \
                 `async`, so await it directly",
            ),
        );
    }
    if let Some(variadic) = &sig.variadic {
        push(
            &mut errors,
            syn::Error::new(
                variadic.dots.spans[0],
                "variadic functions are not supported",
            ),
        );
    }
    let selection = match callback::select(sig, options) {
        Ok(selection) => Some(selection),
        Err(error) => {
            push(&mut errors, error);
            None
        }
    };
    let Some(selection) = selection else {
        return Err(errors.unwrap_or_else(|| syn::Error::new(sig.ident.span(), "no callback")));
    };
    let chosen: Vec<&Chosen> = match &selection {
        Selection::One(one) => vec![one],
        Selection::OkErr(ok, err) => vec![ok, err],
    };
    for one in &chosen {
        check_shape(sig, one, &mut errors);
    }
    let private = private_path(options);
    let deliveries: Vec<Delivery> = chosen
        .iter()
        .filter_map(|one| match callback::delivery(&one.shape, &private) {
            Ok(delivery) => Some(delivery),
            Err(error) => {
                push(&mut errors, error);
                None
            }
        })
        .collect();
    if let Some(errors) = errors {
        return Err(errors);
    }
    Ok(expand(
        function,
        options,
        place,
        &selection,
        &deliveries,
        &private,
    ))
}

/// `::callback_async::__private`, or the `crate = ".."` override's.
fn private_path(options: &Options) -> TokenStream {
    match &options.krate {
        Some(krate) => {
            let path = &krate.value;
            quote!(#path::__private)
        }
        None => quote!(::callback_async::__private),
    }
}

fn check_shape(sig: &Signature, chosen: &Chosen, errors: &mut Option<syn::Error>) {
    for bound in &chosen.shape.unsupported {
        push(
            errors,
            syn::Error::new(
                bound.span(),
                format!(
                    "the callback must implement `{}`, which the generated callback cannot: it \
                     implements the closure trait, `Send`, `Sync` and `Unpin` only",
                    bound.path.to_token_stream().to_string().replace(' ', "")
                ),
            ),
        );
    }
    if let Form::TypeParam(param) = &chosen.shape.form {
        let elsewhere = sig.inputs.iter().enumerate().find_map(|(index, arg)| {
            (index != chosen.index && mentions(arg, param)).then(|| arg.span())
        });
        let elsewhere = elsewhere.or_else(|| match &sig.output {
            ReturnType::Type(_, ty) if mentions(ty, param) => Some(ty.span()),
            _ => None,
        });
        if let Some(span) = elsewhere {
            push(
                errors,
                syn::Error::new(
                    span,
                    format!(
                        "the callback's type parameter `{param}` is also used here, so the async \
                         version cannot choose it; give the callback a type parameter of its own"
                    ),
                ),
            );
        }
    }
}

fn mentions(item: &impl ToTokens, name: &Ident) -> bool {
    let mut names = BTreeSet::new();
    generics::names(item.to_token_stream(), &mut names);
    names.contains(&name.to_string())
}

fn expand(
    function: &Function,
    options: &Options,
    place: &Place,
    selection: &Selection,
    deliveries: &[Delivery],
    private: &TokenStream,
) -> TokenStream {
    let sig = function.sig;
    let mixed = Span::mixed_site();
    let resolver = Ident::new("resolver", mixed);
    let promise = Ident::new("promise", mixed);
    let ret = Ident::new("ret", mixed);

    let value_type = match deliveries {
        [ok, err] => {
            let (ok, err) = (&ok.value_type, &err.value_type);
            quote!(::core::result::Result<#ok, #err>)
        }
        one => one[0].value_type.clone(),
    };

    // The async version's parameters, and the arguments that forward them (plus the callbacks).
    let chosen: Vec<(usize, &Chosen)> = match selection {
        Selection::One(one) => vec![(0, one)],
        Selection::OkErr(ok, err) => vec![(0, ok), (1, err)],
    };
    let mut inputs = Vec::new();
    let mut call_args = Vec::new();
    for (index, arg) in sig.inputs.iter().enumerate() {
        if let Some((slot, one)) = chosen.iter().find(|(_, one)| one.index == index) {
            call_args.push(callback_closure(
                *slot,
                one,
                &deliveries[*slot],
                selection,
                private,
            ));
            continue;
        }
        match arg {
            FnArg::Receiver(receiver) => {
                let mut receiver = receiver.clone();
                receiver.mutability = None;
                inputs.push(receiver.to_token_stream());
                call_args.push(quote!(self));
            }
            FnArg::Typed(typed) => {
                let name = match &*typed.pat {
                    Pat::Ident(pat) if pat.by_ref.is_none() && pat.subpat.is_none() => {
                        pat.ident.clone()
                    }
                    _ => format_ident!("arg_{}", index, span = mixed),
                };
                let ty = &typed.ty;
                inputs.push(quote!(#name: #ty));
                call_args.push(name.to_token_stream());
            }
        }
    }

    let promise_type = quote!(#private::Promise<#value_type>);
    let returns_value = match &sig.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) => match &**ty {
            Type::Tuple(tuple) if tuple.elems.is_empty() => None,
            ty => Some(ty),
        },
    };
    let output = match returns_value {
        Some(ty) => quote!((#ty, #promise_type)),
        None => promise_type,
    };

    let callback_params: Vec<Ident> = chosen
        .iter()
        .filter_map(|(_, one)| match &one.shape.form {
            Form::TypeParam(param) => Some(param.clone()),
            _ => None,
        })
        .collect();
    let receiver = sig.receiver();
    let used = quote!(#(#inputs)* #output);
    let mut generics = generics::prune(&sig.generics, &callback_params, used);
    let mut predicates = Vec::new();
    let needs_send = chosen.iter().any(|(_, one)| one.shape.needs_send);
    let needs_static = chosen.iter().any(|(_, one)| one.shape.needs_static);
    if (needs_send || needs_static) && value_is_generic(&value_type, &generics) {
        let send = needs_send.then(|| quote!(::core::marker::Send));
        let plus = (needs_send && needs_static).then(|| quote!(+));
        let statik = needs_static.then(|| quote!('static));
        // Spanned at the attribute: the bound is ours, and lints about where bounds are written
        // (`clippy::multiple_bound_locations`) must not fire at the user's tokens.
        let predicate = respan(quote!(#value_type: #send #plus #statik), Span::call_site());
        predicates.push(predicate);
    }
    if let Place::Associated { in_trait: true, .. } = place {
        if receiver.is_some_and(|r| matches!(r.kind, ReceiverKind::Value)) {
            predicates.push(quote!(Self: ::core::marker::Sized));
        }
    }
    if !predicates.is_empty() {
        let clause = generics.make_where_clause();
        for predicate in predicates {
            clause.predicates.push(syn::parse_quote!(#predicate));
        }
    }
    let (impl_generics, _, where_clause) = generics.split_for_impl();
    let generic_params = generics
        .params
        .is_empty()
        .then(TokenStream::new)
        .unwrap_or_else(|| impl_generics.to_token_stream());

    let name = match &options.name {
        Some(name) => name.value.clone(),
        None => format_ident!("{}_async", sig.ident, span = sig.ident.span()),
    };
    let original = &sig.ident;
    let (callee, label, link) = match place {
        Place::Free => (
            quote!(#original),
            original.to_string(),
            original.to_string(),
        ),
        Place::Associated { owner, .. } => (
            quote!(Self::#original),
            format!("{}::{original}", owner.as_deref().unwrap_or("Self")),
            format!("Self::{original}"),
        ),
    };

    let kept_attrs = function
        .attrs
        .iter()
        .filter(|attr| attr.path().is_ident("doc") || attr.path().is_ident("cfg"));
    let has_docs = function
        .attrs
        .iter()
        .any(|attr| attr.path().is_ident("doc"));
    let separator = has_docs.then(|| quote!(#[doc = ""]));
    let note = format!(
        " The async version of [`{link}`], generated by `#[callback_async]`: it calls `{original}` \
         at once with a callback that settles the returned promise."
    );
    let vis = function.vis;
    let unsafety = matches!(sig.safety, Safety::Unsafe(_)).then(|| quote!(unsafe));

    let mut setup = quote! {
        let (#resolver, #promise) = #private::promise::<#value_type>(
            ::core::concat!(::core::module_path!(), "::", #label),
        );
    };
    if let Some(dropped) = &options.dropped {
        let expr = &dropped.value;
        // The closure's own tokens are ours, so that lints such as `clippy::redundant_closure`
        // do not report it at the user's expression.
        let fallback = quote!(|| #expr);
        setup.extend(quote! {
            let #resolver = #private::Fallback::new(#resolver, #fallback);
        });
    }
    match selection {
        Selection::OkErr(..) => {
            let (ok, err) = (Ident::new("ok", mixed), Ident::new("err", mixed));
            setup.extend(quote! {
                let #ok = #private::Arc::new(#resolver);
                let #err = #private::Arc::clone(&#ok);
            });
        }
        Selection::One(one) if one.shape.kind == Kind::Mut => {
            setup.extend(quote!(let mut #resolver = #resolver;));
        }
        Selection::One(_) => {}
    }
    let call = quote!(#callee(#(#call_args),*));
    let call = match unsafety {
        Some(_) => quote!(unsafe { #call }),
        None => call,
    };
    let finish = match returns_value {
        Some(_) => quote! {
            #[allow(deprecated)]
            let #ret = #call;
            (#ret, #promise)
        },
        None => quote! {
            #[allow(deprecated)]
            #call;
            #promise
        },
    };
    quote! {
        #(#kept_attrs)*
        #separator
        #[doc = #note]
        #[inline]
        #vis #unsafety fn #name #generic_params (#(#inputs),*) -> #output #where_clause {
            #setup
            #finish
        }
    }
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

/// Whether the value type names a generic parameter that stays, or `Self`: then its `Send` or
/// `'static` is not known and must be required.
fn value_is_generic(value_type: &TokenStream, generics: &syn::Generics) -> bool {
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

// Input:  the callback `done: impl FnOnce(&str, u8)`
// Output: move |arg0: &str, arg1: u8| Settle::settle_once(resolver, (ToOwned::to_owned(arg0), arg1))
fn callback_closure(
    slot: usize,
    chosen: &Chosen,
    delivery: &Delivery,
    selection: &Selection,
    private: &TokenStream,
) -> TokenStream {
    let mixed = Span::mixed_site();
    let params = &delivery.params;
    let value = &delivery.value;
    let settle = match selection {
        Selection::OkErr(..) => {
            let (holder, variant) = if slot == 0 {
                (Ident::new("ok", mixed), quote!(::core::result::Result::Ok))
            } else {
                (
                    Ident::new("err", mixed),
                    quote!(::core::result::Result::Err),
                )
            };
            quote!(#private::Settle::settle(&*#holder, #variant(#value)))
        }
        Selection::One(_) => {
            let resolver = Ident::new("resolver", mixed);
            match chosen.shape.kind {
                Kind::Once => quote!(#private::Settle::settle_once(#resolver, #value)),
                Kind::Mut => quote!(#private::Settle::settle_mut(&mut #resolver, #value)),
                Kind::Shared => quote!(#private::Settle::settle(&#resolver, #value)),
            }
        }
    };
    let closure = quote!(move |#(#params),*| #settle);
    match chosen.shape.form {
        Form::BoxDyn => quote!(#private::Box::new(#closure)),
        Form::ImplTrait | Form::TypeParam(_) => closure,
    }
}

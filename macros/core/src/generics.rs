//! Which generic parameters the async version keeps.

use std::collections::BTreeSet;

use proc_macro2::{TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{GenericParam, Generics, Ident, WhereClause, WherePredicate};

/// The names (identifiers and lifetimes, as `'a`) that occur in `tokens`.
pub fn names(tokens: TokenStream, into: &mut BTreeSet<String>) {
    let mut lifetime_mark = false;
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                into.insert(if lifetime_mark {
                    format!("'{ident}")
                } else {
                    ident.to_string()
                });
                lifetime_mark = false;
            }
            TokenTree::Punct(punct) => lifetime_mark = punct.as_char() == '\'',
            TokenTree::Group(group) => {
                names(group.stream(), into);
                lifetime_mark = false;
            }
            TokenTree::Literal(_) => lifetime_mark = false,
        }
    }
}

fn param_name(param: &GenericParam) -> String {
    match param {
        GenericParam::Lifetime(lifetime) => lifetime.lifetime.to_string(),
        GenericParam::Type(ty) => ty.ident.to_string(),
        GenericParam::Const(constant) => constant.ident.to_string(),
    }
}

fn mentions(item: &impl ToTokens, name: &str) -> bool {
    let mut found = BTreeSet::new();
    names(item.to_token_stream(), &mut found);
    found.contains(name)
}

/// Keeps the generic parameters that `used` (what the async version's signature writes of the
/// user's syntax, written only when there are generics to prune) names, directly or through the
/// bounds of another kept parameter, and the where-predicates that only constrain
/// kept parameters. `callbacks` are the callbacks' own type parameters, which always go.
pub fn prune(
    generics: &Generics,
    callbacks: &[Ident],
    used: impl FnOnce() -> TokenStream,
) -> Generics {
    if generics.params.is_empty() && generics.where_clause.is_none() {
        return generics.clone();
    }
    let all: Vec<String> = generics.params.iter().map(param_name).collect();
    let mut kept = BTreeSet::new();
    names(used(), &mut kept);
    kept.retain(|name| all.contains(name));
    let is_callback = |name: &str| callbacks.iter().any(|c| c == name);
    let mentions_callback =
        |item: &WherePredicate| callbacks.iter().any(|c| mentions(item, &c.to_string()));
    kept.retain(|name| !is_callback(name));
    let predicates: Vec<&WherePredicate> = generics
        .where_clause
        .iter()
        .flat_map(|clause| clause.predicates.iter())
        .collect();
    let keeps = |predicate: &WherePredicate, kept: &BTreeSet<String>| {
        let mut named = BTreeSet::new();
        names(predicate.to_token_stream(), &mut named);
        let params: Vec<&String> = all.iter().filter(|name| named.contains(*name)).collect();
        params.iter().all(|name| kept.contains(*name))
    };
    // Bounds can name further parameters (`T: From<U>`): grow to a fixpoint.
    loop {
        let before = kept.len();
        let mut grown = kept.clone();
        for param in &generics.params {
            if kept.contains(&param_name(param)) {
                names(param.to_token_stream(), &mut grown);
            }
        }
        for predicate in &predicates {
            let mut named = BTreeSet::new();
            names(predicate.to_token_stream(), &mut named);
            let bounded_kept = all
                .iter()
                .any(|name| named.contains(name) && kept.contains(name));
            if bounded_kept && !mentions_callback(predicate) {
                grown.extend(named);
            }
        }
        grown.retain(|name| all.contains(name) && !is_callback(name));
        kept = grown;
        if kept.len() == before {
            break;
        }
    }
    let params: Punctuated<GenericParam, syn::Token![,]> = generics
        .params
        .iter()
        .filter(|param| kept.contains(&param_name(param)))
        .cloned()
        .collect();
    let where_clause = generics.where_clause.as_ref().and_then(|clause| {
        let predicates: Punctuated<WherePredicate, syn::Token![,]> = clause
            .predicates
            .iter()
            .filter(|predicate| keeps(predicate, &kept))
            .filter(|predicate| !mentions_callback(predicate))
            .cloned()
            .collect();
        (!predicates.is_empty()).then(|| WhereClause {
            where_token: clause.where_token,
            predicates,
        })
    });
    Generics {
        lt_token: (!params.is_empty()).then(|| generics.lt_token.unwrap_or_default()),
        gt_token: (!params.is_empty()).then(|| generics.gt_token.unwrap_or_default()),
        params,
        where_clause,
    }
}

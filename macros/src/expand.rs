//! `#[callback_async]` on each kind of item it accepts.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::{
    Attribute, ForeignItem, ImplItem, Item, ItemForeignMod, ItemImpl, ItemTrait, TraitItem,
    TraitItemFn, Type, Visibility,
};

use syn::parse::{Parse, ParseStream};

use crate::args::{Options, push};
use crate::callback;
use crate::function::{self, Function, Place};

/// Expands `#[callback_async(args)]` on `input`. Never fails: on errors the input is kept as it
/// is (so the rest of the crate still compiles) and the errors follow it as `compile_error!`s.
pub fn callback_async(args: TokenStream, input: TokenStream) -> TokenStream {
    let (options, mut errors) = Options::parse(args);
    let output = match parse_target(input.clone()) {
        Ok(Target::Fn(mut item)) => {
            let place = if function::looks_associated_mut(&mut item.sig) {
                Place::Associated {
                    owner: None,
                    in_trait: false,
                }
            } else {
                Place::Free
            };
            let function = Function {
                attrs: &item.attrs,
                vis: &item.vis,
                sig: &item.sig,
            };
            let generated = collect(&mut errors, function::generate(&function, &options, &place));
            // The function as written: its tokens, not its syntax tree printed back.
            let deprecated = function::deprecation(&item.sig, &options);
            quote!(#deprecated #input #generated)
        }
        Ok(Target::TraitFn(item)) if !options.c_args.is_empty() => {
            push(
                &mut errors,
                syn::Error::new(
                    proc_macro2::Span::call_site(),
                    "a declaration without a body gets its async version from the block around \
                     it: put `#[callback_async]` on the `extern` block (or the trait) too, and \
                     keep this attribute on the function",
                ),
            );
            item.into_token_stream()
        }
        Ok(Target::TraitFn(mut item)) => {
            let place = Place::Associated {
                owner: None,
                in_trait: true,
            };
            let function = Function {
                attrs: &item.attrs,
                vis: &Visibility::Inherited,
                sig: &item.sig,
            };
            let generated = collect(&mut errors, function::generate(&function, &options, &place));
            item.attrs
                .extend(function::deprecation(&item.sig, &options));
            quote!(#item #generated)
        }
        Ok(Target::Impl(item)) => expand_impl(item, &options, &mut errors),
        Ok(Target::Extern(item)) => expand_extern(item, &options, &mut errors),
        Ok(Target::Trait(item)) => expand_trait(item, &options, &mut errors),
        Err(error) => {
            push(&mut errors, error);
            input
        }
    };
    match errors {
        Some(errors) => {
            let errors = errors.to_compile_error();
            quote!(#output #errors)
        }
        None => output,
    }
}

enum Target {
    Fn(FnHead),
    /// A trait method declaration without a body.
    TraitFn(TraitItemFn),
    Impl(ItemImpl),
    Trait(ItemTrait),
    Extern(ItemForeignMod),
}

const WHERE: &str = "`#[callback_async]` goes on a function, a method, an `impl` block, a trait \
                     or an `extern` block";

/// A function with a body, parsed up to its signature: the attribute reads nothing in the body,
/// and parsing it is most of the cost of expanding a small function.
struct FnHead {
    attrs: Vec<Attribute>,
    vis: Visibility,
    sig: syn::Signature,
}

/// Everything of a function item before its body (the body is split off beforehand).
impl Parse for FnHead {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis = input.parse()?;
        let sig = input.parse()?;
        if !input.is_empty() {
            return Err(input.error("expected a function body"));
        }
        Ok(FnHead { attrs, vis, sig })
    }
}

fn parse_target(input: TokenStream) -> syn::Result<Target> {
    // The body is never looked at: parsing the item without it spares syn a walk through every
    // token of the body, which in a long function is most of the item.
    let mut trees: Vec<TokenTree> = input.clone().into_iter().collect();
    if let Some(TokenTree::Group(body)) = trees.last() {
        if body.delimiter() == Delimiter::Brace {
            trees.pop();
            if let Ok(head) = syn::parse2::<FnHead>(trees.into_iter().collect()) {
                return Ok(Target::Fn(head));
            }
        }
    }
    match syn::parse2::<Item>(input.clone()) {
        Ok(Item::Fn(item)) => Ok(Target::Fn(FnHead {
            attrs: item.attrs,
            vis: item.vis,
            sig: item.sig,
        })),
        Ok(Item::Impl(item)) => Ok(Target::Impl(item)),
        Ok(Item::Trait(item)) => Ok(Target::Trait(item)),
        Ok(Item::ForeignMod(item)) => Ok(Target::Extern(item)),
        Ok(Item::Verbatim(_)) | Err(_) if syn::parse2::<TraitItemFn>(input.clone()).is_ok() => {
            syn::parse2::<TraitItemFn>(input).map(Target::TraitFn)
        }
        Ok(other) => Err(syn::Error::new(
            proc_macro2::Span::call_site(),
            format!("{WHERE}, not on {}", item_kind(&other)),
        )),
        Err(error) => Err(error),
    }
}

fn item_kind(item: &Item) -> &'static str {
    match item {
        Item::Struct(_) => "a struct",
        Item::Enum(_) => "an enum",
        Item::Union(_) => "a union",
        Item::Const(_) => "a constant",
        Item::Static(_) => "a static",
        Item::Mod(_) => "a module",
        Item::Type(_) => "a type alias",
        Item::Use(_) => "a `use` declaration",
        Item::Macro(_) => "a macro invocation",
        _ => "this item",
    }
}

fn collect(errors: &mut Option<syn::Error>, result: syn::Result<TokenStream>) -> TokenStream {
    result.unwrap_or_else(|error| {
        push(errors, error);
        TokenStream::new()
    })
}

/// Options that choose parameters of one function make no sense on a whole block.
fn reject_per_function_options(options: &Options, errors: &mut Option<syn::Error>) {
    let keys = [
        options
            .callback
            .as_ref()
            .map(|o| (o.key, "callback".to_owned(), " =")),
        options.ok.as_ref().map(|o| (o.key, "ok".to_owned(), " =")),
        options
            .err
            .as_ref()
            .map(|o| (o.key, "err".to_owned(), " =")),
        options
            .name
            .as_ref()
            .map(|o| (o.key, "name".to_owned(), " =")),
        options
            .output
            .as_ref()
            .map(|o| (o.key, "output".to_owned(), " =")),
        options
            .c_args
            .first()
            .map(|arg| (arg.param.span(), arg.param.to_string(), ":")),
    ];
    for (span, key, separator) in keys.into_iter().flatten() {
        let option = format!("{key}{separator} ..");
        push(
            errors,
            syn::Error::new(
                span,
                format!(
                    "`{key}` applies to one function: on a block, put \
                     `#[callback_async({option})]` on the function it is for"
                ),
            ),
        );
    }
}

/// Removes a method's own `#[callback_async(..)]` and returns its options.
fn take_own_options(
    attrs: &mut Vec<Attribute>,
    errors: &mut Option<syn::Error>,
) -> Option<Options> {
    let position = attrs.iter().position(|attr| {
        attr.path()
            .segments
            .last()
            .is_some_and(|segment| segment.ident == "callback_async")
    })?;
    let attr = attrs.remove(position);
    let args = match &attr.meta {
        syn::Meta::Path(_) => TokenStream::new(),
        syn::Meta::List(list) => list.tokens.clone(),
        syn::Meta::NameValue(pair) => {
            push(
                errors,
                syn::Error::new_spanned(pair, "expected `#[callback_async(..)]`"),
            );
            TokenStream::new()
        }
    };
    let (options, error) = Options::parse(args);
    if let Some(error) = error {
        push(errors, error);
    }
    Some(options)
}

/// Whether a method takes part: it has its own attribute, or exactly one callback parameter.
fn method_options(
    attrs: &mut Vec<Attribute>,
    sig: &syn::Signature,
    block: &Options,
    errors: &mut Option<syn::Error>,
) -> Option<Options> {
    match take_own_options(attrs, errors) {
        Some(own) => Some(block.overridden_by(own)),
        None => {
            (callback::candidates(sig).len() == 1 && sig.asyncness.is_none()).then(|| block.clone())
        }
    }
}

// Input:  #[callback_async] impl Client { fn get(&self, done: impl FnOnce(u8)) {..} fn other(&self) {..} }
// Output: impl Client { fn get(&self, ..) {..} fn get_async(&self) -> Promise<u8> {..} fn other(&self) {..} }
fn expand_impl(
    mut item: ItemImpl,
    options: &Options,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    if let Some((path, _)) = &item.trait_ {
        push(
            errors,
            syn::Error::new_spanned(
                path,
                "`#[callback_async]` cannot add methods to a trait implementation (the trait does \
                 not declare them): put it on the trait's definition instead",
            ),
        );
        return item.into_token_stream();
    }
    reject_per_function_options(options, errors);
    let owner = owner_name(&item.self_ty);
    let place = Place::Associated {
        owner,
        in_trait: false,
    };
    let mut items = Vec::with_capacity(item.items.len());
    for mut impl_item in std::mem::take(&mut item.items) {
        let generated = match &mut impl_item {
            ImplItem::Fn(method) => method_options(&mut method.attrs, &method.sig, options, errors)
                .map(|method_options| {
                    let function = Function {
                        attrs: &method.attrs,
                        vis: &method.vis,
                        sig: &method.sig,
                    };
                    let generated = collect(
                        errors,
                        function::generate(&function, &method_options, &place),
                    );
                    let deprecated = function::deprecation(&method.sig, &method_options);
                    method.attrs.extend(deprecated);
                    generated
                }),
            _ => None,
        };
        items.push(impl_item);
        if let Some(generated) = generated.filter(|tokens| !tokens.is_empty()) {
            match syn::parse2::<ImplItem>(generated) {
                Ok(generated) => items.push(generated),
                Err(error) => push(errors, error),
            }
        }
    }
    item.items = items;
    item.into_token_stream()
}

fn expand_trait(
    mut item: ItemTrait,
    options: &Options,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    reject_per_function_options(options, errors);
    let place = Place::Associated {
        owner: Some(item.ident.to_string()),
        in_trait: true,
    };
    let mut items = Vec::with_capacity(item.items.len());
    for mut trait_item in std::mem::take(&mut item.items) {
        let generated = match &mut trait_item {
            TraitItem::Fn(method) => {
                method_options(&mut method.attrs, &method.sig, options, errors).map(
                    |method_options| {
                        let function = Function {
                            attrs: &method.attrs,
                            vis: &Visibility::Inherited,
                            sig: &method.sig,
                        };
                        let generated = collect(
                            errors,
                            function::generate(&function, &method_options, &place),
                        );
                        let deprecated = function::deprecation(&method.sig, &method_options);
                        method.attrs.extend(deprecated);
                        generated
                    },
                )
            }
            _ => None,
        };
        items.push(trait_item);
        if let Some(generated) = generated.filter(|tokens| !tokens.is_empty()) {
            match syn::parse2::<TraitItem>(generated) {
                Ok(generated) => items.push(generated),
                Err(error) => push(errors, error),
            }
        }
    }
    item.items = items;
    item.into_token_stream()
}

// Input:  #[callback_async] unsafe extern "C" { #[callback_async(cb: |_, n: c_int| _(n), data: _)] fn start(cb: .., data: *mut c_void); }
// Output: unsafe extern "C" { fn start(..); } unsafe fn start_async() -> CPromise<c_int> {..}
// The generated functions follow the block: an `extern` block holds declarations only. A
// function takes part only with its own attribute, which says where the C callback goes.
fn expand_extern(
    mut item: ItemForeignMod,
    options: &Options,
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    reject_per_function_options(options, errors);
    let mut generated = Vec::new();
    for foreign in &mut item.items {
        let ForeignItem::Fn(function) = foreign else {
            continue;
        };
        let Some(own) = take_own_options(&mut function.attrs, errors) else {
            continue;
        };
        let options = options.overridden_by(own);
        if options.c_args.is_empty() {
            push(
                errors,
                syn::Error::new_spanned(
                    &function.sig.ident,
                    "a function of an `extern` block takes C callbacks: say where the callback \
                     and its user data go, as in `#[callback_async(callback: |_, n: c_int| \
                     _(n), user_data: _)]`",
                ),
            );
            continue;
        }
        let wrapped = Function {
            attrs: &function.attrs,
            vis: &function.vis,
            sig: &function.sig,
        };
        generated.push(collect(
            errors,
            function::generate(&wrapped, &options, &Place::Free),
        ));
        function
            .attrs
            .extend(function::deprecation(&function.sig, &options));
    }
    quote!(#item #(#generated)*)
}

/// `Client` for `impl Client` or `impl<T> Client<T>`, for messages.
fn owner_name(self_ty: &Type) -> Option<String> {
    match self_ty {
        Type::Path(path) => path
            .path
            .segments
            .last()
            .map(|segment| segment.ident.to_string()),
        _ => None,
    }
}

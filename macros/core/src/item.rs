//! `#[callback_async]` on each kind of item it accepts: a function, a trait method declaration, an
//! `impl` block, a trait or an `extern` block. Chooses the Rust or the C form for each function.

use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::parse::{Parse, ParseStream};
use syn::{
    Attribute, ForeignItem, ImplItem, Item, ItemForeignMod, ItemImpl, ItemTrait, Signature,
    TraitItem, TraitItemFn, Type, Visibility,
};

use crate::callback;
use crate::error::Errors;
use crate::options::{Options, Scope};
use crate::signature::{self, Function, Place};
use crate::splice::append;
use crate::{c_fn, rust_fn};

/// Expands `#[callback_async(args)]` on `input`. Never fails: on errors the input is kept as it
/// is (so that the rest of the crate still compiles) and the errors follow it as
/// `compile_error!`s.
pub fn callback_async(args: TokenStream, input: TokenStream) -> TokenStream {
    let (options, mut errors) = Options::parse(args);
    let output = match parse_annotated(input.clone()) {
        Ok(Annotated::Fn(mut item)) => {
            let place = if signature::looks_associated_mut(&mut item.sig) {
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
            let generated = errors.keep(generate(&function, &options, &place));
            // The function as written: its tokens, not its syntax tree printed back; appended
            // whole rather than interpolated (see `splice`).
            let mut output = signature::deprecation(&item.sig, &options).into_token_stream();
            append(&mut output, input);
            append(&mut output, generated.unwrap_or_default());
            output
        }
        Ok(Annotated::TraitFn(item)) if !options.c_args.is_empty() => {
            errors.push(syn::Error::new(
                Span::call_site(),
                "a declaration without a body gets its async version from the block around it: \
                 put `#[callback_async]` on the `extern` block (or the trait) too, and keep this \
                 attribute on the function",
            ));
            item.into_token_stream()
        }
        Ok(Annotated::TraitFn(mut item)) => {
            let place = Place::Associated {
                owner: None,
                in_trait: true,
            };
            let function = Function {
                attrs: &item.attrs,
                vis: &Visibility::Inherited,
                sig: &item.sig,
            };
            let generated = errors.keep(generate(&function, &options, &place));
            item.attrs
                .extend(signature::deprecation(&item.sig, &options));
            quote!(#item #generated)
        }
        Ok(Annotated::Impl(item)) => expand_impl(item, &options, &mut errors),
        Ok(Annotated::Extern(item)) => expand_extern(item, &options, &mut errors),
        Ok(Annotated::Trait(item)) => expand_trait(item, &options, &mut errors),
        Err(error) => {
            errors.push(error);
            input
        }
    };
    errors.emit_after(output)
}

/// The generated function for one function: the C form when the options place C callbacks.
fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    if options.c_args.is_empty() {
        rust_fn::generate(function, options, place)
    } else {
        c_fn::generate(function, options, place)
    }
}

/// The item that `#[callback_async]` annotates.
enum Annotated {
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
    sig: Signature,
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

fn parse_annotated(input: TokenStream) -> syn::Result<Annotated> {
    // The body is never looked at: parsing the item without it spares syn a walk through every
    // token of the body, which in a long function is most of the item.
    let mut trees: Vec<TokenTree> = input.clone().into_iter().collect();
    if let Some(TokenTree::Group(body)) = trees.last() {
        if body.delimiter() == Delimiter::Brace {
            trees.pop();
            if let Ok(head) = syn::parse2::<FnHead>(trees.into_iter().collect()) {
                return Ok(Annotated::Fn(head));
            }
        }
    }
    match syn::parse2::<Item>(input.clone()) {
        Ok(Item::Fn(item)) => Ok(Annotated::Fn(FnHead {
            attrs: item.attrs,
            vis: item.vis,
            sig: item.sig,
        })),
        Ok(Item::Impl(item)) => Ok(Annotated::Impl(item)),
        Ok(Item::Trait(item)) => Ok(Annotated::Trait(item)),
        Ok(Item::ForeignMod(item)) => Ok(Annotated::Extern(item)),
        Ok(Item::Verbatim(_)) | Err(_) if syn::parse2::<TraitItemFn>(input.clone()).is_ok() => {
            syn::parse2::<TraitItemFn>(input).map(Annotated::TraitFn)
        }
        Ok(other) => Err(syn::Error::new(
            Span::call_site(),
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

/// Removes a method's own `#[callback_async(..)]` and returns its options.
fn take_own_options(attrs: &mut Vec<Attribute>, errors: &mut Errors) -> Option<Options> {
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
            errors.push(syn::Error::new_spanned(
                pair,
                "expected `#[callback_async(..)]`",
            ));
            TokenStream::new()
        }
    };
    let (options, own_errors) = Options::parse(args);
    errors.append(own_errors);
    Some(options)
}

/// A method of an `impl` block or a trait, as the walk over them sees it.
struct Method<'a> {
    attrs: &'a mut Vec<Attribute>,
    /// `None` in a trait, whose methods have no visibility of their own.
    vis: Option<&'a Visibility>,
    sig: &'a Signature,
}

// Input:  the items of `impl Client { fn get(&self, done: impl FnOnce(u8)) {..} fn other(&self) {..} }`
// Output: fn get(&self, ..) {..} fn get_async(&self) -> Promise<u8> {..} fn other(&self) {..}
/// Each item, followed by the generated function of each method that takes part: one with its
/// own attribute, or with exactly one callback parameter.
fn expand_methods<I: Parse>(
    items: Vec<I>,
    block: &Options,
    place: &Place,
    errors: &mut Errors,
    method: impl Fn(&mut I) -> Option<Method<'_>>,
) -> Vec<I> {
    let inherited = Visibility::Inherited;
    let mut expanded = Vec::with_capacity(items.len());
    for mut item in items {
        let generated = method(&mut item).and_then(|method| {
            let options = match take_own_options(method.attrs, errors) {
                Some(own) => block.overridden_by(own),
                None if callback::candidates(method.sig).len() == 1
                    && method.sig.asyncness.is_none() =>
                {
                    block.clone()
                }
                None => return None,
            };
            let function = Function {
                attrs: method.attrs,
                vis: method.vis.unwrap_or(&inherited),
                sig: method.sig,
            };
            let generated = errors.keep(generate(&function, &options, place));
            method
                .attrs
                .extend(signature::deprecation(method.sig, &options));
            generated
        });
        expanded.push(item);
        if let Some(generated) = generated.filter(|tokens| !tokens.is_empty()) {
            expanded.extend(errors.keep(syn::parse2::<I>(generated)));
        }
    }
    expanded
}

fn expand_impl(mut item: ItemImpl, options: &Options, errors: &mut Errors) -> TokenStream {
    if let Some((path, _)) = &item.trait_ {
        errors.push(syn::Error::new_spanned(
            path,
            "`#[callback_async]` cannot add methods to a trait implementation (the trait does not \
             declare them): put it on the trait's definition instead",
        ));
        return item.into_token_stream();
    }
    options.reject_outside(Scope::Block, errors);
    let place = Place::Associated {
        owner: owner_name(&item.self_ty),
        in_trait: false,
    };
    let items = std::mem::take(&mut item.items);
    item.items = expand_methods(items, options, &place, errors, |item| match item {
        ImplItem::Fn(method) => Some(Method {
            attrs: &mut method.attrs,
            vis: Some(&method.vis),
            sig: &method.sig,
        }),
        _ => None,
    });
    item.into_token_stream()
}

fn expand_trait(mut item: ItemTrait, options: &Options, errors: &mut Errors) -> TokenStream {
    options.reject_outside(Scope::Block, errors);
    let place = Place::Associated {
        owner: Some(item.ident.to_string()),
        in_trait: true,
    };
    let items = std::mem::take(&mut item.items);
    item.items = expand_methods(items, options, &place, errors, |item| match item {
        TraitItem::Fn(method) => Some(Method {
            attrs: &mut method.attrs,
            vis: None,
            sig: &method.sig,
        }),
        _ => None,
    });
    item.into_token_stream()
}

// Input:  #[callback_async] unsafe extern "C" { #[callback_async(cb: |_, n: c_int| _(n), data: _)] fn start(cb: .., data: *mut c_void); }
// Output: unsafe extern "C" { fn start(..); } unsafe fn start_async() -> Promise<c_int> {..}
// The generated functions follow the block: an `extern` block holds declarations only. A
// function takes part only with its own attribute, which says where the C callback goes.
fn expand_extern(mut item: ItemForeignMod, options: &Options, errors: &mut Errors) -> TokenStream {
    options.reject_outside(Scope::Block, errors);
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
            errors.push(syn::Error::new_spanned(
                &function.sig.ident,
                "a function of an `extern` block takes C callbacks: say where the callback and \
                 its user data go, as in `#[callback_async(callback: |_, n: c_int| _(n), \
                 user_data: _)]`",
            ));
            continue;
        }
        let wrapped = Function {
            attrs: &function.attrs,
            vis: &function.vis,
            sig: &function.sig,
        };
        generated.extend(errors.keep(c_fn::generate(&wrapped, &options, &Place::Free)));
        function
            .attrs
            .extend(signature::deprecation(&function.sig, &options));
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

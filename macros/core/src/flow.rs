//! Flow control of a stream: `stream(bound = N, overflow = POLICY)`, read alike by
//! `#[callback_async(stream(..))]` and `promisify!(stream(..) CALL)`, and the call that makes a
//! bounded stream. A plain `stream` has no bound, and its expansion does not change.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::parse::ParseStream;
use syn::{Expr, Ident, Lit, LitStr, Token};

use crate::error::{Errors, parse_each};
use crate::root::Private;
use crate::splice::append;

mod kw {
    syn::custom_keyword!(bound);
    syn::custom_keyword!(overflow);
    syn::custom_keyword!(drop_oldest);
    syn::custom_keyword!(drop_newest);
    syn::custom_keyword!(block);
}

/// What a full stream does with a new item: the runtime's `Overflow`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// `drop_oldest`, the default: the new item discards the oldest queued one.
    DropOldest,
    /// `drop_newest`: the new item is discarded.
    DropNewest,
    /// `block`: the producer waits for room.
    Block,
}

/// `stream(bound = N, overflow = POLICY)` as written.
#[derive(Clone)]
pub struct Bound {
    /// `N`: an expression of type `usize`, evaluated before the original is called.
    pub limit: Expr,
    /// The key `bound`, where an error about the limit's type says `usize` was expected.
    pub key: Span,
    pub overflow: Overflow,
    /// The policy's name as written; `None` for the default.
    pub overflow_span: Option<Span>,
}

const KEYS: &str = "it takes `bound = N` (how many items may wait for the consumer) and \
                    optionally `overflow = drop_oldest`, `drop_newest` or `block`, as in \
                    `stream(bound = 64, overflow = drop_newest)`";

const POLICIES: &str = "write `drop_oldest` (the default: a new item discards the oldest queued \
                        one), `drop_newest` (a new item is discarded while the stream is full) or \
                        `block` (the producer waits for room)";

// Input:  (bound = 64, overflow = drop_newest)   right after `stream`
// Output: Some(Bound { limit: 64, overflow: DropNewest, .. }); None without parentheses
/// Parses the parentheses after `stream`, if any. Each problem inside them is pushed to `errors`;
/// what did parse still applies, so that the rest of the expansion is checked as usual.
pub fn parse_after_stream(input: ParseStream, errors: &mut Errors) -> syn::Result<Option<Bound>> {
    if !input.peek(syn::token::Paren) {
        return Ok(None);
    }
    let content;
    let parens = syn::parenthesized!(content in input);
    Ok(parse_args(content.parse()?, parens.span.join(), errors))
}

// Input:  bound = 64, overflow = drop_newest   inside `stream(..)`, or after `stream(_, ..)`'s
//         placeholder in `promisify!`
// Output: Some(Bound { limit: 64, overflow: DropNewest, .. })
/// Parses the keys of a bound; `whole` is where they are, for an error about none at all.
pub fn parse_args(args: TokenStream, whole: Span, errors: &mut Errors) -> Option<Bound> {
    if args.is_empty() {
        errors.push(syn::Error::new(
            whole,
            "`stream()` names no bound: write `stream(bound = 64)` for a stream that queues at \
             most 64 items, or plain `stream` for one without a bound",
        ));
        return None;
    }
    let mut limit: Option<(Span, Expr)> = None;
    let mut overflow: Option<(Span, Overflow, Span)> = None;
    parse_each(args, errors, |input, errors| {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::bound) {
            let key = input.parse::<kw::bound>()?.span;
            let value = value(input, key, "bound", |input| input.parse::<Expr>())?;
            if is_zero(&value) {
                errors.push(syn::Error::new_spanned(
                    &value,
                    "a stream's bound must be at least 1: it is how many items may wait for the \
                     consumer (for a stream without a bound, write plain `stream`)",
                ));
            }
            once(&mut limit, key, "bound", (key, value))
        } else if lookahead.peek(kw::overflow) {
            let key = input.parse::<kw::overflow>()?.span;
            let (policy, at) = value(input, key, "overflow", policy)?;
            once(&mut overflow, key, "overflow", (key, policy, at))
        } else {
            let unknown: proc_macro2::TokenTree = input.parse()?;
            Err(syn::Error::new_spanned(
                &unknown,
                format!("unknown key `{unknown}` in `stream(..)`: {KEYS}"),
            ))
        }
    });
    match (limit, overflow) {
        (Some((key, limit)), overflow) => Some(Bound {
            limit,
            key,
            overflow: overflow.map_or(Overflow::DropOldest, |(_, policy, _)| policy),
            overflow_span: overflow.map(|(_, _, at)| at),
        }),
        (None, Some((key, _, _))) => {
            errors.push(syn::Error::new(
                key,
                "`overflow` says what a full stream does, and a stream is full only with a \
                 bound: add one, as in `stream(bound = 64, overflow = drop_newest)`",
            ));
            None
        }
        (None, None) => None,
    }
}

/// `= VALUE` after `key`, or what to write.
fn value<T>(
    input: ParseStream,
    key: Span,
    name: &str,
    value: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    if input.parse::<Option<Token![=]>>()?.is_none() {
        let example = match name {
            "bound" => "a number of items (a `usize`), as in `bound = 64`",
            _ => "a policy, as in `overflow = drop_newest`",
        };
        return Err(syn::Error::new(
            key,
            format!("`{name}` needs a value: {example}"),
        ));
    }
    value(input)
}

fn once<T>(slot: &mut Option<T>, key: Span, name: &str, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            key,
            format!("`{name}` is given twice in `stream(..)`: write it once"),
        ));
    }
    *slot = Some(value);
    Ok(())
}

/// The policy after `overflow =`, with its span.
fn policy(input: ParseStream) -> syn::Result<(Overflow, Span)> {
    let lookahead = input.lookahead1();
    if lookahead.peek(kw::drop_oldest) {
        Ok((Overflow::DropOldest, input.parse::<kw::drop_oldest>()?.span))
    } else if lookahead.peek(kw::drop_newest) {
        Ok((Overflow::DropNewest, input.parse::<kw::drop_newest>()?.span))
    } else if lookahead.peek(kw::block) {
        Ok((Overflow::Block, input.parse::<kw::block>()?.span))
    } else if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        Err(syn::Error::new(
            lit.span(),
            format!(
                "write the policy without quotes, as in `overflow = {}`",
                lit.value()
            ),
        ))
    } else {
        let unknown: proc_macro2::TokenTree = input.parse()?;
        Err(syn::Error::new_spanned(
            &unknown,
            format!("unknown overflow policy `{unknown}`: {POLICIES}"),
        ))
    }
}

/// A literal `0`, the one bound known to be wrong before the program runs.
fn is_zero(limit: &Expr) -> bool {
    match limit {
        Expr::Lit(lit) => {
            matches!(&lit.lit, Lit::Int(int) if int.base10_parse::<u128>().is_ok_and(|n| n == 0))
        }
        _ => false,
    }
}

impl Bound {
    /// A sentence for a generated function's docs: how many items wait, and what a full stream
    /// does.
    pub fn describe(&self) -> String {
        let limit = self.limit.to_token_stream().to_string();
        let full = match self.overflow {
            Overflow::DropOldest => "a new item discards the oldest queued one",
            Overflow::DropNewest => "a new item is discarded",
            Overflow::Block => "the callback waits for room",
        };
        format!(" The stream queues at most `{limit}` items: when it is full, {full}.")
    }
}

/// Which of the runtime's functions makes the stream.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Maker {
    /// `stream_bounded`: the counterpart of `stream`.
    Rust,
    /// `stream_bounded_send`: the counterpart of `stream_send`, for a value that must be `Send`.
    RustSend,
    /// `ffi::stream_bounded`: the counterpart of `ffi::stream`, for a C callback.
    C,
}

// Input:  stream(bound = 64, overflow = drop_newest), the value's type if the expansion names it
// Output: {
//             let bound: ::core::primitive::usize = 64;
//             PRIVATE::stream_bounded_send::<VALUE>(bound, PRIVATE::Overflow::DropNewest)
//         }   (or PRIVATE::stream_bounded(..), PRIVATE::ffi::stream_bounded(..))
//
// The limit is typed by a `let` rather than by the function's parameter, so that a limit of
// another type is reported at the user's `bound = ..` without naming the runtime's function.
/// The call that makes a bounded stream and its sender.
pub struct BoundedStream<'a> {
    pub bound: &'a Bound,
    pub maker: Maker,
    pub value_type: Option<&'a TokenStream>,
    pub private: Private<'a>,
}

impl ToTokens for BoundedStream<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let private = self.private;
        let site = private.site();
        let ffi = (self.maker == Maker::C).then(|| quote_spanned!(site=> ffi::));
        let function = Ident::new(
            match self.maker {
                Maker::Rust | Maker::C => "stream_bounded",
                Maker::RustSend => "stream_bounded_send",
            },
            site,
        );
        let turbofish = self.value_type.map(|ty| quote_spanned!(site=> ::<#ty>));
        let policy = Ident::new(
            match self.bound.overflow {
                Overflow::DropOldest => "DropOldest",
                Overflow::DropNewest => "DropNewest",
                Overflow::Block => "Block",
            },
            site,
        );
        let limit = &self.bound.limit;
        let local = Ident::new("bound", private.local());
        let usize = quote_spanned!(site.located_at(self.bound.key)=> ::core::primitive::usize);
        append(
            out,
            quote_spanned! {site=>
                {
                    let #local: #usize = #limit;
                    #private::#ffi #function #turbofish (#local, #private::Overflow::#policy)
                }
            },
        );
    }
}

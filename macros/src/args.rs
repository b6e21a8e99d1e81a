//! The options of `#[callback_async(...)]`.

use proc_macro2::{Span, TokenStream};
use syn::parse::{ParseStream, Parser};
use syn::{Expr, Ident, LitStr, Path, Token};

mod kw {
    syn::custom_keyword!(callback);
    syn::custom_keyword!(ok);
    syn::custom_keyword!(err);
    syn::custom_keyword!(name);
    syn::custom_keyword!(dropped);
}

/// An option as written, with the span of its key for error messages.
#[derive(Clone)]
pub struct Spanned<T> {
    pub key: Span,
    pub value: T,
}

/// Options of one `#[callback_async(...)]` attribute. Every field is `None` when not written.
#[derive(Clone, Default)]
pub struct Options {
    pub callback: Option<Spanned<Ident>>,
    pub ok: Option<Spanned<Ident>>,
    pub err: Option<Spanned<Ident>>,
    pub name: Option<Spanned<Ident>>,
    pub krate: Option<Spanned<Path>>,
    pub dropped: Option<Spanned<Expr>>,
}

impl Options {
    /// Parses the attribute's arguments, collecting one error per bad option rather than
    /// stopping at the first, so that the options that did parse still apply.
    pub fn parse(args: TokenStream) -> (Options, Option<syn::Error>) {
        let mut options = Options::default();
        let mut errors: Option<syn::Error> = None;
        let parser = |input: ParseStream| {
            while !input.is_empty() {
                if let Err(error) = options.parse_one(input) {
                    push(&mut errors, error);
                    skip_to_comma(input);
                }
                if !input.is_empty() {
                    if let Err(error) = input.parse::<Token![,]>() {
                        push(&mut errors, error);
                        skip_to_comma(input);
                        let _ = input.parse::<Option<Token![,]>>();
                    }
                }
            }
            Ok(())
        };
        if let Err(error) = parser.parse2(args) {
            push(&mut errors, error);
        }
        (options, errors)
    }

    fn parse_one(&mut self, input: ParseStream) -> syn::Result<()> {
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::callback) {
            let key = input.parse::<kw::callback>()?.span;
            set(
                &mut self.callback,
                key,
                "callback",
                parse_value(input, |i| i.parse())?,
            )
        } else if lookahead.peek(kw::ok) {
            let key = input.parse::<kw::ok>()?.span;
            set(&mut self.ok, key, "ok", parse_value(input, |i| i.parse())?)
        } else if lookahead.peek(kw::err) {
            let key = input.parse::<kw::err>()?.span;
            set(
                &mut self.err,
                key,
                "err",
                parse_value(input, |i| i.parse())?,
            )
        } else if lookahead.peek(kw::name) {
            let key = input.parse::<kw::name>()?.span;
            let name = parse_value(input, |i| {
                let lit: LitStr = i.parse()?;
                lit.parse::<Ident>().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`name` must be a function name, like \"fetch_later\"",
                    )
                })
            })?;
            set(&mut self.name, key, "name", name)
        } else if lookahead.peek(Token![crate]) {
            let key = input.parse::<Token![crate]>()?.span;
            let path = parse_value(input, |i| {
                let lit: LitStr = i.parse()?;
                lit.parse_with(Path::parse_mod_style).map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`crate` must be a path, like \"::my_callback_async\"",
                    )
                })
            })?;
            set(&mut self.krate, key, "crate", path)
        } else if lookahead.peek(kw::dropped) {
            let key = input.parse::<kw::dropped>()?.span;
            set(
                &mut self.dropped,
                key,
                "dropped",
                parse_value(input, |i| i.parse())?,
            )
        } else {
            Err(lookahead.error())
        }
    }

    /// The options of `inner` (a method's own attribute) over those of `self` (its block's).
    pub fn overridden_by(&self, inner: Options) -> Options {
        Options {
            callback: inner.callback,
            ok: inner.ok,
            err: inner.err,
            name: inner.name,
            krate: inner.krate.or_else(|| self.krate.clone()),
            dropped: inner.dropped.or_else(|| self.dropped.clone()),
        }
    }
}

fn parse_value<T>(
    input: ParseStream,
    value: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    input.parse::<Token![=]>()?;
    value(input)
}

fn set<T>(slot: &mut Option<Spanned<T>>, key: Span, name: &str, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(key, format!("duplicate option `{name}`")));
    }
    *slot = Some(Spanned { key, value });
    Ok(())
}

fn skip_to_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

/// Adds `error` to the collected ones.
pub fn push(errors: &mut Option<syn::Error>, error: syn::Error) {
    match errors {
        Some(existing) => existing.combine(error),
        None => *errors = Some(error),
    }
}

//! One parser for the options of every macro: `#[callback_async(..)]`'s and `#[callbackify(..)]`'s.
//! Each bad option is reported and skipped, so that the options that did parse still apply.

use proc_macro2::{Span, TokenStream};
use syn::parse::ParseStream;
use syn::{Expr, Ident, LitStr, Path, Token, Type};

use crate::error::{Errors, parse_each};
use crate::flow::{self, Bound};

mod kw {
    syn::custom_keyword!(callback);
    syn::custom_keyword!(ok);
    syn::custom_keyword!(err);
    syn::custom_keyword!(name);
    syn::custom_keyword!(dropped);
    syn::custom_keyword!(stream);
    syn::custom_keyword!(cancel);
    syn::custom_keyword!(deprecate);
    syn::custom_keyword!(output);
    syn::custom_keyword!(spawn);
    syn::custom_keyword!(progress);
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
    /// `progress = param`: a callback whose calls are a stream beside the promise.
    pub progress: Option<Spanned<Ident>>,
    pub ok: Option<Spanned<Ident>>,
    pub err: Option<Spanned<Ident>>,
    pub name: Option<Spanned<Ident>>,
    pub krate: Option<Spanned<Path>>,
    pub dropped: Option<Spanned<Expr>>,
    /// `stream`, or `stream(bound = N, ..)` with its bound.
    pub stream: Option<Spanned<Option<Bound>>>,
    pub cancel: Option<Spanned<Expr>>,
    pub deprecate: Option<Spanned<()>>,
    /// `param: EXPR`: what replaces a parameter that takes a C callback or its user data, with
    /// the placeholders of `promisify!(unsafe { .. })`.
    pub c_args: Vec<CArgument>,
    /// `output = Type`: the type of the value a C callback hands to `_(..)`.
    pub output: Option<Spanned<Type>>,
}

/// `param: EXPR` in `#[callback_async(..)]`.
#[derive(Clone)]
pub struct CArgument {
    pub param: Ident,
    pub value: Expr,
}

/// Options of `#[callbackify(..)]`.
#[derive(Default)]
pub struct CallbackifyOptions {
    pub spawn: Option<Spanned<Expr>>,
    pub krate: Option<Spanned<Path>>,
}

impl Options {
    /// Parses the attribute's arguments, with one error per bad option.
    pub fn parse(args: TokenStream) -> (Options, Errors) {
        let mut options = Options::default();
        let mut errors = Errors::new();
        parse_each(args, &mut errors, |input, errors| {
            options.parse_one(input, errors)
        });
        (options, errors)
    }

    fn parse_one(&mut self, input: ParseStream, errors: &mut Errors) -> syn::Result<()> {
        // `param: EXPR` before the keywords: a parameter may be called `callback`.
        if input.peek(Ident) && input.peek2(Token![:]) && !input.peek2(Token![::]) {
            let param: Ident = input.parse()?;
            input.parse::<Token![:]>()?;
            if let Some(earlier) = self.c_args.iter().find(|arg| arg.param == param) {
                let message = format!("`{}` is given twice", earlier.param);
                let _: Expr = input.parse()?;
                return Err(syn::Error::new(param.span(), message));
            }
            let value = input.parse()?;
            self.c_args.push(CArgument { param, value });
            return Ok(());
        }
        let lookahead = input.lookahead1();
        if lookahead.peek(kw::callback) {
            let key = input.parse::<kw::callback>()?.span;
            set(
                &mut self.callback,
                key,
                "callback",
                value(input, key, "callback", parameter)?,
            )
        } else if lookahead.peek(kw::progress) {
            let key = input.parse::<kw::progress>()?.span;
            set(
                &mut self.progress,
                key,
                "progress",
                value(input, key, "progress", parameter)?,
            )
        } else if lookahead.peek(kw::ok) {
            let key = input.parse::<kw::ok>()?.span;
            set(&mut self.ok, key, "ok", value(input, key, "ok", parameter)?)
        } else if lookahead.peek(kw::err) {
            let key = input.parse::<kw::err>()?.span;
            set(
                &mut self.err,
                key,
                "err",
                value(input, key, "err", parameter)?,
            )
        } else if lookahead.peek(kw::name) {
            let key = input.parse::<kw::name>()?.span;
            set(
                &mut self.name,
                key,
                "name",
                value(input, key, "name", function_name)?,
            )
        } else if lookahead.peek(Token![crate]) {
            let key = input.parse::<Token![crate]>()?.span;
            set(
                &mut self.krate,
                key,
                "crate",
                value(input, key, "crate", crate_path)?,
            )
        } else if lookahead.peek(kw::dropped) {
            let key = input.parse::<kw::dropped>()?.span;
            set(
                &mut self.dropped,
                key,
                "dropped",
                value(input, key, "dropped", |input| input.parse())?,
            )
        } else if lookahead.peek(kw::stream) {
            let key = input.parse::<kw::stream>()?.span;
            let bound = flow::parse_after_stream(input, errors)?;
            if bound.is_none() {
                flag(input, key, "stream")?;
            }
            set(&mut self.stream, key, "stream", bound)
        } else if lookahead.peek(kw::deprecate) {
            let key = input.parse::<kw::deprecate>()?.span;
            set(
                &mut self.deprecate,
                key,
                "deprecate",
                flag(input, key, "deprecate")?,
            )
        } else if lookahead.peek(kw::cancel) {
            let key = input.parse::<kw::cancel>()?.span;
            set(
                &mut self.cancel,
                key,
                "cancel",
                value(input, key, "cancel", |input| input.parse())?,
            )
        } else if lookahead.peek(kw::output) {
            let key = input.parse::<kw::output>()?.span;
            set(
                &mut self.output,
                key,
                "output",
                value(input, key, "output", |input| input.parse())?,
            )
        } else {
            Err(lookahead.error())
        }
    }

    /// The options of `inner` (a method's own attribute) over those of `self` (its block's).
    pub fn overridden_by(&self, inner: Options) -> Options {
        Options {
            callback: inner.callback,
            progress: inner.progress,
            ok: inner.ok,
            err: inner.err,
            name: inner.name,
            krate: inner.krate.or_else(|| self.krate.clone()),
            dropped: inner.dropped.or_else(|| self.dropped.clone()),
            stream: inner.stream.or_else(|| self.stream.clone()),
            cancel: inner.cancel.or_else(|| self.cancel.clone()),
            deprecate: inner.deprecate.or_else(|| self.deprecate.clone()),
            c_args: inner.c_args,
            output: inner.output,
        }
    }
}

impl CallbackifyOptions {
    /// Parses `#[callbackify(..)]`'s arguments, with one error per bad option.
    pub fn parse(args: TokenStream, errors: &mut Errors) -> CallbackifyOptions {
        let mut options = CallbackifyOptions::default();
        parse_each(args, errors, |input, _| {
            let lookahead = input.lookahead1();
            if lookahead.peek(kw::spawn) {
                let key = input.parse::<kw::spawn>()?.span;
                let spawn = value(input, key, "spawn", |input| input.parse())?;
                set(&mut options.spawn, key, "spawn", spawn)
            } else if lookahead.peek(Token![crate]) {
                let key = input.parse::<Token![crate]>()?.span;
                set(
                    &mut options.krate,
                    key,
                    "crate",
                    value(input, key, "crate", crate_path)?,
                )
            } else {
                Err(lookahead.error())
            }
        });
        options
    }
}

/// Where an attribute's options are written, as the table of which option applies where reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// An `impl` block, a trait or an `extern` block, whose options apply to each of its
    /// functions: options that choose parameters of one function make no sense there.
    Block,
    /// A function that takes a Rust callback.
    RustFn,
    /// A function that takes a C callback: `param: placeholder`.
    CFn,
    /// A function that takes a Rust callback, with `progress = ..`.
    Progress,
    /// A function that takes a Rust callback, with `stream`.
    Stream,
}

/// An option, as the table names it.
#[derive(Clone, Copy)]
enum Key {
    Callback,
    Progress,
    Ok,
    Err,
    Name,
    Output,
    /// `param: placeholder`.
    Placeholder,
    Dropped,
    Cancel,
}

/// The one table of which option applies where: for each scope, the options that do not apply
/// to it, in the order their errors are reported.
const fn not_applicable(scope: Scope) -> &'static [Key] {
    match scope {
        Scope::Block => &[
            Key::Callback,
            Key::Progress,
            Key::Ok,
            Key::Err,
            Key::Name,
            Key::Output,
            Key::Placeholder,
        ],
        Scope::RustFn => &[Key::Output],
        Scope::CFn => &[Key::Callback, Key::Ok, Key::Err, Key::Dropped, Key::Cancel],
        Scope::Progress => &[Key::Dropped, Key::Cancel],
        Scope::Stream => &[Key::Dropped],
    }
}

impl Options {
    /// Reports each option written here that does not apply to `scope`.
    pub fn reject_outside(&self, scope: Scope, errors: &mut Errors) {
        for &key in not_applicable(scope) {
            if let Some((span, name)) = self.written(key) {
                errors.push(syn::Error::new(span, why_not(scope, key, &name)));
            }
        }
    }

    /// Where `key` is written, and its name as written (a placeholder's is its parameter's).
    fn written(&self, key: Key) -> Option<(Span, String)> {
        let named = |key: Span, name: &str| (key, name.to_owned());
        match key {
            Key::Callback => self.callback.as_ref().map(|o| named(o.key, "callback")),
            Key::Progress => self.progress.as_ref().map(|o| named(o.key, "progress")),
            Key::Ok => self.ok.as_ref().map(|o| named(o.key, "ok")),
            Key::Err => self.err.as_ref().map(|o| named(o.key, "err")),
            Key::Name => self.name.as_ref().map(|o| named(o.key, "name")),
            Key::Output => self.output.as_ref().map(|o| named(o.key, "output")),
            Key::Placeholder => self
                .c_args
                .first()
                .map(|arg| (arg.param.span(), arg.param.to_string())),
            Key::Dropped => self.dropped.as_ref().map(|o| named(o.key, "dropped")),
            Key::Cancel => self.cancel.as_ref().map(|o| named(o.key, "cancel")),
        }
    }
}

/// Why the option `name` does not apply to `scope`.
fn why_not(scope: Scope, key: Key, name: &str) -> String {
    match scope {
        Scope::Block => {
            let separator = if matches!(key, Key::Placeholder) {
                ":"
            } else {
                " ="
            };
            format!(
                "`{name}` applies to one function: on a block, put \
                 `#[callback_async({name}{separator} ..)]` on the function it is for"
            )
        }
        Scope::CFn => format!(
            "`{name}` is an option for Rust callbacks; with `param: placeholder` the function \
             takes a C callback, whose options are `stream`, `name`, `output`, `crate` and \
             `deprecate`"
        ),
        // `output` only.
        Scope::RustFn => format!(
            "`{name}` names the value of a C callback, given as `param: |_, ..| ..`; a Rust \
             callback's parameters already tell it"
        ),
        Scope::Progress => format!("`{name}` does not combine with `progress` yet"),
        // `dropped` only.
        Scope::Stream => {
            format!("`{name}` does not apply to a stream: a dropped callback ends the stream")
        }
    }
}

/// Parses `= VALUE` after the key `name`, or explains what value it takes.
fn value<T>(
    input: ParseStream,
    key: Span,
    name: &str,
    value: impl FnOnce(ParseStream) -> syn::Result<T>,
) -> syn::Result<T> {
    if !input.peek(Token![=]) {
        let example = match name {
            "callback" | "progress" | "ok" | "err" => "a parameter's name, as in `callback = done`",
            "name" => "a string, as in `name = \"fetch_later\"`",
            "crate" => "a string, as in `crate = \"::my_runtime\"`",
            "cancel" => "a path or a closure, as in `cancel = |handle| handle.abort()`",
            "output" => "a type, as in `output = Vec<u8>`",
            "spawn" => "an expression, as in `spawn = tokio::spawn`",
            _ => "an expression, as in `dropped = Err(Error::Cancelled)`",
        };
        return Err(syn::Error::new(
            key,
            format!("`{name}` needs a value: {example}"),
        ));
    }
    input.parse::<Token![=]>()?;
    value(input)
}

/// A key that takes no value.
fn flag(input: ParseStream, key: Span, name: &str) -> syn::Result<()> {
    if input.peek(Token![=]) {
        let bounded = if name == "stream" {
            ", or `stream(bound = 64)` for a stream that queues at most 64 items"
        } else {
            ""
        };
        return Err(syn::Error::new(
            key,
            format!("`{name}` takes no value: write `{name}`{bounded}"),
        ));
    }
    Ok(())
}

fn parameter(input: ParseStream) -> syn::Result<Ident> {
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Err(syn::Error::new(
            lit.span(),
            format!(
                "expected a parameter's name without quotes: `{}`",
                lit.value()
            ),
        ));
    }
    input.parse()
}

fn function_name(input: ParseStream) -> syn::Result<Ident> {
    let lit: LitStr = input.parse()?;
    lit.parse::<Ident>().map_err(|_| {
        syn::Error::new(
            lit.span(),
            "`name` must be a function name, like \"fetch_later\"",
        )
    })
}

fn crate_path(input: ParseStream) -> syn::Result<Path> {
    let lit: LitStr = input.parse()?;
    lit.parse_with(Path::parse_mod_style).map_err(|_| {
        syn::Error::new(
            lit.span(),
            "`crate` must be a path, like \"::my_callback_async\"",
        )
    })
}

fn set<T>(slot: &mut Option<Spanned<T>>, key: Span, name: &str, value: T) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(key, format!("duplicate option `{name}`")));
    }
    *slot = Some(Spanned { key, value });
    Ok(())
}

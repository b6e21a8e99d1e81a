//! Writing tokens one at a time into the stream being built.
//!
//! Inside the compiler, `proc_macro2` keeps the single tokens pushed onto a `TokenStream` in a
//! vector and hands them over in one call across the proc-macro bridge when the stream is used.
//! Interpolating one `TokenStream` into another (`#stream` in `quote!`, `extend` with streams)
//! instead flushes both sides and concatenates them in the compiler: several bridge calls, some
//! thousands of instructions each, against a few hundred for a pushed token. Proc macros run
//! unoptimized under `cargo check`, and intermediate `quote!` results interpolated into other
//! `quote!`s once took a fifth of `#[callback_async]`'s time. The helpers here let an expansion
//! write its pieces straight into the one stream (or `Group`) they end up in.
//!
//! Every helper produces the tokens that `quote!` would for the same text, spans and spacing
//! included: `::` is a joint `:` then an alone `:`, and tokens written here get
//! `Span::call_site()`, as `quote!`'s own tokens do.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt};

/// The runtime's hidden module, `::callback_async::__private` or `PATH::__private` under
/// `crate = "PATH"`, written token by token wherever it is interpolated. An expansion names it
/// about ten times; as a prebuilt `TokenStream` each of those would be a stream interpolation.
#[derive(Clone, Copy)]
pub struct Private<'a> {
    krate: Option<&'a syn::Path>,
    span: Span,
}

impl<'a> Private<'a> {
    /// The path for the `crate = ".."` option's value, if any.
    pub fn new(krate: Option<&'a syn::Path>) -> Self {
        Private {
            krate,
            span: Span::call_site(),
        }
    }

    /// `::callback_async::__private`, resolved at the call site but located at `span`, so that
    /// an error about what it names points there.
    pub fn located_at(span: Span) -> Self {
        Private {
            krate: None,
            span: Span::call_site().located_at(span),
        }
    }
}

impl ToTokens for Private<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        match self.krate {
            Some(path) => path.to_tokens(out),
            None => self::path_spanned(out, "::callback_async", self.span),
        }
        self::path_spanned(out, "::__private", self.span);
    }
}

/// Punctuation as `quote!` writes one operator token (`::`, `->`, `||`, `&`): every character
/// but the last joint to the next.
pub fn punct(out: &mut TokenStream, op: &str) {
    punct_spanned(out, op, Span::call_site());
}

/// `punct` as `quote_spanned!` writes it.
pub fn punct_spanned(out: &mut TokenStream, op: &str, span: Span) {
    let mut chars = op.chars().peekable();
    while let Some(ch) = chars.next() {
        let spacing = if chars.peek().is_some() {
            Spacing::Joint
        } else {
            Spacing::Alone
        };
        let mut punct = Punct::new(ch, spacing);
        punct.set_span(span);
        out.append(punct);
    }
}

/// An identifier at the call site.
pub fn ident(out: &mut TokenStream, name: &str) {
    out.append(Ident::new(name, Span::call_site()));
}

/// A path such as `::core::option::Option`, or `::Settler::settle_once` after a prefix written
/// before it, at the call site.
pub fn path(out: &mut TokenStream, path: &str) {
    path_spanned(out, path, Span::call_site());
}

/// `path` as `quote_spanned!` writes it.
pub fn path_spanned(out: &mut TokenStream, path: &str, span: Span) {
    let mut segments = path.split("::");
    if let Some(first) = segments.next().filter(|first| !first.is_empty()) {
        out.append(Ident::new(first, span));
    }
    for segment in segments {
        punct_spanned(out, "::", span);
        out.append(Ident::new(segment, span));
    }
}

/// A string literal at the call site (as `quote!` writes `"text"`).
pub fn string(out: &mut TokenStream, text: &str) {
    out.append(Literal::string(text));
}

/// A delimited group whose contents `inner` writes.
pub fn group(out: &mut TokenStream, delimiter: Delimiter, inner: impl FnOnce(&mut TokenStream)) {
    let mut stream = TokenStream::new();
    inner(&mut stream);
    out.append(Group::new(delimiter, stream));
}

/// `group` as `quote_spanned!` writes it.
pub fn group_spanned(
    out: &mut TokenStream,
    delimiter: Delimiter,
    span: Span,
    inner: impl FnOnce(&mut TokenStream),
) {
    let mut stream = TokenStream::new();
    inner(&mut stream);
    let mut group = Group::new(delimiter, stream);
    group.set_span(span);
    out.append(group);
}

/// The tokens that `write` writes, as a stream of their own.
pub fn stream(write: impl FnOnce(&mut TokenStream)) -> TokenStream {
    let mut stream = TokenStream::new();
    write(&mut stream);
    stream
}

/// Tokens written by a closure, for interpolating into `quote!` a piece that would otherwise be
/// built as a `TokenStream` of its own first.
pub struct Lazy<F>(pub F);

impl<F: Fn(&mut TokenStream)> ToTokens for Lazy<F> {
    fn to_tokens(&self, out: &mut TokenStream) {
        (self.0)(out);
    }
}

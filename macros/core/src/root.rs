//! The one path contract: every runtime path an expansion names starts at [`Private`], the
//! runtime's hidden `__private` module under the root the user's crate reaches it by.

use proc_macro2::{Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, TokenStreamExt};

/// How the user's crate names the runtime.
#[derive(Clone, Copy)]
pub enum Root<'a> {
    /// `::callback_async`, the crate's own name.
    Default,
    /// `crate = "PATH"`, for a runtime renamed or re-exported by another crate.
    Path(&'a syn::Path),
    /// `$crate` of the runtime's `macro_rules!` that forwards to the proc macro, which works
    /// through any crate that re-exports the runtime. Its trees, not a `TokenStream`: appending
    /// a tree is a copy on this side of the proc-macro bridge, extending by a stream is not.
    Forwarded(&'a [TokenTree]),
}

impl<'a> Root<'a> {
    /// The root of the `crate = ".."` option, if written.
    pub fn from_option(krate: Option<&'a syn::Path>) -> Self {
        krate.map_or(Root::Default, Root::Path)
    }
}

/// `ROOT::__private`, with the spans that the expansion's own tokens get.
#[derive(Clone, Copy)]
pub struct Private<'a> {
    root: Root<'a>,
    /// Where the path itself is located, so that an error about what it names points there.
    span: Span,
    /// The span of the expansion's own tokens: the call site, or for a forwarded `promisify!` the
    /// runtime's `macro_rules!` expansion, so that an error in generated code says it originates
    /// in `promisify!` rather than in the hidden macro it forwards to.
    site: Span,
    /// The span of the expansion's own locals (`resolver`, `promise`), which no user name may
    /// reach: `Span::mixed_site()`, or the forwarding `macro_rules!`'s own, equally hygienic.
    local: Span,
}

impl<'a> Private<'a> {
    pub fn new(root: Root<'a>) -> Self {
        Private {
            root,
            span: Span::call_site(),
            site: Span::call_site(),
            local: Span::mixed_site(),
        }
    }

    /// The root that the runtime's `macro_rules!` forwards, with its `site`: a span of that
    /// `macro_rules!`'s expansion.
    pub fn forwarded(root: &'a [TokenTree], site: Span) -> Self {
        Private {
            root: Root::Forwarded(root),
            span: site,
            site,
            local: site,
        }
    }

    /// The same path, located at `span`.
    pub fn located_at(self, span: Span) -> Self {
        Private {
            span: self.site.located_at(span),
            ..self
        }
    }

    pub fn site(&self) -> Span {
        self.site
    }

    pub fn local(&self) -> Span {
        self.local
    }
}

// Input:  Root::Default, or `crate = "::facade::callback_async"`, or `$crate`
// Output: ::callback_async::__private, ::facade::callback_async::__private, $crate::__private
//
// Written token by token into `out`: an expansion names this path a dozen times, and each
// `TokenStream` extended into another costs several calls across the proc-macro bridge (measured:
// 7% of `cargo check`'s instructions on the benchmark crate when this went through `quote!`).
impl ToTokens for Private<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let span = self.span;
        match self.root {
            Root::Default => {
                path_separator(out, span);
                out.append(Ident::new("callback_async", span));
            }
            Root::Path(path) => path.to_tokens(out),
            Root::Forwarded(root) => out.extend(root.iter().cloned()),
        }
        path_separator(out, span);
        out.append(Ident::new("__private", span));
    }
}

/// `::`, as `quote!` writes it: a joint `:` and an alone `:`.
fn path_separator(out: &mut TokenStream, span: Span) {
    for spacing in [Spacing::Joint, Spacing::Alone] {
        let mut colon = Punct::new(':', spacing);
        colon.set_span(span);
        out.append(colon);
    }
}

//! What a callback's arguments become in the promise's value: borrowed arguments made owned, and
//! the closure parameters and value expression that deliver them.

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt, format_ident, quote, quote_spanned};
use syn::spanned::Spanned as _;
use syn::visit_mut::VisitMut;
use syn::{Ident, Lifetime, Type};

use crate::callback::{Shape, strip};
use crate::error::Errors;
use crate::root::Private;
use crate::splice::append;

/// How one callback argument becomes (part of) the promise's value.
pub enum Conversion<'a> {
    /// As it is: not a reference, or a `&'static` one.
    Kept(&'a Type),
    /// A borrowed `&T`, made owned; the tokens that say so are spanned at the whole type.
    Owned {
        reference: &'a syn::TypeReference,
        elem: &'a Type,
        span: Span,
    },
}

impl<'a> Conversion<'a> {
    pub fn new(ty: &'a Type) -> syn::Result<Self> {
        let Type::Reference(reference) = strip(ty) else {
            reject_nested(ty, ty)?;
            return Ok(Conversion::Kept(ty));
        };
        if reference
            .lifetime
            .as_ref()
            .is_some_and(|l| l.ident == "static")
        {
            reject_nested(&reference.elem, ty)?;
            return Ok(Conversion::Kept(ty));
        }
        let elem = strip(&reference.elem);
        reject_nested(elem, ty)?;
        Ok(Conversion::Owned {
            reference,
            elem,
            span: ty.span(),
        })
    }

    // Input:  `u8`, `&str`, `&[T]`, `&Path`
    // Output: u8, PRIVATE::String, PRIVATE::Vec<T>, <Path as PRIVATE::OwnedCopy>::Owned
    pub fn value_type(&self, private: Private) -> TokenStream {
        let (elem, span) = match *self {
            Conversion::Kept(ty) => return ty.to_token_stream(),
            Conversion::Owned { elem, span, .. } => (elem, span),
        };
        match elem {
            Type::Path(path) if path.qself.is_none() && path.path.is_ident("str") => {
                quote_spanned!(span=> #private::String)
            }
            Type::Slice(slice) => {
                let elem = &slice.elem;
                quote_spanned!(span=> #private::Vec<#elem>)
            }
            _ => quote_spanned!(span=> <#elem as #private::OwnedCopy>::Owned),
        }
    }

    // Input:  `&'a mut T`, `u8`
    // Output: &mut T (any lifetime), u8
    pub fn param_type(&self, private: Private) -> TokenStream {
        match *self {
            Conversion::Kept(ty) => ty.to_token_stream(),
            Conversion::Owned {
                reference, elem, ..
            } => {
                let mutability = reference.mutability;
                quote_spanned!(private.site()=> & #mutability #elem)
            }
        }
    }

    // Input:  the argument `arg0` of type `u8`, or of type `&T`
    // Output: arg0, or <T as PRIVATE::OwnedCopy>::owned_copy(arg0)
    pub fn value(&self, arg: &Ident, private: Private) -> TokenStream {
        match *self {
            Conversion::Kept(_) => arg.to_token_stream(),
            Conversion::Owned { elem, span, .. } => {
                quote_spanned!(span=> <#elem as #private::OwnedCopy>::owned_copy(#arg))
            }
        }
    }
}

/// Rejects references and elided lifetimes below the top level of a callback argument type:
/// only a top-level `&T` can be turned into an owned value.
fn reject_nested(ty: &Type, whole: &Type) -> syn::Result<()> {
    struct NestedBorrow {
        found: bool,
    }
    impl VisitMut for NestedBorrow {
        fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
            if reference
                .lifetime
                .as_ref()
                .is_some_and(|l| l.ident == "static")
            {
                self.visit_type_mut(&mut reference.elem);
            } else {
                self.found = true;
            }
        }
        fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
            self.found |= lifetime.ident == "_";
        }
    }
    let mut finder = NestedBorrow { found: false };
    // A copy, for `VisitMut` (syn's `visit` is off, see Cargo.toml): an argument's type is small.
    finder.visit_type_mut(&mut ty.clone());
    if finder.found {
        return Err(syn::Error::new_spanned(
            whole,
            "a reference nested inside a callback argument's type cannot be turned into an owned \
             value: only a top-level `&T` argument is converted (to an owned copy); make the \
             callback's argument an owned type or a top-level reference",
        ));
    }
    Ok(())
}

/// One parameter of a generated closure and the argument it receives: its name, `value` or
/// `value_1`, `value_2`, .., and the argument's conversion when its type is known (a `promisify!`
/// placeholder may leave it untyped: `|a, b: &str| _`).
pub struct ClosureArg<'a> {
    name: Ident,
    conversion: Option<Conversion<'a>>,
    /// Taken and not handed over: a placeholder's parameter written `_` or `_: T`.
    ignored: bool,
}

impl<'a> ClosureArg<'a> {
    /// The `position`-th of `count` parameters, its name located with `span`.
    pub fn new(
        count: usize,
        position: usize,
        span: Span,
        conversion: Option<Conversion<'a>>,
    ) -> Self {
        // Named for what they are to the user, since rustc may name them ("`value` escapes the
        // closure body here").
        let name = if count == 1 {
            Ident::new("value", span)
        } else {
            format_ident!("value_{}", position + 1, span = span)
        };
        ClosureArg {
            name,
            conversion,
            ignored: false,
        }
    }

    // Input:  the parameter `value_2`
    // Output: `_value_2`, left out of the value (and, with its `_`, of rustc's unused warnings)
    /// The same parameter, taken and not handed over.
    pub fn ignored(self) -> Self {
        ClosureArg {
            name: format_ident!("_{}", self.name),
            ignored: true,
            ..self
        }
    }

    /// What the argument becomes in the value: `_` (inferred) where its type is not written.
    fn value_type(&self, private: Private) -> TokenStream {
        match &self.conversion {
            Some(conversion) => conversion.value_type(private),
            None => quote!(_),
        }
    }
}

/// What the generated closure for one callback takes and delivers: its parameters, each with its
/// argument's conversion.
pub struct Delivery<'a> {
    args: Vec<ClosureArg<'a>>,
    private: Private<'a>,
}

impl<'a> Delivery<'a> {
    /// The delivery of a callback's arguments, or the errors of those that cannot be made owned.
    pub fn new(shape: &Shape<'a>, private: Private<'a>) -> syn::Result<Self> {
        let mut args = Vec::new();
        let mut errors = Errors::new();
        let count = shape.inputs.len();
        for (position, input) in shape.inputs.iter().copied().enumerate() {
            if let Some(conversion) = errors.keep(Conversion::new(input)) {
                args.push(ClosureArg::new(
                    count,
                    position,
                    Span::mixed_site(),
                    Some(conversion),
                ));
            }
        }
        errors.finish()?;
        Ok(Delivery { args, private })
    }

    /// The value type: `()`, `A`, or `(A, B, …)`, with borrowed arguments made owned.
    pub fn value_type(&self) -> TokenStream {
        match self.args.as_slice() {
            [one] => one.value_type(self.private),
            all => {
                let types = all.iter().map(|one| one.value_type(self.private));
                quote!((#(#types,)*))
            }
        }
    }

    /// The closure's parameters, `value_1, value_2`; with `typed`, `value_1: A, value_2: B`, typed as the
    /// callback's arguments (references unnamed, so that the closure accepts any lifetime).
    /// Untyped parameters suit closures passed where the callback's bound gives the compiler
    /// their signature (which spares it checking the annotations).
    pub fn params(&self, typed: bool) -> Params<'_> {
        Params {
            args: &self.args,
            typed,
            span: Span::call_site(),
            private: self.private,
        }
    }

    /// The expression that builds the value from the parameters.
    pub fn value(&self) -> Value<'_> {
        Value {
            args: &self.args,
            span: Span::call_site(),
            private: self.private,
        }
    }
}

// Output: value_1, value_2   or, typed, value_1: &str, value_2: u8
/// A generated closure's parameters, typed where `typed` asks and the type is known; written
/// token by token into the closure (see `Private`), its punctuation at `span`.
pub struct Params<'a> {
    pub args: &'a [ClosureArg<'a>],
    pub typed: bool,
    pub span: Span,
    pub private: Private<'a>,
}

impl ToTokens for Params<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        for (position, arg) in self.args.iter().enumerate() {
            if position > 0 {
                out.append(punct(',', self.span));
            }
            arg.name.to_tokens(out);
            let Some(conversion) = arg.conversion.as_ref().filter(|_| self.typed) else {
                continue;
            };
            out.append(punct(':', self.span));
            match conversion {
                Conversion::Kept(ty) => ty.to_tokens(out),
                Conversion::Owned { .. } => append(out, conversion.param_type(self.private)),
            }
        }
    }
}

// Output: value, or (value_1, <str as PRIVATE::OwnedCopy>::owned_copy(value_2),)
/// The value a generated closure hands over: its one argument, or the tuple of all of them (but
/// the ignored ones), each made owned where it is borrowed; the tuple's tokens at `span`.
pub struct Value<'a> {
    pub args: &'a [ClosureArg<'a>],
    pub span: Span,
    pub private: Private<'a>,
}

impl ToTokens for Value<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let write = |out: &mut TokenStream, arg: &ClosureArg| match &arg.conversion {
            Some(Conversion::Kept(_)) | None => arg.name.to_tokens(out),
            Some(conversion) => append(out, conversion.value(&arg.name, self.private)),
        };
        let kept: Vec<&ClosureArg> = self.args.iter().filter(|arg| !arg.ignored).collect();
        match kept.as_slice() {
            [one] => write(out, one),
            all => {
                let mut tuple = TokenStream::new();
                for arg in all {
                    write(&mut tuple, arg);
                    tuple.append(punct(',', self.span));
                }
                let mut group = Group::new(Delimiter::Parenthesis, tuple);
                group.set_span(self.span);
                out.append(group);
            }
        }
    }
}

fn punct(ch: char, span: Span) -> Punct {
    let mut punct = Punct::new(ch, Spacing::Alone);
    punct.set_span(span);
    punct
}

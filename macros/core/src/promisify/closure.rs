//! The closure generated for one placeholder of `promisify!`.

use proc_macro2::{Delimiter, Group, Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, TokenStreamExt, format_ident, quote_spanned};
use syn::Ident;

use super::body::Target;
use super::placeholders::{Form, Placeholder};
use crate::owned::Conversion;
use crate::root::Private;

// Input:  `|s: &str, n| _` inside `Err(..)`
// Output: move |value_1: &str, value_2| (&*err).resolve(::core::result::Result::Err((
//             <str as PRIVATE::OwnedCopy>::owned_copy(value_1), value_2,
//         )))
//
// The tokens resolve at the call site but are located at the placeholder, so that errors about
// the callback (a value that is not `Send`, a borrowed argument) point there rather than at the
// whole `promisify!(..)`.
/// The closure that replaces one placeholder.
pub struct GeneratedClosure<'a> {
    args: Vec<(Ident, Option<Conversion<'a>>)>,
    target: &'a Target<'a>,
    /// The target's holder, located at the placeholder.
    holder: Ident,
    /// The expansion's site (`Private::site`) located at the placeholder.
    call: Span,
    private: Private<'a>,
}

impl<'a> GeneratedClosure<'a> {
    pub fn new(placeholder: &'a Placeholder, target: &'a Target<'a>) -> syn::Result<Self> {
        let private = target.private;
        let at = placeholder.span;
        let mixed = private.local().located_at(at);
        let declared = match &placeholder.form {
            Form::Params(params) => Some(params),
            Form::Bare | Form::Body => None,
        };
        let count = declared.map_or(1, Vec::len);
        let mut args = Vec::with_capacity(count);
        for position in 0..count {
            // Named for what they are to the user, since rustc may name them ("`value` escapes
            // the closure body here").
            let arg = if count == 1 {
                Ident::new("value", mixed)
            } else {
                format_ident!("value_{}", position + 1, span = mixed)
            };
            let conversion = match declared.and_then(|params| params[position].ty.as_ref()) {
                Some(ty) => Some(Conversion::new(ty)?),
                None => None,
            };
            args.push((arg, conversion));
        }
        Ok(GeneratedClosure {
            args,
            target,
            holder: Ident::new(target.holder, mixed),
            call: private.site().located_at(at),
            // Only owned copies of typed arguments name the runtime here.
            private: private.located_at(at),
        })
    }
}

// The pieces write into the closure's one stream: a `TokenStream` interpolated into another costs
// several calls across the proc-macro bridge, and `promisify!` writes one closure per call.
impl ToTokens for GeneratedClosure<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let call = self.call;
        let params = ClosureParams(self);
        let holder = &self.holder;
        // `(&RESOLVER).METHOD(VALUE)`: an inherent method called on an explicit `&`, the
        // cheapest form for the type checker in a crate with many calls (a type-relative path
        // like `Resolver::resolve(&r, v)` costs more); no trait in the user's scope can take
        // the call over, since inherent methods win at the first step of method resolution,
        // whose receiver type is already `&Resolver<T>` (or `&StreamSender<T>`).
        let star = self.target.shared.then(|| {
            let mut star = Punct::new('*', Spacing::Alone);
            star.set_span(call);
            star
        });
        let method = Ident::new(self.target.method, call);
        let value = Value(self);
        out.extend(match self.target.variant {
            Some(variant) => {
                let variant = Ident::new(variant, call);
                quote_spanned! {call=>
                    move |#params| (&#star #holder).#method(::core::result::Result::#variant(#value))
                }
            }
            None => quote_spanned!(call=> move |#params| (&#star #holder).#method(#value)),
        });
    }
}

// Output: value_1: &str, value_2
/// The closure's parameters, typed where the placeholder typed them.
struct ClosureParams<'a>(&'a GeneratedClosure<'a>);

impl ToTokens for ClosureParams<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let closure = self.0;
        for (position, (arg, conversion)) in closure.args.iter().enumerate() {
            if position > 0 {
                out.append(punct(',', closure.call));
            }
            arg.to_tokens(out);
            if let Some(conversion) = conversion {
                out.append(punct(':', closure.call));
                match conversion {
                    Conversion::Kept(ty) => ty.to_tokens(out),
                    Conversion::Owned { .. } => {
                        conversion.param_type(closure.private).to_tokens(out);
                    }
                }
            }
        }
    }
}

// Output: value, or (value_1, <str as PRIVATE::OwnedCopy>::owned_copy(value_2),)
/// The value handed over: one argument, or the tuple of all of them.
struct Value<'a>(&'a GeneratedClosure<'a>);

impl ToTokens for Value<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let closure = self.0;
        let write = |out: &mut TokenStream, (arg, conversion): &(Ident, Option<Conversion>)| {
            match conversion {
                Some(Conversion::Kept(_)) | None => arg.to_tokens(out),
                Some(conversion) => conversion.value(arg, closure.private).to_tokens(out),
            }
        };
        match closure.args.as_slice() {
            [one] => write(out, one),
            all => {
                let mut tuple = TokenStream::new();
                for arg in all {
                    write(&mut tuple, arg);
                    tuple.append(punct(',', closure.call));
                }
                let mut group = Group::new(Delimiter::Parenthesis, tuple);
                group.set_span(closure.call);
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

//! The closure generated for one placeholder of `promisify!`.

use proc_macro2::{Punct, Spacing, Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::Ident;

use super::body::Destination;
use crate::owned::{ClosureArg, Conversion, Params, Value};
use crate::placeholders::{Found, Written};
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
    args: Vec<ClosureArg<'a>>,
    destination: &'a Destination<'a>,
    /// The destination's holder, located at the placeholder.
    holder: Ident,
    /// The expansion's site (`Private::site`) located at the placeholder.
    call: Span,
    private: Private<'a>,
}

impl<'a> GeneratedClosure<'a> {
    pub fn new(placeholder: &'a Found, destination: &'a Destination<'a>) -> syn::Result<Self> {
        let private = destination.private;
        let at = placeholder.span;
        let mixed = private.local().located_at(at);
        let declared = match &placeholder.written {
            Written::Params(params) => Some(params),
            _ => None,
        };
        let count = declared.map_or(1, Vec::len);
        let mut args = Vec::with_capacity(count);
        for position in 0..count {
            let param = declared.map(|params| &params[position]);
            let conversion = match param.and_then(|param| param.ty.as_ref()) {
                Some(ty) => Some(Conversion::new(ty)?),
                None => None,
            };
            let arg = ClosureArg::new(count, position, mixed, conversion);
            args.push(match param {
                Some(param) if param.ignored => arg.ignored(),
                _ => arg,
            });
        }
        Ok(GeneratedClosure {
            args,
            destination,
            holder: Ident::new(destination.holder, mixed),
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
        let params = Params {
            args: &self.args,
            typed: true,
            span: call,
            private: self.private,
        };
        let holder = &self.holder;
        // `(&RESOLVER).METHOD(VALUE)`: an inherent method called on an explicit `&`, the
        // cheapest form for the type checker in a crate with many calls (a type-relative path
        // like `Resolver::resolve(&r, v)` costs more); no trait in the user's scope can take
        // the call over, since inherent methods win at the first step of method resolution,
        // whose receiver type is already `&Resolver<T>` (or `&StreamSender<T>`).
        let star = self.destination.shared.then(|| {
            let mut star = Punct::new('*', Spacing::Alone);
            star.set_span(call);
            star
        });
        let method = Ident::new(self.destination.method, call);
        let value = Value {
            args: &self.args,
            span: call,
            private: self.private,
        };
        out.extend(match self.destination.variant {
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

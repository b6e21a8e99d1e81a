//! The closure generated for one placeholder of `promisify!`.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote_spanned};
use syn::Ident;

use super::body::Target;
use super::placeholders::{Form, Placeholder};
use crate::owned::Conversion;
use crate::root::Private;

// Input:  `|s: &str, n| _` inside `Err(..)`
// Output: move |arg0: &str, arg1| (&*err).settle(::core::result::Result::Err((
//             <str as PRIVATE::ToOwned>::to_owned(arg0), arg1,
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

    /// The value handed over: one argument, or the tuple of all of them.
    fn value(&self) -> TokenStream {
        let value = |(arg, conversion): &(Ident, Option<Conversion>)| match conversion {
            Some(conversion) => conversion.value(arg, self.private),
            None => arg.to_token_stream(),
        };
        match self.args.as_slice() {
            [one] => value(one),
            all => {
                let values = all.iter().map(value);
                quote_spanned!(self.call=> (#(#values,)*))
            }
        }
    }
}

impl ToTokens for GeneratedClosure<'_> {
    fn to_tokens(&self, out: &mut TokenStream) {
        let call = self.call;
        let params = self.args.iter().map(|(arg, conversion)| match conversion {
            Some(conversion) => {
                let ty = conversion.param_type(self.private);
                quote_spanned!(call=> #arg: #ty)
            }
            None => arg.to_token_stream(),
        });
        let holder = &self.holder;
        // `(&RESOLVER).METHOD(VALUE)`: an inherent method called on an explicit `&`, the
        // cheapest form for the type checker in a crate with many calls (a type-relative path
        // like `AtomicSettler::settle(&r, v)` costs more); no trait in the user's scope can take
        // the call over, since inherent methods win at the first step of method resolution,
        // whose receiver type is already `&AtomicSettler<T>` (or `&StreamSender<T>`).
        let receiver = if self.target.shared {
            quote_spanned!(call=> (&*#holder))
        } else {
            quote_spanned!(call=> (&#holder))
        };
        let method = Ident::new(self.target.method, call);
        let value = self.value();
        let argument = match self.target.variant {
            Some(variant) => {
                let variant = Ident::new(variant, call);
                quote_spanned!(call=> ::core::result::Result::#variant(#value))
            }
            None => value,
        };
        out.extend(quote_spanned!(call=> move |#(#params),*| #receiver.#method(#argument)));
    }
}

//! Several callbacks in one `promisify!` call: body-form callbacks that share the one promise (or,
//! with `stream`, any callbacks that share the one stream), and several `stream(..)` callbacks,
//! one stream each. The shapes of one callback keep their own templates (`super::emit`).

use proc_macro2::TokenStream;
use quote::{ToTokens, quote_spanned};
use syn::Ident;

use super::Create;
use super::body::Destination;
use super::closure::GeneratedClosure;
use crate::error::Errors;
use crate::flow::Bound;
use crate::placeholders::{Found, Written};
use crate::root::Private;
use crate::selection::Selection;

/// The locals of the streams' senders and streams, in the order written: named for what they are
/// to the user, since rustc may name them.
const SENDERS: [&str; 7] = [
    "progress",
    "progress_2",
    "progress_3",
    "progress_4",
    "progress_5",
    "progress_6",
    "progress_7",
];
const STREAMS: [&str; 7] = [
    "progress_stream",
    "progress_stream_2",
    "progress_stream_3",
    "progress_stream_4",
    "progress_stream_5",
    "progress_stream_6",
    "progress_stream_7",
];

/// Reports each plain placeholder among several that would settle one promise: which of them
/// settles it is the body form's to say.
pub fn check_several(plain: &[&Found], errors: &mut Errors) {
    let body = |p: &&&Found| matches!(p.written, Written::Body(_));
    // All plain: the first is the callback, the others are extra; else the plain ones are.
    let skip = usize::from(!plain.iter().any(|p| body(&p)));
    for extra in plain.iter().filter(|p| !body(p)).skip(skip) {
        errors.push(syn::Error::new(
            extra.span,
            "a second callback placeholder written `_` for one promise: several callbacks share \
             one promise only in the body form, each handing its value over with `_(value)` \
             (`|name: &str| { _(Event::Start(name.to_owned())) }`; the first call settles it); \
             for success and failure callbacks write `Ok(_)` and `Err(_)`, for a progress \
             callback beside the completion mark it `stream(..)`, and for callbacks whose every \
             call is an item write `promisify!(stream ..)`",
        ));
    }
}

/// What one call's several callbacks need beyond the shapes of one callback.
pub struct Plan {
    /// The bound of each `stream(..)` callback's stream, in the order written.
    bounds: Vec<Option<Bound>>,
    /// Several callbacks settle the promise (or feed the stream): each owns an `Arc` clone.
    pub shared: bool,
    /// A callback settles a promise beside the streams (or, with `stream`, feeds the stream).
    completion: bool,
}

impl Plan {
    pub fn of(
        found: &[Found],
        selection: Selection<()>,
        stream: bool,
        errors: &mut Errors,
    ) -> Self {
        let marked = |p: &&Found| p.marks.progress.is_some() && !stream;
        let completions = found.iter().filter(|p| !marked(p)).count();
        let streams: Vec<&Found> = found.iter().filter(marked).collect();
        if let Some(extra) = streams.get(SENDERS.len()) {
            errors.push(syn::Error::new(
                extra.marks.progress.unwrap_or(extra.span),
                "too many `stream(..)` callbacks: one call gives at most 7 streams",
            ));
        }
        Plan {
            bounds: Vec::with_capacity(streams.len()),
            shared: completions > 1 && !matches!(selection, Selection::OkErr(..)),
            completion: completions > 0,
        }
    }

    /// Whether the call needs this module's template rather than one of one callback's.
    pub fn is_new_shape(&self) -> bool {
        self.shared || self.bounds.len() > 1 || (!self.completion && !self.bounds.is_empty())
    }

    /// The first stream's bound, for the template of one progress callback.
    pub fn first_bound(&self) -> Option<&Bound> {
        self.bounds.first().and_then(Option::as_ref)
    }

    /// The sender's local of `placeholder`'s `stream(..)` marker, keeping its bound.
    pub fn take_progress(&mut self, placeholder: &mut Found, stream: bool) -> Option<&'static str> {
        if placeholder.marks.progress.is_none() || stream {
            return None;
        }
        let name = SENDERS.get(self.bounds.len()).copied();
        self.bounds
            .push(placeholder.marks.bound.take().map(|bound| *bound));
        name
    }

    // Output: CLOSURE, or { let callback = PRIVATE::Arc::clone(&callback); CLOSURE }
    /// A generated closure that owns its clone of a shared holder.
    pub fn own(&self, closure: GeneratedClosure, destination: &Destination) -> TokenStream {
        if !destination.cloned {
            return closure.into_token_stream();
        }
        let private = destination.private;
        let site = private.site();
        let holder = Ident::new(destination.holder, private.local());
        quote_spanned!(site=> { let #holder = #private::Arc::clone(&#holder); #closure })
    }
}

impl Plan {
    // Output: {
    //             [let (callback, promise) = PRIVATE::promise_shared(&"TEXT");]
    //             let (progress, progress_stream) = PRIVATE::stream();   (one per `stream(..)`)
    //             [let callback = PRIVATE::completion_many(callback, (PRIVATE::closer(&progress), ..));]
    //             [let callback = PRIVATE::Arc::new(callback);]
    //             PRIVATE::finish_flat(CALL, (progress_stream, .., promise)).callback_async_finish()
    //         }
    /// The expansion of a call with several callbacks.
    pub fn emit(
        &self,
        call: &impl ToTokens,
        stream: bool,
        bound: Option<&Bound>,
        text: &str,
        private: Private,
    ) -> TokenStream {
        let site = private.site();
        let local = |name: &&str| Ident::new(name, private.local());
        let (callback, promise) = (local(&"callback"), local(&"promise"));
        let mut body = TokenStream::new();
        if self.completion {
            let create = Create {
                stream,
                bound,
                text,
                private,
            };
            body.extend(quote_spanned!(site=> let (#callback, #promise) = #create;));
        }
        let senders: Vec<Ident> = SENDERS.iter().take(self.bounds.len()).map(local).collect();
        let streams: Vec<Ident> = STREAMS.iter().take(self.bounds.len()).map(local).collect();
        for ((sender, stream), bound) in senders.iter().zip(&streams).zip(&self.bounds) {
            let create = Create {
                stream: true,
                bound: bound.as_ref(),
                text,
                private,
            };
            body.extend(quote_spanned!(site=> let (#sender, #stream) = #create;));
        }
        if self.completion && !senders.is_empty() {
            let closers = closers(&senders, private);
            body.extend(quote_spanned!(site=>
                let #callback = #private::completion_many(#callback, #closers);
            ));
        }
        if self.shared {
            body.extend(quote_spanned!(site=> let #callback = #private::Arc::new(#callback);));
        }
        let promise = self.completion.then_some(&promise);
        let finish = match (streams.as_slice(), promise) {
            ([], Some(promise)) => quote_spanned!(site=> #private::finish(#call, #promise)),
            (streams, promise) => {
                let parts = streams.iter().chain(promise);
                quote_spanned!(site=> #private::finish_flat(#call, (#(#parts),*)))
            }
        };
        quote_spanned!(site=> { #body #finish.callback_async_finish() })
    }
}

// Output: PRIVATE::closer(&progress), or (PRIVATE::closer(&progress), (PRIVATE::closer(&progress_2), ..))
/// What ends every stream when the completion settles: closers nested in pairs.
fn closers(senders: &[Ident], private: Private) -> TokenStream {
    let site = private.site();
    match senders {
        [] => TokenStream::new(),
        [last] => quote_spanned!(site=> #private::closer(&#last)),
        [first, rest @ ..] => {
            let rest = closers(rest, private);
            quote_spanned!(site=> (#private::closer(&#first), #rest))
        }
    }
}

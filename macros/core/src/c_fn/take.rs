//! The placeholders of a C-callback block, taken out of it by the placeholder engine and
//! checked: the C-callback closure, the user data (`_` or `&_`) and the destroy notify (`|_|
//! drop(_)`), each replaced by the generated local it stands for; and the C callback read: its
//! parameters, and `_(value)` in its body rewritten into a delivery.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote_spanned};
use syn::spanned::Spanned as _;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, ExprClosure, ExprUnsafe, Ident, Member, Pat, ReturnType, Type};

use super::pairing::{self, UserData, numbered};
use super::user_data::{count_error, missing_error, take_accessor};
use crate::accessor::Accessor;
use crate::error::Errors;
use crate::handover::handed_over;
use crate::placeholders::{self, Found, Language, Scope, Written};
use crate::root::Private;

mod several;

/// The local that the `index`-th callback placeholder becomes (from 0): named for what it is to
/// the user, since rustc may name it.
pub fn callback_local(index: usize) -> String {
    numbered("callback", index + 1)
}

const NO_CALLBACK: &str = "`promisify!(unsafe { .. })` awaits a C callback: write the callback \
                           as a closure whose parameters have their C types, except the user \
                           data written `_`, and whose body hands a value over with `_(value)`, \
                           like `|_, code: c_int| _(code)`; for a Rust callback API that is \
                           unsafe to call, put the macro inside the block instead: \
                           `unsafe { promisify!(f(_)) }`";

/// How the C callback finds the user-data pointer among its arguments.
pub enum Carrier {
    /// A `void *` argument, written `_`.
    Pointer,
    /// A pointer in a field of a struct or union argument, written `Path { field: _ }`.
    Field(syn::Path, Member),
}

// Built a few times per expansion: boxing would buy nothing.
#[allow(clippy::large_enum_variant)]
pub enum CParam {
    UserData(Carrier),
    Typed(Pat, Type),
}

/// A closure placeholder: the C callback or the destroy notify.
pub struct CClosure {
    pub params: Vec<CParam>,
    /// `#[user_data(EXPR)]`: the pointer is read from the arguments rather than given as one.
    pub accessor: Option<Accessor>,
    pub output: Option<Type>,
    pub body: Expr,
    pub span: Span,
    /// The type of the value handed to `_(..)`, where the parameters' types tell it.
    pub value: Option<TokenStream>,
    /// The first `_(..)` (or the closure, for a body that is `_`).
    pub value_span: Span,
}

/// The placeholders of one block, checked.
pub struct Taken {
    pub callback: CClosure,
    /// The callbacks after the first, which share its user data, promise or stream.
    pub others: Vec<CClosure>,
    pub destroy: Option<CClosure>,
    /// The user data is lent (`&_`) rather than given (`_`).
    pub borrowed: bool,
    /// With several user-data placeholders, the callbacks of the second and later ones, each with
    /// its destroy notify (see `pairing`).
    pub more: Vec<Pair>,
}

/// A C callback handed back a user-data pointer of its own, and the notify that frees it.
pub struct Pair {
    pub callback: CClosure,
    pub destroy: Option<CClosure>,
}

// Input:  unsafe { start(|_, n: c_int| _(n), _) }
// Output: unsafe { start(callback, user_data) }, and the closure taken out
/// Takes the placeholders out of `block`, or reports every misplaced or missing one.
pub fn take(block: &mut ExprUnsafe, private: Private) -> syn::Result<Taken> {
    let (found, mut errors) = placeholders::find(Language::C, Scope::Block(&mut block.block));
    let local = private.local();
    let mut locals = Vec::with_capacity(found.len());
    let (mut callbacks, mut destroys, mut user_data) = (Vec::new(), Vec::new(), Vec::new());
    for placeholder in found {
        let Found { span, written, .. } = placeholder;
        let name = match written {
            Written::CCallback { closure, bare } => {
                callbacks.push((closure, bare));
                numbered("callback", callbacks.len())
            }
            Written::Destroy(closure) => {
                destroys.push((closure, None));
                numbered("destroy", destroys.len())
            }
            Written::UserData { borrowed } => {
                user_data.push((span, borrowed));
                numbered("user_data", user_data.len())
            }
            // The Rust form's: never found in a C block.
            Written::Bare | Written::Params(_) | Written::Body(_) => continue,
        };
        locals.push(Ident::new(&name, local.located_at(span)).into_token_stream());
    }
    placeholders::fill(Scope::Block(&mut block.block), locals);
    if user_data.len() > 1 {
        return take_pairs(callbacks, destroys, &user_data, errors, private);
    }
    let (callback, others) = several::read(callbacks, &mut errors, private);
    let destroy = first_of(
        destroys,
        &mut errors,
        private,
        true,
        "a second destroy-notify placeholder: the user data is freed once",
    );
    let borrowed = user_data.iter().any(|(_, borrowed)| *borrowed);
    if callback.is_none() && errors.is_empty() {
        errors.push(syn::Error::new_spanned(&*block, NO_CALLBACK));
    }
    if let (true, Some(callback)) = (user_data.is_empty(), &callback) {
        errors.push(missing_error(callback.accessor.as_ref(), block));
    }
    if let (Some(destroy), true) = (&destroy, borrowed) {
        errors.push(syn::Error::new(
            destroy.span,
            "a destroy notify frees user data given to C with `_`; `&_` lends it only while the \
             block runs, and frees it afterwards",
        ));
    }
    errors.finish()?;
    let Some(callback) = callback else {
        unreachable!("reported above")
    };
    Ok(Taken {
        callback,
        others,
        destroy,
        borrowed,
        more: Vec::new(),
    })
}

/// Closure placeholders as found: the closure, and the `_` of a body that is `_`.
type Closures = Vec<(Box<ExprClosure>, Option<Span>)>;

// Input:  unsafe { register(|_, a: c_int| _(a), _, |_, b: c_int| _(b), _) }
// Output: the two callbacks, each with its destroy notify if any, in the order written
/// The placeholders of a call with several user-data pointers, paired by position.
fn take_pairs(
    callbacks: Closures,
    destroys: Closures,
    user_data: &[UserData],
    mut errors: Errors,
    private: Private,
) -> syn::Result<Taken> {
    let spans = |closures: &Closures| -> Vec<Span> {
        closures
            .iter()
            .map(|(closure, _)| closure.inputs_begin.span)
            .collect()
    };
    pairing::check(
        &spans(&callbacks),
        &spans(&destroys),
        user_data,
        &mut errors,
    );
    let mut read_all = |closures: Closures, destroy: bool| -> Vec<CClosure> {
        closures
            .into_iter()
            .filter_map(|(closure, bare)| errors.keep(read(*closure, bare, destroy, private)))
            .collect::<Vec<_>>()
    };
    let callbacks = read_all(callbacks, false);
    let mut destroys = read_all(destroys, true).into_iter();
    errors.finish()?;
    let mut pairs = callbacks.into_iter().map(|callback| Pair {
        callback,
        destroy: destroys.next(),
    });
    let Some(Pair { callback, destroy }) = pairs.next() else {
        // `pairing::check` reported a call without callbacks; say it again rather than panic.
        return Err(syn::Error::new(Span::call_site(), NO_CALLBACK));
    };
    Ok(Taken {
        callback,
        others: Vec::new(),
        destroy,
        borrowed: user_data.iter().any(|(_, borrowed)| *borrowed),
        more: pairs.collect(),
    })
}

/// The first closure placeholder of a kind, read; later ones are reported with `second`.
fn first_of(
    found: Vec<(Box<ExprClosure>, Option<Span>)>,
    errors: &mut Errors,
    private: Private,
    destroy: bool,
    second: &str,
) -> Option<CClosure> {
    let mut first = None;
    for (index, (closure, bare)) in found.into_iter().enumerate() {
        // The destroy notify's `async` is not checked: `|_| drop(_)` is never called as one.
        let asyncness = closure
            .asyncness
            .filter(|_| !destroy)
            .map(|asyncness| asyncness.span);
        if index > 0 {
            let span = asyncness.unwrap_or(closure.inputs_begin.span);
            errors.push(syn::Error::new(span, second));
            continue;
        }
        first = errors.keep(read(*closure, bare, destroy, private));
    }
    first
}

/// Reads a closure placeholder, which C cannot await.
fn read(
    closure: ExprClosure,
    bare: Option<Span>,
    destroy: bool,
    private: Private,
) -> syn::Result<CClosure> {
    // The destroy notify's `async` is not checked: `|_| drop(_)` is never called as one.
    match closure.asyncness.filter(|_| !destroy) {
        Some(asyncness) => Err(syn::Error::new(
            asyncness.span,
            "a C callback placeholder is a plain closure: C cannot await",
        )),
        None => callback_of(closure, bare, destroy, private, false),
    }
}

/// Reads a closure placeholder's parameters, return type and body; a `static` one (`slot`) has
/// no user-data parameter.
pub(super) fn callback_of(
    mut closure: ExprClosure,
    bare: Option<Span>,
    destroy: bool,
    private: Private,
    slot: bool,
) -> syn::Result<CClosure> {
    let mut errors = Errors::new();
    let accessor = take_accessor(&mut closure, destroy, &mut errors);
    let mut params = Vec::new();
    let mut user_data = 0;
    for input in &closure.inputs {
        match input {
            Pat::Type(typed) => {
                if let Pat::Wild(_) = &*typed.pat {
                    if let Type::Infer(_) = &*typed.ty {
                        errors.push(syn::Error::new_spanned(
                            typed,
                            "write the user-data parameter as `_`, without a type: the \
                                 trampoline gives it the type `*mut c_void`",
                        ));
                        continue;
                    }
                }
                params.push(CParam::Typed((*typed.pat).clone(), (*typed.ty).clone()));
            }
            Pat::Wild(_) => {
                user_data += 1;
                params.push(CParam::UserData(Carrier::Pointer));
            }
            Pat::Struct(pattern) if carrier(pattern).is_some() => {
                if let Some(member) = carrier(pattern) {
                    user_data += 1;
                    let carrier = Carrier::Field(pattern.path.clone(), member.clone());
                    params.push(CParam::UserData(carrier));
                }
            }
            other => errors.push(syn::Error::new_spanned(
                other,
                "a C callback's parameter needs its C type (`n: c_int`); only the user data \
                 is written without one: `_` for a `void *`, or `Struct { field: _ }` for a \
                 pointer carried in a field (`libc::sigval { sival_ptr: _ }`)",
            )),
        }
    }
    if let Some(error) = count_error(accessor.as_ref(), user_data, &closure).filter(|_| !slot) {
        if errors.is_empty() {
            errors.push(error);
        }
    }
    let output = match &closure.output {
        ReturnType::Default => None,
        ReturnType::Type(_, ty) if destroy => {
            errors.push(syn::Error::new_spanned(
                ty,
                "a destroy notify returns nothing",
            ));
            None
        }
        ReturnType::Type(_, ty) => Some((**ty).clone()),
    };
    errors.finish()?;
    let span = closure.inputs_begin.span;
    let mut body = *closure.body;
    let mut value = None;
    let mut value_span = span;
    if !destroy {
        let mut deliver = Deliver::new(private);
        if let Some(span) = bare {
            value = Some(named_types(&params));
            if output.is_some() {
                return Err(syn::Error::new(
                    span,
                    "a C callback that returns a value to C hands its value over with \
                     `_(value)`, then returns: `-> c_int { _(value); 0 }`",
                ));
            }
            body = deliver.all(&params, span)?;
        } else {
            deliver.visit_expr_mut(&mut body);
            std::mem::take(&mut deliver.errors).finish()?;
            if let Some((span, values)) = deliver.first {
                value_span = span;
                value = type_of_values(&values, &params);
            }
        }
    }
    Ok(CClosure {
        params,
        accessor,
        output,
        body,
        span,
        value,
        value_span,
    })
}

/// The type of what a body that is `_` hands over: its named arguments.
fn named_types(params: &[CParam]) -> TokenStream {
    let types: Vec<&Type> = params
        .iter()
        .filter_map(|param| match param {
            CParam::Typed(Pat::Ident(_), ty) => Some(ty),
            _ => None,
        })
        .collect();
    handed_over(types.iter(), Span::call_site())
}

/// The type of `_(a, b)` when each value is an argument of the callback, named with its type.
fn type_of_values(values: &[Expr], params: &[CParam]) -> Option<TokenStream> {
    let types = values
        .iter()
        .map(|value| {
            let Expr::Path(path) = value else {
                return None;
            };
            let name = path.path.get_ident()?;
            params.iter().find_map(|param| match param {
                CParam::Typed(Pat::Ident(pat), ty)
                    if pat.ident == *name && pat.subpat.is_none() =>
                {
                    Some(ty)
                }
                _ => None,
            })
        })
        .collect::<Option<Vec<&Type>>>()?;
    Some(handed_over(types.iter(), Span::call_site()))
}

/// The field written `_` in `Path { field: _ }` (other fields may follow `..`).
fn carrier(pattern: &syn::PatStruct) -> Option<&Member> {
    let mut wild = pattern
        .fields
        .iter()
        .filter(|field| matches!(&*field.pat, Pat::Wild(_)) && field.colon_token.is_some());
    let field = wild.next()?;
    (wild.next().is_none() && pattern.qself.is_none()).then_some(&field.member)
}

/// Rewrites `_(value)` in a C callback's body into a delivery to the sink.
struct Deliver<'a> {
    private: Private<'a>,
    errors: Errors,
    /// The first `_(..)`: its span and its values as written.
    first: Option<(Span, Vec<Expr>)>,
}

// Input:  `_(value)` at `span`
// Output: PRIVATE::ffi::send(sink, value), located at `span`
fn deliver_call(span: Span, value: &TokenStream, private: Private) -> Expr {
    let call = private.site().located_at(span);
    let sink = Ident::new("sink", private.local().located_at(span));
    let private = private.located_at(span);
    Expr::Verbatim(quote_spanned!(call=> #private::ffi::send(#sink, #value)))
}

impl<'a> Deliver<'a> {
    fn new(private: Private<'a>) -> Self {
        Deliver {
            private,
            errors: Errors::new(),
            first: None,
        }
    }

    /// A body that is just `_`: hands over every named argument (not those written `_: T`).
    fn all(&mut self, params: &[CParam], span: Span) -> syn::Result<Expr> {
        let mut values = Vec::new();
        for param in params {
            if let CParam::Typed(pat, _) = param {
                match pat {
                    Pat::Ident(ident) if ident.subpat.is_none() => {
                        values.push(ident.ident.to_token_stream());
                    }
                    Pat::Wild(_) => {}
                    other => {
                        return Err(syn::Error::new_spanned(
                            other,
                            "a C callback whose body is `_` hands over its named arguments: name \
                             this one (or write `_: T` to leave it out), or write the body as \
                             `_(value)`",
                        ));
                    }
                }
            }
        }
        let value = handed_over(values.into_iter(), Span::call_site());
        Ok(deliver_call(span, &value, self.private))
    }
}

impl VisitMut for Deliver<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        match expr {
            Expr::Call(call) if matches!(&*call.func, Expr::Infer(_)) => {
                if self.first.is_none() {
                    let values = call.args.iter().cloned().collect();
                    self.first = Some((call.span(), values));
                }
                for arg in &mut call.args {
                    self.visit_expr_mut(arg);
                }
                let value = handed_over(call.args.iter(), Span::call_site());
                *expr = deliver_call(call.func.span(), &value, self.private);
            }
            Expr::Infer(infer) => self.errors.push(syn::Error::new(
                infer.underscore_token.span,
                "inside a C callback's body, hand a value over with `_(value)`",
            )),
            Expr::Assign(assign) if matches!(&*assign.left, Expr::Infer(_)) => {
                self.visit_expr_mut(&mut assign.right);
            }
            _ => visit_mut::visit_expr_mut(self, expr),
        }
    }

    fn visit_macro_mut(&mut self, _: &mut syn::Macro) {}
}

//! `#[user_data(EXPR)]` on a C callback: the user-data pointer is not one of the callback's
//! arguments, but what `EXPR` reads from them (SQLite's `sqlite3_user_data(ctx)`, libuv's
//! `uv_handle_get_data(handle)`, GLib's `g_task_get_task_data(task)`). Recognised by the C
//! classifier and read by the C form, so it sits below both.

use proc_macro2::Span;
use syn::spanned::Spanned as _;
use syn::{Attribute, Expr, ExprClosure};

/// The attribute's name.
const NAME: &str = "user_data";

/// What the error messages show.
pub const FORM: &str = "`#[user_data(sqlite3_user_data(ctx))] |ctx: *mut sqlite3_context, n: \
                        c_int| { .. }`";

fn is_accessor(attr: &Attribute) -> bool {
    attr.path().is_ident(NAME)
}

/// Whether `closure` is marked `#[user_data(..)]`.
pub fn has_accessor(closure: &ExprClosure) -> bool {
    closure.attrs.iter().any(is_accessor)
}

/// An accessor, taken off its closure.
pub struct Accessor {
    /// The attribute, for errors about it.
    pub span: Span,
    /// The expression that yields the `*mut c_void`, as written.
    pub expr: Expr,
}

// Input:  #[user_data(sqlite3_user_data(ctx))] |ctx: *mut sqlite3_context| ..
// Output: |ctx: *mut sqlite3_context| .., and the expression `sqlite3_user_data(ctx)`
/// Takes `#[user_data(EXPR)]` off `closure`: its expression, none, or the error of a malformed or
/// repeated one.
pub fn take(closure: &mut ExprClosure) -> syn::Result<Option<Accessor>> {
    let (accessors, others) = std::mem::take(&mut closure.attrs)
        .into_iter()
        .partition::<Vec<_>, _>(is_accessor);
    closure.attrs = others;
    let mut accessors = accessors.into_iter();
    let Some(first) = accessors.next() else {
        return Ok(None);
    };
    if let Some(second) = accessors.next() {
        return Err(syn::Error::new_spanned(
            second,
            "a second `#[user_data(..)]`: a C callback reads its one user-data pointer from one \
             expression",
        ));
    }
    let expr = first.parse_args::<Expr>().map_err(|_| {
        syn::Error::new_spanned(
            &first,
            format!(
                "`#[user_data(..)]` takes the expression that yields the user-data pointer from \
                 the callback's arguments: {FORM}"
            ),
        )
    })?;
    Ok(Some(Accessor {
        span: first.span(),
        expr,
    }))
}

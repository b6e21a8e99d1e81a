//! The one error accumulator: every check pushes into it, and the item is still emitted beside the
//! errors so that the rest of the user's crate keeps compiling. Also the one parser of
//! comma-separated options, which reports a bad option and goes on with the next.

use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::Token;
use syn::parse::{ParseStream, Parser};

/// The errors found so far, combined into one `syn::Error` (which renders as one
/// `compile_error!` per message).
#[derive(Default)]
pub struct Errors(Option<syn::Error>);

impl Errors {
    pub fn new() -> Self {
        Errors(None)
    }

    /// Adds `error` to the collected ones.
    pub fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(existing) => existing.combine(error),
            None => self.0 = Some(error),
        }
    }

    /// Adds the errors of `other`.
    pub fn append(&mut self, other: Errors) {
        if let Some(error) = other.0 {
            self.push(error);
        }
    }

    /// Keeps the value of `result`, or its error.
    pub fn keep<T>(&mut self, result: syn::Result<T>) -> Option<T> {
        result.map_err(|error| self.push(error)).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// `Ok(())` when nothing was pushed, else every error as one.
    pub fn finish(self) -> syn::Result<()> {
        match self.0 {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    /// `output` followed by a `compile_error!` for each error.
    pub fn emit_after(self, mut output: TokenStream) -> TokenStream {
        if let Some(error) = self.0 {
            error.to_compile_error().to_tokens(&mut output);
        }
        output
    }
}

/// Calls `one` for each comma-separated option of `args`. An option that fails is reported and
/// skipped up to the next comma; `one` may also report problems that do not stop it.
pub fn parse_each(
    args: TokenStream,
    errors: &mut Errors,
    mut one: impl FnMut(ParseStream, &mut Errors) -> syn::Result<()>,
) {
    let parser = |input: ParseStream| {
        while !input.is_empty() {
            if let Err(error) = one(input, errors) {
                errors.push(error);
                skip_to_comma(input);
            }
            if !input.is_empty() {
                if let Err(error) = input.parse::<Token![,]>() {
                    errors.push(error);
                    skip_to_comma(input);
                    let _ = input.parse::<Option<Token![,]>>();
                }
            }
        }
        Ok(())
    };
    if let Err(error) = parser.parse2(args) {
        errors.push(error);
    }
}

fn skip_to_comma(input: ParseStream) {
    let _ = input.step(|cursor| {
        let mut rest = *cursor;
        while let Some((tt, next)) = rest.token_tree() {
            if matches!(&tt, proc_macro2::TokenTree::Punct(p) if p.as_char() == ',') {
                break;
            }
            rest = next;
        }
        Ok(((), rest))
    });
}

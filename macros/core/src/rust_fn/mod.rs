//! The async (or stream) version of a function that takes a Rust callback: the checks that decide
//! whether it can be generated, one plan computed from the signature, and the tokens emitted from
//! the plan.

mod checks;
mod emit;
mod plan;

use proc_macro2::TokenStream;

use crate::options::Options;
use crate::signature::{Function, Place};

// Input:
//     fn fetch(url: &str, done: impl FnOnce(io::Result<Vec<u8>>) + Send + 'static) -> Handle
// Output:
//     fn fetch_async(url: &str) -> (Handle, Promise<io::Result<Vec<u8>>>) {
//         let (resolver, promise) = __private::promise_once_send::<io::Result<Vec<u8>>>(&"fetch");
//         let ret = fetch(url, move |arg0| resolver.resolve(arg0));
//         (ret, promise)
//     }
/// The generated function for `function`, or the errors that prevent it.
pub fn generate(function: &Function, options: &Options, place: &Place) -> syn::Result<TokenStream> {
    let checked = checks::check(function.sig, options)?;
    let plan = plan::Plan::new(function, options, place, &checked);
    Ok(emit::generated_fn(&plan))
}

//! Expansion snapshots: `tests/expand/NAME.rs` (at the workspace root) holds items under `#[callback_async(..)]` and
//! functions that call `promisify!(..)`; `NAME.expanded.rs` is what they expand to, rendered with
//! prettyplease so that a reviewer can read each form's output.
//! `CALLBACK_ASYNC_SNAPSHOTS=overwrite` rewrites the snapshots.

use std::fs;
use std::path::Path;

use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};
use syn::{Expr, File, Item, Macro, Stmt};

fn expand_file(source: &str) -> String {
    let mut file: File = syn::parse_str(source).expect("snapshot input parses");
    let mut items = Vec::new();
    for mut item in std::mem::take(&mut file.items) {
        let attrs = match &mut item {
            Item::Fn(item) => &mut item.attrs,
            Item::Impl(item) => &mut item.attrs,
            Item::Trait(item) => &mut item.attrs,
            Item::ForeignMod(item) => &mut item.attrs,
            _ => {
                items.push(item);
                continue;
            }
        };
        let Some(position) = attrs
            .iter()
            .position(|attr| attr.path().is_ident("callback_async"))
        else {
            items.push(item);
            continue;
        };
        let attr = attrs.remove(position);
        let args = match attr.meta {
            syn::Meta::List(list) => list.tokens,
            _ => proc_macro2::TokenStream::new(),
        };
        let expanded = callback_async_macros_core::callback_async(args, item.into_token_stream());
        let expanded: File = syn::parse2(expanded).expect("expansion parses as items");
        items.extend(expanded.items);
    }
    file.items = items;
    Promisify.visit_file_mut(&mut file);
    prettyplease::unparse(&file)
}

/// Expands every `promisify!(..)` in expression or statement position.
struct Promisify;

impl Promisify {
    fn expand(mac: &Macro) -> Option<Expr> {
        let name = mac.path.segments.last()?;
        if name.ident != "promisify" {
            return None;
        }
        let expanded = callback_async_macros_core::promisify(mac.tokens.clone());
        Some(syn::parse2(expanded).expect("`promisify!` expands to an expression"))
    }
}

impl VisitMut for Promisify {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Macro(mac) = expr {
            if let Some(expanded) = Self::expand(&mac.mac) {
                *expr = expanded;
            }
        }
        visit_mut::visit_expr_mut(self, expr);
    }

    fn visit_stmt_mut(&mut self, stmt: &mut Stmt) {
        if let Stmt::Macro(mac) = stmt {
            if let Some(expanded) = Self::expand(&mac.mac) {
                *stmt = Stmt::Expr(expanded, mac.semi_token);
            }
        }
        visit_mut::visit_stmt_mut(self, stmt);
    }
}

#[test]
fn expansion_snapshots() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/expand");
    let overwrite = std::env::var_os("CALLBACK_ASYNC_SNAPSHOTS").is_some_and(|v| v == "overwrite");
    let mut inputs: Vec<_> = fs::read_dir(&dir)
        .expect("tests/expand exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| {
            path.extension().is_some_and(|ext| ext == "rs")
                && !path.to_string_lossy().ends_with(".expanded.rs")
        })
        .collect();
    inputs.sort();
    assert!(
        !inputs.is_empty(),
        "no snapshot inputs in {}",
        dir.display()
    );
    let mut stale = Vec::new();
    for input in inputs {
        let expanded = expand_file(&fs::read_to_string(&input).expect("readable input"));
        let snapshot = input.with_extension("expanded.rs");
        if overwrite {
            fs::write(&snapshot, &expanded).expect("writable snapshot");
        } else if fs::read_to_string(&snapshot).ok().as_deref() != Some(expanded.as_str()) {
            stale.push(snapshot.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "expansions differ from their snapshots (rerun with CALLBACK_ASYNC_SNAPSHOTS=overwrite \
         and review the diff): {stale:?}"
    );
}

//! The call as the user wrote it, for the dropped-callback message.

use proc_macro2::{Delimiter, TokenStream, TokenTree};

/// The call as a user wrote it (`pool.execute(|| _)`), for the dropped-callback message: tokens
/// printed with the spacing rustfmt would use for the common shapes.
pub fn display(tokens: TokenStream) -> String {
    let mut out = String::new();
    write_tokens(tokens, &mut out);
    out
}

fn write_tokens(tokens: TokenStream, out: &mut String) {
    let mut previous: Option<TokenTree> = None;
    let mut pipes_open = false;
    let mut after_path_separator = false;
    for tree in tokens {
        let space = match (&previous, &tree) {
            (None, _) => false,
            _ if after_path_separator => false,
            (Some(TokenTree::Punct(p)), _) if p.spacing() == proc_macro2::Spacing::Joint => false,
            (Some(TokenTree::Punct(p)), _) if matches!(p.as_char(), '.' | '&' | '!' | '#') => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == '|' && pipes_open => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == ':' => true,
            (_, TokenTree::Punct(p)) if matches!(p.as_char(), '.' | ',' | ';' | '?' | ':') => false,
            (_, TokenTree::Punct(p)) if p.as_char() == '|' && pipes_open => false,
            (Some(TokenTree::Ident(_) | TokenTree::Group(_)), TokenTree::Group(g))
                if matches!(g.delimiter(), Delimiter::Parenthesis | Delimiter::Bracket) =>
            {
                false
            }
            (Some(TokenTree::Punct(p)), TokenTree::Group(g))
                if p.as_char() == '>' && g.delimiter() == Delimiter::Parenthesis =>
            {
                false
            }
            (Some(TokenTree::Punct(p)), TokenTree::Punct(q))
                if p.as_char() == '<' || q.as_char() == '>' =>
            {
                false
            }
            (Some(TokenTree::Ident(_)), TokenTree::Punct(p)) if p.as_char() == '<' => false,
            (Some(TokenTree::Punct(p)), _) if p.as_char() == '<' => false,
            (_, TokenTree::Punct(p)) if p.as_char() == '>' => false,
            _ => true,
        };
        if space {
            out.push(' ');
        }
        match &tree {
            TokenTree::Group(group) => {
                after_path_separator = false;
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => ("(", ")"),
                    Delimiter::Bracket => ("[", "]"),
                    Delimiter::Brace => ("{ ", " }"),
                    Delimiter::None => ("", ""),
                };
                out.push_str(open);
                write_tokens(group.stream(), out);
                out.push_str(close);
            }
            TokenTree::Punct(p) => {
                out.push(p.as_char());
                after_path_separator = p.as_char() == ':'
                    && matches!(&previous, Some(TokenTree::Punct(q)) if q.as_char() == ':' && q.spacing() == proc_macro2::Spacing::Joint);
                // A lone `|` opens or closes closure parameters; `||` (joint) is both at once.
                if p.as_char() == '|' && p.spacing() == proc_macro2::Spacing::Alone {
                    let joined = matches!(&previous, Some(TokenTree::Punct(q)) if q.as_char() == '|' && q.spacing() == proc_macro2::Spacing::Joint);
                    if !joined {
                        pipes_open = !pipes_open;
                    }
                }
            }
            other => {
                after_path_separator = false;
                out.push_str(&other.to_string());
            }
        }
        previous = Some(tree);
    }
}

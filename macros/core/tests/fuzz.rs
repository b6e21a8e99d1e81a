//! Hostile input: generated and mutated signatures, attribute arguments and `promisify!` calls fed
//! to the expansion functions through `proc_macro2`, outside the compiler.
//!
//! Every case asserts that the macro does not panic, and that its output either parses (as items
//! for the attributes, as an expression for `promisify!`) or carries `compile_error!`s, each of
//! whose spans lies inside the macro's input (or is the call site, the macro invocation itself,
//! for errors about the input as a whole). `span-locations` gives every string parsed here a
//! range of its own in `proc_macro2`'s source map, so a span joins with a token of the input only
//! if it points into that input.
//!
//! Generators build inputs from pieces (visibility, qualifiers, generics, receivers, parameters
//! with patterns and types, return types, options), and mutations delete, duplicate, swap, wrap
//! or insert tokens at any depth of an input, keeping every original token's span.
//!
//! `PROPTEST_CASES` sets the number of cases of each property (the defaults add up to more than
//! 10,000); `PROPTEST_RNG_SEED` replaces the fixed seed (`FUZZ_SEED`) by another.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Debug;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::Instant;

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

/// The seed of every property unless `PROPTEST_RNG_SEED` says otherwise: CI sees the same cases on
/// every run.
const FUZZ_SEED: u64 = 0x0ca1_1bac_5a5e;

// --- running --------------------------------------------------------------------------------

fn config(default_cases: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(default_cases);
    let mut config = Config {
        cases,
        // The failing input is in the failure message; no regression files in the source tree.
        failure_persistence: None,
        ..Config::default()
    };
    if std::env::var_os("PROPTEST_RNG_SEED").is_none() {
        config.rng_seed = RngSeed::Fixed(FUZZ_SEED);
    }
    config
}

/// How the cases of one property ended, for the summary line and a check that the generators
/// reach the expansion rather than only its error paths.
/// `FUZZ_VERBOSE=1` also lists how often each error message (its start) was reported, and
/// `FUZZ_SHOW=TEXT` prints the inputs whose errors contain `TEXT`.
#[derive(Default)]
struct Tally {
    clean: Cell<u32>,
    errors: Cell<u32>,
    messages: RefCell<BTreeMap<String, u32>>,
}

impl Tally {
    fn count(&self, messages: &[String], input: &dyn Fn() -> String) {
        let cell = if messages.is_empty() {
            &self.clean
        } else {
            &self.errors
        };
        cell.set(cell.get() + 1);
        let show = std::env::var("FUZZ_SHOW").ok();
        let mut counts = self.messages.borrow_mut();
        for message in messages {
            if show.as_deref().is_some_and(|show| message.contains(show)) {
                eprintln!("{message}\n    for {}", input());
            }
            // Grouped by message with the names in backticks left out.
            let key: String = message
                .split('`')
                .enumerate()
                .map(|(index, part)| if index % 2 == 1 { ".." } else { part })
                .collect::<Vec<_>>()
                .join("`");
            *counts.entry(key.chars().take(80).collect()).or_default() += 1;
        }
    }
}

/// Runs `test` on `default_cases` values of `strategy` and reports how they ended. `min_clean`
/// is the share (in percent) of the cases that must expand without errors.
fn run<S>(
    name: &str,
    default_cases: u32,
    min_clean: u32,
    strategy: S,
    test: impl Fn(S::Value, &Tally) -> Result<(), TestCaseError>,
) where
    S: Strategy,
    S::Value: Debug,
{
    let tally = Tally::default();
    let mut runner = TestRunner::new(config(default_cases));
    let started = Instant::now();
    if let Err(failure) = runner.run(&strategy, |value| test(value, &tally)) {
        panic!("{name}: {failure}");
    }
    let (clean, errors) = (tally.clean.get(), tally.errors.get());
    eprintln!(
        "fuzz {name}: {} cases in {:.1?}: {clean} expanded cleanly, {errors} reported errors",
        clean + errors,
        started.elapsed(),
    );
    if std::env::var_os("FUZZ_VERBOSE").is_some() {
        for (message, count) in tally.messages.borrow().iter() {
            eprintln!("{count:>6}  {message}");
        }
    }
    assert!(
        clean * 100 >= (clean + errors) * min_clean,
        "{name}: only {clean} of {} cases expanded without errors: the generator is too hostile \
         to reach the expansion",
        clean + errors
    );
}

/// One string handed to a macro: its text, its tokens, and a span inside it (if it has tokens).
#[derive(Clone)]
struct Source {
    text: String,
    tokens: TokenStream,
    anchor: Option<Span>,
}

impl Source {
    fn parse(text: &str) -> Result<Source, TestCaseError> {
        let tokens: TokenStream = text.parse().map_err(|error| {
            TestCaseError::fail(format!("generated input does not lex: {error}: {text}"))
        })?;
        let anchor = tokens.clone().into_iter().next().map(|tree| tree.span());
        Ok(Source {
            text: text.to_owned(),
            tokens,
            anchor,
        })
    }

    fn mutated(mut self, mutations: &[Mutation]) -> Source {
        for mutation in mutations {
            self.tokens = mutation.apply(self.tokens);
        }
        self
    }

    /// Whether `span` lies inside this input: in its range of the source map, and within its
    /// text by byte range and by line and column.
    fn contains(&self, span: Span) -> bool {
        let Some(anchor) = self.anchor else {
            return false;
        };
        if anchor.join(span).is_none() {
            return false;
        }
        let bytes = span.byte_range();
        let (start, end) = (span.start(), span.end());
        let last_line = self.text.split('\n').count();
        let last_column = self
            .text
            .rsplit('\n')
            .next()
            .map_or(0, |line| line.chars().count());
        bytes.start <= bytes.end
            && bytes.end <= self.text.len()
            && start.line >= 1
            && (start.line, start.column) <= (end.line, end.column)
            && (end.line, end.column) <= (last_line, last_column)
    }
}

impl Debug for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The tokens as the macro saw them (after mutations), which is the input to reproduce.
        write!(f, "{:?}", self.tokens.to_string())
    }
}

/// Runs `expand`, turning a panic into a failure that names the input.
fn no_panic(
    what: &str,
    expand: impl FnOnce() -> TokenStream,
) -> Result<TokenStream, TestCaseError> {
    catch_unwind(AssertUnwindSafe(expand)).map_err(|payload| {
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_default();
        TestCaseError::fail(format!("{what} panicked: {message}"))
    })
}

/// Each `compile_error!` of `tokens`, at any depth: its first and last span and its message.
fn compile_errors(tokens: TokenStream, into: &mut Vec<(Span, Span, String)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (index, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Ident(ident) if ident == "compile_error" => {
                if let (Some(TokenTree::Punct(bang)), Some(TokenTree::Group(group))) =
                    (trees.get(index + 1), trees.get(index + 2))
                {
                    if bang.as_char() == '!' {
                        into.push((ident.span(), group.span(), group.stream().to_string()));
                    }
                }
            }
            TokenTree::Group(group) => compile_errors(group.stream(), into),
            _ => {}
        }
    }
}

/// Checks the errors of `output`: each span at the call site or inside one of `inputs`. Returns
/// their messages.
fn check_errors(output: &TokenStream, inputs: &[&Source]) -> Result<Vec<String>, TestCaseError> {
    let mut errors = Vec::new();
    compile_errors(output.clone(), &mut errors);
    for (start, end, message) in &errors {
        for span in [start, end] {
            let at_call_site = Span::call_site().join(*span).is_some();
            if !at_call_site && !inputs.iter().any(|input| input.contains(*span)) {
                return Err(TestCaseError::fail(format!(
                    "error {message} has a span outside the input: {:?} at {:?}..{:?}",
                    span.byte_range(),
                    span.start(),
                    span.end()
                )));
            }
        }
        if message.trim_matches('"').is_empty() {
            return Err(TestCaseError::fail("an error without a message"));
        }
    }
    Ok(errors.into_iter().map(|(_, _, message)| message).collect())
}

/// The attributes' property: no panic; output that parses as items, or errors inside the input;
/// and an input that parses as an item keeps parsing (the rest of the crate still compiles).
fn check_items(
    output: &TokenStream,
    args: &Source,
    item: &Source,
    tally: &Tally,
) -> Result<(), TestCaseError> {
    let messages = check_errors(output, &[args, item])?;
    let had_errors = !messages.is_empty();
    let parses = syn::parse2::<syn::File>(output.clone());
    if let Err(error) = &parses {
        // A function's body is passed through unparsed: a syntax error there is the compiler's
        // to report, as it would be without the attribute.
        let input_parses = syn::parse2::<syn::File>(item.tokens.clone()).is_ok();
        if !had_errors && input_parses {
            return Err(TestCaseError::fail(format!(
                "the output has no error but does not parse as items ({error}): {output}"
            )));
        }
        if syn::parse2::<syn::Item>(item.tokens.clone()).is_ok() {
            return Err(TestCaseError::fail(format!(
                "the input is an item but the output with errors does not parse as items \
                 ({error}): {output}"
            )));
        }
    }
    tally.count(&messages, &|| format!("{:?} on {:?}", args, item));
    Ok(())
}

// --- mutations ------------------------------------------------------------------------------

/// One token-level edit at the `at`-th token tree of the input (counted in pre-order, groups and
/// their contents alike, modulo the count).
#[derive(Clone, Debug)]
enum Mutation {
    Delete(usize),
    Duplicate(usize),
    /// Swaps a token with the next one at the same depth.
    Swap(usize),
    InsertPunct(usize, char, bool),
    InsertWord(usize, &'static str),
    InsertLifetime(usize),
    InsertLiteral(usize, bool),
    /// Wraps a token in a group: `None` is the invisible group of `macro_rules!` fragments.
    Wrap(usize, Delimiter),
    /// Replaces a group's contents by nothing.
    Empty(usize),
}

const PUNCTS: &[char] = &[
    ',', ';', ':', '<', '>', '&', '!', '#', '|', '=', '+', '-', '*', '/', '?', '@', '.', '\'', '$',
    '~', '^', '%',
];

const WORDS: &[&str] = &[
    "fn", "async", "unsafe", "const", "impl", "dyn", "self", "Self", "where", "mut", "ref", "move",
    "for", "pub", "crate", "stream", "callback", "ok", "err", "Ok", "Err", "Box", "FnOnce",
    "FnMut", "Fn", "Send", "Sync", "static", "_", "r#type", "compile", "done",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    let at = 0..64usize;
    prop_oneof![
        3 => at.clone().prop_map(Mutation::Delete),
        2 => at.clone().prop_map(Mutation::Duplicate),
        2 => at.clone().prop_map(Mutation::Swap),
        3 => (at.clone(), select(PUNCTS), any::<bool>())
            .prop_map(|(at, ch, joint)| Mutation::InsertPunct(at, ch, joint)),
        2 => (at.clone(), select(WORDS)).prop_map(|(at, word)| Mutation::InsertWord(at, word)),
        1 => at.clone().prop_map(Mutation::InsertLifetime),
        1 => (at.clone(), any::<bool>()).prop_map(|(at, string)| Mutation::InsertLiteral(at, string)),
        1 => (
            at.clone(),
            select(&[
                Delimiter::None,
                Delimiter::Parenthesis,
                Delimiter::Bracket,
                Delimiter::Brace
            ][..])
        )
            .prop_map(|(at, delimiter)| Mutation::Wrap(at, delimiter)),
        1 => at.prop_map(Mutation::Empty),
    ]
}

fn count(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match &tree {
            TokenTree::Group(group) => 1 + count(&group.stream()),
            _ => 1,
        })
        .sum()
}

impl Mutation {
    fn at(&self) -> usize {
        match self {
            Mutation::Delete(at)
            | Mutation::Duplicate(at)
            | Mutation::Swap(at)
            | Mutation::InsertPunct(at, ..)
            | Mutation::InsertWord(at, _)
            | Mutation::InsertLifetime(at)
            | Mutation::InsertLiteral(at, _)
            | Mutation::Wrap(at, _)
            | Mutation::Empty(at) => *at,
        }
    }

    fn apply(&self, tokens: TokenStream) -> TokenStream {
        let total = count(&tokens);
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        if total == 0 {
            // Only insertions apply to nothing; at the call site, as there is no token to be near.
            return self.edit(trees, 0, Span::call_site()).into_iter().collect();
        }
        let mut k = self.at() % total;
        self.walk(trees, &mut k).into_iter().collect()
    }

    /// Finds the `k`-th tree in pre-order and edits the level that holds it.
    fn walk(&self, trees: Vec<TokenTree>, k: &mut usize) -> Vec<TokenTree> {
        for index in 0..trees.len() {
            if *k == 0 {
                let span = trees[index].span();
                return self.edit(trees, index, span);
            }
            *k -= 1;
            if let TokenTree::Group(group) = &trees[index] {
                let inner = count(&group.stream());
                if *k < inner {
                    let edited: TokenStream = self
                        .walk(group.stream().into_iter().collect(), k)
                        .into_iter()
                        .collect();
                    let mut rebuilt = Group::new(group.delimiter(), edited);
                    rebuilt.set_span(group.span());
                    let mut trees = trees;
                    trees[index] = TokenTree::Group(rebuilt);
                    return trees;
                }
                *k -= inner;
            }
        }
        trees
    }

    /// Edits `trees` at `index`; new tokens take `span`, a span of the input.
    fn edit(&self, mut trees: Vec<TokenTree>, index: usize, span: Span) -> Vec<TokenTree> {
        let insert = |trees: &mut Vec<TokenTree>, new: Vec<TokenTree>| {
            let at = index.min(trees.len());
            trees.splice(at..at, new);
        };
        match self {
            Mutation::Delete(_) => {
                if index < trees.len() {
                    trees.remove(index);
                }
            }
            Mutation::Duplicate(_) => {
                if let Some(tree) = trees.get(index).cloned() {
                    trees.insert(index, tree);
                }
            }
            Mutation::Swap(_) => {
                if index + 1 < trees.len() {
                    trees.swap(index, index + 1);
                }
            }
            Mutation::InsertPunct(_, ch, joint) => {
                let spacing = if *joint {
                    Spacing::Joint
                } else {
                    Spacing::Alone
                };
                let mut punct = Punct::new(*ch, spacing);
                punct.set_span(span);
                insert(&mut trees, vec![TokenTree::Punct(punct)]);
            }
            Mutation::InsertWord(_, word) => {
                let ident = match word.strip_prefix("r#") {
                    Some(raw) => Ident::new_raw(raw, span),
                    None => Ident::new(word, span),
                };
                insert(&mut trees, vec![TokenTree::Ident(ident)]);
            }
            Mutation::InsertLifetime(_) => {
                let mut tick = Punct::new('\'', Spacing::Joint);
                tick.set_span(span);
                insert(
                    &mut trees,
                    vec![
                        TokenTree::Punct(tick),
                        TokenTree::Ident(Ident::new("a", span)),
                    ],
                );
            }
            Mutation::InsertLiteral(_, string) => {
                let mut literal = if *string {
                    Literal::string("s p a c e")
                } else {
                    Literal::u8_unsuffixed(0)
                };
                literal.set_span(span);
                insert(&mut trees, vec![TokenTree::Literal(literal)]);
            }
            Mutation::Wrap(_, delimiter) => {
                if index < trees.len() {
                    let inner = trees.remove(index);
                    let mut group = Group::new(*delimiter, TokenStream::from(inner));
                    group.set_span(span);
                    trees.insert(index, TokenTree::Group(group));
                }
            }
            Mutation::Empty(_) => {
                if let Some(TokenTree::Group(group)) = trees.get(index) {
                    let mut empty = Group::new(group.delimiter(), TokenStream::new());
                    empty.set_span(group.span());
                    trees[index] = TokenTree::Group(empty);
                }
            }
        }
        trees
    }
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    vec(mutation(), 1..4)
}

// --- signatures -----------------------------------------------------------------------------

/// One of `common` four times in five, else one of `rare`: plausible inputs reach the expansion,
/// hostile ones its error paths.
fn choose(
    common: &'static [&'static str],
    rare: &'static [&'static str],
) -> impl Strategy<Value = &'static str> + Clone {
    prop_oneof![4 => select(common), 1 => select(rare)]
}

const ATTRS: (&[&str], &[&str]) = (
    &["", "", "/// Docs.\n", "#[inline]\n"],
    &[
        "#[cfg(all())]\n",
        "#[doc = \"x\"]\n#[must_use]\n",
        "#[allow(unused)]\n",
        "#[deprecated]\n",
        "#[doc]\n",
        "#[callback_async]\n",
    ],
);

const VIS: (&[&str], &[&str]) = (
    &["", "pub "],
    &[
        "pub(crate) ",
        "pub(super) ",
        "pub(in crate::a) ",
        "pub(self) ",
    ],
);

const QUALIFIERS: (&[&str], &[&str]) = (
    &["", "", "", "unsafe "],
    &[
        "async ",
        "const ",
        "const unsafe ",
        "async unsafe ",
        "extern \"C\" ",
        "unsafe extern \"C\" ",
        "safe ",
    ],
);

const ASYNC_QUALIFIERS: (&[&str], &[&str]) = (
    &["async ", "async ", "async "],
    &[
        "",
        "async unsafe ",
        "const async ",
        "unsafe ",
        "async extern \"C\" ",
    ],
);

const NAMES: (&[&str], &[&str]) = (
    &["fetch", "get", "run", "read_file"],
    &[
        "r#type",
        "r#async",
        "_private",
        "Fetch",
        "fetch_async",
        "x",
        "r#fetch_later",
        "größe",
        "名前",
    ],
);

const GENERIC_PARAMS: (&[&str], &[&str]) = (
    &[
        "'a",
        "T",
        "T: Clone + Send + 'static",
        "F: FnOnce(T) + Send + 'static",
        "F: FnOnce(u8)",
        "F",
    ],
    &[
        "'b: 'a",
        "U: Into<T>",
        "G: FnMut(&str) + Send",
        "H: Fn(&'a str, u8) + Sync",
        "C: Fn(u8) -> bool",
        "K: for<'x> Fn(&'x [u8])",
        "const N: usize",
        "E = u8",
        "T: ?Sized",
        "F: FnOnce(F)",
        "#[cfg(all())] T",
    ],
);

const WHERE: (&[&str], &[&str]) = (
    &[
        "T: Send",
        "F: FnOnce(u8) + Send + 'static",
        "F: FnMut(Vec<T>)",
    ],
    &[
        "'a: 'static",
        "G: Fn(&str)",
        "for<'x> K: Fn(&'x str)",
        "Vec<T>: Clone",
        "Self: Sized",
        "T: Iterator<Item = u8>",
        "H: FnOnce(H)",
        "F: FnOnce(u8), F: Send",
        "(F): FnOnce(u8)",
    ],
);

const RECEIVERS: (&[&str], &[&str]) = (
    &["", "", "", "", "&self"],
    &[
        "self",
        "&mut self",
        "mut self",
        "self: Box<Self>",
        "self: std::sync::Arc<Self>",
        "&'a self",
        "self: &Self",
        "&'a mut self",
    ],
);

const PATTERNS: (&[&str], &[&str]) = (
    &["x", "url", "key", "n"],
    &[
        "mut x",
        "_",
        "(a, b)",
        "Point { x, .. }",
        "ref r",
        "n @ _",
        "&y",
        "[a, b]",
        "r#type",
        "done",
        "#[cfg(all())] x",
        "#[allow(unused)] mut x",
        "größe",
    ],
);

const TYPES: (&[&str], &[&str]) = (
    &[
        "u8",
        "&str",
        "String",
        "Option<&str>",
        "&[T]",
        "T",
        "Vec<u8>",
        "&'a str",
    ],
    &[
        "F",
        "[u8; N]",
        "Vec<Option<HashMap<String, T>>>",
        "*const u8",
        "(u8, &mut String)",
        "impl Into<String>",
        "impl Iterator<Item = &'a T> + 'a",
        "Self",
        "&Self",
        "dyn Any",
        "_",
        "fn(u8)",
        "fn(u8) -> u8",
        "&dyn Fn()",
        "&mut dyn FnMut(u8)",
        "&impl Fn(u8)",
        "&F",
        "std::sync::Arc<dyn Fn(u8) + Send + Sync>",
        "Box<u8>",
        "Box<dyn Any>",
        "Box<dyn FnOnce(u8) -> u8>",
        "Option<Box<dyn FnOnce(u8)>>",
        "impl Fn(u8) -> bool",
    ],
);

const CALLBACK_NAMES: (&[&str], &[&str]) = (
    &["done", "done", "on_ok", "on_err"],
    &[
        "cb",
        "each",
        "_done",
        "r#done",
        "#[cfg(all())] done",
        "mut done",
    ],
);

const CALLBACK_TYPES: (&[&str], &[&str]) = (
    &[
        "impl FnOnce(u8)",
        "impl FnOnce(u8) + Send + 'static",
        "impl FnMut(&str, u32) + Send",
        "impl Fn(Result<Vec<u8>, String>) + Send + Sync + 'static",
        "impl FnOnce()",
        "impl FnOnce(&[u8], &mut Vec<u8>)",
        "impl for<'x> FnOnce(&'x str)",
        "impl FnMut(T) + Send + 'static",
        "Box<dyn Fn(u8) + Send>",
        "Box<dyn FnOnce(&[u8]) + Send + 'static>",
        "F",
    ],
    &[
        "impl FnOnce() -> bool",
        "impl FnOnce(&'a str) + 'a",
        "impl FnOnce(Option<&str>)",
        "impl FnOnce(&'static str, &'_ u8)",
        "impl FnOnce(u8) + Clone",
        "impl FnOnce(&mut Vec<u8>) + Unpin + Sized",
        "impl FnOnce(Self) + Send",
        "(impl FnOnce(u8))",
        "impl std::ops::FnOnce(T) + Send + 'static",
        "impl ?Sized + FnOnce(u8)",
        "impl FnOnce(impl Into<u8>)",
        "impl Fn(&T, &&str)",
        "impl FnOnce(dyn Fn())",
        "impl FnOnce(_)",
        "impl FnOnce(u8,)",
        "impl FnOnce<u8>",
        "impl FnOnce(u8) + FnMut(u16)",
        "impl FnOnce(fn(&str))",
        "impl FnOnce(&dyn Fn())",
        "impl FnOnce(for<'x> fn(&'x str))",
        "impl FnOnce(Box<dyn Fn(&str)>)",
        "impl FnOnce(<T as Iterator>::Item)",
        "impl FnOnce(T::Item)",
        "impl FnOnce(impl Fn() + Send)",
        "impl FnOnce([&str; 2])",
        "Box<dyn FnMut(Vec<&str>)>",
        "std::boxed::Box<dyn core::ops::FnOnce(u8) + Send>",
        "Box<dyn FnOnce(u8), A>",
        "Box<(dyn FnOnce(u8) + Send)>",
        "Box<dyn FnOnce(u8) + Send + Sync + 'static>",
        "G",
        "H",
        "K",
        "C",
        "&'a mut F",
        "fn(u8)",
        "&dyn Fn()",
        "&mut impl FnMut()",
    ],
);

const RETURNS: (&[&str], &[&str]) = (
    &["", "", "", " -> ()", " -> u8", " -> Job"],
    &[
        " -> impl Future<Output = u8>",
        " -> impl Iterator<Item = &'a str> + 'a",
        " -> Result<Handle, Error>",
        " -> Self",
        " -> T",
        " -> F",
        " -> !",
        " -> impl Fn(u8)",
        " -> Box<dyn Fn()>",
        " -> (u8, impl Send)",
        " -> &'a str",
        " -> _",
        " -> (())",
    ],
);

const BODIES: (&[&str], &[&str]) = (
    &["{}", "{ done(1) }"],
    &[
        "{ let _ = 1; }",
        "{ return; }",
        "{ #![allow(unused)] }",
        "{ //! Inner docs.\n done(1) }",
        "{ #![cfg(all())] done(1) }",
    ],
);

const CALLBACKIFY_BODIES: (&[&str], &[&str]) = (
    &["{}", "{ x }"],
    &[
        "{ let _ = 1; }",
        "{ return; }",
        "{ #![allow(unused)] }",
        "{ //! Inner docs.\n }",
        "{ #![cfg(all())] }",
        "{ #![doc = \"x\"] x.await }",
    ],
);

const VARIADIC: (&[&str], &[&str]) = (&[""], &["...", "args: ...", "", "", "", ""]);

/// Separators after the last generic parameter, where-predicate or parameter.
const TRAILING: (&[&str], &[&str]) = (&[""], &[",", ""]);

/// Generic parameters and where-predicates: none usually, else a few.
fn generics() -> impl Strategy<Value = (String, String)> {
    let params = prop_oneof![
        2 => Just(Vec::new()),
        1 => vec(choose(GENERIC_PARAMS.0, GENERIC_PARAMS.1), 1..4),
    ];
    let predicates = prop_oneof![
        3 => Just(Vec::new()),
        1 => vec(choose(WHERE.0, WHERE.1), 1..3),
    ];
    let trailing = (
        choose(TRAILING.0, TRAILING.1),
        choose(TRAILING.0, TRAILING.1),
    );
    (params, predicates, trailing).prop_map(
        |(params, predicates, (after_params, after_predicates))| {
            let params = if params.is_empty() {
                String::new()
            } else {
                format!("<{}{after_params}>", params.join(", "))
            };
            let predicates = if predicates.is_empty() {
                String::new()
            } else {
                format!(" where {}{after_predicates}", predicates.join(", "))
            };
            (params, predicates)
        },
    )
}

/// A function's signature, as text, without its body: usually with one callback parameter, at
/// any position.
fn signature(
    qualifiers: (&'static [&'static str], &'static [&'static str]),
    with_vis: bool,
) -> impl Strategy<Value = String> {
    let ordinary = vec(
        (choose(PATTERNS.0, PATTERNS.1), choose(TYPES.0, TYPES.1)),
        0..3,
    );
    let callback = (
        choose(CALLBACK_NAMES.0, CALLBACK_NAMES.1),
        choose(CALLBACK_TYPES.0, CALLBACK_TYPES.1),
    );
    let callbacks = prop_oneof![
        1 => Just(Vec::new()),
        6 => vec(callback.clone(), 1..2),
        1 => vec(callback, 2..4),
    ];
    let head = (
        choose(ATTRS.0, ATTRS.1),
        choose(VIS.0, VIS.1),
        choose(qualifiers.0, qualifiers.1),
        choose(NAMES.0, NAMES.1),
    );
    let params = (
        choose(RECEIVERS.0, RECEIVERS.1),
        ordinary,
        callbacks,
        0..4usize,
        choose(VARIADIC.0, VARIADIC.1),
        choose(TRAILING.0, TRAILING.1),
    );
    let ret = choose(RETURNS.0, RETURNS.1);
    (head, generics(), params, ret).prop_map(
        move |(
            (attrs, vis, qualifiers, name),
            (generics, where_clause),
            (receiver, ordinary, callbacks, rotate, variadic, trailing),
            ret,
        )| {
            let mut inputs: Vec<String> = ordinary
                .iter()
                .chain(&callbacks)
                .map(|(pat, ty)| format!("{pat}: {ty}"))
                .collect();
            if !inputs.is_empty() {
                let by = rotate % inputs.len();
                inputs.rotate_left(by);
            }
            if !receiver.is_empty() {
                inputs.insert(0, receiver.to_owned());
            }
            if !variadic.is_empty() {
                inputs.push(variadic.to_owned());
            }
            let vis = if with_vis { vis } else { "" };
            let trailing = if inputs.is_empty() { "" } else { trailing };
            format!(
                "{attrs}{vis}{qualifiers}fn {name}{generics}({}{trailing}){ret}{where_clause}",
                inputs.join(", ")
            )
        },
    )
}

const OPTIONS: (&[&str], &[&str]) = (
    &[
        "callback = done",
        "ok = on_ok, err = on_err",
        "name = \"fetch_later\"",
        "crate = \"::my_runtime\"",
        "dropped = Err(Error::Cancelled)",
        "stream",
        "stream(bound = 64)",
        "stream(bound = CAPACITY, overflow = drop_newest)",
        "cancel = |job: Job| job.cancel()",
        "deprecate",
    ],
    &[
        "callback = cb",
        "callback = \"done\"",
        "callback",
        "callback = self",
        "ok = on_ok",
        "err = on_err",
        "ok = done, err = done",
        "ok = on_err, err = on_ok",
        "name = \"not an ident\"",
        "name = \"fetch\"",
        "name = \"r#fn\"",
        "name = \"self\"",
        "name = \"r#self\"",
        "name = \"a\\u{0}\"",
        "name = \"/*\"",
        "name = 12",
        "name = \"\"",
        "name = b\"fetch\"",
        "crate = \"crate::rt\"",
        "crate = \"not a path!\"",
        "crate = \"\"",
        "crate = \"::a::<T>\"",
        "crate = \"r#crate\"",
        "crate = r\"::rt\"",
        "crate = \"\\\"\"",
        "dropped = 0",
        "dropped = ",
        "dropped = || 1",
        "dropped = { return }",
        "dropped = Err(_)",
        "stream = true",
        "stream(1)",
        "stream()",
        "stream(bound = 0)",
        "stream(bound)",
        "stream(bound = )",
        "stream(overflow = block)",
        "stream(bound = 1, bound = 2)",
        "stream(bound = 2, overflow = fast)",
        "stream(bound = 2, overflow = \"block\")",
        "stream(size = 2)",
        "stream(bound = 2) = 1",
        "stream[bound = 2]",
        "cancel",
        "cancel = ",
        "cancel = 1 +",
        "deprecate = 1",
        "=",
        "+ + ,",
        "r#callback = done",
        "'a",
        "123",
        "\"str\"",
        "(x)",
        "callback = done = 2",
        "{}",
        "::",
        ",",
        "unknown = 1",
        "callback = done; name = \"x\"",
        "cancel = Job::cancel",
    ],
);

/// `#[callback_async(..)]`'s arguments: none usually, else a few options.
fn attribute_args() -> impl Strategy<Value = String> {
    let options = prop_oneof![
        2 => Just(Vec::new()),
        2 => vec(choose(OPTIONS.0, OPTIONS.1), 1..2),
        1 => vec(choose(OPTIONS.0, OPTIONS.1), 2..5),
    ];
    (options, any::<bool>()).prop_map(|(options, trailing)| {
        let mut args = options.join(", ");
        if trailing && !args.is_empty() {
            args.push(',');
        }
        args
    })
}

/// A method of an `impl` block or a trait, maybe with its own `#[callback_async(..)]`.
fn method(in_trait: bool) -> impl Strategy<Value = String> {
    let own = prop_oneof![
        3 => Just(None),
        1 => attribute_args().prop_map(Some),
    ];
    let body = if in_trait {
        prop_oneof![Just(";"), Just("{}")].boxed()
    } else {
        choose(BODIES.0, BODIES.1).boxed()
    };
    let sig = signature(QUALIFIERS, !in_trait);
    (own, sig, body, 0..3u8).prop_map(|(own, sig, body, form)| {
        let own = match (own, form) {
            (None, _) => String::new(),
            (Some(args), 0) if args.is_empty() => "#[callback_async]\n".to_owned(),
            (Some(args), 1) => format!("#[callback_async::callback_async({args})]\n"),
            (Some(args), _) => format!("#[callback_async({args})]\n"),
        };
        format!("{own}{sig} {body}")
    })
}

const SELF_TYPES: (&[&str], &[&str]) = (
    &["Client", "Client<T>"],
    &[
        "&'a Client",
        "dyn Api",
        "[u8]",
        "(A, B)",
        "crate::Client",
        "Self",
    ],
);

const OTHER_ITEMS: &[&str] = &[
    "struct S;",
    "enum E {}",
    "mod m {}",
    "use a::b;",
    "static X: u8 = 0;",
    "type T = u8;",
    "extern \"C\" {}",
    "extern \"C\" { fn f(done: extern fn(u8)); }",
    "macro_rules! m { () => {} }",
    "m!();",
    "const X: u8 = 0;",
    "union U { a: u8 }",
    "extern crate alloc;",
    "",
    "fn",
    "x y z",
    "impl",
    "trait",
    "42",
    "fn f() {} fn g() {}",
    "#[callback_async] fn f(done: impl FnOnce()) {}",
    "impl Client {}",
    "trait Api {}",
    "fn f(done: impl FnOnce(u8)) {} ;",
    "#![allow(unused)] fn f(done: impl FnOnce(u8)) {}",
];

/// An item under `#[callback_async]`: a function, a trait method's declaration, an `impl` block,
/// a trait, or something else.
fn item() -> impl Strategy<Value = String> {
    let function = (signature(QUALIFIERS, true), choose(BODIES.0, BODIES.1))
        .prop_map(|(sig, body)| format!("{sig} {body}"));
    let trait_fn = signature(QUALIFIERS, false).prop_map(|sig| format!("{sig};"));
    let impl_block = (
        generics(),
        choose(SELF_TYPES.0, SELF_TYPES.1),
        vec(method(false), 1..4),
        prop_oneof![4 => Just(""), 1 => Just("Api for "), 1 => Just("unsafe ")],
    )
        .prop_map(|((generics, where_clause), self_ty, methods, of_trait)| {
            format!(
                "impl{generics} {of_trait}{self_ty}{where_clause} {{\n{}\n}}",
                methods.join("\n")
            )
        });
    let trait_item = (
        choose(VIS.0, VIS.1),
        vec(method(true), 1..4),
        any::<bool>(),
        choose(&["", ""], &[": Send", ": Sized + 'static", "<T>"]),
    )
        .prop_map(|(vis, methods, extras, supertraits)| {
            let extras = if extras {
                "type Handle;\nconst N: u8;\n"
            } else {
                ""
            };
            format!(
                "{vis}trait Api{supertraits} {{\n{extras}{}\n}}",
                methods.join("\n")
            )
        });
    prop_oneof![
        8 => function,
        1 => trait_fn,
        3 => impl_block,
        2 => trait_item,
        1 => select(OTHER_ITEMS).prop_map(str::to_owned),
    ]
}

// --- promisify! -----------------------------------------------------------------------------

const PREFIXES: (&[&str], &[&str]) = (
    &[
        "",
        "",
        "stream ",
        "stream(bound = 16) ",
        "stream(bound = n, overflow = block) ",
    ],
    &[
        "stream stream ",
        "r#stream ",
        "stream = ",
        "stream() ",
        "stream(bound = 0) ",
        "stream(overflow = drop_newest) ",
        "stream(bound = 1, bound = 1) ",
        "stream(bound = 1, overflow = never) ",
        "stream(bound = 1) stream(bound = 1) ",
    ],
);

const CALLEES: (&[&str], &[&str]) = (
    &[
        "f",
        "legacy::once",
        "pool.execute",
        "a.b().c",
        "f::<u8>",
        "Self::m",
        "stream.subscribe",
        "obj.method::<T>",
    ],
    &[
        "(get())",
        "stream",
        "x.0.call",
        "<T as Api>::call",
        "{ f }",
        "*f",
        "Ok",
        "Err",
        "_",
        "f(_)",
        "|x| x",
        "f!",
        "(|| _)",
        "match x { _ => f }",
    ],
);

const ARGS: (&[&str], &[&str]) = (
    &[
        "1",
        "x",
        "&path",
        "_",
        "_",
        "|| _",
        "|a| _",
        "|a: u8| _",
        "|a: &str, b: &[u8]| _",
        "|a: &'static str| _",
        "|(a, b): (u8, u8)| _",
        "|a: &mut Vec<u8>, b| _",
        "Box::new(_)",
        "Some(Box::new(|x: u8| _))",
        "Arc::new(_)",
        "|data: &[u8]| -> usize { _(data.to_vec()); data.len() }",
        "Some(|| { _(()); false })",
        "|p: Progress<'_>| { _(p.received()); true }",
        "|| Box::new(|e| { if let Ok(e) = e { _(e) } true })",
        "stream(|a: u8, b: u8| _)",
        "stream(|n| { _(n) })",
        "stream(_, bound = 16)",
        "stream(|n: u64| _, bound = 4, overflow = block)",
        "|x| { _(x); _(x, x); _() }",
    ],
    &[
        "|a: Option<&str>| _",
        "Ok(_)",
        "Err(_)",
        "Ok(|v: u8| _)",
        "Err(|e: &str| _)",
        "|| { _ }",
        "|| -> u8 { _ }",
        "|| -> () _",
        "async || _",
        "async |x| _",
        "move || _",
        "|x| x + _",
        "vec![_]",
        "[_, _]",
        "(_, 1)",
        "Ok(Err(_))",
        "Ok(_, _)",
        "_ as u8",
        "f(_)",
        "|x| f(_)",
        "|x| { _(x); let y = _; y }",
        "|| || || _(1)",
        "async |x| { _(x) }",
        "stream(stream(_))",
        "Ok(stream(_))",
        "stream(Ok(_))",
        "stream(_, bound = 0)",
        "stream(_, size = 1)",
        "stream(_, overflow = block)",
        "stream(_, bound = 1, bound = 2)",
        "stream(stream(_, bound = 1), bound = 1)",
        "Ok(stream(_, bound = 1))",
        "|_, n: c_int| _(n)",
        "move |x| { _ = x; _(x) }",
        "|x| { m!(_(x)); _(x) }",
        "{ _ }",
        "if c { _ } else { _ }",
        "match x { _ => _ }",
        "Err::<u8, _>(_)",
        "std::result::Result::Ok(_)",
        "|a: impl Fn()| _",
        "|a: Vec<&str>| _",
        "|a: &[&str]| _",
        "|a: &dyn Fn()| _",
        "|a: [u8; 2]| _",
        "#[attr] _",
        "#[user_data(data(ctx))] |ctx: *mut C, n: c_int| _(n)",
        "(|a| _)",
        "| | _",
        "|a: &'_ str| _",
        "|a: &&str| _",
    ],
);

/// Arguments without a placeholder.
const PLAIN_ARGS: &[&str] = &[
    "1",
    "x",
    "&path",
    "vec![1]",
    "\"s\"",
    "a.b()",
    "|x| x + 1",
    "Duration::from_secs(1)",
    "Box::new(x)",
    "move || work()",
];

const SUFFIXES: (&[&str], &[&str]) = (
    &[""],
    &[
        "?", ".await", " + 1", ";", ", g(_)", ".then(_)", "(_)", " as u8",
    ],
);

fn promisify_input() -> impl Strategy<Value = String> {
    let args = prop_oneof![
        1 => vec(choose(ARGS.0, ARGS.1), 0..2),
        4 => (vec(select(PLAIN_ARGS), 0..3), choose(ARGS.0, ARGS.1), 0..3usize)
            .prop_map(|(mut args, placeholder, at)| {
                let at = at.min(args.len());
                args.insert(at, placeholder);
                args
            }),
        1 => vec(choose(ARGS.0, ARGS.1), 2..5),
    ];
    (
        choose(PREFIXES.0, PREFIXES.1),
        choose(CALLEES.0, CALLEES.1),
        args,
        any::<bool>(),
        choose(SUFFIXES.0, SUFFIXES.1),
    )
        .prop_map(|(prefix, callee, args, trailing, suffix)| {
            let mut args = args.join(", ");
            if trailing && !args.is_empty() {
                args.push(',');
            }
            format!("{prefix}{callee}({args}){suffix}")
        })
}

/// `promisify!`'s property: no panic, an expression always (a block of errors at worst), errors
/// inside the input.
fn check_promisify(input: &Source, tally: &Tally) -> Result<(), TestCaseError> {
    let tokens = input.tokens.clone();
    let output = no_panic("promisify!", || {
        callback_async_macros_core::promisify(tokens)
    })?;
    let messages = check_errors(&output, &[input])?;
    if let Err(error) = syn::parse2::<syn::Expr>(output.clone()) {
        return Err(TestCaseError::fail(format!(
            "the output does not parse as an expression ({error}): {output}"
        )));
    }
    tally.count(&messages, &|| format!("{input:?}"));
    Ok(())
}

// --- #[callbackify] -------------------------------------------------------------------------

const CALLBACKIFY_OPTIONS: (&[&str], &[&str]) = (
    &[
        "spawn = tokio::spawn",
        "spawn = |f| drop(f)",
        "crate = \"::rt\"",
    ],
    &[
        "crate = \"bad path!\"",
        "crate = 1",
        "spawn",
        "spawn =",
        "spawn = a, spawn = b",
        "crate = \"::a\", crate = \"::b\"",
        "x = 1",
        ",",
        "spawn = a b",
        "spawn = a,",
    ],
);

const CALLBACKIFY_TYPES: (&[&str], &[&str]) = (
    &["u8", "String", "Vec<T>", "T", "Arc<Self>"],
    &[
        "&str",
        "&'static str",
        "&'a [u8]",
        "impl Into<String>",
        "Self",
        "_",
        "(&u8,)",
    ],
);

const CALLBACKIFY_RECEIVERS: (&[&str], &[&str]) = (
    &["", "", "self", "self: Arc<Self>"],
    &["&self", "&mut self", "mut self", "&'a self", "self: &Self"],
);

fn callbackify_case() -> impl Strategy<Value = (String, String)> {
    let args = prop_oneof![
        2 => Just(String::new()),
        2 => choose(CALLBACKIFY_OPTIONS.0, CALLBACKIFY_OPTIONS.1).prop_map(str::to_owned),
        1 => vec(choose(CALLBACKIFY_OPTIONS.0, CALLBACKIFY_OPTIONS.1), 2..4)
            .prop_map(|options| options.join(", ")),
    ];
    let params = vec(
        (
            choose(PATTERNS.0, PATTERNS.1),
            choose(CALLBACKIFY_TYPES.0, CALLBACKIFY_TYPES.1),
        ),
        0..4,
    );
    let async_fn = (
        (
            choose(ATTRS.0, ATTRS.1),
            choose(VIS.0, VIS.1),
            choose(ASYNC_QUALIFIERS.0, ASYNC_QUALIFIERS.1),
            choose(NAMES.0, NAMES.1),
        ),
        generics(),
        choose(CALLBACKIFY_RECEIVERS.0, CALLBACKIFY_RECEIVERS.1),
        params,
        choose(RETURNS.0, RETURNS.1),
        choose(CALLBACKIFY_BODIES.0, CALLBACKIFY_BODIES.1),
    )
        .prop_map(
            |(
                (attrs, vis, qualifiers, name),
                (generics, where_clause),
                receiver,
                params,
                ret,
                body,
            )| {
                let mut inputs: Vec<String> = params
                    .iter()
                    .map(|(pat, ty)| format!("{pat}: {ty}"))
                    .collect();
                if !receiver.is_empty() {
                    inputs.insert(0, receiver.to_owned());
                }
                format!(
                    "{attrs}{vis}{qualifiers}fn {name}{generics}({}){ret}{where_clause} {body}",
                    inputs.join(", ")
                )
            },
        );
    let function = prop_oneof![
        6 => async_fn,
        1 => signature(ASYNC_QUALIFIERS, true).prop_map(|sig| format!("{sig};")),
        1 => select(OTHER_ITEMS).prop_map(str::to_owned),
    ];
    (args, function)
}

// --- the properties -------------------------------------------------------------------------

fn attribute_case(args: &Source, item: &Source, tally: &Tally) -> Result<(), TestCaseError> {
    let (args_tokens, item_tokens) = (args.tokens.clone(), item.tokens.clone());
    let output = no_panic("#[callback_async]", || {
        callback_async_macros_core::callback_async(args_tokens, item_tokens)
    })?;
    check_items(&output, args, item, tally)
}

#[test]
fn generated_items_under_the_attribute() {
    run(
        "#[callback_async] on generated items",
        4_000,
        10,
        (attribute_args(), item()),
        |(args, item), tally| attribute_case(&Source::parse(&args)?, &Source::parse(&item)?, tally),
    );
}

#[test]
fn mutated_items_under_the_attribute() {
    let case = (attribute_args(), item(), mutations(), vec(mutation(), 0..2));
    run(
        "#[callback_async] on mutated items",
        4_000,
        0,
        case,
        |(args, item, mutations, arg_mutations), tally| {
            let args = Source::parse(&args)?.mutated(&arg_mutations);
            let item = Source::parse(&item)?.mutated(&mutations);
            attribute_case(&args, &item, tally)
        },
    );
}

#[test]
fn generated_promisify_calls() {
    run(
        "promisify! on generated calls",
        2_500,
        10,
        promisify_input(),
        |input, tally| check_promisify(&Source::parse(&input)?, tally),
    );
}

#[test]
fn mutated_promisify_calls() {
    run(
        "promisify! on mutated calls",
        2_500,
        0,
        (promisify_input(), mutations()),
        |(input, mutations), tally| {
            check_promisify(&Source::parse(&input)?.mutated(&mutations), tally)
        },
    );
}

#[test]
fn generated_and_mutated_callbackify_items() {
    let case = (callbackify_case(), vec(mutation(), 0..3));
    run(
        "#[callbackify] on generated and mutated items",
        2_000,
        5,
        case,
        |((args, item), mutations), tally| {
            let args = Source::parse(&args)?;
            let item = Source::parse(&item)?.mutated(&mutations);
            let (args_tokens, item_tokens) = (args.tokens.clone(), item.tokens.clone());
            let output = no_panic("#[callbackify]", || {
                callback_async_macros_core::callbackify(args_tokens, item_tokens)
            })?;
            check_items(&output, &args, &item, tally)
        },
    );
}

#[test]
fn mutations_keep_the_input_spans() {
    // The check itself: a span of the input is inside it, the call site and another input's are
    // not, and mutated tokens keep their spans.
    let one = Source::parse("fn f(done: impl FnOnce(u8)) {}").unwrap();
    let other = Source::parse("fn g() {}").unwrap();
    let last = one.tokens.clone().into_iter().last().unwrap().span();
    assert!(one.contains(last));
    assert!(!other.contains(last));
    assert!(!one.contains(Span::call_site()));
    let mutated = one.clone().mutated(&[
        Mutation::InsertPunct(3, '#', false),
        Mutation::Wrap(1, Delimiter::None),
    ]);
    let mut spans = Vec::new();
    fn all(tokens: TokenStream, into: &mut Vec<Span>) {
        for tree in tokens {
            into.push(tree.span());
            if let TokenTree::Group(group) = tree {
                all(group.stream(), into);
            }
        }
    }
    all(mutated.tokens.clone(), &mut spans);
    assert_eq!(count(&mutated.tokens), count(&one.tokens) + 2);
    assert!(spans.iter().all(|span| one.contains(*span)));
    let output = callback_async_macros_core::callback_async(
        TokenStream::new(),
        "struct S;".parse().unwrap(),
    );
    let mut errors = Vec::new();
    compile_errors(output, &mut errors);
    assert_eq!(errors.len(), 1, "one error for a struct");
}

/// Inner attributes of a function's body (`//!` docs, `#![cfg(..)]`) sit in `ItemFn::attrs` beside
/// the outer ones; only the outer ones are copied to the generated function, where inner ones
/// would not parse ("an inner attribute is not permitted in this context").
#[test]
fn inner_attributes_stay_in_the_body() {
    for body in [
        "{ //! Inner docs.\n done(1) }",
        "{ #![cfg(all())] done(1) }",
    ] {
        let item = format!("fn fetch(done: impl FnOnce(u8)) {body}");
        let output =
            callback_async_macros_core::callback_async(TokenStream::new(), item.parse().unwrap());
        if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
            panic!("{item}: {error}: {output}");
        }
    }
}

#[test]
fn callbackify_keeps_inner_attributes_in_the_body_and_takes_trailing_commas() {
    for item in [
        "async fn fetch(x: u8) -> u8 { //! Inner docs.\n x }",
        "async fn fetch(x: u8) -> u8 { #![cfg(all())] x }",
        "async fn fetch<T,>(x: T) -> T where T: Send, { x }",
    ] {
        let output =
            callback_async_macros_core::callbackify(TokenStream::new(), item.parse().unwrap());
        if let Err(error) = syn::parse2::<syn::File>(output.clone()) {
            panic!("{item}: {error}: {output}");
        }
    }
}

/// C blocks with several user-data pointers or an accessor (issue 20's user-data shapes), for
/// `mutated_c_user_data_blocks`.
const C_USER_DATA_BLOCKS: &[&str] = &[
    "unsafe { register(|_, a: c_int| _(a), _, |_, b: c_int| _(b), _) }",
    "stream unsafe { watch(Some(|_, a: c_int| _(a)), _, Some(|_| drop(_)), Some(|_, b: c_int| _(b)), _, Some(|_| drop(_))) }",
    "stream unsafe { f(|_| -> c_int { _(true); 0 }, &_); g(|_| _(false), &_); }",
    "stream unsafe { create(db, _, Some(#[user_data(user_data(ctx))] |ctx: *mut Ctx, n: c_int, v: *mut *mut V| { _(n); answer(ctx) }), None, Some(|_| drop(_))) }",
    "unsafe { call(#[user_data((*ctx).data)] |ctx: *mut Ctx| _, &_) }",
];

#[test]
fn mutated_c_user_data_blocks() {
    run(
        "promisify! on mutated C blocks with several pointers or an accessor",
        1_000,
        0,
        (select(C_USER_DATA_BLOCKS), mutations()),
        |(input, mutations), tally| {
            check_promisify(&Source::parse(input)?.mutated(&mutations), tally)
        },
    );
}

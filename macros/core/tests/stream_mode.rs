//! How `promisify!` tells its stream mode, `stream` or `stream(bound = N, ..)` before the call,
//! from an expression that names a variable or a function called `stream`.

fn expand(input: &str) -> String {
    callback_async_macros_core::promisify(input.parse().unwrap()).to_string()
}

#[test]
fn the_mode_is_followed_by_an_expression() {
    let cases = [
        ("stream f(_)", "stream ()"),
        ("stream(bound = 4) f(_)", "usize = 4 ;"),
        (
            "stream(bound = 4, overflow = block) a.b(_)",
            "Overflow :: Block",
        ),
        (
            "stream(overflow = drop_newest, bound = n) ::f(_)",
            "Overflow :: DropNewest",
        ),
        (
            "stream(bound = 4) unsafe { start(|_, n: c_int| _(n), _) }",
            "ffi :: stream_bounded (bound ,",
        ),
    ];
    for (input, expected) in cases {
        let expansion = expand(input);
        assert!(expansion.contains(expected), "{input}: {expansion}");
        assert!(!expansion.contains("compile_error"), "{input}: {expansion}");
    }
}

#[test]
fn stream_in_an_expression_is_a_name() {
    let cases = [
        "stream.subscribe(_)",
        "stream(_)",
        "stream(x, _)",
        "stream(x).subscribe(_)",
        "stream(bound = 4).subscribe(_)",
        "stream(x)?.subscribe(_)",
        "stream(x)[0].subscribe(_)",
        "stream::open(_)",
    ];
    for input in cases {
        let expansion = expand(input);
        assert!(expansion.contains("promise_shared"), "{input}: {expansion}");
        assert!(!expansion.contains("compile_error"), "{input}: {expansion}");
    }
}

#[test]
fn every_problem_inside_the_parentheses_is_reported() {
    let expansion = expand("stream(bound = 0, bound = 2, size = 1, overflow = fast) f(|x| x, 1)");
    for message in [
        "a stream's bound must be at least 1",
        "`bound` is given twice",
        "unknown key `size`",
        "unknown overflow policy `fast`",
        // The call's own problem, beside them.
        "this call has no callback placeholder",
    ] {
        assert!(expansion.contains(message), "{message}: {expansion}");
    }
}

#[test]
fn a_progress_marker_takes_a_bound() {
    let expansion = expand("copy(stream(|n: u64| _, bound = 16, overflow = block), _)");
    assert!(expansion.contains("stream_bounded (bound ,"), "{expansion}");
    assert!(expansion.contains("Overflow :: Block"), "{expansion}");
    assert!(expansion.contains("completion"), "{expansion}");
    let expansion = expand("copy(stream(_, bound = 0), _)");
    assert!(
        expansion.contains("a stream's bound must be at least 1"),
        "{expansion}"
    );
    // Not the keys of a bound: a call of a function named `stream`, whose `_` is the callback.
    let expansion = expand("copy(stream(_, 16))");
    assert!(!expansion.contains("completion"), "{expansion}");
    assert!(!expansion.contains("compile_error"), "{expansion}");
}

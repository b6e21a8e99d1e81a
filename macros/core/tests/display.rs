//! The dropped-callback message of `promisify!` names the call as the user wrote it: the
//! expansion carries the call's text, printed with the spacing rustfmt would use.

#[test]
fn calls_are_named_as_written() {
    let cases = [
        "pool.execute(|| _)",
        "legacy::once(1, _)",
        "f::<Vec<u8>>(|a, b| _)",
        "watcher.watch(&path, |e: notify::Result<Event>| _)",
        "rayon::spawn(Box::new(_))",
        "api.call(Ok(_), Err(|e: &str| _))",
    ];
    for case in cases {
        let expansion = callback_async_macros_core::promisify(case.parse().unwrap()).to_string();
        let text = proc_macro2::Literal::string(case).to_string();
        assert!(
            expansion.contains(&format!("promise_shared (& {text})")),
            "{case}: {expansion}"
        );
    }
}

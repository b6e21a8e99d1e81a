//! Compile-fail and pass UI tests of `#[callback_async]`: each file in `ui/` must fail to compile
//! with exactly the errors in its `.stderr` snapshot; each file in `ui/pass/` must compile and run.
//!
//! Regenerate snapshots with `TRYBUILD=overwrite cargo test -p callback-async-tests --test
//! compiletest`, then review every changed `.stderr`.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/*.rs");
    t.pass("ui/pass/*.rs");
}

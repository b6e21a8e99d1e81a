//! Sets `cfg(edition2021)` for this crate's targets, the behaviour tests of `../tests` among them:
//! a test file that cannot run from here opts out with `#![cfg(not(edition2021))]`.

fn main() {
    println!("cargo::rustc-check-cfg=cfg(edition2021)");
    println!("cargo::rustc-cfg=edition2021");
}

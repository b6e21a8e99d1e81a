//! `tests/tests/allocations.rs` from a crate on edition 2021: a crate of its own, for the counting
//! `#[global_allocator]` it installs (see `edition2021.rs`).

#[path = "../../tests/tests/allocations.rs"]
mod allocations;

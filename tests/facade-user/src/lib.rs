//! Nothing here: the crate's tests use the macros through the facade as a user crate would.

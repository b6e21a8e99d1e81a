//! Integration tests of callback-async live in `tests/`.

//! SQLite helpers shared by the FFI tests (each test file is a crate of its own).

use std::ffi::{CStr, c_char, c_int};

/// Copies SQLite's `n` C strings (valid only during the callback) into owned strings.
///
/// # Safety
///
/// `values` points to `n` pointers, each null or a NUL-terminated string.
pub unsafe fn strings(n: c_int, values: *mut *mut c_char) -> Vec<Option<String>> {
    (0..usize::try_from(n).unwrap())
        .map(|i| {
            // SAFETY: forwarded to the caller.
            let value = unsafe { *values.add(i) };
            // SAFETY: a non-null value is a NUL-terminated string.
            (!value.is_null()).then(|| {
                unsafe { CStr::from_ptr(value) }
                    .to_string_lossy()
                    .into_owned()
            })
        })
        .collect()
}

//! SQLite helpers shared by the FFI tests (each test file is a crate of its own, and uses what it
//! needs of this file).
#![allow(dead_code)]

use std::ffi::{CStr, c_char, c_int};
use std::ptr;

use libsqlite3_sys as sql;

/// An in-memory database, closed on drop.
pub struct Db(pub *mut sql::sqlite3);

impl Db {
    pub fn open() -> Db {
        let mut db = ptr::null_mut();
        // SAFETY: a valid C string and out-pointer.
        let rc = unsafe { sql::sqlite3_open(c":memory:".as_ptr(), &raw mut db) };
        assert_eq!(rc, sql::SQLITE_OK);
        Db(db)
    }

    /// Runs statements that need no callback.
    pub fn run(&self, sql: &CStr) {
        // SAFETY: an open database, a valid C string, no callback.
        let rc = unsafe {
            sql::sqlite3_exec(self.0, sql.as_ptr(), None, ptr::null_mut(), ptr::null_mut())
        };
        assert_eq!(rc, sql::SQLITE_OK, "{sql:?}");
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: opened by `open`, closed once.
        unsafe { sql::sqlite3_close(self.0) };
    }
}

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

//! Counting global allocators shared by the tests that count allocations. Both forward every call
//! to the system allocator and only count. A crate has one global allocator, so the test file (a
//! crate of its own) installs the variant it needs:
//!
//! ```ignore
//! #[path = "support/counting_alloc.rs"]
//! mod counting_alloc;
//! use counting_alloc::PerThread;
//!
//! #[global_allocator]
//! static GLOBAL: PerThread = PerThread;
//! ```
//!
//! - [`PerThread`] counts the current thread's allocations, the bytes they asked for, and its
//!   live allocations (allocations less deallocations), so that tests running in parallel do not
//!   mix: for "this call allocates once, 32 bytes at most" and "this panic leaks nothing".
//! - [`Global`] counts live allocations across every thread, threads that C libraries create
//!   included: for "nothing stays allocated after the whole run". It sees every thread, so the
//!   file that uses it holds one `#[test]`, so that no other test allocates meanwhile.
//!
//! Neither overrides `realloc` nor `alloc_zeroed`: `GlobalAlloc`'s defaults go through `alloc`
//! and `dealloc`, so a reallocation counts as an allocation and a deallocation.
// Each test file uses what it needs of this file.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicIsize, Ordering};

/// Counts the current thread's allocations, their bytes and its live allocations.
pub struct PerThread;

thread_local! {
    // `const` and without a destructor: reachable from the allocator at any time, even while the
    // thread is being torn down, and never allocating.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

/// What [`PerThread`] counted on one thread: since the thread started, or during a closure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Counts {
    /// Allocations made.
    pub allocations: usize,
    /// Bytes those allocations asked for.
    pub bytes: usize,
    /// Allocations made less allocations freed (negative if more were freed than made).
    pub live: isize,
}

impl PerThread {
    /// This thread's counts so far.
    pub fn counts() -> Counts {
        Counts {
            allocations: ALLOCATIONS.with(Cell::get),
            bytes: BYTES.with(Cell::get),
            live: LIVE.with(Cell::get),
        }
    }

    /// What `f` counted on this thread, and its value.
    pub fn during<T>(f: impl FnOnce() -> T) -> (Counts, T) {
        let before = Self::counts();
        let value = f();
        let after = Self::counts();
        let counts = Counts {
            allocations: after.allocations - before.allocations,
            bytes: after.bytes - before.bytes,
            live: after.live - before.live,
        };
        (counts, value)
    }
}

// SAFETY: forwards every call to the system allocator; only counts.
unsafe impl GlobalAlloc for PerThread {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        let _ = BYTES.try_with(|bytes| bytes.set(bytes.get() + layout.size()));
        let _ = LIVE.try_with(|live| live.set(live.get() + 1));
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let _ = LIVE.try_with(|live| live.set(live.get() - 1));
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

/// Counts live allocations across all threads.
pub struct Global;

static GLOBAL_LIVE: AtomicIsize = AtomicIsize::new(0);

impl Global {
    /// Allocations made less allocations freed, by every thread, since the process started.
    pub fn live() -> isize {
        GLOBAL_LIVE.load(Ordering::SeqCst)
    }
}

// SAFETY: forwards every call to the system allocator; only counts.
unsafe impl GlobalAlloc for Global {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        GLOBAL_LIVE.fetch_add(1, Ordering::SeqCst);
        // SAFETY: the caller upholds `GlobalAlloc::alloc`'s contract.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        GLOBAL_LIVE.fetch_sub(1, Ordering::SeqCst);
        // SAFETY: the caller upholds `GlobalAlloc::dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) }
    }
}

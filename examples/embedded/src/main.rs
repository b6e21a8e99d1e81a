//! callback-async without `std`, on a Cortex-M4F: a vendor-style C driver (`driver.rs`), whose
//! callbacks come from its interrupt handler, awaited through `#[callback_async]` and
//! `promisify!` (`app.rs`) on an executor of a few lines (`executor.rs`).
//!
//! What the platform provides: a critical section (`cortex-m`'s `critical-section-single-core`,
//! which masks interrupts), a heap (`embedded-alloc`) and a panic handler.
//!
//! `cargo build --release` here (for `thumbv7em-none-eabihf`, see `.cargo/config.toml`); with
//! `--features qemu` it prints its result and exits through semihosting, for
//! `qemu-system-arm -machine netduinoplus2 -nographic -semihosting-config enable=on,target=native
//! -kernel ../../target/thumbv7em-none-eabihf/release/callback-async-embedded` (as `.ci/run` does);
//! `--features hand-written` builds the same program with the bridge written by hand, and
//! `--features bare` the driver, executor and heap alone (BENCHMARKS.md compares their sizes).
//! The package's library (`lib.rs`) compiles every other form of the macros for the same target.

#![no_std]
#![no_main]

extern crate alloc;

#[cfg(not(any(feature = "hand-written", feature = "bare")))]
mod app;
#[cfg(all(feature = "hand-written", not(feature = "bare")))]
#[path = "hand_written.rs"]
mod app;
mod driver;
mod executor;

use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicU32, Ordering};

use cortex_m_rt::entry;
use embedded_alloc::LlffHeap as Heap;

#[global_allocator]
static HEAP: Heap = Heap::empty();

/// What `main` computed, for a debugger to read.
static RESULT: AtomicU32 = AtomicU32::new(0);

#[entry]
fn main() -> ! {
    const HEAP_SIZE: usize = 4096;
    static mut HEAP_MEMORY: [MaybeUninit<u8>; HEAP_SIZE] = [MaybeUninit::uninit(); HEAP_SIZE];
    // SAFETY: called once, before any allocation, with memory that nothing else uses.
    unsafe { HEAP.init((&raw mut HEAP_MEMORY).addr(), HEAP_SIZE) };

    let sum = executor::block_on(run());
    RESULT.store(sum, Ordering::Relaxed);
    #[cfg(feature = "qemu")]
    qemu::report(sum);
    loop {
        cortex_m::asm::wfi();
    }
}

#[cfg(not(feature = "bare"))]
use app::run;

/// The baseline: the executor runs a future that awaits nothing.
#[cfg(feature = "bare")]
async fn run() -> u32 {
    0
}

#[cfg(not(feature = "qemu"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    cortex_m::asm::udf()
}

/// Under QEMU: the result on the host's terminal, and QEMU's exit status.
#[cfg(feature = "qemu")]
mod qemu {
    use cortex_m_semihosting::{debug, hprintln};

    /// Two readings (101 and 102) and three samples (0, 10, 20).
    const EXPECTED: u32 = 233;

    pub fn report(sum: u32) {
        hprintln!("examples/embedded: sum {} (expected {})", sum, EXPECTED);
        debug::exit(if sum == EXPECTED {
            debug::EXIT_SUCCESS
        } else {
            debug::EXIT_FAILURE
        });
    }

    #[panic_handler]
    fn panic(info: &core::panic::PanicInfo) -> ! {
        hprintln!("examples/embedded: {}", info);
        debug::exit(debug::EXIT_FAILURE);
        cortex_m::asm::udf()
    }
}

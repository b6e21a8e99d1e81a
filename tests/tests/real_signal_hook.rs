//! `signal_hook::low_level::register`, an `unsafe fn` taking an `Fn() + Send + Sync` action, as a
//! stream of the signals it sees. Checks that three `SIGUSR1`s raised on the test's thread are
//! three items, and that `unregister` drops the action, which ends the stream.
//!
//! The stream's sender takes a lock and allocates, which a signal handler may do only when it
//! cannot interrupt the same thread inside either: here every signal comes from `libc::raise`
//! on the test's own thread, so the handler runs inside `raise`, never inside the stream's code.

use std::io;

use callback_async::{CallbackStream, promisify};
use futures::StreamExt;
use signal_hook::SigId;
use signal_hook::consts::SIGUSR1;

#[path = "support/real.rs"]
mod support;
use support::watchdog;

/// Raises `signal` three times on this thread; each handler runs before `raise` returns.
fn raise_three_times(signal: libc::c_int) {
    for _ in 0..3 {
        // SAFETY: `raise` has no precondition; the signal has a handler, registered by the test.
        assert_eq!(unsafe { libc::raise(signal) }, 0);
    }
}

/// The body form: a Rust callback in a call inside an `unsafe` block (the block has no user-data
/// `_`, so it is not the C form).
#[test]
fn signals_as_a_stream() {
    watchdog(|| async {
        // SAFETY: `register`'s contract is that the action is safe to run in a signal handler.
        // The action sends on the stream, which locks and may allocate; that is sound here
        // because every signal is raised by `raise` on this thread, so the handler never
        // interrupts the stream's own code (see the module's docs).
        let (id, signals): (io::Result<SigId>, CallbackStream<()>) =
            promisify!(stream unsafe { signal_hook::low_level::register(SIGUSR1, || _(())) });
        let id = id.unwrap();
        raise_three_times(SIGUSR1);
        assert!(signal_hook::low_level::unregister(id));
        assert_eq!(signals.collect::<Vec<()>>().await, [(), (), ()]);
    });
}

use std::ffi::c_int;
use std::time::Duration;

use callback_async::{CallbackStream, promisify};
use rusqlite::backup::{Backup, Progress};

fn backup_progress(backup: &Backup<'_, '_>) -> (rusqlite::Result<()>, CallbackStream<Progress>) {
    promisify!(stream backup.run_to_completion(1, Duration::ZERO, Some(static |p: Progress| _(p))))
}

fn signals() -> (libc::sighandler_t, CallbackStream<c_int>) {
    promisify!(stream(bound = 64) unsafe {
        libc::signal(libc::SIGUSR1, (static |sig: c_int| _(sig)) as libc::sighandler_t)
    })
}

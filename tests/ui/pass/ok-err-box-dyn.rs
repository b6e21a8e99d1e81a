//! `ok`/`err` callbacks settle a `Result`; `Box<dyn FnOnce>` and `Box<dyn FnMut>` callbacks;
//! `dropped` with `ok`/`err`; a callback dropped unanswered without `dropped`.

use std::thread;

use callback_async::{Dropped, callback_async};
use futures::executor::block_on;

#[derive(Debug, PartialEq)]
enum Error {
    Refused(u16),
    Cancelled,
}

#[callback_async(ok = on_done, err = on_error)]
fn connect(
    port: u16,
    on_done: Box<dyn FnOnce(String) + Send>,
    on_error: impl Fn(Error) + Send + Sync + 'static,
) {
    thread::spawn(move || {
        if port == 80 {
            on_done(format!("connected to {port}"));
        } else {
            on_error(Error::Refused(port));
        }
    });
}

#[callback_async(ok = on_done, err = on_error, dropped = Err(Error::Cancelled))]
fn cancel(give_up: bool, on_done: Box<dyn FnOnce(u8)>, on_error: Box<dyn FnOnce(Error)>) {
    if !give_up {
        on_done(1);
    } else {
        drop((on_done, on_error));
    }
}

#[callback_async]
fn stream(values: &[u8], mut each: Box<dyn FnMut(u8) + Send>) {
    for &value in values {
        each(value);
    }
}

#[callback_async]
fn forget(done: Box<dyn FnOnce(u8)>) {
    drop(done);
}

fn main() {
    assert_eq!(
        block_on(connect_async(80)),
        Ok("connected to 80".to_owned())
    );
    assert_eq!(block_on(connect_async(81)), Err(Error::Refused(81)));

    assert_eq!(block_on(cancel_async(false)), Ok(1));
    assert_eq!(block_on(cancel_async(true)), Err(Error::Cancelled));

    assert_eq!(block_on(stream_async(&[5, 6, 7])), 5);

    assert_eq!(block_on(forget_async().or_dropped()), Err(Dropped));
}

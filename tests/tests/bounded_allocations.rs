//! A bounded stream's send never allocates, since a callback run by a signal handler must not:
//! its queue is allocated when the stream is made and never outgrown, whether the consumer takes
//! items one by one or a cancelled stream takes them all at once.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use callback_async::{CallbackStream, Overflow};
use futures::Stream;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::PerThread;

/// Counts this thread's allocations, so that tests running in parallel do not mix.
#[global_allocator]
static GLOBAL: PerThread = PerThread;

const BOUND: u64 = 8;

/// How many allocations `sends` makes on this thread.
fn allocations(sends: impl FnOnce()) -> usize {
    PerThread::during(sends).0.allocations
}

fn context() -> Context<'static> {
    Context::from_waker(futures::task::noop_waker_ref())
}

#[test]
fn a_bounded_streams_sends_never_allocate() {
    for overflow in [Overflow::DropOldest, Overflow::DropNewest, Overflow::Block] {
        let (sender, mut stream) = CallbackStream::bounded(BOUND as usize, overflow);
        // More than the bound: `Block` on the consumer's own thread discards instead of waiting.
        assert_eq!(
            allocations(|| (0..2 * BOUND).for_each(|i| sender.send(i))),
            0
        );
        for _ in 0..3 {
            let item = Pin::new(&mut stream).poll_next(&mut context());
            assert!(matches!(item, Poll::Ready(Some(_))), "{overflow:?}");
        }
        assert_eq!(
            allocations(|| (0..2 * BOUND).for_each(|i| sender.send(i))),
            0
        );
        // A cancelled stream takes every queued item at each poll, until the sender is gone.
        let mut rest = stream.cancel();
        assert!(Pin::new(&mut rest).poll(&mut context()).is_pending());
        assert_eq!(
            allocations(|| (0..2 * BOUND).for_each(|i| sender.send(i))),
            0
        );
        drop(sender);
        let Poll::Ready(rest) = Pin::new(&mut rest).poll(&mut context()) else {
            panic!("the sender is gone: the rest is ready");
        };
        assert_eq!(rest.len() as u64, 2 * BOUND, "{overflow:?}");
    }
}

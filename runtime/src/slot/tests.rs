//! The slot's claim, calls and release, and its stream; under `--cfg loom`, their interleavings.

/// A slot's stream, as `__private::slot::stream` makes it.
fn stream<T>(
    bound: usize,
    overflow: crate::Overflow,
) -> (super::SlotSender<T>, crate::CallbackStream<T>) {
    let (sender, ring) = super::channel(bound, overflow);
    (sender, crate::CallbackStream::from_ring(ring))
}

#[cfg(not(loom))]
mod plain {
    use alloc::boxed::Box;
    use alloc::format;
    use core::task::{Context, Poll, Waker};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use futures_core::Stream;

    use super::super::{Slot, SlotSender};
    use super::stream;
    use crate::{CallbackStream, Overflow};

    fn poll<T>(stream: &mut CallbackStream<T>) -> Poll<Option<T>> {
        let mut cx = Context::from_waker(Waker::noop());
        core::pin::Pin::new(stream).poll_next(&mut cx)
    }

    #[test]
    fn calls_reach_the_live_state_only() {
        // A static, as the expansions' (Miri reports a leaked one).
        static SLOT: Slot = Slot::new();
        let slot = &SLOT;
        assert_eq!(slot.with(|n: &u32| *n), None, "empty");
        let claim = slot.claim(7u32).unwrap();
        assert_eq!(slot.with(|n: &u32| *n), Some(7));
        assert_eq!(slot.with(|n: &u64| *n), None, "another type is a late call");
        assert!(slot.claim(8u32).is_err(), "a second live use");
        drop(claim);
        assert_eq!(slot.with(|n: &u32| *n), None, "released");
        let again = slot.claim(9u32).unwrap();
        assert_eq!(slot.with(|n: &u32| *n), Some(9));
        drop(again);
    }

    #[test]
    fn release_frees_the_state_once() {
        struct Counted(Arc<AtomicUsize>);
        impl Drop for Counted {
            fn drop(&mut self) {
                self.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let dropped = Arc::new(AtomicUsize::new(0));
        // A static, as the expansions' (Miri reports a leaked one).
        static SLOT: Slot = Slot::new();
        let slot = &SLOT;
        drop(slot.claim(Counted(Arc::clone(&dropped))).unwrap());
        assert_eq!(dropped.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn the_stream_yields_closes_and_counts() {
        // A static, as the expansions' (Miri reports a leaked one).
        static SLOT: Slot = Slot::new();
        let slot = &SLOT;
        let (sender, stream) = stream::<u32>(2, Overflow::DropOldest);
        let mut stream = stream.claiming(slot.claim(sender).unwrap());
        for i in 0..3 {
            slot.with(|sender: &SlotSender<u32>| sender.send(i));
        }
        assert_eq!(stream.discarded(), 1, "the oldest made room");
        assert_eq!(poll(&mut stream), Poll::Ready(Some(1)));
        assert_eq!(poll(&mut stream), Poll::Ready(Some(2)));
        assert_eq!(poll(&mut stream), Poll::Pending);
        stream.close();
        slot.with(|sender: &SlotSender<u32>| sender.send(9));
        assert_eq!(stream.discarded(), 2, "refused after the close");
        assert_eq!(poll(&mut stream), Poll::Ready(None));
        assert_eq!(poll(&mut stream), Poll::Ready(None));
        drop(stream);
        assert_eq!(
            slot.with(|_: &SlotSender<u32>| ()),
            None,
            "released with the stream"
        );
    }

    #[test]
    fn drop_newest_keeps_the_first() {
        let (sender, mut stream) = stream::<u32>(1, Overflow::DropNewest);
        for i in 1..=3 {
            sender.send(i);
        }
        stream.close();
        assert_eq!(
            stream.discarded(),
            1,
            "a bound of 1 holds 2, the smallest ring"
        );
        assert_eq!(poll(&mut stream), Poll::Ready(Some(1)));
        assert_eq!(poll(&mut stream), Poll::Ready(Some(2)));
        assert_eq!(poll(&mut stream), Poll::Ready(None));
    }

    #[test]
    fn a_panic_is_resumed_after_the_items() {
        let (sender, mut stream) = stream::<u32>(4, Overflow::DropOldest);
        sender.send(1);
        sender.send_panic(crate::panic::Panic::new(Box::new("first")));
        sender.send_panic(crate::panic::Panic::new(Box::new("second")));
        assert_eq!(poll(&mut stream), Poll::Ready(Some(1)));
        let resumed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| poll(&mut stream)));
        let payload = resumed.err().unwrap();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"first"));
    }

    #[test]
    fn an_unread_panic_is_freed() {
        let (sender, stream) = stream::<u32>(1, Overflow::DropOldest);
        sender.send_panic(crate::panic::Panic::new(Box::new(1u8)));
        drop((sender, stream));
    }

    #[test]
    fn cancel_releases_the_slot_and_collects_the_queued_items() {
        // A static, as the expansions' (Miri reports a leaked one).
        static SLOT: Slot = Slot::new();
        let slot = &SLOT;
        let (sender, stream) = stream::<u32>(4, Overflow::DropOldest);
        let mut stream = stream.claiming(slot.claim(sender).unwrap());
        for i in 0..3 {
            slot.with(|sender: &SlotSender<u32>| sender.send(i));
        }
        assert_eq!(poll(&mut stream), Poll::Ready(Some(0)));
        let cancelling = stream.cancel();
        assert_eq!(
            slot.with(|_: &SlotSender<u32>| ()),
            None,
            "released by the cancel: later calls are ignored"
        );
        assert!(slot.claim(0u8).is_ok(), "the call site is free again");
        assert_eq!(futures::executor::block_on(cancelling), [1, 2]);
    }

    #[test]
    fn cancel_resumes_a_kept_panic() {
        let (sender, stream) = stream::<u32>(4, Overflow::DropOldest);
        sender.send(1);
        sender.send_panic(crate::panic::Panic::new(Box::new("boom")));
        let cancelling = stream.cancel();
        let resumed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            futures::executor::block_on(cancelling)
        }));
        assert_eq!(resumed.err().unwrap().downcast_ref::<&str>(), Some(&"boom"));
    }

    #[test]
    fn debug_and_size_hint_describe_the_ring() {
        let (sender, mut stream) = stream::<u32>(3, Overflow::DropOldest);
        sender.send(1);
        assert_eq!(
            format!("{stream:?}"),
            "CallbackStream { capacity: 4, discarded: 0, finished: false, .. }"
        );
        assert_eq!(futures_core::Stream::size_hint(&stream), (0, None));
        stream.close();
        assert_eq!(poll(&mut stream), Poll::Ready(Some(1)));
        assert_eq!(poll(&mut stream), Poll::Ready(None));
        assert!(futures_core::FusedStream::is_terminated(&stream));
        assert_eq!(futures_core::Stream::size_hint(&stream), (0, Some(0)));
    }

    #[test]
    fn threads_call_while_the_slot_is_released() {
        // A static, as the expansions' (Miri reports a leaked one).
        static SLOT: Slot = Slot::new();
        let slot = &SLOT;
        for _ in 0..50 {
            let (sender, stream) = stream::<u32>(8, Overflow::DropOldest);
            let stream = stream.claiming(slot.claim(sender).unwrap());
            let caller = std::thread::spawn(move || {
                for i in 0..200 {
                    slot.with(|sender: &SlotSender<u32>| sender.send(i));
                }
            });
            drop(stream);
            caller.join().unwrap();
        }
    }
}

#[cfg(loom)]
mod models {
    use alloc::boxed::Box;
    use alloc::vec::Vec;
    use core::task::{Context, Poll, Waker};
    use std::sync::Arc;

    use futures_core::Stream;

    use super::super::{Slot, SlotSender, ring::Ring, waker::AtomicWaker};
    use super::stream;
    use crate::{CallbackStream, Overflow};

    fn poll<T>(stream: &mut CallbackStream<T>, waker: &Waker) -> Poll<Option<T>> {
        let mut cx = Context::from_waker(waker);
        core::pin::Pin::new(stream).poll_next(&mut cx)
    }

    /// A call racing the release: it reaches the state or is ignored, never reads it freed.
    #[test]
    fn call_races_release() {
        loom::model(|| {
            let slot: &'static Slot = Box::leak(Box::new(Slot::new()));
            let (sender, stream) = stream::<u32>(2, Overflow::DropOldest);
            let mut stream = stream.claiming(slot.claim(sender).unwrap());
            let caller = loom::thread::spawn(move || {
                slot.with(|sender: &SlotSender<u32>| sender.send(1))
                    .is_some()
            });
            let first = poll(&mut stream, Waker::noop());
            drop(stream);
            let reached = caller.join().unwrap();
            if let Poll::Ready(Some(item)) = first {
                assert!(reached && item == 1);
            }
            assert!(slot.claim(0u8).is_ok(), "released");
        });
    }

    /// `cancel` racing a call: the release waits for the call, so the rest is read after it and
    /// holds its item, unless the call came after the close (refused) or the release (ignored).
    #[test]
    fn cancel_races_a_call() {
        loom::model(|| {
            let slot: &'static Slot = Box::leak(Box::new(Slot::new()));
            let (sender, stream) = stream::<u32>(2, Overflow::DropOldest);
            let stream = stream.claiming(slot.claim(sender).unwrap());
            let caller = loom::thread::spawn(move || {
                slot.with(|sender: &SlotSender<u32>| sender.send(1))
                    .is_some()
            });
            let rest = loom::future::block_on(stream.cancel());
            let reached = caller.join().unwrap();
            assert!(rest.is_empty() || (reached && rest == [1]));
            assert!(slot.claim(0u8).is_ok(), "released by the cancel");
        });
    }

    /// A late call racing the next use's claim: it reaches the new state whole, or is ignored.
    #[test]
    fn late_call_races_claim() {
        loom::model(|| {
            let slot: &'static Slot = Box::leak(Box::new(Slot::new()));
            drop(slot.claim(1u32).unwrap());
            let caller = loom::thread::spawn(move || slot.with(|n: &u32| *n));
            let claim = slot.claim(2u32).unwrap();
            assert!(matches!(caller.join().unwrap(), None | Some(2)));
            drop(claim);
        });
    }

    /// Two producers and the consumer: every item once, each producer's in order.
    #[test]
    fn ring_two_producers() {
        loom::model(|| {
            let ring = Arc::new(Ring::new(2));
            let other = Arc::clone(&ring);
            let producer = loom::thread::spawn(move || other.push(1).is_ok());
            let mine = ring.push(2).is_ok();
            let first = ring.pop();
            let theirs = producer.join().unwrap();
            // `first` may be `None` although 2 is written: a pop waits for the push that claimed
            // the position before it (1's, in progress), without blocking it.
            let mut seen: Vec<_> = first
                .into_iter()
                .chain(core::iter::from_fn(|| ring.pop()))
                .collect();
            seen.sort_unstable();
            assert!(mine && theirs, "two items fit");
            assert_eq!(seen, [1, 2]);
        });
    }

    /// A wake racing a registration is never lost.
    #[test]
    fn wake_races_register() {
        loom::model(|| {
            let waker = Arc::new(AtomicWaker::new());
            let flag = Arc::new(crate::sync::AtomicBool::new(false));
            let (woken, woken_waker) = counting_waker();
            let (other, other_flag) = (Arc::clone(&waker), Arc::clone(&flag));
            let producer = loom::thread::spawn(move || {
                other_flag.store(true, crate::sync::Ordering::SeqCst);
                other.wake();
            });
            waker.register(&woken_waker);
            let seen = flag.load(crate::sync::Ordering::SeqCst);
            producer.join().unwrap();
            assert!(
                seen || woken.load(crate::sync::Ordering::SeqCst) > 0,
                "lost wake-up"
            );
        });
    }

    fn counting_waker() -> (Arc<crate::sync::AtomicUsize>, Waker) {
        struct Count(Arc<crate::sync::AtomicUsize>);
        impl std::task::Wake for Count {
            fn wake(self: std::sync::Arc<Self>) {
                self.0.fetch_add(1, crate::sync::Ordering::SeqCst);
            }
        }
        let count = Arc::new(crate::sync::AtomicUsize::new(0));
        let waker = Waker::from(std::sync::Arc::new(Count(Arc::clone(&count))));
        (count, waker)
    }
}

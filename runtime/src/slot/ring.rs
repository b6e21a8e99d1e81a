//! A bounded lock-free queue with a sequence number per cell (Dmitry Vyukov's bounded MPMC
//! queue): a push or a pop is a few atomic operations on one cell and one index, never a lock nor
//! an allocation, so that a signal handler may push while the thread it interrupted was in the
//! middle of a push or a pop of its own.
//!
//! Cell `i` holds the position it expects next: `pos` when it is free for the push of position
//! `pos`, `pos + 1` once that push has written it, and `pos + capacity` once the pop of `pos` has
//! read it (free for the next lap). A push claims `pos` by moving the push index past it, writes,
//! then publishes the cell's new sequence number (`Release`); a pop reads it only after seeing
//! that number (`Acquire`), so a value is never read before it is written nor written before the
//! previous lap's value was read.

use core::mem::MaybeUninit;

use alloc::boxed::Box;

use crate::sync::{AtomicUsize, Ordering, UnsafeCell};

struct Cell<T> {
    sequence: AtomicUsize,
    value: UnsafeCell<MaybeUninit<T>>,
}

/// A queue of at most `capacity` items (a power of two), pushed and popped from any thread.
pub(crate) struct Ring<T> {
    cells: Box<[Cell<T>]>,
    mask: usize,
    push: AtomicUsize,
    pop: AtomicUsize,
}

// SAFETY: items move between threads through the cells (`T: Send`); a cell's value is accessed by
// the one push or pop that claimed its position, never by two threads at once (see the module's
// documentation), so sharing the ring shares no `T` by reference.
unsafe impl<T: Send> Send for Ring<T> {}
// SAFETY: as for `Send`.
unsafe impl<T: Send> Sync for Ring<T> {}

impl<T> Ring<T> {
    /// A ring of `bound` rounded up to a power of two, allocated here; at least 2, since with
    /// one cell "written for this lap" and "free for the next" would be the same number.
    pub(crate) fn new(bound: usize) -> Self {
        let capacity = bound.max(2).next_power_of_two();
        let cells = (0..capacity)
            .map(|position| Cell {
                sequence: AtomicUsize::new(position),
                value: UnsafeCell::new(MaybeUninit::uninit()),
            })
            .collect();
        Ring {
            cells,
            mask: capacity - 1,
            push: AtomicUsize::new(0),
            pop: AtomicUsize::new(0),
        }
    }

    pub(crate) fn capacity(&self) -> usize {
        self.mask + 1
    }

    /// Queues `item`, or hands it back when the ring is full.
    pub(crate) fn push(&self, item: T) -> Result<(), T> {
        let mut position = self.push.load(Ordering::Relaxed);
        loop {
            let cell = &self.cells[position & self.mask];
            let sequence = cell.sequence.load(Ordering::Acquire);
            let lag = sequence.wrapping_sub(position) as isize;
            if lag < 0 {
                // The cell still holds the item of the previous lap: full.
                return Err(item);
            }
            if lag > 0 {
                // Another push took this position: start again from the current one.
                position = self.push.load(Ordering::Relaxed);
                continue;
            }
            match self.push.compare_exchange_weak(
                position,
                position.wrapping_add(1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    // SAFETY: the exchange claimed `position` for this push alone, and the cell's
                    // sequence number said that its previous value was read: nobody else accesses
                    // the cell until the store below publishes it.
                    cell.value.with_mut(|value| unsafe { (*value).write(item) });
                    cell.sequence
                        .store(position.wrapping_add(1), Ordering::Release);
                    return Ok(());
                }
                Err(current) => position = current,
            }
        }
    }

    /// The oldest item, if any.
    pub(crate) fn pop(&self) -> Option<T> {
        let mut position = self.pop.load(Ordering::Relaxed);
        loop {
            let cell = &self.cells[position & self.mask];
            let sequence = cell.sequence.load(Ordering::Acquire);
            let lag = sequence.wrapping_sub(position.wrapping_add(1)) as isize;
            if lag < 0 {
                // Not written yet: empty (or a push in progress, which is not there yet).
                return None;
            }
            if lag > 0 {
                position = self.pop.load(Ordering::Relaxed);
                continue;
            }
            match self.pop.compare_exchange_weak(
                position,
                position.wrapping_add(1),
                Ordering::Relaxed,
                Ordering::Relaxed,
            ) {
                Ok(_) => {
                    // SAFETY: the exchange claimed `position` for this pop alone, and the cell's
                    // sequence number (read with `Acquire`) said that its push wrote it; the
                    // value is moved out once, before the store below frees the cell.
                    let item = cell
                        .value
                        .with(|value| unsafe { (*value).assume_init_read() });
                    cell.sequence.store(
                        position.wrapping_add(self.mask).wrapping_add(1),
                        Ordering::Release,
                    );
                    return Some(item);
                }
                Err(current) => position = current,
            }
        }
    }
}

impl<T> Drop for Ring<T> {
    fn drop(&mut self) {
        while self.pop().is_some() {}
    }
}

#[cfg(all(test, feature = "std", not(loom)))]
mod tests {
    use alloc::vec::Vec;

    use super::Ring;

    #[test]
    fn keeps_order_and_refuses_when_full() {
        let ring = Ring::new(3);
        assert_eq!(ring.capacity(), 4);
        for i in 0..4 {
            assert!(ring.push(i).is_ok());
        }
        assert_eq!(ring.push(9), Err(9));
        assert_eq!(ring.pop(), Some(0));
        assert!(ring.push(4).is_ok());
        let rest: Vec<_> = core::iter::from_fn(|| ring.pop()).collect();
        assert_eq!(rest, [1, 2, 3, 4]);
    }

    #[test]
    fn drops_what_is_left() {
        let ring = Ring::new(2);
        let item = std::sync::Arc::new(());
        assert!(ring.push(std::sync::Arc::clone(&item)).is_ok());
        drop(ring);
        assert_eq!(std::sync::Arc::strong_count(&item), 1);
    }

    #[test]
    fn threads_lose_nothing() {
        let ring = std::sync::Arc::new(Ring::new(64));
        let producers: Vec<_> = (0..2u64)
            .map(|p| {
                let ring = std::sync::Arc::clone(&ring);
                std::thread::spawn(move || {
                    for i in 0..1_000 {
                        let mut item = p * 10_000 + i;
                        while let Err(back) = ring.push(item) {
                            item = back;
                            std::thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        let mut seen = Vec::new();
        while seen.len() < 2_000 {
            match ring.pop() {
                Some(item) => seen.push(item),
                None => std::thread::yield_now(),
            }
        }
        producers.into_iter().for_each(|p| p.join().unwrap());
        for p in 0..2 {
            let mine: Vec<_> = seen.iter().filter(|i| **i / 10_000 == p).collect();
            assert!(
                mine.windows(2).all(|w| w[0] < w[1]),
                "each producer's order kept"
            );
            assert_eq!(mine.len(), 1_000);
        }
    }
}

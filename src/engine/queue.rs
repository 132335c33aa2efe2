//! The future event list.
//!
//! Events are ordered by `(time, seq)`, where `seq` counts every scheduling call: two
//! events at the same instant are delivered in the order they were scheduled (FIFO).
//! This is the written tie rule of SimPy's `(time, priority, seq)` without the priority,
//! and it makes a run a pure function of its seed.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::Time;

/// A min-priority queue of events keyed by `(time, insertion order)`.
#[derive(Debug)]
pub struct EventQueue<E> {
    heap: BinaryHeap<Entry<E>>,
    seq: u64,
    now: Time,
}

#[derive(Debug)]
struct Entry<E> {
    /// `time << 64 | seq`: one integer comparison orders by time, then FIFO.
    key: u128,
    event: E,
}

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    /// Reversed, so that `BinaryHeap` (a max-heap) pops the earliest key first.
    fn cmp(&self, other: &Self) -> Ordering {
        other.key.cmp(&self.key)
    }
}

impl<E> Default for EventQueue<E> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

impl<E> EventQueue<E> {
    /// An empty queue at time zero with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            heap: BinaryHeap::with_capacity(capacity),
            seq: 0,
            now: Time::ZERO,
        }
    }

    /// The time of the last event popped (the simulation clock).
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `at`. Scheduling in the past is a bug in the caller; the
    /// event is then delivered now, after the events already due now.
    pub fn schedule(&mut self, at: Time, event: E) {
        debug_assert!(
            at >= self.now,
            "scheduled in the past: {at:?} < {:?}",
            self.now
        );
        let at = at.max(self.now);
        let key = (u128::from(at.0) << 64) | u128::from(self.seq);
        self.seq += 1;
        self.heap.push(Entry { key, event });
    }

    /// The key `(at, next sequence number)` an event scheduled now at `at` would get,
    /// consuming the sequence number. A caller that keeps one pending event outside the
    /// queue (a stream of arrivals) orders it exactly as if it were inside by comparing
    /// this key with [`EventQueue::peek_key`] and then calling [`EventQueue::advance_to`].
    pub fn reserve_key(&mut self, at: Time) -> u128 {
        debug_assert!(
            at >= self.now,
            "scheduled in the past: {at:?} < {:?}",
            self.now
        );
        let key = (u128::from(at.max(self.now).0) << 64) | u128::from(self.seq);
        self.seq += 1;
        key
    }

    /// The key of the earliest pending event.
    pub fn peek_key(&self) -> Option<u128> {
        self.heap.peek().map(|e| e.key)
    }

    /// Moves the clock to the time of a key from [`EventQueue::reserve_key`].
    pub fn advance_to(&mut self, key: u128) {
        let at = Time((key >> 64) as u64);
        debug_assert!(at >= self.now);
        self.now = at;
    }

    /// Schedules `event` `delay` after now.
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Removes the earliest event, advancing the clock to its time.
    pub fn pop(&mut self) -> Option<(Time, E)> {
        let entry = self.heap.pop()?;
        self.now = Time((entry.key >> 64) as u64);
        Some((self.now, entry.event))
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&self) -> Option<Time> {
        self.heap.peek().map(|e| Time((e.key >> 64) as u64))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.heap.len()
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.heap.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn earliest_first() {
        let mut q = EventQueue::default();
        q.schedule(Time(30), 'c');
        q.schedule(Time(10), 'a');
        q.schedule(Time(20), 'b');
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(
            order,
            vec![(Time(10), 'a'), (Time(20), 'b'), (Time(30), 'c')]
        );
    }

    #[test]
    fn equal_times_are_fifo() {
        let mut q = EventQueue::default();
        for i in 0..100 {
            q.schedule(Time(5), i);
        }
        q.schedule(Time(1), -1);
        let order: Vec<_> = std::iter::from_fn(|| q.pop()).map(|(_, e)| e).collect();
        let expected: Vec<_> = std::iter::once(-1).chain(0..100).collect();
        assert_eq!(order, expected);
    }

    #[test]
    fn a_reserved_key_orders_like_an_event_in_the_queue() {
        let mut q = EventQueue::default();
        q.schedule(Time(5), "queued before");
        let outside = q.reserve_key(Time(5));
        q.schedule(Time(5), "queued after");
        assert!(q.peek_key().unwrap() < outside);
        assert_eq!(q.pop().unwrap().1, "queued before");
        assert!(outside < q.peek_key().unwrap());
        q.advance_to(outside);
        assert_eq!(q.now(), Time(5));
        assert_eq!(q.pop().unwrap().1, "queued after");
    }

    #[test]
    fn random_schedules_pop_in_key_order() {
        // Against a sorted list: many times, many ties, pushes while popping.
        let mut q = EventQueue::default();
        let mut expected = vec![];
        let mut x: u64 = 12345;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..5_000u64 {
            let t = Time(next() % 300);
            q.schedule(t, i);
            expected.push((t, i));
        }
        expected.sort();
        let got: Vec<_> = std::iter::from_fn(|| q.pop()).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn events_scheduled_while_draining_keep_fifo_among_equals() {
        let mut q = EventQueue::default();
        q.schedule(Time(1), "first");
        q.schedule(Time(1), "second");
        let (t, e) = q.pop().unwrap();
        assert_eq!((t, e), (Time(1), "first"));
        q.schedule_in(Time::ZERO, "third");
        assert_eq!(q.pop().unwrap().1, "second");
        assert_eq!(q.pop().unwrap().1, "third");
        assert!(q.is_empty());
        assert_eq!(q.now(), Time(1));
    }
}

//! The future event list.
//!
//! Events are ordered by `(time, seq)`, where `seq` counts every scheduling call: two
//! events at the same instant are delivered in the order they were scheduled (FIFO).
//! This is the written tie rule of SimPy's `(time, priority, seq)` without the priority,
//! and it makes a run a pure function of its seed.

use super::Time;

/// A min-priority queue of events keyed by `(time, insertion order)`.
///
/// Three parts. Events scheduled for the current day (and any beyond the bucket window)
/// go to a 4-ary heap whose keys have an array of their own: a node's four children's keys
/// share one cache line, the tree is half as deep as a binary heap, and a sift compares
/// packed integers and moves an event only once it knows where it goes. The keys array
/// runs at least `ARITY - 1` slots past the last event, padded with `u128::MAX`, so every
/// node compares four children and no sift needs a path for a short last node. Events for a
/// later day wait unsorted in that day's bucket. Before anything of its day can be
/// popped, a bucket is sorted once and becomes the day's run, read in order; a pop takes
/// the earlier of the run's next event and the heap's. A department holds thousands of
/// pending events weeks ahead (clients' orders, care calls, lapses): the buckets keep
/// them out of the heap, and the run keeps a day's worth of them out too, so the heap
/// holds only what the day itself schedules (calls ending, callers hanging up).
///
/// The order is exactly that of one heap over all events: the run and the heap are
/// merged by key, and a bucket becomes the run before its day starts.
#[derive(Debug)]
pub struct EventQueue<E> {
    /// `time << 64 | seq`: one integer comparison orders by time, then FIFO. The first
    /// `events.len()` are the heap; the rest (at least `ARITY - 1`) are `u128::MAX`.
    keys: Vec<u128>,
    events: Vec<E>,
    /// Day buckets, a ring: bucket `d % BUCKETS` holds events of day `d`, for days
    /// from `next_day` to `next_day + BUCKETS - 1`.
    buckets: Vec<Vec<(u128, E)>>,
    /// The poured bucket of the day before `next_day`, latest first: its next event is
    /// the last element, and `run_key` is that event's key (`u128::MAX`: none left).
    run: Vec<(u128, E)>,
    run_key: u128,
    /// Emptied runs, whose memory the next buckets reuse.
    spare: Vec<Vec<(u128, E)>>,
    /// Events waiting in buckets.
    bucketed: usize,
    /// The first day whose bucket has not been poured into the heap.
    next_day: u64,
    /// Keys that go to a bucket: from the start of the day after `next_day` to the end
    /// of the ring or the horizon.
    bucket_keys: std::ops::Range<u128>,
    /// Keys from here on are past the horizon: never delivered, so never kept.
    horizon_key: u128,
    seq: u64,
    now: Time,
}

/// Days the bucket ring spans (a power of two); events further ahead go to the heap.
const BUCKETS: u64 = 512;

/// The smallest key of day `day`.
fn day_key(day: u64) -> u128 {
    u128::from(day * Time::DAY.0) << 64
}

impl<E: Copy> Default for EventQueue<E> {
    fn default() -> Self {
        Self::with_capacity(0)
    }
}

/// Children per node.
const ARITY: usize = 4;

impl<E: Copy> EventQueue<E> {
    /// An empty queue at time zero with room for `capacity` pending events.
    pub fn with_capacity(capacity: usize) -> Self {
        EventQueue {
            keys: {
                let mut keys = Vec::with_capacity(capacity + ARITY);
                keys.resize(ARITY, u128::MAX);
                keys
            },
            events: Vec::with_capacity(capacity),
            buckets: Vec::new(),
            run: Vec::new(),
            run_key: u128::MAX,
            spare: Vec::new(),
            bucketed: 0,
            next_day: 0,
            bucket_keys: day_key(1)..day_key(BUCKETS),
            horizon_key: u128::MAX,
            seq: 0,
            now: Time::ZERO,
        }
    }

    /// Sets the horizon: events scheduled at or after `at` are dropped, because a run
    /// that stops there never delivers them. A run schedules many such events (a
    /// client's lapse drawn years ahead); kept, they would deepen the heap for nothing.
    /// Their keys are still drawn, so the order of the events kept does not change.
    pub fn set_horizon(&mut self, at: Time) {
        self.horizon_key = u128::from(at.0) << 64;
        self.bucket_keys = self.bucket_window();
    }

    /// The keys that go to a bucket: from the day after `next_day` to the end of the
    /// ring or the horizon, whichever comes first.
    fn bucket_window(&self) -> std::ops::Range<u128> {
        day_key(self.next_day + 1)..day_key(self.next_day + BUCKETS).min(self.horizon_key)
    }

    /// The time of the last event popped (the simulation clock).
    #[inline]
    pub fn now(&self) -> Time {
        self.now
    }

    /// Schedules `event` at `at`. Scheduling in the past is a bug in the caller; the
    /// event is then delivered now, after the events already due now.
    #[inline]
    pub fn schedule(&mut self, at: Time, event: E) {
        let key = self.reserve_key(at);
        if self.bucket_keys.contains(&key) {
            self.schedule_later(key, event);
        } else if key < self.horizon_key {
            self.push_heap(key, event);
        }
    }

    /// Puts an event for a later day in its bucket.
    #[cold]
    fn schedule_later(&mut self, key: u128, event: E) {
        if self.bucketed == 0 {
            // Nothing waits in a bucket: the ring may start from today.
            self.next_day = self.next_day.max(self.now.0 / Time::DAY.0);
            self.bucket_keys = self.bucket_window();
            if self.buckets.is_empty() {
                self.buckets.resize_with(BUCKETS as usize, Vec::new);
            }
        }
        if !self.bucket_keys.contains(&key) {
            if key < self.horizon_key {
                self.push_heap(key, event);
            }
            return;
        }
        let day = (key >> 64) as u64 / Time::DAY.0;
        let bucket = &mut self.buckets[(day % BUCKETS) as usize];
        if bucket.capacity() == 0 {
            // A bucket in use for the first time takes the memory of a past day's run.
            if let Some(v) = self.spare.pop() {
                *bucket = v;
            }
        }
        bucket.push((key, event));
        self.bucketed += 1;
    }

    #[inline]
    fn push_heap(&mut self, key: u128, event: E) {
        let n = self.events.len();
        if self.keys.len() < n + ARITY {
            self.keys.push(u128::MAX);
        }
        self.events.push(event);
        self.sift_up(n, key, event);
    }

    /// Pours day buckets into the run until the earliest event comes before the first
    /// day still in a bucket.
    #[inline]
    fn settle(&mut self) {
        while self.bucketed > 0 {
            // An empty heap's first key is padding, and an empty run's key is `MAX`:
            // both after every day. The run's events are all before `next_day`, so when
            // this pours, the run is spent.
            if self.keys[0].min(self.run_key) < day_key(self.next_day) {
                return;
            }
            self.pour();
        }
    }

    /// Sorts the bucket of `next_day` into the run and moves on a day.
    #[cold]
    fn pour(&mut self) {
        debug_assert!(self.run.is_empty(), "a run is replaced only once spent");
        let i = (self.next_day % BUCKETS) as usize;
        let mut bucket = std::mem::take(&mut self.buckets[i]);
        self.bucketed -= bucket.len();
        // Latest first, so the run is read by popping its end. Keys are unique.
        bucket.sort_unstable_by_key(|x| std::cmp::Reverse(x.0));
        self.run_key = bucket.last().map_or(u128::MAX, |x| x.0);
        let spent = std::mem::replace(&mut self.run, bucket);
        if spent.capacity() > 0 {
            self.spare.push(spent);
        }
        self.next_day += 1;
        self.bucket_keys = self.bucket_window();
    }

    /// The key `(at, next sequence number)` an event scheduled now at `at` would get,
    /// consuming the sequence number. A caller that keeps one pending event outside the
    /// queue (a stream of arrivals) orders it exactly as if it were inside by comparing
    /// this key with [`EventQueue::peek_key`] and then calling [`EventQueue::advance_to`].
    #[inline]
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
    #[inline]
    pub fn peek_key(&mut self) -> Option<u128> {
        self.settle();
        let key = self.keys[0].min(self.run_key);
        (!self.events.is_empty() || !self.run.is_empty()).then_some(key)
    }

    /// Moves the clock to the time of a key from [`EventQueue::reserve_key`].
    #[inline]
    pub fn advance_to(&mut self, key: u128) {
        let at = Time((key >> 64) as u64);
        debug_assert!(at >= self.now);
        self.now = at;
    }

    /// Removes the earliest event if its key is below `limit` (a key from
    /// [`EventQueue::reserve_key`], or `time << 64` for "before `time`"), advancing the
    /// clock to its time: a peek and a pop in one.
    #[inline]
    pub fn pop_before(&mut self, limit: u128) -> Option<(Time, E)> {
        self.settle();
        // An empty heap's first key is padding and an empty run's `MAX`: never below a
        // limit.
        if self.keys[0].min(self.run_key) >= limit {
            return None;
        }
        self.pop_settled()
    }

    /// Schedules `event` `delay` after now.
    pub fn schedule_in(&mut self, delay: Time, event: E) {
        self.schedule(self.now + delay, event);
    }

    /// Removes the earliest event, advancing the clock to its time.
    #[inline]
    pub fn pop(&mut self) -> Option<(Time, E)> {
        self.settle();
        self.pop_settled()
    }

    /// [`EventQueue::pop`] once the buckets are settled.
    #[inline]
    fn pop_settled(&mut self) -> Option<(Time, E)> {
        if self.run_key < self.keys[0] {
            return self.pop_run();
        }
        let top = *self.events.first()?;
        let top_key = self.keys[0];
        let (Some(event), n) = (self.events.pop(), self.events.len()) else {
            unreachable!("the heap is not empty");
        };
        let key = std::mem::replace(&mut self.keys[n], u128::MAX);
        if n > 0 {
            self.sift_down(key, event);
        }
        self.now = Time((top_key >> 64) as u64);
        Some((self.now, top))
    }

    /// Takes the run's next event (out of line: the heap's path is the hot one).
    #[inline(never)]
    fn pop_run(&mut self) -> Option<(Time, E)> {
        let (key, event) = self.run.pop()?;
        self.run_key = self.run.last().map_or(u128::MAX, |x| x.0);
        self.now = Time((key >> 64) as u64);
        Some((self.now, event))
    }

    /// Moves the hole at `i` up to where `key` belongs and puts `event` there.
    #[inline]
    fn sift_up(&mut self, mut i: usize, key: u128, event: E) {
        while i > 0 {
            let parent = (i - 1) / ARITY;
            let pk = self.keys[parent];
            if pk <= key {
                break;
            }
            self.keys[i] = pk;
            self.events[i] = self.events[parent];
            i = parent;
        }
        self.keys[i] = key;
        self.events[i] = event;
    }

    /// Moves the hole at the root down to where `key` belongs and puts `event` there.
    fn sift_down(&mut self, key: u128, event: E) {
        let n = self.events.len();
        let mut i = 0;
        loop {
            let first = ARITY * i + 1;
            if first >= n {
                break;
            }
            // Children past the last event are padding: `MAX`, never below `key`.
            let k = &self.keys[first..first + ARITY];
            let (a, b) = if k[1] < k[0] { (1, k[1]) } else { (0, k[0]) };
            let (c, d) = if k[3] < k[2] { (3, k[3]) } else { (2, k[2]) };
            let (off, ck) = if d < b { (c, d) } else { (a, b) };
            if key <= ck {
                break;
            }
            let child = first + off;
            self.keys[i] = ck;
            self.events[i] = self.events[child];
            i = child;
        }
        self.keys[i] = key;
        self.events[i] = event;
    }

    /// The time of the earliest pending event.
    pub fn peek_time(&mut self) -> Option<Time> {
        self.peek_key().map(|k| Time((k >> 64) as u64))
    }

    /// How many events are pending.
    pub fn len(&self) -> usize {
        self.events.len() + self.run.len() + self.bucketed
    }

    /// Whether no event is pending.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
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
    fn pop_before_stops_at_the_limit_and_leaves_the_clock() {
        let mut q = EventQueue::default();
        q.schedule(Time(5), "a");
        let outside = q.reserve_key(Time(5));
        q.schedule(Time(5), "b");
        q.schedule(Time(9), "c");
        assert_eq!(q.pop_before(outside), Some((Time(5), "a")));
        // "b" was scheduled after the key was reserved: it waits for the key's owner.
        assert_eq!(q.pop_before(outside), None);
        assert_eq!(q.len(), 2);
        q.advance_to(outside);
        let before_9 = u128::from(9u64) << 64;
        assert_eq!(q.pop_before(before_9), Some((Time(5), "b")));
        assert_eq!(q.pop_before(before_9), None);
        assert_eq!(q.now(), Time(5));
        assert_eq!(q.pop_before(u128::MAX), Some((Time(9), "c")));
        assert_eq!(q.pop_before(u128::MAX), None);
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

    #[test]
    fn buckets_keep_the_order_of_one_heap() {
        check_against_one_heap(None);
    }

    #[test]
    fn events_past_the_horizon_are_dropped_and_the_rest_keep_their_order() {
        // The horizon falls inside the bucket window (200 days) and beyond it (700).
        check_against_one_heap(Some(Time(200 * Time::DAY.0 + 5)));
        check_against_one_heap(Some(Time(700 * Time::DAY.0)));
    }

    /// Against std's binary heap over (time, seq): events from the same instant to
    /// beyond the bucket window (up to 3 years ahead), scheduled while popping, with
    /// gaps of days in which nothing happens. With a horizon, the reference keeps only
    /// the events before it.
    fn check_against_one_heap(horizon: Option<Time>) {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        let mut q = EventQueue::default();
        if let Some(h) = horizon {
            q.set_horizon(h);
        }
        let kept = |at: Time| horizon.is_none_or(|h| at < h);
        let mut reference = BinaryHeap::new();
        let mut x: u64 = 987_654_321;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let (mut popped, mut dropped) = (0, 0);
        for round in 0..40_000u64 {
            let now = q.now();
            let ahead = match next() % 4 {
                0 => 0,
                1 => next() % Time::HOUR.0,
                2 => next() % (40 * Time::DAY.0),
                _ => next() % (1_100 * Time::DAY.0),
            };
            let at = Time(now.0 + ahead);
            q.schedule(at, round);
            // Scheduling order is `round`: the tie rule's sequence number.
            if kept(at) {
                reference.push(Reverse((at, round, round)));
            } else {
                dropped += 1;
            }
            if next() % 3 != 0 {
                let Some(Reverse((t, _, e))) = reference.pop() else {
                    // Everything left is past the horizon.
                    assert_eq!(q.pop(), None);
                    continue;
                };
                assert_eq!(q.peek_time(), Some(t));
                // Nothing is due before the earliest event's instant.
                assert_eq!(q.pop_before(u128::from(t.0) << 64), None);
                let got = if popped % 2 == 0 {
                    q.pop()
                } else {
                    q.pop_before(u128::MAX)
                };
                assert_eq!(got, Some((t, e)), "pop {popped}");
                popped += 1;
            }
            assert_eq!(q.len(), reference.len());
        }
        while let Some(Reverse((t, _, e))) = reference.pop() {
            assert_eq!(q.pop(), Some((t, e)));
        }
        assert!(q.is_empty() && q.pop().is_none());
        // The horizon was reached and events past it were offered.
        assert!(horizon.is_none() || dropped > 1_000, "dropped {dropped}");
    }
}

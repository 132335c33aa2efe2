//! One timer per slot, for things that have at most one pending event each (a person's
//! current task ending), kept apart from the event queue.
//!
//! A winner tree: the slots are the leaves of a complete binary tree, and each inner
//! node holds the earlier of its two children. The root is the earliest timer. Setting or
//! clearing a slot replays its path to the root: always the same number of steps, each a
//! comparison whose result is a conditional move, not a branch. A heap's sift, by
//! contrast, stops where the data says, and a processor guesses that wrong about once
//! per pop; which of two timers ends first is anyone's guess too.
//!
//! Keys come from [`EventQueue::reserve_key`](super::EventQueue::reserve_key), so a timer
//! and a queued event are ordered exactly as if the timer were in the queue.

/// Timers for a fixed number of slots (at most 2^20), keyed like the event queue: `time
/// << 64 | seq`, with times below 2^44 - 1 ms (about 550 years).
#[derive(Debug, Clone)]
pub struct Timers {
    /// Leaves at `width..2 * width`; node `i > 0` holds the earlier of `2i` and `2i + 1`
    /// (node 0 is unused). A node is `time << 84 | seq << 20 | slot`: ordered as the
    /// keys are (they are unique), and it names its slot, so a step of the walk moves one
    /// integer. `OFF` for a timer that is off.
    nodes: Vec<u128>,
    width: usize,
}

const SLOT_BITS: u32 = 20;
/// The largest number of slots.
pub const MAX_SLOTS: usize = 1 << SLOT_BITS;
/// Times from here on do not fit a node (the last time that would is left out, so that
/// `OFF` stands for a key later than any real one).
const TIME_LIMIT: u64 = (1 << (64 - SLOT_BITS)) - 1;
/// A timer that is off: after every node of a timer that is on.
const OFF: u128 = u128::MAX;

impl Timers {
    /// `slots` timers, all off.
    ///
    /// # Panics
    ///
    /// With more than [`MAX_SLOTS`] slots.
    pub fn new(slots: usize) -> Timers {
        assert!(slots <= MAX_SLOTS, "{slots} timers: at most {MAX_SLOTS}");
        let width = slots.next_power_of_two().max(1);
        Timers {
            nodes: vec![OFF; 2 * width],
            width,
        }
    }

    /// Sets the timer of `slot` to `key`, replacing any.
    ///
    /// # Panics
    ///
    /// When the key's time is 2^44 - 1 ms or later.
    #[inline]
    pub fn set(&mut self, slot: usize, key: u128) {
        let time = (key >> 64) as u64;
        assert!(
            time < TIME_LIMIT,
            "timer set at {time} ms: beyond any horizon"
        );
        let node = u128::from(time) << (64 + SLOT_BITS)
            | u128::from(key as u64) << SLOT_BITS
            | slot as u128;
        self.put(slot, node);
    }

    /// Turns the timer of `slot` off.
    #[inline]
    pub fn clear(&mut self, slot: usize) {
        self.put(slot, OFF);
    }

    /// The earliest timer: its key and slot (`None`: all off).
    #[inline]
    pub fn first(&self) -> Option<(u128, usize)> {
        let node = self.nodes[1];
        (node != OFF).then(|| (key_of(node), slot_of(node)))
    }

    /// The earliest key; with every timer off, a key later than any a timer can hold
    /// (so `first_key() < k` tells whether a timer comes before key `k`).
    #[inline]
    pub fn first_key(&self) -> u128 {
        key_of(self.nodes[1])
    }

    /// The slot of the earliest timer (meaningful when one is on).
    #[inline]
    pub fn winner(&self) -> usize {
        slot_of(self.nodes[1])
    }

    /// The key of `slot`'s timer, `None` when off.
    #[inline]
    pub fn get(&self, slot: usize) -> Option<u128> {
        let node = self.nodes[self.width + slot];
        (node != OFF).then(|| key_of(node))
    }

    /// How many timers are on (counted: a walk over the slots).
    pub fn len(&self) -> usize {
        self.nodes[self.width..]
            .iter()
            .filter(|&&n| n != OFF)
            .count()
    }

    /// Whether every timer is off.
    pub fn is_empty(&self) -> bool {
        self.nodes[1] == OFF
    }

    /// Puts `node` at `slot`'s leaf and replays the path to the root.
    #[inline(always)]
    fn put(&mut self, slot: usize, node: u128) {
        debug_assert!(slot < self.width, "slot {slot} of {} timers", self.width);
        // Small trees take a walk unrolled for their depth: a loop would let the
        // compiler turn the conditional moves back into branches (see `climb`).
        match self.width {
            1 => self.nodes[1] = node,
            2 => self.climb::<1>(slot, node),
            4 => self.climb::<2>(slot, node),
            8 => self.climb::<3>(slot, node),
            16 => self.climb::<4>(slot, node),
            32 => self.climb::<5>(slot, node),
            64 => self.climb::<6>(slot, node),
            _ => self.climb_loop(slot, node),
        }
    }

    /// The walk for a tree of depth `D`, unrolled. The node climbing the path stays in
    /// registers, and which of it and the sibling is earlier (anyone's guess) is a
    /// conditional move, not a branch: in a loop, the compiler would make it a branch
    /// that is guessed wrong half the time.
    #[inline(always)]
    fn climb<const D: usize>(&mut self, slot: usize, node: u128) {
        let nodes = &mut self.nodes[..];
        let mask = nodes.len() - 1;
        let mut i = (self.width + slot) & mask;
        nodes[i] = node;
        let mut n = node;
        for _ in 0..D {
            let sibling = nodes[(i ^ 1) & mask];
            n = n.min(sibling);
            i /= 2;
            nodes[i & mask] = n;
        }
    }

    /// The walk for larger trees. Each step reads both children from memory, so the
    /// comparison does not wait on the previous step's choice in a register, and the
    /// compiler keeps the conditional moves.
    fn climb_loop(&mut self, slot: usize, node: u128) {
        let nodes = &mut self.nodes[..];
        // The array is `2 * width` long, a power of two: an index masked with `len - 1`
        // stays in bounds without a check.
        let mask = nodes.len() - 1;
        let mut i = (self.width + slot) & mask;
        nodes[i] = node;
        while i > 1 {
            // The parent takes the earlier of `i` and its sibling. Nodes are unique but
            // for timers off, which are all alike.
            let l = i & !1;
            let (a, b) = (nodes[l & mask], nodes[(l | 1) & mask]);
            i /= 2;
            nodes[i & mask] = a.min(b);
        }
    }
}

/// The queue key a node stands for (`OFF` gives one later than any real key).
#[inline]
fn key_of(node: u128) -> u128 {
    (node >> (64 + SLOT_BITS)) << 64 | u128::from((node >> SLOT_BITS) as u64)
}

#[inline]
fn slot_of(node: u128) -> usize {
    (node as usize) & (MAX_SLOTS - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_single() {
        let mut t = Timers::new(1);
        assert_eq!(t.first(), None);
        assert!(t.is_empty());
        t.set(0, 7);
        assert_eq!(t.first(), Some((7, 0)));
        assert_eq!((t.len(), t.get(0)), (1, Some(7)));
        t.clear(0);
        assert_eq!((t.first(), t.len(), t.get(0)), (None, 0, None));
        assert!(Timers::new(0).is_empty());
    }

    #[test]
    fn an_empty_tree_comes_after_every_key_it_can_hold() {
        let latest = u128::from(TIME_LIMIT - 1) << 64 | u128::from(u64::MAX);
        let mut t = Timers::new(3);
        assert!(t.first_key() > latest);
        t.set(2, latest);
        assert_eq!(t.first(), Some((latest, 2)));
    }

    #[test]
    fn the_root_is_the_earliest_after_any_sequence_of_changes() {
        // Against a brute-force minimum over the slots: every unrolled depth (1 to 6)
        // and the loop beyond, slot counts that are and are not powers of two.
        for slots in [1, 2, 3, 5, 10, 16, 20, 37, 64, 100] {
            let mut t = Timers::new(slots);
            let mut reference: Vec<Option<u128>> = vec![None; slots];
            let mut x: u64 = 0x9e37_79b9 + slots as u64;
            let mut next = || {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x
            };
            for _ in 0..20_000 {
                let slot = (next() % slots as u64) as usize;
                if next() % 3 == 0 {
                    t.clear(slot);
                    reference[slot] = None;
                } else {
                    // Few distinct times: many equal ones, told apart by the sequence.
                    let key = u128::from(next() % 50) << 64 | u128::from(next());
                    t.set(slot, key);
                    reference[slot] = Some(key);
                }
                let expected = reference
                    .iter()
                    .enumerate()
                    .filter_map(|(s, k)| k.map(|k| (k, s)))
                    .min();
                assert_eq!(t.first(), expected);
                assert_eq!(t.len(), reference.iter().flatten().count());
                assert_eq!(t.get(slot), reference[slot]);
            }
        }
    }
}

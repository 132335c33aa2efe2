//! A slab of records with generation counters: slots are reused, and a reference that
//! outlived its record (a stale event) is recognised instead of hitting the new tenant.

/// A reference to a slab record: slot and generation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ref {
    pub idx: u32,
    pub gen: u32,
}

impl Ref {
    /// A reference to no record (no slot has this index).
    pub const NONE: Ref = Ref {
        idx: u32::MAX,
        gen: u32::MAX,
    };
}

#[derive(Debug)]
struct Slot<T> {
    gen: u32,
    val: Option<T>,
}

/// Records in reusable slots.
#[derive(Debug)]
pub struct Slab<T> {
    slots: Vec<Slot<T>>,
    free: Vec<u32>,
    live: usize,
}

impl<T> Default for Slab<T> {
    fn default() -> Self {
        Slab {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
        }
    }
}

impl<T> Slab<T> {
    /// Stores `val`, reusing a free slot when there is one.
    pub fn insert(&mut self, val: T) -> Ref {
        self.live += 1;
        if let Some(idx) = self.free.pop() {
            let s = &mut self.slots[idx as usize];
            s.val = Some(val);
            Ref { idx, gen: s.gen }
        } else {
            self.slots.push(Slot {
                gen: 0,
                val: Some(val),
            });
            Ref {
                idx: self.slots.len() as u32 - 1,
                gen: 0,
            }
        }
    }

    /// The record `r` points to, if it is still the one it was made for.
    pub fn get(&self, r: Ref) -> Option<&T> {
        let s = self.slots.get(r.idx as usize)?;
        (s.gen == r.gen).then_some(s.val.as_ref()).flatten()
    }

    /// Mutable access, as [`Slab::get`].
    pub fn get_mut(&mut self, r: Ref) -> Option<&mut T> {
        let s = self.slots.get_mut(r.idx as usize)?;
        if s.gen == r.gen {
            s.val.as_mut()
        } else {
            None
        }
    }

    /// Removes the record; references to it become stale.
    pub fn remove(&mut self, r: Ref) -> Option<T> {
        let s = self.slots.get_mut(r.idx as usize)?;
        if s.gen != r.gen {
            return None;
        }
        let v = s.val.take()?;
        s.gen = s.gen.wrapping_add(1);
        self.free.push(r.idx);
        self.live -= 1;
        Some(v)
    }

    /// Drops the record in place (no move out) after reading what `f` takes from it, in
    /// one lookup; references to it become stale. `None` when `r` was not live.
    pub fn free_with<R>(&mut self, r: Ref, f: impl FnOnce(&T) -> R) -> Option<R> {
        let s = self.slots.get_mut(r.idx as usize)?;
        if s.gen != r.gen {
            return None;
        }
        let out = f(s.val.as_ref()?);
        s.val = None;
        s.gen = s.gen.wrapping_add(1);
        self.free.push(r.idx);
        self.live -= 1;
        Some(out)
    }

    /// Records stored.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Every live record with its reference, in slot order.
    pub fn iter(&self) -> impl Iterator<Item = (Ref, &T)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            s.val.as_ref().map(|v| {
                (
                    Ref {
                        idx: i as u32,
                        gen: s.gen,
                    },
                    v,
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_references_are_refused() {
        let mut s = Slab::default();
        let a = s.insert("a");
        assert_eq!(s.remove(a), Some("a"));
        let b = s.insert("b");
        assert_eq!(b.idx, a.idx);
        assert_eq!(s.get(a), None);
        assert_eq!(s.get(b), Some(&"b"));
        assert_eq!(s.remove(a), None);
        assert_eq!(s.len(), 1);
        assert_eq!(s.free_with(a, |v| v.len()), None);
        assert_eq!(s.free_with(b, |v| v.len()), Some(1));
        assert_eq!((s.get(b), s.len()), (None, 0));
        assert_eq!(s.free_with(b, |v| v.len()), None);
        let c = s.insert("c");
        assert_eq!((c.idx, s.get(c)), (a.idx, Some(&"c")));
    }
}

//! Desk work with a due time: paperwork (contracts, order entry), calls to collect
//! clients' orders and clients' own calls. Each item is a record of its own that knows
//! when it became work and when it is due. Work past due does not wait for ever: an
//! order may be cancelled, a contract lost, an order collected by a competitor; a client
//! whose call is answered late may leave. What still waits at a month's end is that
//! month's backlog.

use std::cmp::Reverse;

use rand::RngExt;
use rand_distr::Exp1;

use super::slab::Ref;
use super::stats::Backlog;
use super::{Event, Item, Simulation};
use crate::engine::Time;
use crate::model::WorkKind;

/// What a desk record is about.
#[derive(Clone, Debug)]
pub(super) enum What {
    /// Contract and invoice of a won deal; the client record is made when it is done.
    Contract {
        value: f64,
        lead_seed: u64,
        segment: u8,
        repeat: bool,
        owner: u32,
        /// Won from a lead found by cold calling.
        outbound: bool,
        /// When its lead arrived.
        arrived: Time,
    },
    /// Entry of a client's repeat order.
    Order { value: f64, client: Ref },
    /// A call to take a client's order: `value` is at stake, `entry` is the order's
    /// entry time once taken.
    Collection {
        value: f64,
        entry: Time,
        client: Ref,
    },
    /// A client's own call.
    Call { client: Ref },
}

impl What {
    /// The kind of work it is.
    pub fn kind(&self) -> WorkKind {
        match self {
            What::Contract { .. } => WorkKind::Contract,
            What::Order { .. } => WorkKind::OrderEntry,
            What::Collection { .. } => WorkKind::Collection,
            What::Call { .. } => WorkKind::ClientCall,
        }
    }

    /// Revenue that depends on it being done.
    fn stake(&self) -> f64 {
        match self {
            What::Contract { value, .. }
            | What::Order { value, .. }
            | What::Collection { value, .. } => *value,
            What::Call { .. } => 0.0,
        }
    }
}

/// A unit of desk work.
#[derive(Clone, Debug)]
pub(super) struct Desk {
    /// When it became work.
    pub since: Time,
    /// When it is due.
    pub due: Time,
    /// How long it takes.
    pub work: Time,
    /// Someone is doing it now (it no longer expires).
    pub busy: bool,
    pub what: What,
}

/// The position of a desk kind in [`WorkKind::DESK`] (and in a month's backlog).
pub(super) fn desk_index(k: WorkKind) -> usize {
    WorkKind::DESK
        .iter()
        .position(|&d| d == k)
        .expect("a desk kind")
}

impl Simulation<'_> {
    /// The instant `window` of the office's working time after `from`; never, past the
    /// horizon.
    pub(super) fn due_after(&self, from: Time, window: Time) -> Time {
        self.sc
            .office_clock
            .after(self.cal, &self.sc.office, from, window)
            .unwrap_or(Time::NEVER)
    }

    /// Records new desk work due at `due` (expiring at `expires`, if ever) and hands it
    /// on: to the shared queue of its kind, or to the client's owner.
    pub(super) fn add_desk(&mut self, what: What, work: Time, due: Time, expires: Option<Time>) {
        let now = self.now();
        let kind = what.kind();
        let client = match what {
            What::Collection { client, .. } | What::Call { client } => Some(client),
            _ => None,
        };
        let r = self.desks.insert(Desk {
            since: now,
            due,
            work,
            busy: false,
            what,
        });
        if let Some(at) = expires.filter(|&t| t < self.cal.end()) {
            let key = u128::from(at.0) << 64 | u128::from(r.idx) << 32 | u128::from(r.gen);
            self.deadlines.push(Reverse(key));
            if at < self.deadline_at {
                self.deadline_at = at;
                self.q.schedule(at, Event::DeskExpired { desk: r });
            }
        }
        let item = Item { r, ver: 0 };
        match client {
            Some(c) => {
                let owner = self
                    .client_owner_of(c)
                    .expect("a client's work is added while it is on the books");
                self.push_owned(owner, kind, item);
            }
            None => self.offer(kind, item),
        }
    }

    /// A repeat order to enter, due after the scenario's window; past due, the client
    /// may cancel it (a hazard per late day, drawn from `u`, an exponential variate).
    pub(super) fn add_order(&mut self, value: f64, work: Time, client: Ref, late: f64) {
        let pw = &self.sc.paperwork;
        let due = self.due_after(self.now(), pw.order_entry_due);
        let expires = (pw.order_cancel_per_late_day > 0.0 && due < Time::NEVER)
            .then(|| due + Time::from_days(late / pw.order_cancel_per_late_day));
        self.add_desk(What::Order { value, client }, work, due, expires);
    }

    /// The client a desk item is about, if any.
    pub(super) fn desk_client(&self, r: Ref) -> Option<Ref> {
        match self.desks.get(r)?.what {
            What::Order { client, .. }
            | What::Collection { client, .. }
            | What::Call { client } => Some(client),
            What::Contract { .. } => None,
        }
    }

    /// When a queued desk item is due, if it still waits (not expired, not taken).
    #[inline]
    pub(super) fn desk_due(&self, r: Ref) -> Option<Time> {
        self.desks.get(r).filter(|d| !d.busy).map(|d| d.due)
    }

    /// Someone starts the desk item: how long it takes. A client's call answered past
    /// its due time has failed the client (checked here, not by an event at the due
    /// time: most calls are answered in time, and an event each would cost them all).
    pub(super) fn start_desk(&mut self, r: Ref) -> Time {
        let now = self.now();
        let Some(d) = self.desks.get_mut(r) else {
            return Time::ZERO;
        };
        d.busy = true;
        let work = d.work;
        if let What::Call { client } = d.what {
            if now > d.due {
                self.stats().client_calls_late += 1;
                self.fail_client(client);
            }
        }
        work
    }

    /// The earliest pending expiry is reached: every one due by now is settled, those of
    /// work done meanwhile are dropped, and one event is set for the next.
    pub(super) fn on_deadline(&mut self) {
        let now = self.now();
        if now != self.deadline_at {
            return; // an earlier expiry came in and took over
        }
        self.deadline_at = Time::NEVER;
        while let Some(&Reverse(key)) = self.deadlines.peek() {
            let at = Time((key >> 64) as u64);
            let r = Ref {
                idx: (key >> 32) as u32,
                gen: key as u32,
            };
            if at <= now {
                self.deadlines.pop();
                self.on_desk_expired(r);
            } else if self.desks.get(r).is_none_or(|d| d.busy) {
                self.deadlines.pop(); // done or in hand: it will not expire
            } else {
                self.deadline_at = at;
                self.q.schedule(at, Event::DeskExpired { desk: r });
                break;
            }
        }
    }

    /// Work past due that nobody started: what it costs.
    fn on_desk_expired(&mut self, r: Ref) {
        if self.desks.get(r).is_none_or(|d| d.busy) {
            return;
        }
        let Some(d) = self.desks.remove(r) else {
            return;
        };
        match d.what {
            What::Order { value, client } => {
                let s = self.stats();
                s.orders_cancelled_late += 1;
                s.revenue_lost_late += value;
                self.fail_client(client);
            }
            What::Contract {
                value,
                outbound,
                arrived,
                ..
            } => {
                if !outbound {
                    // The lead's cohort counted it kept at the decision: it is lost.
                    let cohort = &mut self.stats[self.cal.month_of(arrived)];
                    cohort.cohort_kept -= 1;
                    cohort.cohort_lost += 1;
                }
                let s = self.stats();
                s.contracts_lost_late += 1;
                s.revenue_lost_late += value;
            }
            What::Collection { value, client, .. } => {
                let s = self.stats();
                s.orders_lost_uncollected += 1;
                s.revenue_lost_uncollected += value;
                self.fail_client(client);
            }
            What::Call { .. } => unreachable!("a client's call does not expire"),
        }
    }

    /// Work about a client who left with their owner: an order to collect is lost with
    /// them, a call needs no answer.
    pub(super) fn drop_desk(&mut self, r: Ref) {
        if let Some(Desk {
            what: What::Collection { value, .. },
            ..
        }) = self.desks.remove(r)
        {
            let s = self.stats();
            s.orders_lost_uncollected += 1;
            s.revenue_lost_uncollected += value;
        }
    }

    /// A desk item done.
    pub(super) fn finish_desk(&mut self, r: Ref) {
        let Some(d) = self.desks.remove(r) else {
            return;
        };
        match d.what {
            What::Contract {
                value,
                lead_seed,
                segment,
                repeat,
                owner,
                ..
            } => self.contract_signed(value, lead_seed, segment, repeat, owner),
            What::Order { value, client } => self.order_entered(value, client),
            What::Collection {
                value,
                entry,
                client,
            } => self.collected(value, entry, client),
            What::Call { client } => self.contact(client),
        }
    }

    /// Each desk kind's backlog now: every item not yet done (in progress included),
    /// with the oldest one's age and the revenue at stake; care contacts and
    /// reactivation attempts that fell due and wait.
    pub(super) fn backlog(&self) -> [Backlog; 6] {
        let now = self.now();
        let mut b = [Backlog::default(); 6];
        let mut add = |k: WorkKind, since: Time, stake: f64| {
            let x = &mut b[desk_index(k)];
            x.count += 1;
            x.oldest_ms = x.oldest_ms.max(now.saturating_sub(since).0);
            x.stake += stake;
        };
        for (_, d) in self.desks.iter() {
            add(d.what.kind(), d.since, d.what.stake());
        }
        for (care, react) in self.clients.iter().map(|(_, c)| c.waiting()) {
            if let Some(since) = care {
                add(WorkKind::Care, since, 0.0);
            }
            if let Some(since) = react {
                add(WorkKind::Reactivation, since, 0.0);
            }
        }
        b
    }

    /// When a queued item of `kind` is due.
    pub(super) fn due_of(&self, kind: WorkKind, item: Item) -> Time {
        match kind {
            WorkKind::Care | WorkKind::Reactivation => match self.clients.get(item.r) {
                Some(c) => {
                    let (care, react) = c.waiting();
                    if kind == WorkKind::Care {
                        care.unwrap_or(Time::NEVER)
                    } else {
                        react.map_or(Time::NEVER, |t| {
                            self.due_after(t, self.sc.clients.reactivation_due)
                        })
                    }
                }
                None => Time::NEVER,
            },
            _ => self.desks.get(item.r).map_or(Time::NEVER, |d| d.due),
        }
    }

    /// A won deal's contract, due after the scenario's window; past due, the client may
    /// walk away (a hazard per late day, drawn from `late`, an exponential variate).
    pub(super) fn add_contract(&mut self, what: What, work: Time, late: f64) {
        let pw = &self.sc.paperwork;
        let due = self.due_after(self.now(), pw.contract_due);
        let expires = (pw.contract_loss_per_late_day > 0.0 && due < Time::NEVER)
            .then(|| due + Time::from_days(late / pw.contract_loss_per_late_day));
        self.add_desk(what, work, due, expires);
    }
}

/// An exponential variate for a lateness hazard, drawn only when `rate` is on (so a
/// scenario without it draws exactly what it drew before).
pub(super) fn late_draw(rate: f64, rng: &mut crate::engine::Stream) -> f64 {
    if rate > 0.0 {
        rng.sample(Exp1)
    } else {
        0.0
    }
}

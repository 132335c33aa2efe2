//! Outbound prospecting: a role that cold-calls spends its free time on shift dialling.
//! There are no cold-calling tasks and no events for them: when a person is called to
//! other work (or the month turns), the free stretch behind them is credited as busy
//! time, its dials are counted, and the meetings booked become deals.

use rand::RngExt;
use rand_distr::{Binomial, Distribution};

use super::leads::{Lead, LeadState, Qualified};
use super::Simulation;
use crate::engine::Time;
use crate::model::WorkKind;

/// Prospects called in each of the last `recall_days` days, resting before they may be
/// called again: a ring of daily counts, allocated once.
#[derive(Clone, Debug)]
pub(super) struct Resting {
    /// Prospects called on each day of the ring (index: day modulo its length).
    days: Vec<f64>,
    /// The day the ring is at.
    today: u32,
    /// Their sum: the prospects resting now.
    pub sum: f64,
}

impl Resting {
    pub fn new(recall_days: u32) -> Resting {
        Resting {
            days: vec![0.0; recall_days.max(1) as usize],
            today: 0,
            sum: 0.0,
        }
    }

    /// Moves to `day`: the prospects called `recall_days` or more days before it may be
    /// called again.
    pub fn advance(&mut self, day: u32) {
        let n = self.days.len() as u32;
        let steps = day.saturating_sub(self.today).min(n);
        for k in 1..=steps {
            let i = ((self.today + k) % n) as usize;
            self.sum -= self.days[i];
            self.days[i] = 0.0;
        }
        self.today = self.today.max(day);
        self.sum = self.sum.max(0.0);
    }

    /// `prospects` were called today.
    pub fn add(&mut self, prospects: f64) {
        let i = (self.today % self.days.len() as u32) as usize;
        self.days[i] += prospects;
        self.sum += prospects;
    }
}

impl Simulation<'_> {
    /// Credits the cold calling `e` has done since becoming free.
    pub(super) fn credit_prospecting(&mut self, e: usize) {
        let (st, cal, sc, now) = (self.st, self.cal, self.sc, self.now());
        let emp = &self.staff[e];
        let r = emp.role as usize;
        let role = &st.roles[r];
        if !self.cold_callers[r] || !emp.idle() {
            return;
        }
        let from = emp.idle_from;
        self.staff[e].idle_from = now;
        if now <= from {
            return;
        }
        let mut worked = Time::ZERO;
        let stats = &mut self.stats;
        cal.for_each_piece(&role.plan, from, now, |at, len, tag| {
            if role.masks[tag as usize].contains(WorkKind::Prospecting) {
                worked += len;
                let rm = &mut stats[cal.month_of(at)].roles[r];
                rm.busy_ms += len.0;
                rm.prospecting_ms += len.0;
            }
        });
        if worked == Time::ZERO {
            return;
        }
        // Turning to cold calls from other work costs the switch like any change of
        // work: those minutes are busy but nobody is dialled.
        let emp = &mut self.staff[e];
        let switching = if emp.last_kind.is_some_and(|k| k != WorkKind::Prospecting) {
            role.switch.min(worked)
        } else {
            Time::ZERO
        };
        emp.last_kind = Some(WorkKind::Prospecting);
        self.stats[cal.month_of(from)].roles[r].switch_ms += switching.0;
        // The switch is not dialling: it comes off the month it is booked in.
        let p = &mut self.stats[cal.month_of(from)].roles[r].prospecting_ms;
        *p = p.saturating_sub(switching.0);
        let o = &sc.outbound;
        let dials = match o.prospect_base {
            None => o.dials_per_hour * (worked - switching).hours(),
            Some(base) => {
                let pool = (base + self.live.dormant_clients) as f64;
                self.dial_from_base(r, from, now, switching, pool)
            }
        };
        let whole = dials.floor();
        let n = whole as u64 + u64::from(self.outbound_rng.random::<f64>() < dials - whole);
        let p = (o.connect_rate * o.lead_per_connect).clamp(0.0, 1.0);
        self.stats().dials += n;
        let booked = if n == 0 && p > 0.0 && p < 1.0 && 1.0 - p.min(1.0 - p) != 1.0 {
            // Binomial(0, p) by inversion (rand_distr's BINV) draws one uniform and
            // gives 0: the same draw, without building the distribution (a power and a
            // division) for the many short free stretches that dial nobody.
            let _: f64 = self.outbound_rng.random();
            0
        } else {
            Binomial::new(n, p).map_or(0, |b| b.sample(&mut self.outbound_rng))
        };
        for _ in 0..booked {
            self.cold_lead(e);
        }
    }

    /// The dials of a free stretch from `from` to `now` (less `switching` at its start)
    /// when the prospects are `pool`: day by day, as many as the prospects not resting
    /// allow; time with nobody left to call is idle, and comes off the busy and
    /// prospecting time booked for it.
    fn dial_from_base(
        &mut self,
        r: usize,
        from: Time,
        now: Time,
        switching: Time,
        pool: f64,
    ) -> f64 {
        let (st, cal, o) = (self.st, self.cal, &self.sc.outbound);
        let role = &st.roles[r];
        let (rest, stats) = (&mut self.resting, &mut self.stats);
        let mut skip = switching;
        let mut dials = 0.0;
        cal.for_each_piece(&role.plan, from, now, |at, len, tag| {
            if !role.masks[tag as usize].contains(WorkKind::Prospecting) {
                return;
            }
            let cut = skip.min(len);
            skip = skip - cut;
            let t = len - cut;
            rest.advance(at.day());
            let want = o.dials_per_hour * t.hours();
            let can = (pool - rest.sum).max(0.0) * o.dials_per_prospect;
            let got = want.min(can);
            rest.add(got / o.dials_per_prospect);
            dials += got;
            if got < want {
                let idle = Time::from_secs(t.secs() * (1.0 - got / want));
                let rm = &mut stats[cal.month_of(at)].roles[r];
                rm.busy_ms = rm.busy_ms.saturating_sub(idle.0);
                rm.prospecting_ms = rm.prospecting_ms.saturating_sub(idle.0);
            }
        });
        dials
    }

    /// A meeting booked by cold calling: a lead that is already a deal.
    fn cold_lead(&mut self, e: usize) {
        let now = self.now();
        let number = self.issued.outbound;
        let seed = self.lead_seed(1, number);
        self.issued.outbound += 1;
        let r = self.leads.insert(Lead {
            id: super::log::Channel::Outbound.id(number),
            arrived: now,
            clock: now,
            rang: now,
            redials: 0,
            seed,
            state: LeadState::InDeal,
            attempts: 0,
            reach_attempt: 1,
            round: 0,
            contacted: true,
            patience: Time::ZERO,
            qualified: Qualified::Target,
            deal: None,
        });
        self.live.open_leads += 1;
        let s = self.stats();
        s.leads_outbound += 1;
        s.qualified += 1;
        let owner = if self.staff[e].role as usize == self.st.deal_owner {
            e
        } else {
            self.least_loaded(self.st.deal_owner, |x| x.open_deals)
        };
        self.open_deal(r, owner, true, false);
        // Logged once the deal is open, so that the row carries its segment.
        self.log(
            r,
            super::log::LogKind::ProspectFound,
            Some(e),
            "",
            0.0,
            None,
        );
    }

    /// Credits every free person's cold calling up to now (at a month's turn and at the
    /// end of the horizon, so that time and leads land in their month).
    pub(super) fn credit_all_prospecting(&mut self) {
        for e in 0..self.staff.len() {
            if self.staff[e].idle() {
                self.credit_prospecting(e);
            }
        }
    }
}

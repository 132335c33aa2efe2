//! Deals: touches over the sales cycle, going cold, the decision, the contract.

use rand::RngExt;

use super::desk::{late_draw, What};
use super::leads::{stage, Deal, LeadState};
use super::log::LogKind;
use super::slab::Ref;
use super::{Event, Item, Simulation};
use crate::engine::{derive_seed, substream, Time};
use crate::model::WorkKind;

/// Picks an index by cumulative shares.
pub(super) fn pick(u: f64, shares: impl Iterator<Item = f64>) -> usize {
    let mut acc = 0.0;
    let mut last = 0;
    for (i, s) in shares.enumerate() {
        acc += s;
        last = i;
        if u < acc {
            return i;
        }
    }
    last
}

impl Simulation<'_> {
    /// A target lead becomes a deal owned by `owner`; the first touch is due at once.
    /// `handed_off`: another role qualified the lead and passed it on.
    pub(super) fn open_deal(&mut self, r: Ref, owner: usize, outbound: bool, handed_off: bool) {
        let sc = self.sc;
        let now = self.now();
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        let mut rng = substream(l.seed, stage::DEAL);
        let segment = pick(rng.random(), sc.segments.iter().map(|s| s.share));
        let seg = &sc.segments[segment];
        let cycle = Time::from_days(seg.cycle_days.sample(&mut rng));
        let value = seg.deal_value.sample(&mut rng);
        let (u_win, u_repeat) = (rng.random(), rng.random());
        l.state = LeadState::InDeal;
        l.deal = Some(Deal {
            owner: owner as u32,
            segment: segment as u8,
            touches: seg.touches,
            done: 0,
            in_progress: false,
            spacing: Time(cycle.0 / u64::from(seg.touches)),
            value,
            u_win,
            u_repeat,
            outbound,
            handed_off,
            selling: Time::ZERO,
            rng,
        });
        self.staff[owner].open_deals += 1;
        self.q
            .schedule(now + seg.max_gap, Event::DealWentCold { lead: r, touch: 0 });
        self.touch_due(r, 0, owner, segment);
    }

    /// Touch `touch` of deal `r` falls due: to its owner, or first to whoever prepares
    /// touches when its segment has a preparation part.
    fn touch_due(&mut self, r: Ref, touch: u32, owner: usize, segment: usize) {
        let item = Item { r, ver: touch };
        if self.preparers && self.sc.segments[segment].prep_share > 0.0 {
            // Someone else prepares it first; the owner sells after.
            self.offer(WorkKind::Preparation, item);
        } else {
            self.push_owned(owner, WorkKind::DealTouch, item);
        }
    }

    /// The deal `r` is open and waiting for touch number `touch` (not yet started).
    pub(super) fn deal_waits_for(&self, r: Ref, touch: u32) -> Option<&Deal> {
        let l = self.leads.get(r)?;
        let d = l.deal.as_ref()?;
        (l.state == LeadState::InDeal && d.done == touch && !d.in_progress).then_some(d)
    }

    pub(super) fn on_touch_due(&mut self, r: Ref, touch: u32) {
        if let Some(d) = self.deal_waits_for(r, touch) {
            let (owner, segment) = (d.owner as usize, d.segment as usize);
            self.touch_due(r, touch, owner, segment);
        }
    }

    /// A touch's preparation starts: the touch's whole effort is drawn, and the owner's
    /// selling part is kept for after.
    pub(super) fn start_prep(&mut self, r: Ref) -> Time {
        let sc = self.sc;
        let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) else {
            return Time::ZERO;
        };
        d.in_progress = true;
        let seg = &sc.segments[d.segment as usize];
        let total = seg.touch_minutes.sample(&mut d.rng);
        let prep = total * seg.prep_share;
        d.selling = Time::from_minutes(total - prep).max(Time(1));
        Time::from_minutes(prep)
    }

    /// The preparation is done: the owner's selling part waits for them.
    pub(super) fn finish_prep(&mut self, r: Ref) {
        let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) else {
            return;
        };
        d.in_progress = false;
        let (owner, touch) = (d.owner as usize, d.done);
        self.push_owned(owner, WorkKind::DealTouch, Item { r, ver: touch });
    }

    pub(super) fn on_deal_went_cold(&mut self, r: Ref, touch: u32) {
        if let Some(d) = self.deal_waits_for(r, touch) {
            let owner = d.owner as usize;
            self.staff[owner].open_deals -= 1;
            self.log(r, LogKind::LeadLost, Some(owner), "deal_cold", 0.0, None);
            self.stats().lost_deal_cold += 1;
            self.finish_lead(r, false);
        }
    }

    pub(super) fn start_touch(&mut self, r: Ref) -> Time {
        let sc = self.sc;
        let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) else {
            return Time::ZERO;
        };
        d.in_progress = true;
        if d.selling > Time::ZERO {
            return std::mem::replace(&mut d.selling, Time::ZERO);
        }
        let seg = &sc.segments[d.segment as usize];
        Time::from_minutes(seg.touch_minutes.sample(&mut d.rng))
    }

    pub(super) fn finish_touch(&mut self, r: Ref) {
        let sc = self.sc;
        let now = self.now();
        let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) else {
            return;
        };
        d.in_progress = false;
        d.done += 1;
        let owner = d.owner as usize;
        self.log(r, LogKind::DealTouch, Some(owner), "", 0.0, None);
        let Some(d) = self.leads.get_mut(r).and_then(|l| l.deal.as_mut()) else {
            return;
        };
        if d.done < d.touches {
            let (touch, seg) = (d.done, &sc.segments[d.segment as usize]);
            self.q
                .schedule(now + d.spacing, Event::TouchDue { lead: r, touch });
            self.q
                .schedule(now + seg.max_gap, Event::DealWentCold { lead: r, touch });
        } else {
            self.decide(r);
        }
    }

    /// After the last touch: won or lost, with the owner's skill.
    fn decide(&mut self, r: Ref) {
        let sc = self.sc;
        // A new hire wins less until ramped up (1 without turnover).
        let ramp = match self.leads.get(r).and_then(|l| l.deal.as_ref()) {
            Some(d) => {
                let owner = d.owner as usize;
                if self.st.roles[self.staff[owner].role as usize].has_turnover() {
                    self.ramp_factor(owner)
                } else {
                    1.0
                }
            }
            None => 1.0,
        };
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        let (seed, arrived) = (l.seed, l.arrived);
        let Some(d) = l.deal.as_mut() else { return };
        let owner = d.owner as usize;
        let seg = &sc.segments[d.segment as usize];
        let role = &self.st.roles[self.staff[owner].role as usize];
        let factor = if d.outbound {
            sc.outbound.win_factor
        } else {
            1.0
        };
        let handoff = if d.handed_off {
            self.st.handoff_win
        } else {
            1.0
        };
        let p = (seg.win_probability * role.win * factor * handoff * ramp).min(1.0);
        let won = d.u_win < p;
        let contract = What::Contract {
            value: d.value,
            lead_seed: seed,
            segment: d.segment,
            repeat: d.u_repeat < seg.repeat_share,
            owner: owner as u32,
            outbound: d.outbound,
            arrived,
        };
        let work = Time::from_minutes(sc.paperwork.contract_minutes.sample(&mut d.rng));
        let late = late_draw(sc.paperwork.contract_loss_per_late_day, &mut d.rng);
        let value = d.value;
        self.staff[owner].open_deals -= 1;
        if won {
            self.log(r, LogKind::DealWon, Some(owner), "", value, None);
            self.stats().deals_won += 1;
            self.add_contract(contract, work, late);
        } else {
            self.log(
                r,
                LogKind::LeadLost,
                Some(owner),
                "decision_lost",
                0.0,
                None,
            );
            self.stats().lost_deal_lost += 1;
        }
        self.finish_lead(r, won);
    }

    /// A contract signed: the first order's revenue is booked, and a repeat client is
    /// on the books.
    pub(super) fn contract_signed(
        &mut self,
        value: f64,
        lead_seed: u64,
        segment: u8,
        repeat: bool,
        owner: u32,
    ) {
        let role = self.staff[owner as usize].role as usize;
        let rate = self.st.roles[role].pay.commission_new;
        let s = self.stats();
        s.revenue_new += value;
        s.contracts_signed += 1;
        s.roles[role].commissions += value * rate;
        s.commissions_new += value * rate;
        if repeat {
            let keeper = self.client_keeper(owner as usize);
            let seed = derive_seed(lead_seed, &[stage::CLIENT]);
            self.new_client(seed, segment as usize, keeper, false);
            self.stats().clients_won += 1;
        }
    }

    /// Who keeps a client won by `closer`: the closer when the closing role also keeps
    /// clients (and the closer is still on staff), else the least loaded keeper.
    fn client_keeper(&self, closer: usize) -> usize {
        let e = &self.staff[closer];
        if e.role as usize == self.st.client_owner && e.active && !e.leaving {
            closer
        } else {
            self.least_loaded(self.st.client_owner, |x| x.clients)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::pick;

    #[test]
    fn pick_by_shares() {
        let shares = [0.7, 0.25, 0.05];
        assert_eq!(pick(0.0, shares.into_iter()), 0);
        assert_eq!(pick(0.69, shares.into_iter()), 0);
        assert_eq!(pick(0.71, shares.into_iter()), 1);
        assert_eq!(pick(0.96, shares.into_iter()), 2);
        assert_eq!(pick(0.999_999_9, shares.into_iter()), 2);
    }
}

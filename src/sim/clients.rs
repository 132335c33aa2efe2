//! Clients: repeat orders, care contacts with expansion, the churn hazard that rises
//! with neglect, dormancy, and reactivation.

use rand::RngExt;
use rand_distr::Exp1;

use super::deals::pick;
use super::desk::{late_draw, What};
use super::slab::Ref;
use super::{Event, Item, Simulation, Source};
use crate::engine::{derive_seed, substream, Stream, Time};
use crate::model::{Hazard, WorkKind};

/// Sub-streams of a client's seed: each purpose draws in its own sequence.
mod purpose {
    pub const TIER: u64 = 1;
    pub const ORDERS: u64 = 2;
    pub const CARE: u64 = 3;
    pub const CHURN: u64 = 4;
    pub const REACTIVATION: u64 = 5;
    pub const INITIAL: u64 = 6;
    /// Collection calls and the client's own calls (added later: a stream of its own,
    /// so the draws of the others stay what they were).
    pub const CALLS: u64 = 7;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ClientState {
    /// Buying (or lapsed without anyone noticing yet).
    Active,
    /// No order for `dormant_after`: a target for reactivation.
    Dormant,
}

/// A client on the books.
#[derive(Clone, Debug)]
pub(super) struct Client {
    pub owner: u32,
    /// Its number, in the order clients were put on the books (the event log's id).
    pub id: u32,
    tier: u8,
    segment: u8,
    pub state: ClientState,
    /// Stopped buying (to a competitor); noticed only when it turns dormant.
    lapsed: bool,
    /// Growth of the client's orders through expansion (1 = as won).
    wallet: f64,
    last_order: Time,
    last_contact: Time,
    /// Cumulative churn hazard left before the client lapses.
    budget: f64,
    hazard_from: Time,
    order_ver: u32,
    care_ver: u32,
    churn_ver: u32,
    /// When the pending lapse check fires (`u64::MAX`: none pending). One check per
    /// client: a check that fires before the lapse instant reschedules itself, so a care
    /// contact (which postpones the lapse) leaves no stale event behind.
    lapse_at: u64,
    dorm_ver: u32,
    react_ver: u32,
    react_attempts: u32,
    call_ver: u32,
    /// A care contact fell due then and waits (`NEVER`: none waits).
    care_since: Time,
    /// A reactivation attempt fell due then and waits (`NEVER`: none waits).
    react_since: Time,
    orders: Stream,
    care: Stream,
    churn: Stream,
    react: Stream,
    calls: Stream,
}

impl Client {
    /// Its segment's index.
    pub fn segment(&self) -> u8 {
        self.segment
    }

    /// Since when a care contact and a reactivation attempt have waited, if they do.
    pub fn waiting(&self) -> (Option<Time>, Option<Time>) {
        let at = |t: Time| (t != Time::NEVER).then_some(t);
        (at(self.care_since), at(self.react_since))
    }
}

impl Simulation<'_> {
    fn hazard(&self, tier: usize) -> Hazard {
        let c = &self.sc.clients;
        let neglect = if c.tiers[tier].care_every.is_some() {
            c.neglect_factor
        } else {
            1.0
        };
        Hazard::from_annual(c.annual_churn, neglect)
    }

    fn neglect_from(&self, c: &Client) -> u64 {
        let tier = &self.sc.clients.tiers[c.tier as usize];
        match tier.care_every {
            Some(every) => (c.last_contact + every + tier.grace).0,
            None => u64::MAX,
        }
    }

    /// Puts a client on the books; `initial` clients start mid-way through their cycles.
    pub(super) fn new_client(&mut self, seed: u64, segment: usize, owner: usize, initial: bool) {
        let sc = self.sc;
        let now = self.now();
        let tier = pick(
            substream(seed, purpose::TIER).random(),
            sc.clients.tiers.iter().map(|t| t.share),
        );
        self.issued.client_ids += 1;
        let mut c = Client {
            owner: owner as u32,
            id: self.issued.client_ids,
            tier: tier as u8,
            segment: segment as u8,
            state: ClientState::Active,
            lapsed: false,
            wallet: 1.0,
            last_order: now,
            last_contact: now,
            budget: 0.0,
            hazard_from: now,
            order_ver: 0,
            care_ver: 0,
            churn_ver: 0,
            lapse_at: u64::MAX,
            dorm_ver: 0,
            react_ver: 0,
            react_attempts: 0,
            call_ver: 0,
            care_since: Time::NEVER,
            react_since: Time::NEVER,
            orders: substream(seed, purpose::ORDERS),
            care: substream(seed, purpose::CARE),
            churn: substream(seed, purpose::CHURN),
            react: substream(seed, purpose::REACTIVATION),
            calls: substream(seed, purpose::CALLS),
        };
        c.budget = c.churn.sample(Exp1);
        let phase: f64 = if initial { c.orders.random() } else { 1.0 };
        let first_order = self.reorder_at(
            segment,
            now,
            sc.segments[segment].reorder_days.sample(&mut c.orders) * phase,
        );
        let first_call = Self::next_call(sc.clients.calls_per_year, &mut c.calls, now);
        let first_care = sc.clients.tiers[tier].care_every.map(|every| {
            let phase: f64 = if initial { c.care.random() } else { 1.0 };
            Time::from_secs(every.secs() * phase)
        });
        let r = self.clients.insert(c);
        self.live.active_clients += 1;
        self.staff[owner].clients += 1;
        self.schedule_at(first_order, Event::OrderPlaced { client: r, ver: 0 });
        self.schedule_at(first_call, Event::ClientCalled { client: r, ver: 0 });
        self.q.schedule(
            now + sc.clients.dormant_after,
            Event::DormancyReached { client: r, ver: 0 },
        );
        if let Some(t) = first_care {
            self.q
                .schedule(now + t, Event::CareDue { client: r, ver: 0 });
        }
        self.schedule_lapse(r);
    }

    /// The initial client base, spread over the keepers on staff in the first month.
    pub(super) fn seed_initial_clients(&mut self) {
        let sc = self.sc;
        let n = sc.clients.initial_active;
        let keepers: Vec<usize> = self.on_staff(self.st.client_owner).collect();
        let weights: Vec<f64> = sc
            .segments
            .iter()
            .map(|s| s.share * s.repeat_share)
            .collect();
        let total: f64 = weights.iter().sum();
        for i in 0..u64::from(n) {
            let seed = derive_seed(self.seed, &[Source::Clients as u64, purpose::INITIAL, i]);
            let u: f64 = substream(seed, purpose::INITIAL).random();
            let segment = if total > 0.0 {
                pick(u, weights.iter().map(|w| w / total))
            } else {
                pick(u, sc.segments.iter().map(|s| s.share))
            };
            let owner = keepers[i as usize % keepers.len()];
            self.issued.clients += 1;
            self.new_client(seed, segment, owner, true);
        }
    }

    /// The instant the client's churn budget runs out, as things stand now.
    fn lapse_due(&self, c: &Client) -> u64 {
        let h = self.hazard(c.tier as usize);
        // The budget spent up to now can exceed what is left by a rounding hair (lapse
        // instants are rounded up to the millisecond): never due in the past.
        h.exhausted_at(c.hazard_from.0, c.budget.max(0.0), self.neglect_from(c))
            .max(self.now().0)
    }

    /// Makes sure a lapse check is pending no later than the lapse instant.
    fn schedule_lapse(&mut self, r: Ref) {
        let Some(c) = self.clients.get(r) else { return };
        let due = self.lapse_due(c);
        let Some(c) = self.clients.get_mut(r) else {
            return;
        };
        if due < c.lapse_at {
            c.churn_ver += 1; // the later check, if any, is stale
            c.lapse_at = due;
            let ver = c.churn_ver;
            self.q
                .schedule(Time(due), Event::ClientLapsed { client: r, ver });
        }
    }

    fn live_client(&mut self, r: Ref, state: ClientState) -> Option<&mut Client> {
        self.clients.get_mut(r).filter(|c| c.state == state)
    }

    /// The client, if still buying (active and not lapsed) and the event's version `ver`
    /// of the counter `of` is current.
    fn buying_client(&mut self, r: Ref, ver: u32, of: fn(&Client) -> u32) -> Option<&mut Client> {
        self.live_client(r, ClientState::Active)
            .filter(|c| of(c) == ver && !c.lapsed)
    }

    pub(super) fn on_order_placed(&mut self, r: Ref, ver: u32) {
        let sc = self.sc;
        let now = self.now();
        let Some(c) = self.buying_client(r, ver, |c| c.order_ver) else {
            return;
        };
        let segment = c.segment as usize;
        let seg = &sc.segments[segment];
        let value = seg.repeat_value.sample(&mut c.orders) * c.wallet;
        let work = Time::from_minutes(sc.paperwork.order_entry_minutes.sample(&mut c.orders));
        let next = seg.reorder_days.sample(&mut c.orders);
        c.order_ver += 1;
        let ver = c.order_ver;
        let collect = seg.collected_share > 0.0 && c.calls.random::<f64>() < seg.collected_share;
        let (call, late) = if collect {
            let minutes = sc.clients.collection_minutes.sample(&mut c.calls);
            (Time::from_minutes(minutes), 0.0)
        } else {
            c.last_order = now;
            let rate = sc.paperwork.order_cancel_per_late_day;
            (Time::ZERO, late_draw(rate, &mut c.calls))
        };
        if collect {
            // The order waits for the owner's call: taken on the call, or lost when the
            // window closes.
            let what = What::Collection {
                value,
                entry: work,
                client: r,
            };
            self.stats().collections_due += 1;
            self.add_desk(what, call, now, Some(now + seg.collection_window));
        } else {
            self.stats().repeat_orders += 1;
            self.add_order(value, work, r, late);
        }
        let at = self.reorder_at(segment, now, next);
        self.schedule_at(at, Event::OrderPlaced { client: r, ver });
    }

    /// A collection call made: the client orders (if still a client), the call counts
    /// as a contact.
    pub(super) fn collected(&mut self, value: f64, entry: Time, r: Ref) {
        let sc = self.sc;
        let now = self.now();
        let Some(c) = self
            .clients
            .get_mut(r)
            .filter(|c| c.state == ClientState::Active && !c.lapsed)
        else {
            // The client has gone to a competitor meanwhile: the order with them.
            let s = self.stats();
            s.orders_lost_uncollected += 1;
            s.revenue_lost_uncollected += value;
            return;
        };
        c.last_order = now;
        let late = late_draw(sc.paperwork.order_cancel_per_late_day, &mut c.calls);
        let s = self.stats();
        s.repeat_orders += 1;
        s.orders_collected += 1;
        self.contact(r);
        self.add_order(value, entry, r, late);
    }

    /// A repeat order entered: its revenue is booked.
    pub(super) fn order_entered(&mut self, value: f64, client: Ref) {
        let role = match self.clients.get(client) {
            Some(c) => self.staff[c.owner as usize].role as usize,
            None => self.st.client_owner,
        };
        let rate = self.st.roles[role].pay.commission_repeat;
        self.log_client(client, super::log::LogKind::OrderEntered, value);
        let s = self.stats();
        s.revenue_repeat += value;
        s.orders_entered += 1;
        s.roles[role].commissions += value * rate;
        s.commissions_repeat += value * rate;
    }

    /// A client's own call came in: work for their owner, due within the scenario's
    /// window; answered later than that, the client may leave.
    pub(super) fn on_client_called(&mut self, r: Ref, ver: u32) {
        let sc = self.sc;
        let now = self.now();
        let Some(c) = self.buying_client(r, ver, |c| c.call_ver) else {
            return;
        };
        let work = Time::from_minutes(sc.clients.call_minutes.sample(&mut c.calls));
        let next = Self::next_call(sc.clients.calls_per_year, &mut c.calls, now);
        self.schedule_at(next, Event::ClientCalled { client: r, ver });
        self.stats().client_calls += 1;
        let due = self.due_after(now, sc.clients.call_due);
        self.add_desk(What::Call { client: r }, work, due, None);
    }

    /// When an active client next calls (never, when clients do not call).
    fn next_call(rate: f64, rng: &mut Stream, now: Time) -> Time {
        if rate > 0.0 {
            let years: f64 = rng.sample(Exp1);
            now + Time::from_days(years / rate * 365.0)
        } else {
            Time::NEVER
        }
    }

    /// A contact with the client (a call either way): neglect starts again from now.
    pub(super) fn contact(&mut self, r: Ref) {
        self.churn_step(r, 0.0, true);
    }

    /// The department failed the client (an order cancelled late or lost uncollected, a
    /// call answered late): the client lapses with the scenario's chance, as a
    /// one-off step of their churn hazard.
    pub(super) fn fail_client(&mut self, r: Ref) {
        let p = self.sc.clients.lapse_after_failure;
        if p > 0.0 && self.clients.get(r).is_some_and(|c| !c.lapsed) {
            self.churn_step(r, -(1.0 - p).ln(), false);
        }
    }

    /// Brings an active client's churn budget up to now, takes `step` more off it (a
    /// one-off jump of the cumulative hazard), marks a contact if `contact` (neglect
    /// starts again), and checks the lapse again.
    fn churn_step(&mut self, r: Ref, step: f64, contact: bool) {
        let now = self.now();
        let Some(c) = self
            .clients
            .get(r)
            .filter(|c| c.state == ClientState::Active)
        else {
            return;
        };
        let (tier, neglect_from) = (c.tier as usize, self.neglect_from(c));
        let h = self.hazard(tier);
        let Some(c) = self.clients.get_mut(r) else {
            return;
        };
        c.budget -= h.spent(c.hazard_from.0, now.0, neglect_from) + step;
        c.hazard_from = now;
        if contact {
            c.last_contact = now;
        }
        if step > 0.0 {
            // A contact alone only postpones the lapse: the pending check, when it fires,
            // finds the new instant and moves itself there.
            self.schedule_lapse(r);
        }
    }

    /// Schedules `ev` at `at` unless it is never.
    pub(super) fn schedule_at(&mut self, at: Time, ev: Event) {
        if at < Time::NEVER {
            self.q.schedule(at, ev);
        }
    }

    /// The instant `days` of segment `seg`'s reorder interval after `from`: in season
    /// time, which runs faster in a busy month (never, past the horizon).
    pub(super) fn reorder_at(&self, seg: usize, from: Time, days: f64) -> Time {
        let rates = &self.reorder_rates[seg];
        if rates.is_empty() {
            return from + Time::from_days(days);
        }
        let (mut t, mut left) = (from, days);
        let months = self.cal.months();
        let mut m = self.cal.month_of(t);
        while m < months {
            let end = if m + 1 < months {
                self.cal.month_start(m + 1)
            } else {
                self.cal.end()
            };
            let span = end.saturating_sub(t).secs() / 86_400.0;
            let rate = rates[m];
            if rate > 0.0 && left <= span * rate {
                return t + Time::from_days(left / rate);
            }
            left -= span * rate;
            t = end;
            m += 1;
        }
        Time::NEVER
    }

    pub(super) fn on_care_due(&mut self, r: Ref, ver: u32) {
        let now = self.now();
        let Some(c) = self.live_client(r, ClientState::Active) else {
            return;
        };
        if c.care_ver == ver {
            let owner = c.owner as usize;
            if c.care_since == Time::NEVER {
                c.care_since = now;
            }
            self.push_owned(owner, WorkKind::Care, Item { r, ver });
        }
    }

    pub(super) fn care_valid(&self, item: Item) -> bool {
        self.clients
            .get(item.r)
            .is_some_and(|c| c.state == ClientState::Active && c.care_ver == item.ver)
    }

    pub(super) fn start_care(&mut self, r: Ref) -> Time {
        let sc = self.sc;
        match self.clients.get_mut(r) {
            Some(c) => Time::from_minutes(sc.clients.care_minutes.sample(&mut c.care)),
            None => Time::ZERO,
        }
    }

    /// A care contact: neglect is reset, the client may buy more, the next one is due.
    pub(super) fn finish_care(&mut self, item: Item) {
        if !self.care_valid(item) {
            return;
        }
        let sc = self.sc;
        let now = self.now();
        let r = item.r;
        let Some(c) = self.clients.get(r) else { return };
        let (tier, neglect_from) = (c.tier as usize, self.neglect_from(c));
        let h = self.hazard(tier);
        let cl = &sc.clients;
        // The owner's skill at growing an account.
        let skill = self.client_owner_of(r).map_or(1.0, |e| {
            self.st.roles[self.staff[e].role as usize].expansion
        });
        let Some(c) = self.clients.get_mut(r) else {
            return;
        };
        c.budget -= h.spent(c.hazard_from.0, now.0, neglect_from);
        c.hazard_from = now;
        c.last_contact = now;
        c.care_since = Time::NEVER;
        if c.care.random::<f64>() < cl.expansion_probability * skill {
            c.wallet = (c.wallet * (1.0 + cl.expansion_growth)).min(cl.max_wallet_factor);
        }
        c.care_ver += 1;
        let ver = c.care_ver;
        if let Some(every) = cl.tiers[tier].care_every {
            self.q
                .schedule(now + every, Event::CareDue { client: r, ver });
        }
        self.schedule_lapse(r);
    }

    pub(super) fn on_client_lapsed(&mut self, r: Ref, ver: u32) {
        let now = self.now();
        let Some(c) = self.clients.get(r) else { return };
        if c.state != ClientState::Active || c.churn_ver != ver || c.lapsed {
            return;
        }
        let due = self.lapse_due(c);
        let Some(c) = self.clients.get_mut(r) else {
            return;
        };
        if now.0 < due {
            // Care since this check was set pushed the lapse later: check again then.
            c.lapse_at = due;
            self.q
                .schedule(Time(due), Event::ClientLapsed { client: r, ver });
            return;
        }
        c.lapsed = true;
        c.lapse_at = u64::MAX;
        c.order_ver += 1; // no more orders; the pending dormancy check will see it
        self.stats().clients_lapsed += 1;
    }

    pub(super) fn on_dormancy_reached(&mut self, r: Ref, ver: u32) {
        let (sc, now) = (self.sc, self.now());
        let Some(c) = self.live_client(r, ClientState::Active) else {
            return;
        };
        if c.dorm_ver != ver {
            return;
        }
        let due = c.last_order + sc.clients.dormant_after;
        if now < due {
            // Orders came since this check was set: check again a full period after
            // the last one.
            self.q
                .schedule(due, Event::DormancyReached { client: r, ver });
            return;
        }
        c.state = ClientState::Dormant;
        c.order_ver += 1;
        c.care_ver += 1;
        c.care_since = Time::NEVER;
        c.churn_ver += 1;
        c.lapse_at = u64::MAX;
        c.react_attempts = 0;
        let react_ver = c.react_ver;
        self.live.active_clients -= 1;
        self.live.dormant_clients += 1;
        self.stats().clients_went_dormant += 1;
        if let Some(after) = sc.clients.written_off_after {
            self.q
                .schedule(now + after, Event::WrittenOff { client: r, ver });
        }
        if self.can_reactivate() {
            self.offer_reactivation(r, react_ver);
        }
    }

    /// A client dormant for the scenario's write-off period and not won back since: lost
    /// for good, off the books.
    pub(super) fn on_written_off(&mut self, r: Ref, ver: u32) {
        let Some(c) = self.clients.get(r) else {
            return;
        };
        if c.state != ClientState::Dormant || c.dorm_ver != ver {
            return;
        }
        self.churned(r);
    }

    /// A dormant client lost for good: off the books.
    fn churned(&mut self, r: Ref) {
        let Some(c) = self.clients.remove(r) else {
            return;
        };
        self.staff[c.owner as usize].clients -= 1;
        self.live.dormant_clients -= 1;
        self.stats().clients_churned += 1;
    }

    fn can_reactivate(&self) -> bool {
        self.sc.clients.reactivation_attempts > 0
            && !self.kind_roles[WorkKind::Reactivation.index()].is_empty()
    }

    pub(super) fn on_reactivation_due(&mut self, r: Ref) {
        if let Some(c) = self
            .clients
            .get(r)
            .filter(|c| c.state == ClientState::Dormant)
        {
            let ver = c.react_ver;
            self.offer_reactivation(r, ver);
        }
    }

    /// A reactivation attempt falls due: it waits from now.
    fn offer_reactivation(&mut self, r: Ref, ver: u32) {
        let now = self.now();
        if let Some(c) = self.clients.get_mut(r) {
            c.react_since = now;
        }
        self.offer(WorkKind::Reactivation, Item { r, ver });
    }

    pub(super) fn reactivation_valid(&self, item: Item) -> bool {
        self.clients
            .get(item.r)
            .is_some_and(|c| c.state == ClientState::Dormant && c.react_ver == item.ver)
    }

    pub(super) fn start_reactivation(&mut self, r: Ref) -> Time {
        let sc = self.sc;
        match self.clients.get_mut(r) {
            Some(c) => Time::from_minutes(sc.clients.reactivation_minutes.sample(&mut c.react)),
            None => Time::ZERO,
        }
    }

    /// A reactivation call: the client buys again, or after the last failed attempt is
    /// written off as churned.
    pub(super) fn finish_reactivation(&mut self, item: Item) {
        if !self.reactivation_valid(item) {
            return;
        }
        let sc = self.sc;
        let now = self.now();
        let r = item.r;
        let Some(c) = self.clients.get_mut(r) else {
            return;
        };
        c.react_ver += 1;
        c.react_since = Time::NEVER;
        if c.react.random::<f64>() < sc.clients.reactivation_success {
            c.state = ClientState::Active;
            c.lapsed = false;
            c.budget = c.churn.sample(Exp1);
            c.hazard_from = now;
            c.last_contact = now;
            c.churn_ver += 1;
            c.lapse_at = u64::MAX;
            c.care_ver += 1;
            c.order_ver += 1;
            c.dorm_ver += 1;
            c.call_ver += 1;
            let (care_ver, order_ver, dorm_ver, call_ver) =
                (c.care_ver, c.order_ver, c.dorm_ver, c.call_ver);
            let next_call = Self::next_call(sc.clients.calls_per_year, &mut c.calls, now);
            self.q.schedule(
                now + sc.clients.dormant_after,
                Event::DormancyReached {
                    client: r,
                    ver: dorm_ver,
                },
            );
            if let Some(every) = sc.clients.tiers[c.tier as usize].care_every {
                self.q.schedule(
                    now + every,
                    Event::CareDue {
                        client: r,
                        ver: care_ver,
                    },
                );
            }
            self.q.schedule(
                now,
                Event::OrderPlaced {
                    client: r,
                    ver: order_ver,
                },
            );
            self.live.active_clients += 1;
            self.live.dormant_clients -= 1;
            self.stats().clients_reactivated += 1;
            self.schedule_at(
                next_call,
                Event::ClientCalled {
                    client: r,
                    ver: call_ver,
                },
            );
            self.schedule_lapse(r);
            return;
        }
        c.react_attempts += 1;
        if c.react_attempts < sc.clients.reactivation_attempts {
            let at = now + sc.clients.reactivation_spacing;
            self.q.schedule(at, Event::ReactivationDue { client: r });
            return;
        }
        self.churned(r);
    }

    /// Every client owned by `from` passes to the least-loaded keeper on staff.
    pub(super) fn reassign_clients(&mut self, from: usize) {
        let role = self.staff[from].role as usize;
        let owned = self.clients_of(from);
        for r in owned {
            let to = self.least_loaded(role, |x| x.clients);
            if let Some(c) = self.clients.get_mut(r) {
                c.owner = to as u32;
            }
            self.staff[from].clients -= 1;
            self.staff[to].clients += 1;
        }
    }

    /// A client follows its departing owner out: off the books, with the orders it would
    /// have placed over the rest of the horizon counted as revenue lost.
    pub(super) fn client_leaves_with_owner(&mut self, r: Ref) {
        let sc = self.sc;
        let Some(c) = self.clients.get(r) else {
            return;
        };
        let (owner, state) = (c.owner as usize, c.state);
        let expected = if state == ClientState::Active && !c.lapsed {
            let seg = &sc.segments[c.segment as usize];
            let left = (self.cal.end() - self.now()).secs() / 86_400.0;
            left / seg.reorder_days.mean().max(1e-9) * seg.repeat_value.mean() * c.wallet
        } else {
            0.0
        };
        self.clients.remove(r);
        self.staff[owner].clients -= 1;
        match state {
            ClientState::Active => self.live.active_clients -= 1,
            ClientState::Dormant => self.live.dormant_clients -= 1,
        }
        let s = self.stats();
        s.clients_left_with_owner += 1;
        s.revenue_left_with_owner += expected;
    }

    /// A client whose owner left is called soon by its new owner.
    pub(super) fn care_soon(&mut self, r: Ref) {
        let now = self.now();
        let Some(c) = self.live_client(r, ClientState::Active) else {
            return;
        };
        let (owner, ver) = (c.owner as usize, c.care_ver);
        if c.care_since == Time::NEVER {
            c.care_since = now;
        }
        if self.staff[owner].active {
            self.push_owned(owner, WorkKind::Care, Item { r, ver });
        }
    }

    /// The clients person `e` owns.
    pub(super) fn clients_of(&self, e: usize) -> Vec<Ref> {
        self.clients
            .iter()
            .filter(|(_, c)| c.owner as usize == e)
            .map(|(r, _)| r)
            .collect()
    }

    /// The current owner of the client an item is about.
    pub(super) fn client_owner_of(&self, r: Ref) -> Option<usize> {
        self.clients.get(r).map(|c| c.owner as usize)
    }
}

//! Leads: arrival, the wait for an answer, call attempts, qualification and nurture.

use rand::RngExt;
use rand_distr::{Distribution, Exp1};

use super::log::{Channel, LogKind};
use super::slab::Ref;
use super::{Event, Item, Simulation};
use crate::engine::{child_seed, substream, Stream, Time};
use crate::model::WorkKind;
use crate::scenario::Scenario;

/// Stages of a lead's life; each draws from its own sub-stream of the lead's seed, so the
/// draws of one stage never depend on how many were made in another.
pub(super) mod stage {
    pub const ARRIVAL: u64 = 1;
    pub const QUALIFY: u64 = 2;
    pub const DEAL: u64 = 3;
    pub const ATTEMPT: u64 = 4;
    pub const RETURN: u64 = 5;
    pub const CLIENT: u64 = 6;
    /// When a nurtured lead comes back (plus 16 per round, as `QUALIFY`).
    pub const NURTURE_DELAY: u64 = 7;
}

/// Positions of the draws in a lead's `ARRIVAL` stream. Each quantity has its own and is
/// drawn only when needed (a caller answered at once never needs a patience), so what
/// one structure draws never shifts what another sees. Variable-length draws come last.
/// A caller's later calls (redials) draw at these positions plus 16 per call before.
mod arrival {
    pub const PHONE: u64 = 0;
    pub const CALLBACK: u64 = 1;
    pub const REACH: u64 = 2;
    pub const PATIENCE: u64 = 3;
    pub const REDIAL: u64 = 4;
    pub const REDIAL_DELAY: u64 = 5;
    pub const LOGGED: u64 = 6;
    /// The most calls one caller makes.
    pub const MAX_CALLS: u32 = 8;

    /// The position of draw `pos` for a caller's call after `redials` earlier ones.
    pub const fn of_call(pos: u64, redials: u32) -> u64 {
        pos + 16 * redials as u64
    }
}

/// Positions of the draws in a lead's `QUALIFY` stream, as [`arrival`].
mod qualify {
    pub const INTEREST: u64 = 0;
    pub const TARGET: u64 = 1;
    pub const NURTURE: u64 = 2;
    pub const RETURN: u64 = 3;
    pub const HANDLE: u64 = 4;
}

/// Where a lead is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum LeadState {
    /// A caller on the line, waiting for an answer.
    Ringing,
    /// A caller who hung up and will call again.
    Redialing,
    /// Waiting for the next call attempt (queued or scheduled).
    Waiting,
    /// A call attempt that did not reach the lead is in progress.
    Dialing,
    /// The qualification conversation is in progress.
    Talking,
    /// An open deal.
    InDeal,
    /// In the nurture pool, due to come back.
    Nurturing,
}

/// What the qualification conversation found (drawn when it starts).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Qualified {
    /// Reached too late: no longer interested.
    LateResponse,
    /// Not a target now; nurtured or not, and back after this delay if at all.
    NonTarget {
        nurtured: bool,
        returns_after: Option<Time>,
    },
    /// A target: a deal opens.
    Target,
}

/// An open deal.
#[derive(Clone, Debug)]
pub(super) struct Deal {
    pub owner: u32,
    pub segment: u8,
    pub touches: u32,
    pub done: u32,
    pub in_progress: bool,
    pub spacing: Time,
    pub value: f64,
    pub u_win: f64,
    pub u_repeat: f64,
    pub outbound: bool,
    /// Qualified by another role and passed on.
    pub handed_off: bool,
    /// The selling part of the current touch, left by its preparation (zero: the touch
    /// is not prepared, and its whole effort is drawn when it starts).
    pub selling: Time,
    /// Draws for touch efforts and the contract, in order.
    pub rng: Stream,
}

/// A lead, from arrival to its outcome.
#[derive(Clone, Debug)]
pub(super) struct Lead {
    /// Its id: the channel and its number there ([`super::log::Channel::id`]).
    pub id: u64,
    pub arrived: Time,
    /// Start of the wait that the decay curve counts from.
    pub clock: Time,
    /// When the caller's current call started ringing.
    pub rang: Time,
    /// Calls the caller made before the current one.
    pub redials: u32,
    pub seed: u64,
    pub state: LeadState,
    pub attempts: u32,
    /// The attempt that will reach the lead (counted from 1).
    pub reach_attempt: u32,
    /// Qualification round: 0, then 1 after a return from nurture.
    pub round: u64,
    pub contacted: bool,
    /// How long a caller waits (drawn once nobody answers at once).
    pub patience: Time,
    pub qualified: Qualified,
    pub deal: Option<Deal>,
}

/// The attempt (from 1) on which a lead is reached, when each reaches it with `p`.
fn geometric(u: f64, p: f64) -> u32 {
    if p >= 1.0 {
        return 1;
    }
    let k = ((1.0 - u).ln() / (1.0 - p).ln()).floor() + 1.0;
    k.clamp(1.0, 1_000.0) as u32
}

/// The attempt that reaches a lead, from its position in the lead's arrival stream.
fn reach_attempt(arrival_stream: &Stream, p: f64) -> u32 {
    if p >= 1.0 {
        return 1;
    }
    geometric(arrival_stream.at(arrival::REACH).random(), p)
}

/// The inbound arrival process: Poisson with a rate constant within each hour, set by
/// the month's volume, the weekday weight and the hour-of-day weight. Generating hour by
/// hour (restarting at each boundary, exact by memorylessness) never skips a short peak.
pub(super) struct Arrivals {
    rng: Stream,
    /// Current position, in milliseconds (fractional, so gaps do not round away).
    pos: f64,
    /// End of the current hour, in milliseconds.
    hour_end: f64,
    /// Mean gap between arrivals in the current hour, in milliseconds (zero: none).
    mean_gap_ms: f64,
    /// End of the horizon, in milliseconds.
    end: f64,
    /// Sum of weekday weights over the days of each month, per channel.
    month_weight: Vec<[f64; 2]>,
    /// Share of the current hour's leads that phone.
    hour_phone: f64,
    /// Share of the leads that phone at the instant [`Self::next`] last returned.
    pub phone_share: f64,
    /// The channels arrive on profiles of their own.
    split: bool,
    /// Given arrival instants (latest first) replacing the Poisson process.
    script: Option<Vec<Time>>,
}

impl Arrivals {
    pub fn new(rng: Stream, sc: &Scenario) -> Arrivals {
        let cal = &sc.calendar;
        Arrivals {
            rng,
            pos: 0.0,
            hour_end: 0.0,
            mean_gap_ms: 0.0,
            end: cal.end().0 as f64,
            month_weight: sc.demand.month_weights(cal),
            hour_phone: sc.demand.phone_share,
            phone_share: sc.demand.phone_share,
            split: sc.demand.split(),
            script: None,
        }
    }

    /// Replaces the Poisson process by these arrival instants.
    pub fn script(&mut self, mut at: Vec<Time>) {
        at.sort_unstable_by(|a, b| b.cmp(a));
        self.script = Some(at);
    }

    /// The arrival rate in the hour that holds `t`, per millisecond, and the share of
    /// it that phones.
    fn rate_at(&self, sc: &Scenario, t: Time) -> (f64, f64) {
        let (cal, d) = (&sc.calendar, &sc.demand);
        if self.split {
            let [phone, written] = d.rates_at(cal, &self.month_weight, t);
            let total = phone + written;
            return (total, if total > 0.0 { phone / total } else { 0.0 });
        }
        // One profile: the rate as it always was, every lead phoning with one chance.
        let m = cal.month_of(t);
        let p = &d.phone;
        let w = p.weekday[cal.weekday(t.day()).index()] / self.month_weight[m][0];
        let h = p.hour[(t.time_of_day() / Time::HOUR.0) as usize];
        (d.per_month[m] * w * h / Time::HOUR.0 as f64, d.phone_share)
    }

    /// The next arrival instant before the end of the horizon.
    #[inline]
    pub fn next(&mut self, sc: &Scenario) -> Option<Time> {
        if self.script.is_some() {
            return self.next_scripted(sc);
        }
        loop {
            if self.mean_gap_ms > 0.0 {
                let gap: f64 = Exp1.sample(&mut self.rng);
                let at = self.pos + gap * self.mean_gap_ms;
                if at < self.hour_end {
                    self.pos = at;
                    self.phone_share = self.hour_phone;
                    // Between 0 and the horizon: a signed conversion (one instruction)
                    // gives what an unsigned one would.
                    return Some(Time(at as i64 as u64));
                }
            }
            self.pos = self.hour_end;
            if !self.next_hour(sc) {
                return None;
            }
        }
    }

    /// Moves to the hour starting at `pos`; false at the end of the horizon.
    #[cold]
    fn next_hour(&mut self, sc: &Scenario) -> bool {
        if self.pos >= self.end {
            return false;
        }
        let t = self.pos as u64;
        self.hour_end = (t - t % Time::HOUR.0 + Time::HOUR.0) as f64;
        let (rate, phone) = self.rate_at(sc, Time(t));
        self.mean_gap_ms = if rate > 0.0 { 1.0 / rate } else { 0.0 };
        self.hour_phone = phone;
        true
    }

    #[cold]
    fn next_scripted(&mut self, sc: &Scenario) -> Option<Time> {
        let end = sc.calendar.end();
        self.script.as_mut()?.pop().filter(|&t| t < end)
    }
}

impl Simulation<'_> {
    pub(super) fn schedule_next_arrival(&mut self) {
        let next = self.arrivals.next(self.sc);
        self.reserve_arrival(next);
    }

    /// Keys the next arrival (drawn before) at this point of the queue's sequence.
    fn reserve_arrival(&mut self, next: Option<Time>) {
        self.next_arrival = match next {
            Some(t) => self.q.reserve_key(t),
            None => u128::MAX,
        };
    }

    /// The seed of inbound (`space` 0) or outbound (`space` 1) lead number `index`.
    pub(super) fn lead_seed(&self, space: u64, index: u64) -> u64 {
        child_seed(self.lead_base[space as usize], index)
    }

    pub(super) fn on_lead_arrived(&mut self) {
        // The next arrival's instant is drawn first, so the processor works out that
        // chain of dependent arithmetic alongside this lead's handling; its key is
        // reserved last, where it always was, so the order of events does not change.
        let phone_share = self.arrivals.phone_share;
        let next = self.arrivals.next(self.sc);
        let now = self.now();
        let number = self.issued.inbound;
        let seed = self.lead_seed(0, number);
        self.issued.inbound += 1;
        let resp = &self.sc.response;
        // The lead's arrival stream is opened where a draw needs it, not up front: a
        // caller answered at once in a phone-only demand needs none.
        let rng = || substream(seed, stage::ARRIVAL);
        let phone = match phone_share {
            p if p >= 1.0 => true,
            p => rng().chance_at(arrival::PHONE, p),
        };
        // The attempt that reaches a written lead; a caller's matters only once they have
        // hung up and asked to be called back, and is drawn then.
        let reach_attempt = if phone {
            0
        } else {
            reach_attempt(&rng(), resp.reach_probability)
        };
        let channel = if phone { Channel::Phone } else { Channel::Web };
        let lead = Lead {
            id: channel.id(number),
            arrived: now,
            clock: now,
            rang: now,
            redials: 0,
            seed,
            state: if phone {
                LeadState::Ringing
            } else {
                LeadState::Waiting
            },
            attempts: 0,
            reach_attempt,
            round: 0,
            contacted: false,
            patience: Time::ZERO,
            qualified: Qualified::Target,
            deal: None,
        };
        let r = self.leads.insert(lead);
        self.live.open_leads += 1;
        self.log(r, LogKind::LeadArrived, None, "", 0.0, None);
        if phone {
            self.stats().leads_phone += 1;
            // The lead was made ringing, its call starting now.
            self.answer_or_wait(r);
        } else {
            self.stats().leads_web += 1;
            self.offer(WorkKind::LeadCall, Item { r, ver: 0 });
        }
        self.reserve_arrival(next);
    }

    /// A caller's call rings: someone free answers it at once, else the caller waits as
    /// long as their patience lasts. With a missed-call log, a call that rings when
    /// nobody who answers the phone is on shift goes to the log instead.
    pub(super) fn ring(&mut self, r: Ref) {
        let now = self.now();
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        l.state = LeadState::Ringing;
        l.rang = now;
        self.answer_or_wait(r);
    }

    /// The ringing call of lead `r` (its call started now) is answered, waits, or goes
    /// to the missed-call log. Inlined into the arrival, which every call runs.
    #[inline(always)]
    fn answer_or_wait(&mut self, r: Ref) {
        let now = self.now();
        if let Some(logged) = self.sc.response.missed_call_log {
            if !self.phone_covered() {
                self.missed_call(r, logged);
                return;
            }
        }
        self.offer(WorkKind::InboundCall, Item { r, ver: 0 });
        let resp = &self.sc.response;
        if let Some(l) = self.leads.get_mut(r) {
            if l.state == LeadState::Ringing {
                // Nobody answered at once: now the caller's patience counts.
                let rng = substream(l.seed, stage::ARRIVAL);
                let mut p = rng.at(arrival::of_call(arrival::PATIENCE, l.redials));
                l.patience = Time::from_secs(resp.patience_seconds.sample(&mut p));
                let at = now + l.patience;
                self.q.schedule(at, Event::PatienceExpired { lead: r });
            }
        }
    }

    /// A call rang with nobody on shift to answer it: logged to be called back (with
    /// chance `share`), or lost.
    fn missed_call(&mut self, r: Ref, share: f64) {
        let resp = &self.sc.response;
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        let rng = substream(l.seed, stage::ARRIVAL);
        let logged = rng.chance_at(arrival::of_call(arrival::LOGGED, l.redials), share);
        let rang = l.rang;
        if logged {
            l.state = LeadState::Waiting;
            l.reach_attempt = reach_attempt(&rng, resp.reach_probability);
        }
        self.log(
            r,
            LogKind::CallMissed,
            None,
            if logged { "logged" } else { "lost" },
            0.0,
            None,
        );
        if !logged {
            self.log(r, LogKind::LeadLost, None, "after_hours", 0.0, None);
        }
        self.call_resolved(rang);
        let s = self.stats();
        s.phone_missed += 1;
        if logged {
            s.missed_logged += 1;
            self.offer(WorkKind::LeadCall, Item { r, ver: 0 });
        } else {
            s.lost_after_hours += 1;
            self.finish_lead(r, false);
        }
    }

    /// Whether someone who answers the phone is on shift now (in a segment whose work
    /// includes calls, on staff and not on a break), busy or not.
    fn phone_covered(&mut self) -> bool {
        let call = WorkKind::InboundCall;
        for i in 0..self.kind_roles[call.index()].len() {
            let r = self.kind_roles[call.index()][i];
            if self.answers_now(r) && self.members(r).any(|e| self.staff[e].present()) {
                return true;
            }
        }
        false
    }

    /// A call that rang at `rang` is over (answered, abandoned or missed): counted among
    /// the resolved calls, and the working-hours ones when the office was open then
    /// (returned, for the caller's own counts).
    fn call_resolved(&mut self, rang: Time) -> bool {
        let open = self.office_open(rang);
        let s = self.stats();
        s.phone_resolved += 1;
        s.phone_resolved_open += u64::from(open);
        open
    }

    /// Whether the office is open at `t` (its calendar's hours): a lead that arrives then
    /// arrives in working hours.
    pub(super) fn office_open(&self, t: Time) -> bool {
        self.cal.segment_at(&self.sc.office, t).is_some()
    }

    pub(super) fn lead_state(&self, r: Ref) -> Option<LeadState> {
        self.leads.get(r).map(|l| l.state)
    }

    pub(super) fn on_patience_expired(&mut self, r: Ref) {
        let resp = &self.sc.response;
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        if l.state != LeadState::Ringing {
            return;
        }
        let rng = substream(l.seed, stage::ARRIVAL);
        let call = |pos| arrival::of_call(pos, l.redials);
        let callback = rng.chance_at(call(arrival::CALLBACK), resp.callback_share);
        let redial = !callback
            && resp.redial_share > 0.0
            && l.redials + 1 < arrival::MAX_CALLS
            && rng.chance_at(call(arrival::REDIAL), resp.redial_share);
        let delay = call(arrival::REDIAL_DELAY);
        let (patience, rang) = (l.patience, l.rang);
        if callback {
            l.state = LeadState::Waiting;
            l.reach_attempt = reach_attempt(&rng, resp.reach_probability);
        } else if redial {
            l.state = LeadState::Redialing;
            l.redials += 1;
            let mut d = rng.at(delay);
            let at = self.q.now() + Time::from_minutes(resp.redial_minutes.sample(&mut d));
            self.q.schedule(at, Event::Redialed { lead: r });
        }
        let outcome = if callback {
            "callback"
        } else if redial {
            "redial"
        } else {
            "lost"
        };
        self.log(
            r,
            LogKind::CallAbandoned,
            None,
            outcome,
            0.0,
            Some(patience),
        );
        if outcome == "lost" {
            self.log(r, LogKind::LeadLost, None, "unanswered", 0.0, None);
        }
        self.call_resolved(rang);
        let s = self.stats();
        s.phone_abandoned += 1;
        s.phone_wait_ms += patience.0;
        if callback {
            s.callbacks += 1;
            self.offer(WorkKind::LeadCall, Item { r, ver: 0 });
        } else if redial {
            s.redials += 1;
        } else {
            s.lost_unanswered += 1;
            self.finish_lead(r, false);
        }
    }

    pub(super) fn on_attempt_due(&mut self, r: Ref) {
        if self.lead_state(r) == Some(LeadState::Waiting) {
            self.offer(WorkKind::LeadCall, Item { r, ver: 0 });
        }
    }

    pub(super) fn on_nurture_returned(&mut self, r: Ref) {
        let now = self.now();
        let p = self.sc.response.reach_probability;
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        if l.state != LeadState::Nurturing {
            return;
        }
        let mut rng = substream(l.seed, stage::RETURN);
        l.state = LeadState::Waiting;
        l.round += 1;
        l.clock = now;
        l.attempts = 0;
        l.reach_attempt = geometric(rng.random(), p);
        self.stats().nurture_returned += 1;
        self.offer(WorkKind::LeadCall, Item { r, ver: 0 });
    }

    /// An employee answers a ringing call: the qualification conversation starts.
    pub(super) fn start_answer(&mut self, e: usize, r: Ref) -> Time {
        let now = self.now();
        let sl = self.sc.response.service_level;
        let rang = self.leads.get(r).map_or(now, |l| l.rang);
        let wait = now - rang;
        self.log(r, LogKind::CallAnswered, Some(e), "", 0.0, Some(wait));
        let open = self.call_resolved(rang);
        let s = self.stats();
        s.phone_answered += 1;
        s.phone_wait_ms += wait.0;
        if wait <= sl {
            s.phone_answered_in_sl += 1;
            s.phone_answered_in_sl_open += u64::from(open);
        }
        self.start_conversation(e, r, true)
    }

    /// An employee calls a written lead or a callback request.
    pub(super) fn start_attempt(&mut self, e: usize, r: Ref) -> Time {
        let Some(l) = self.leads.get_mut(r) else {
            return Time::ZERO;
        };
        l.attempts += 1;
        if l.attempts >= l.reach_attempt {
            return self.start_conversation(e, r, false);
        }
        l.state = LeadState::Dialing;
        let mut rng = substream(l.seed, stage::ATTEMPT + 16 * u64::from(l.attempts));
        Time::from_minutes(self.sc.response.attempt_minutes.sample(&mut rng))
    }

    /// The first real conversation: qualification. Its outcome is drawn now (from the
    /// lead's own stream) so that the hand-off time is known when the work starts.
    /// Inlined into `start` (through `start_answer` and `start_attempt`): every answered
    /// call runs it, and the task's end, which the next turn of the loop waits on, is
    /// worked out here.
    #[inline(always)]
    fn start_conversation(&mut self, e: usize, r: Ref, live: bool) -> Time {
        let now = self.now();
        let role = self.staff[e].role as usize;
        let deal_owner = self.st.deal_owner;
        let handoff = self.st.handoff;
        let (q, decay) = (&self.sc.qualification, &self.sc.response.decay);
        let Some(l) = self.leads.get_mut(r) else {
            return Time::ZERO;
        };
        let rng = substream(l.seed, stage::QUALIFY + 16 * l.round);
        let interested = live
            || rng.at(qualify::INTEREST).random::<f64>() < decay.factor((now - l.clock).minutes());
        l.qualified = if !interested {
            Qualified::LateResponse
        } else if l.round > 0 || rng.chance_at(qualify::TARGET, q.target_share) {
            Qualified::Target
        } else {
            let nurtured = rng.chance_at(qualify::NURTURE, q.nurture_share);
            let returns = nurtured && rng.chance_at(qualify::RETURN, q.nurture_return_share);
            Qualified::NonTarget {
                nurtured,
                returns_after: returns.then(|| {
                    let mut back = substream(l.seed, stage::NURTURE_DELAY + 16 * l.round);
                    Time::from_days(q.nurture_return_days.sample(&mut back))
                }),
            }
        };
        let handle = Time::from_minutes(q.handle_minutes.sample(&mut rng.at(qualify::HANDLE)));
        l.state = LeadState::Talking;
        let first = !l.contacted;
        l.contacted = true;
        let (stl, arrived) = (now - l.arrived, l.arrived);
        let handing_off = l.qualified == Qualified::Target && role != deal_owner;
        let per_lead = self.st.roles[role].pay.per_lead;
        let open = first && self.office_open(arrived);
        if first {
            self.log(r, LogKind::Contacted, Some(e), "", 0.0, Some(stl));
        }
        let s = self.stats();
        if first {
            s.contacted += 1;
            s.speed_to_lead_ms += stl.0;
            s.speed_to_lead.add(stl.secs());
        }
        if open {
            s.contacted_open += 1;
            s.speed_to_lead_open_ms += stl.0;
        }
        s.roles[role].handled += 1;
        s.roles[role].outsourcing += per_lead;
        if handing_off {
            handle + handoff
        } else {
            handle
        }
    }

    /// A call (answered or attempted) is over.
    pub(super) fn finish_call(&mut self, e: usize, r: Ref) {
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        match l.state {
            LeadState::Dialing => self.attempt_failed(r),
            LeadState::Talking => self.qualification_done(e, r),
            _ => {}
        }
    }

    fn attempt_failed(&mut self, r: Ref) {
        let resp = &self.sc.response;
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        if l.attempts >= resp.max_attempts {
            self.log(r, LogKind::LeadLost, None, "not_reached", 0.0, None);
            self.stats().lost_not_reached += 1;
            self.finish_lead(r, false);
            return;
        }
        l.state = LeadState::Waiting;
        let i = (l.attempts as usize - 1).min(resp.spacing.len() - 1);
        let at = self.now() + resp.spacing[i];
        self.q.schedule(at, Event::AttemptDue { lead: r });
    }

    fn qualification_done(&mut self, e: usize, r: Ref) {
        let Some(l) = self.leads.get_mut(r) else {
            return;
        };
        match l.qualified {
            Qualified::LateResponse => {
                self.log(r, LogKind::LeadLost, Some(e), "late_response", 0.0, None);
                self.stats().lost_late_response += 1;
                self.finish_lead(r, false);
            }
            Qualified::NonTarget {
                nurtured,
                returns_after,
            } => {
                if let Some(back) = returns_after {
                    l.state = LeadState::Nurturing;
                    let at = self.now() + back;
                    self.q.schedule(at, Event::NurtureReturned { lead: r });
                }
                if nurtured {
                    self.log(r, LogKind::Nurtured, Some(e), "", 0.0, None);
                }
                if returns_after.is_none() {
                    self.log(r, LogKind::LeadLost, Some(e), "non_target", 0.0, None);
                }
                let s = self.stats();
                s.nurtured += u64::from(nurtured);
                if returns_after.is_none() {
                    s.lost_non_target += 1;
                    self.finish_lead(r, false);
                }
            }
            Qualified::Target => {
                self.stats().qualified += 1;
                let handed_off = self.staff[e].role as usize != self.st.deal_owner;
                let owner = if handed_off {
                    self.least_loaded(self.st.deal_owner, |x| x.open_deals)
                } else {
                    e
                };
                self.open_deal(r, owner, false, handed_off);
                // Logged once the deal is open, so that the row carries its segment.
                self.log(r, LogKind::Qualified, Some(e), "", 0.0, None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geometric_attempts() {
        assert_eq!(geometric(0.3, 1.0), 1);
        assert_eq!(geometric(0.0, 0.5), 1);
        assert_eq!(geometric(0.49, 0.5), 1);
        assert_eq!(geometric(0.51, 0.5), 2);
        assert_eq!(geometric(0.76, 0.5), 3);
    }
}

//! What one replication records, month by month, and the metrics derived from it.

use crate::engine::{Date, Time};
use crate::model::WorkKind;

/// Log-spaced histogram of non-negative values (speed to lead, in seconds) in fixed
/// memory: a bin is an octave of `1 + x` split into 32, read straight from the bits of the
/// float (no logarithm on the hot path), so a quantile is known to within about 1.5%.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    counts: Vec<u32>,
}

const SUB_BITS: u32 = 5;
const OCTAVES: usize = 40; // 2^40 seconds: far beyond any horizon
const BINS: usize = OCTAVES << SUB_BITS;

impl Default for Histogram {
    fn default() -> Self {
        Histogram {
            counts: vec![0; BINS],
        }
    }
}

impl Histogram {
    fn bin(x: f64) -> usize {
        let bits = (1.0 + x.max(0.0)).to_bits();
        let octave = ((bits >> 52) as usize).saturating_sub(1023);
        let sub = ((bits >> (52 - SUB_BITS)) & ((1 << SUB_BITS) - 1)) as usize;
        ((octave << SUB_BITS) | sub).min(BINS - 1)
    }

    /// Adds one value.
    pub fn add(&mut self, x: f64) {
        self.counts[Self::bin(x)] += 1;
    }

    /// Adds every value of `other`.
    pub fn merge(&mut self, other: &Histogram) {
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
    }

    /// Number of values.
    pub fn count(&self) -> u64 {
        self.counts.iter().map(|&c| u64::from(c)).sum()
    }

    /// The `q`-quantile (0..1), the middle of its bin; NaN when empty.
    pub fn quantile(&self, q: f64) -> f64 {
        let n = self.count();
        if n == 0 {
            return f64::NAN;
        }
        let rank = (q * n as f64).ceil().max(1.0) as u64;
        let mut seen = 0;
        for (b, &c) in self.counts.iter().enumerate() {
            seen += u64::from(c);
            if seen >= rank {
                let octave = (b >> SUB_BITS) as i32;
                let sub = (b & ((1 << SUB_BITS) - 1)) as f64;
                let mid = 2f64.powi(octave) * (1.0 + (sub + 0.5) / f64::from(1u32 << SUB_BITS));
                return mid - 1.0;
            }
        }
        f64::NAN
    }
}

/// Desk work of one kind still waiting at a month's end.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Backlog {
    /// Items not done (in progress included).
    pub count: u64,
    /// Age of the oldest, since it became work.
    pub oldest_ms: u64,
    /// Revenue that depends on them.
    pub stake: f64,
}

/// One role in one month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RoleMonth {
    /// People on staff.
    pub headcount: u32,
    /// Paid working time of all of them.
    pub paid_ms: u64,
    /// Time spent working (switching included).
    pub busy_ms: u64,
    /// Time lost to switching between kinds of work.
    pub switch_ms: u64,
    /// Time spent cold calling (free time filled with dials; part of `busy_ms`).
    pub prospecting_ms: u64,
    /// Breaks taken (within the paid hours, not available for work).
    pub break_ms: u64,
    /// Time on each kind of work (by [`WorkKind::index`]), switching excluded; cold
    /// calling is `prospecting_ms`.
    pub work_ms: [u64; WorkKind::COUNT],
    /// Leads handled (calls answered, web leads reached).
    pub handled: u64,
    /// Salaries of the month's filled time.
    pub payroll: f64,
    /// Outsourcing fees (per hour worked or per lead handled).
    pub outsourcing: f64,
    /// Commissions on the revenue the role's people brought.
    pub commissions: f64,
    /// People who left (turnover, not a planned cut).
    pub leavers: u64,
    /// People hired into vacancies (promotions included).
    pub hires: u64,
    /// Planned person-time, split into working at full speed, ramping up and vacant.
    pub plan_ms: u64,
    /// Planned person-time worked at full speed.
    pub full_ms: u64,
    /// Planned person-time of people still ramping up.
    pub ramp_ms: u64,
    /// Planned person-time with nobody in the post.
    pub vacant_ms: u64,
    /// Planned person-time weighted by each person's ramp factor.
    pub effective_ms: f64,
}

/// The kinds of work each activity of the time-by-activity columns gathers.
pub mod activity {
    use crate::model::WorkKind::{self, *};

    /// Answering calls and calling leads (qualifying them).
    pub const LEADS: &[WorkKind] = &[InboundCall, LeadCall];
    /// Touches on open deals.
    pub const SELLING: &[WorkKind] = &[DealTouch];
    /// Preparing another person's deal touches.
    pub const PREPARATION: &[WorkKind] = &[Preparation];
    /// Contracts and order entry.
    pub const PAPERWORK: &[WorkKind] = &[Contract, OrderEntry];
    /// Existing clients: collection, their calls, care, reactivation.
    pub const CLIENTS: &[WorkKind] = &[Collection, ClientCall, Care, Reactivation];
}

impl RoleMonth {
    /// Time on the kinds of work in `kinds`, switching excluded.
    pub fn work_on(&self, kinds: &[WorkKind]) -> u64 {
        kinds.iter().map(|k| self.work_ms[k.index()]).sum()
    }

    /// Books `len` of a task on `kind`, the first `switch` of it (at most `len`) lost to
    /// switching.
    pub(super) fn book_task(&mut self, kind: WorkKind, len: Time, switch: Time) {
        self.busy_ms += len.0;
        self.switch_ms += switch.0;
        self.work_ms[kind.index()] += (len - switch).0;
    }

    /// Paid time with nothing to do: neither working, cold calling nor on a break.
    pub fn idle_ms(&self) -> u64 {
        self.paid_ms.saturating_sub(self.break_ms + self.busy_ms)
    }

    /// Paid time less breaks: the time available for work.
    pub fn available_ms(&self) -> u64 {
        self.paid_ms.saturating_sub(self.break_ms)
    }
}

/// Everything counted in one month of one replication.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MonthStats {
    /// Inbound leads that called.
    pub leads_phone: u64,
    /// Inbound leads that wrote.
    pub leads_web: u64,
    /// Leads found by cold calling.
    pub leads_outbound: u64,
    /// Numbers dialled cold.
    pub dials: u64,
    /// Callers who hung up but left a callback request.
    pub callbacks: u64,
    /// Leads reached live for the first time.
    pub contacted: u64,
    /// Callers who hung up before anyone answered, with no callback request.
    pub lost_unanswered: u64,
    /// Calls that rang when nobody who answers the phone was on shift and were not
    /// logged to be called back.
    pub lost_after_hours: u64,
    /// Calls that rang when nobody who answers the phone was on shift.
    pub phone_missed: u64,
    /// Of those, calls logged to be called back.
    pub missed_logged: u64,
    /// Callers who hung up and called again.
    pub redials: u64,
    /// Written leads (and callback requests) not reached after every attempt.
    pub lost_not_reached: u64,
    /// Leads reached too late: their interest had decayed.
    pub lost_late_response: u64,
    /// Leads qualified out (no need, no budget).
    pub lost_non_target: u64,
    /// Deals that went cold for want of a touch in time.
    pub lost_deal_cold: u64,
    /// Deals lost at the decision.
    pub lost_deal_lost: u64,
    /// Inbound leads that arrived this month and were lost, whenever: booked in the
    /// month they arrived (their cohort), so a department that loses its leads later
    /// books them in the same month as one that loses them at once.
    pub cohort_lost: u64,
    /// Inbound leads that arrived this month and became deals won and kept (their
    /// contract not lost), likewise.
    pub cohort_kept: u64,
    /// The reference department's `cohort_lost`: set by an experiment run with a
    /// reference, zero otherwise.
    pub reference_lost: u64,
    /// The reference department's `cohort_kept`, likewise.
    pub reference_won: u64,
    /// Leads put in the nurture pool.
    pub nurtured: u64,
    /// Nurtured leads that came back ready to talk.
    pub nurture_returned: u64,
    /// Deals opened (target leads qualified, plus cold-call meetings).
    pub qualified: u64,
    /// Deals won (first orders).
    pub deals_won: u64,
    /// Revenue of first orders, in the scenario's currency.
    pub revenue_new: f64,
    /// Revenue of repeat orders, in the scenario's currency.
    pub revenue_repeat: f64,
    /// Repeat orders entered.
    pub repeat_orders: u64,
    /// New clients (won deals).
    pub clients_won: u64,
    /// Clients who lapsed: stopped ordering, neglected or not.
    pub clients_lapsed: u64,
    /// Clients who went long enough without an order to count as dormant.
    pub clients_went_dormant: u64,
    /// Dormant clients won back by a reactivation call.
    pub clients_reactivated: u64,
    /// Clients lost for good: every reactivation call failed, or written off after a
    /// long dormancy.
    pub clients_churned: u64,
    /// Active clients at the end of the month.
    pub clients_active: u64,
    /// Dormant clients at the end of the month.
    pub clients_dormant: u64,
    /// Leads still open at the end of the month.
    pub open_leads: u64,
    /// Sum of speed to lead over the leads contacted.
    pub speed_to_lead_ms: u64,
    /// Speed to lead of the leads contacted, in seconds, as a histogram.
    pub speed_to_lead: Histogram,
    /// Phone calls answered or abandoned.
    pub phone_resolved: u64,
    /// Calls answered.
    pub phone_answered: u64,
    /// Calls answered within the service-level threshold.
    pub phone_answered_in_sl: u64,
    /// Calls answered or abandoned that arrived while the office was open.
    pub phone_resolved_open: u64,
    /// Of those, answered within the service-level threshold.
    pub phone_answered_in_sl_open: u64,
    /// Leads reached live for the first time that arrived while the office was open.
    pub contacted_open: u64,
    /// Their speed to lead, summed.
    pub speed_to_lead_open_ms: u64,
    /// Commissions on first orders.
    pub commissions_new: f64,
    /// Commissions on repeat orders.
    pub commissions_repeat: f64,
    /// Calls abandoned (with or without a callback request).
    pub phone_abandoned: u64,
    /// Sum of waits of resolved calls (until answer or hang-up).
    pub phone_wait_ms: u64,
    /// Per role of the structure, in its order.
    pub roles: Vec<RoleMonth>,
    /// Whether the structure has turnover (its columns are written only then).
    pub turnover: bool,
    /// Clients who left with an owner who left.
    pub clients_left_with_owner: u64,
    /// Their expected orders over the rest of the horizon.
    pub revenue_left_with_owner: f64,
    /// Costs of filling vacancies.
    pub hiring_cost: f64,
    /// Repeat orders that came due for a collection call.
    pub collections_due: u64,
    /// Repeat orders taken on a collection call (also counted in `repeat_orders`).
    pub orders_collected: u64,
    /// Repeat orders lost because nobody called in time.
    pub orders_lost_uncollected: u64,
    /// Their revenue.
    pub revenue_lost_uncollected: f64,
    /// Repeat orders the client cancelled while they waited past due for entry.
    pub orders_cancelled_late: u64,
    /// Won deals lost while their contract waited past due.
    pub contracts_lost_late: u64,
    /// Revenue of orders cancelled late and contracts lost late.
    pub revenue_lost_late: f64,
    /// Repeat orders entered (revenue booked).
    pub orders_entered: u64,
    /// Contracts signed (first orders booked).
    pub contracts_signed: u64,
    /// Calls from existing clients.
    pub client_calls: u64,
    /// Clients' calls answered after their due time.
    pub client_calls_late: u64,
    /// Desk work waiting at the month's end, by kind in [`crate::model::WorkKind::DESK`]
    /// order.
    pub backlog: [Backlog; 6],
}

/// `a / b`, or NaN (an undefined ratio, an empty cell) when `b` is zero.
pub(crate) fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

impl MonthStats {
    /// Empty statistics for a structure with `roles` roles.
    pub fn new(roles: usize) -> MonthStats {
        MonthStats {
            roles: vec![RoleMonth::default(); roles],
            ..MonthStats::default()
        }
    }

    /// Inbound and outbound leads that arrived.
    pub fn leads_arrived(&self) -> u64 {
        self.leads_phone + self.leads_web + self.leads_outbound
    }

    /// Every lead lost, whatever the cause: those that reached an outcome other than a
    /// won deal, and won deals whose contract was lost while it waited.
    pub fn leads_lost(&self) -> u64 {
        self.lost_leads() + self.lost_unavoidable()
    }

    /// Leads the department could have kept with the staff to do the work in time:
    /// callers who hung up in working hours, leads reached too late, deals gone cold,
    /// contracts lost while they waited.
    pub fn lost_leads(&self) -> u64 {
        self.lost_unanswered
            + self.lost_late_response
            + self.lost_deal_cold
            + self.contracts_lost_late
    }

    /// Leads no staffing keeps: non-target, never reached after every attempt, decisions
    /// lost to a competitor, after-hours calls that left no number.
    pub fn lost_unavoidable(&self) -> u64 {
        self.lost_non_target + self.lost_not_reached + self.lost_deal_lost + self.lost_after_hours
    }

    /// Inbound leads that arrived (by phone or in writing).
    pub fn leads_inbound(&self) -> u64 {
        self.leads_phone + self.leads_web
    }

    /// Deals won whose contract was not lost while it waited (of every origin).
    pub fn deals_kept(&self) -> u64 {
        self.deals_won - self.contracts_lost_late
    }

    /// Inbound leads of the period's cohorts lost beyond those the reference department
    /// lost of the same leads: the losses for want of capacity (negative when the
    /// reference did worse by chance, or when leads still open at the horizon would be
    /// lost later).
    pub fn capacity_loss(&self) -> f64 {
        self.cohort_lost as f64 - self.reference_lost as f64
    }

    /// New and repeat revenue.
    pub fn revenue(&self) -> f64 {
        self.revenue_new + self.revenue_repeat
    }

    /// Salaries of every role.
    pub fn payroll(&self) -> f64 {
        self.roles.iter().map(|r| r.payroll).sum()
    }

    /// Outsourcing fees of every role.
    pub fn outsourcing(&self) -> f64 {
        self.roles.iter().map(|r| r.outsourcing).sum()
    }

    /// Commissions of every role.
    pub fn commissions(&self) -> f64 {
        self.roles.iter().map(|r| r.commissions).sum()
    }

    /// Margin on revenue minus payroll, outsourcing, commissions and hiring costs.
    pub fn gross_profit(&self, gross_margin: f64) -> f64 {
        gross_margin * self.revenue()
            - self.payroll()
            - self.outsourcing()
            - self.commissions()
            - self.hiring_cost
    }

    /// Share of resolved phone calls answered within the service-level threshold.
    pub fn service_level(&self) -> f64 {
        ratio(self.phone_answered_in_sl as f64, self.phone_resolved as f64)
    }

    /// Mean speed to lead, in minutes.
    pub fn speed_to_lead_mean_min(&self) -> f64 {
        ratio(Time(self.speed_to_lead_ms).minutes(), self.contacted as f64)
    }

    /// 90th percentile of speed to lead, in minutes.
    pub fn speed_to_lead_p90_min(&self) -> f64 {
        self.speed_to_lead.quantile(0.9) / 60.0
    }

    /// Adds a later month's flows; stocks (clients, open leads) take the later value.
    pub fn accumulate(&mut self, o: &MonthStats) {
        macro_rules! add {
            ($($f:ident),*) => { $( self.$f += o.$f; )* };
        }
        add!(
            leads_phone,
            leads_web,
            leads_outbound,
            dials,
            callbacks,
            contacted,
            lost_unanswered,
            lost_after_hours,
            phone_missed,
            missed_logged,
            redials,
            lost_not_reached,
            lost_late_response,
            lost_non_target,
            lost_deal_cold,
            lost_deal_lost,
            cohort_lost,
            cohort_kept,
            reference_lost,
            reference_won,
            nurtured,
            nurture_returned,
            qualified,
            deals_won,
            revenue_new,
            revenue_repeat,
            repeat_orders,
            clients_won,
            clients_lapsed,
            clients_went_dormant,
            clients_reactivated,
            clients_churned,
            speed_to_lead_ms,
            phone_resolved,
            phone_answered,
            phone_answered_in_sl,
            phone_abandoned,
            phone_wait_ms,
            clients_left_with_owner,
            revenue_left_with_owner,
            hiring_cost,
            collections_due,
            orders_collected,
            orders_lost_uncollected,
            revenue_lost_uncollected,
            orders_cancelled_late,
            contracts_lost_late,
            revenue_lost_late,
            orders_entered,
            contracts_signed,
            client_calls,
            client_calls_late,
            phone_resolved_open,
            phone_answered_in_sl_open,
            contacted_open,
            speed_to_lead_open_ms,
            commissions_new,
            commissions_repeat
        );
        self.backlog = o.backlog;
        self.turnover |= o.turnover;
        self.clients_active = o.clients_active;
        self.clients_dormant = o.clients_dormant;
        self.open_leads = o.open_leads;
        self.speed_to_lead.merge(&o.speed_to_lead);
        if self.roles.len() < o.roles.len() {
            self.roles.resize(o.roles.len(), RoleMonth::default());
        }
        for (a, b) in self.roles.iter_mut().zip(&o.roles) {
            a.headcount = a.headcount.max(b.headcount);
            a.paid_ms += b.paid_ms;
            a.busy_ms += b.busy_ms;
            a.switch_ms += b.switch_ms;
            a.prospecting_ms += b.prospecting_ms;
            a.break_ms += b.break_ms;
            for (x, y) in a.work_ms.iter_mut().zip(&b.work_ms) {
                *x += y;
            }
            a.handled += b.handled;
            a.payroll += b.payroll;
            a.outsourcing += b.outsourcing;
            a.commissions += b.commissions;
            a.leavers += b.leavers;
            a.hires += b.hires;
            a.plan_ms += b.plan_ms;
            a.full_ms += b.full_ms;
            a.ramp_ms += b.ramp_ms;
            a.vacant_ms += b.vacant_ms;
            a.effective_ms += b.effective_ms;
        }
    }
}

/// The result of one replication of one structure.
#[derive(Clone, Debug)]
pub struct RunResult {
    /// The scenario's name.
    pub scenario: String,
    /// The structure simulated.
    pub structure: String,
    /// The scenario's seed.
    pub seed: u64,
    /// Which replication of the seed.
    pub replication: u64,
    /// The currency code money columns end with.
    pub currency: String,
    /// Share of revenue left after the cost of goods.
    pub gross_margin: f64,
    /// The structure's roles, in its order.
    pub role_names: Vec<String>,
    /// First day of each month.
    pub month_dates: Vec<Date>,
    /// What each month counted.
    pub months: Vec<MonthStats>,
    /// Events processed.
    pub events: u64,
    /// Most events pending in the queue at a month's turn.
    pub peak_pending_events: usize,
    /// Most live leads, clients and paperwork records at a month's turn.
    pub peak_live_records: usize,
    /// Time-integral of open leads over the horizon, in lead-milliseconds.
    pub lead_ms_in_system: f64,
    /// Sum of time in system of the leads that reached an outcome, in milliseconds.
    pub finished_lead_ms: f64,
    /// Sum of the ages of the leads still open at the end, in milliseconds.
    pub open_lead_ms: f64,
    /// Leads that reached an outcome.
    pub leads_finished: u64,
    /// Leads still open at the end of the horizon.
    pub open_leads: u64,
}

impl RunResult {
    /// The whole horizon as one period (flows summed, stocks at the end).
    pub fn total(&self) -> MonthStats {
        self.total_from(0)
    }

    /// The statistics of the months from `first` (0-based) to the end, summed.
    pub fn total_from(&self, first: usize) -> MonthStats {
        let mut t = MonthStats::new(self.role_names.len());
        for m in self.months.iter().skip(first) {
            t.accumulate(m);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_quantiles_are_close() {
        let mut h = Histogram::default();
        for i in 1..=1000 {
            h.add(i as f64);
        }
        let p90 = h.quantile(0.9);
        assert!((p90 / 900.0 - 1.0).abs() < 0.02, "p90 {p90}");
        let mut one = Histogram::default();
        one.add(0.0);
        assert!(one.quantile(0.5) < 0.02);
        assert_eq!(h.count(), 1000);
        assert!(Histogram::default().quantile(0.5).is_nan());
    }
}

//! The metrics: one table naming each metric once, with its unit, how a total over
//! months is formed, and how its value is read from a period's statistics.
//!
//! Every output that lists metrics (a replication's `monthly.csv`, an experiment's
//! tables, the report, claims, charts, staffing) takes its columns from here, and code
//! that needs one metric names it by its typed key ([`Metric`], [`RoleMetric`]), never
//! by a string. A new metric is one line in `department!` or `per_role!` below.
//!
//! Column names carry their units: money ends with the currency code
//! (`gross_profit_usd`), a share with `_share`, a duration with `_min`; a role's metric
//! names the role (`utilisation_closer_share`).

use super::stats::{activity, MonthStats, RoleMonth};

/// What a metric's number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A number of leads, deals, orders, clients or calls.
    Count,
    /// An amount in the scenario's currency (the column name ends with its code).
    Money,
    /// A share from 0 to 1 (the column name ends with `_share`).
    Share,
    /// A duration in minutes (the column name ends with `_min`).
    Minutes,
    /// A duration in days (the column name ends with `_days`).
    Days,
    /// A plain ratio of two amounts (the column name says of what to what).
    Ratio,
    /// A number of people.
    People,
}

/// How a metric's total over several months is formed from the months.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Counted over the period: the total is the sum of the months.
    Flow,
    /// A level at the period's end: the total is the last month's value.
    Stock,
    /// The largest value in the period (a headcount that changes by month).
    Peak,
    /// A ratio or a percentile of the period's flows: recomputed over the whole period,
    /// not summed nor averaged from the months.
    Ratio,
}

/// When a metric's column is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// In every output.
    Always,
    /// Only for a structure with turnover (or a sweep where some point has it).
    Turnover,
    /// Only in an experiment run with a reference department.
    Reference,
}

/// Which optional groups of columns an output has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Columns {
    /// The turnover columns.
    pub turnover: bool,
    /// The columns measured against a reference department.
    pub reference: bool,
}

/// One department-wide metric.
#[derive(Clone, Copy, Debug)]
pub struct Def {
    /// Its typed key.
    pub key: Metric,
    /// Its column name, without the currency code of a money metric.
    pub name: &'static str,
    /// What its number is.
    pub unit: Unit,
    /// How a total over months is formed.
    pub kind: Kind,
    /// When its column is written.
    pub group: Group,
    /// Its value in a period, given the gross margin on revenue.
    pub read: fn(&MonthStats, f64) -> f64,
}

/// One metric per role.
#[derive(Clone, Copy, Debug)]
pub struct RoleDef {
    /// Its typed key.
    pub key: RoleMetric,
    /// Its column name with `{role}` where the role's name goes.
    pub template: &'static str,
    /// What its number is.
    pub unit: Unit,
    /// How a total over months is formed.
    pub kind: Kind,
    /// When its column is written.
    pub group: Group,
    /// Its value for a role in a period.
    pub read: fn(&RoleMonth) -> f64,
}

use super::stats::ratio;

/// Milliseconds as days.
fn days(ms: u64) -> f64 {
    ms as f64 / 86_400_000.0
}

/// Defines [`Metric`] and [`DEPARTMENT`] from one line per metric, in output order.
macro_rules! department {
    ($( $(#[doc = $doc:literal])* $key:ident $name:literal $unit:ident $kind:ident $group:ident
        |$m:ident, $gm:ident| $read:expr; )*) => {
        /// The typed key of a department-wide metric.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Metric {
            $( $(#[doc = $doc])* $key, )*
        }

        /// Every department-wide metric, in output order.
        pub const DEPARTMENT: &[Def] = &[
            $( Def {
                key: Metric::$key,
                name: $name,
                unit: Unit::$unit,
                kind: Kind::$kind,
                group: Group::$group,
                read: |$m: &MonthStats, $gm: f64| $read,
            }, )*
        ];
    };
}

/// Defines [`RoleMetric`] and [`PER_ROLE`] from one line per metric, in output order.
macro_rules! per_role {
    ($( $(#[doc = $doc:literal])* $key:ident $template:literal $unit:ident $kind:ident $group:ident
        |$r:ident| $read:expr; )*) => {
        /// The typed key of a metric per role.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum RoleMetric {
            $( $(#[doc = $doc])* $key, )*
        }

        /// Every metric per role, in output order.
        pub const PER_ROLE: &[RoleDef] = &[
            $( RoleDef {
                key: RoleMetric::$key,
                template: $template,
                unit: Unit::$unit,
                kind: Kind::$kind,
                group: Group::$group,
                read: |$r: &RoleMonth| $read,
            }, )*
        ];
    };
}

department! {
    /// Inbound and outbound leads that arrived.
    LeadsArrived "leads_arrived" Count Flow Always |m, _g| m.leads_arrived() as f64;
    /// Leads that called.
    LeadsPhone "leads_phone" Count Flow Always |m, _g| m.leads_phone as f64;
    /// Leads that wrote (web forms, e-mail, messengers).
    LeadsWeb "leads_web" Count Flow Always |m, _g| m.leads_web as f64;
    /// Leads found by cold calling.
    LeadsOutbound "leads_outbound" Count Flow Always |m, _g| m.leads_outbound as f64;
    /// Numbers dialled cold.
    Dials "dials" Count Flow Always |m, _g| m.dials as f64;
    /// Leads reached live for the first time.
    LeadsContacted "leads_contacted" Count Flow Always |m, _g| m.contacted as f64;
    /// Callers who hung up but left a callback request.
    CallbacksRequested "callbacks_requested" Count Flow Always |m, _g| m.callbacks as f64;
    /// Callers who hung up unanswered.
    LostUnanswered "lost_unanswered" Count Flow Always |m, _g| m.lost_unanswered as f64;
    /// Calls that rang when nobody who answers the phone was on shift, not logged.
    LostAfterHours "lost_after_hours" Count Flow Always |m, _g| m.lost_after_hours as f64;
    /// Calls that rang when nobody who answers the phone was on shift.
    CallsMissed "calls_missed" Count Flow Always |m, _g| m.phone_missed as f64;
    /// Of those, calls logged and called back.
    MissedCallsLogged "missed_calls_logged" Count Flow Always |m, _g| m.missed_logged as f64;
    /// Callers who hung up and called again.
    Redials "redials" Count Flow Always |m, _g| m.redials as f64;
    /// Written leads never reached after every attempt.
    LostNotReached "lost_not_reached" Count Flow Always |m, _g| m.lost_not_reached as f64;
    /// Leads whose interest had gone by the time they were reached.
    LostLateResponse "lost_late_response" Count Flow Always |m, _g| m.lost_late_response as f64;
    /// Leads qualified out (no need, no budget).
    LostNonTarget "lost_non_target" Count Flow Always |m, _g| m.lost_non_target as f64;
    /// Deals that went cold for want of a touch.
    LostDealCold "lost_deal_cold" Count Flow Always |m, _g| m.lost_deal_cold as f64;
    /// Deals lost at the decision.
    LostDealLost "lost_deal_lost" Count Flow Always |m, _g| m.lost_deal_lost as f64;
    /// Losses the department could have avoided with the staff to work in time: calls
    /// abandoned in working hours, late responses, deals gone cold, contracts lost late.
    LostLeads "lost_leads" Count Flow Always |m, _g| m.lost_leads() as f64;
    /// Avoidable lost leads per lead arrived.
    LostLeadsShare "lost_leads_share" Share Ratio Always
        |m, _g| ratio(m.lost_leads() as f64, m.leads_arrived() as f64);
    /// Losses no staffing prevents: non-target, never reached, decisions lost, after-hours
    /// calls not logged.
    LostUnavoidable "lost_unavoidable" Count Flow Always |m, _g| m.lost_unavoidable() as f64;
    /// Callers lost unanswered per phone lead.
    LostUnansweredShare "lost_unanswered_share" Share Ratio Always
        |m, _g| ratio(m.lost_unanswered as f64, m.leads_phone as f64);
    /// Leads still open at the end of the period.
    LeadsOpenEnd "leads_open_end" Count Stock Always |m, _g| m.open_leads as f64;
    /// Leads put in the nurture pool.
    Nurtured "nurtured" Count Flow Always |m, _g| m.nurtured as f64;
    /// Nurtured leads that came back.
    NurtureReturned "nurture_returned" Count Flow Always |m, _g| m.nurture_returned as f64;
    /// Deals opened.
    Qualified "qualified" Count Flow Always |m, _g| m.qualified as f64;
    /// Deals won.
    DealsWon "deals_won" Count Flow Always |m, _g| m.deals_won as f64;
    /// Repeat orders placed: by the client, or taken on a collection call.
    RepeatOrders "repeat_orders" Count Flow Always |m, _g| m.repeat_orders as f64;
    /// Repeat orders that came due for a collection call from the client's owner.
    CollectionsDue "collections_due" Count Flow Always |m, _g| m.collections_due as f64;
    /// Repeat orders taken on a collection call.
    OrdersCollected "orders_collected" Count Flow Always |m, _g| m.orders_collected as f64;
    /// Repeat orders lost to a competitor: nobody called in time.
    OrdersLostUncollected "orders_lost_uncollected" Count Flow Always
        |m, _g| m.orders_lost_uncollected as f64;
    /// Their revenue.
    RevenueLostUncollected "revenue_lost_uncollected" Money Flow Always
        |m, _g| m.revenue_lost_uncollected;
    /// Repeat orders entered (their revenue booked).
    OrdersEntered "orders_entered" Count Flow Always |m, _g| m.orders_entered as f64;
    /// Repeat orders the client cancelled while they waited past due for entry.
    OrdersCancelledLate "orders_cancelled_late" Count Flow Always
        |m, _g| m.orders_cancelled_late as f64;
    /// Contracts signed (first orders booked).
    ContractsSigned "contracts_signed" Count Flow Always |m, _g| m.contracts_signed as f64;
    /// Won deals lost while their contract waited past due.
    ContractsLostLate "contracts_lost_late" Count Flow Always
        |m, _g| m.contracts_lost_late as f64;
    /// Revenue of orders cancelled late and of contracts lost late.
    RevenueLostLate "revenue_lost_late" Money Flow Always |m, _g| m.revenue_lost_late;
    /// Revenue lost while work waited: orders cancelled late, contracts lost late, orders
    /// not collected in time.
    RevenueLostWaiting "revenue_lost_waiting" Money Flow Always
        |m, _g| m.revenue_lost_late + m.revenue_lost_uncollected;
    /// Calls from existing clients to their owner.
    ClientCalls "client_calls" Count Flow Always |m, _g| m.client_calls as f64;
    /// Clients' calls answered after their due time.
    ClientCallsLate "client_calls_late" Count Flow Always |m, _g| m.client_calls_late as f64;
    /// Revenue of first deals.
    RevenueNew "revenue_new" Money Flow Always |m, _g| m.revenue_new;
    /// Revenue of repeat orders.
    RevenueRepeat "revenue_repeat" Money Flow Always |m, _g| m.revenue_repeat;
    /// All revenue.
    Revenue "revenue" Money Flow Always |m, _g| m.revenue();
    /// New clients.
    ClientsWon "clients_won" Count Flow Always |m, _g| m.clients_won as f64;
    /// Clients who lapsed (stopped ordering).
    ClientsLapsed "clients_lapsed" Count Flow Always |m, _g| m.clients_lapsed as f64;
    /// Clients who went dormant.
    ClientsWentDormant "clients_went_dormant" Count Flow Always
        |m, _g| m.clients_went_dormant as f64;
    /// Dormant clients reactivated.
    ClientsReactivated "clients_reactivated" Count Flow Always
        |m, _g| m.clients_reactivated as f64;
    /// Clients lost for good.
    ClientsChurned "clients_churned" Count Flow Always |m, _g| m.clients_churned as f64;
    /// Active clients at the end of the period.
    ClientsActiveEnd "clients_active_end" Count Stock Always |m, _g| m.clients_active as f64;
    /// Dormant clients at the end of the period.
    ClientsDormantEnd "clients_dormant_end" Count Stock Always |m, _g| m.clients_dormant as f64;
    /// Mean time from a lead's arrival to its first live contact.
    SpeedToLeadMean "speed_to_lead_mean_min" Minutes Ratio Always
        |m, _g| m.speed_to_lead_mean_min();
    /// 90th percentile of the time to first live contact.
    SpeedToLeadP90 "speed_to_lead_p90_min" Minutes Ratio Always
        |m, _g| m.speed_to_lead_p90_min();
    /// Calls answered.
    PhoneAnswered "phone_answered" Count Flow Always |m, _g| m.phone_answered as f64;
    /// Calls abandoned.
    PhoneAbandoned "phone_abandoned" Count Flow Always |m, _g| m.phone_abandoned as f64;
    /// Share of resolved calls answered within the service-level threshold.
    ServiceLevel "service_level_share" Share Ratio Always
        |m, _g| m.service_level();
    /// The same over calls that arrived in the office's working hours (the standard
    /// definition: a call at night is nobody's to answer).
    ServiceLevelOpen "service_level_open_share" Share Ratio Always
        |m, _g| ratio(m.phone_answered_in_sl_open as f64, m.phone_resolved_open as f64);
    /// Mean speed to lead of leads that arrived in the office's working hours.
    SpeedToLeadOpenMean "speed_to_lead_open_mean_min" Minutes Ratio Always
        |m, _g| ratio(crate::engine::Time(m.speed_to_lead_open_ms).minutes(), m.contacted_open as f64);
    /// Salaries of the period's filled time.
    Payroll "payroll" Money Flow Always |m, _g| m.payroll();
    /// Outsourcing fees.
    Outsourcing "outsourcing" Money Flow Always |m, _g| m.outsourcing();
    /// Commissions on revenue.
    Commissions "commissions" Money Flow Always |m, _g| m.commissions();
    /// Margin on revenue minus payroll, outsourcing, commissions and hiring costs.
    GrossProfit "gross_profit" Money Flow Always |m, g| m.gross_profit(g);
    /// Gross profit per unit of payroll.
    ProfitPerPayroll "gross_profit_per_payroll" Ratio Ratio Always
        |m, g| ratio(m.gross_profit(g), m.payroll());
    /// Margin on first orders minus their commissions (before payroll).
    ProfitNew "margin_new" Money Flow Always |m, g| g * m.revenue_new - m.commissions_new;
    /// Margin on repeat orders minus their commissions (before payroll).
    ProfitRepeat "margin_repeat" Money Flow Always
        |m, g| g * m.revenue_repeat - m.commissions_repeat;
    /// Contracts not yet done at the period's end.
    BacklogContract "backlog_contract" Count Stock Always |m, _g| m.backlog[0].count as f64;
    /// Age of the oldest of them.
    BacklogContractOldest "backlog_contract_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[0].oldest_ms);
    /// Revenue that waits on them.
    BacklogContractRevenue "backlog_contract_revenue" Money Stock Always
        |m, _g| m.backlog[0].stake;
    /// Repeat orders not yet entered at the period's end.
    BacklogOrderEntry "backlog_order_entry" Count Stock Always |m, _g| m.backlog[1].count as f64;
    /// Age of the oldest of them.
    BacklogOrderEntryOldest "backlog_order_entry_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[1].oldest_ms);
    /// Revenue that waits on them.
    BacklogOrderEntryRevenue "backlog_order_entry_revenue" Money Stock Always
        |m, _g| m.backlog[1].stake;
    /// Collection calls not yet made at the period's end.
    BacklogCollection "backlog_collection" Count Stock Always |m, _g| m.backlog[2].count as f64;
    /// Age of the oldest of them.
    BacklogCollectionOldest "backlog_collection_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[2].oldest_ms);
    /// Revenue that waits on them.
    BacklogCollectionRevenue "backlog_collection_revenue" Money Stock Always
        |m, _g| m.backlog[2].stake;
    /// Clients' calls not yet answered at the period's end.
    BacklogClientCall "backlog_client_call" Count Stock Always |m, _g| m.backlog[3].count as f64;
    /// Age of the oldest of them.
    BacklogClientCallOldest "backlog_client_call_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[3].oldest_ms);
    /// Care contacts due and not made at the period's end.
    BacklogCare "backlog_care" Count Stock Always |m, _g| m.backlog[4].count as f64;
    /// Age of the oldest of them.
    BacklogCareOldest "backlog_care_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[4].oldest_ms);
    /// Reactivation attempts due and not made at the period's end.
    BacklogReactivation "backlog_reactivation" Count Stock Always
        |m, _g| m.backlog[5].count as f64;
    /// Age of the oldest of them.
    BacklogReactivationOldest "backlog_reactivation_oldest_days" Days Stock Always
        |m, _g| days(m.backlog[5].oldest_ms);
    /// Clients who left with an owner who left.
    ClientsLeftWithOwner "clients_left_with_owner" Count Flow Turnover
        |m, _g| m.clients_left_with_owner as f64;
    /// Their expected orders over the rest of the horizon.
    RevenueLeftWithOwner "revenue_left_with_owner" Money Flow Turnover
        |m, _g| m.revenue_left_with_owner;
    /// Costs of filling vacancies.
    HiringCost "hiring_cost" Money Flow Turnover |m, _g| m.hiring_cost;
    /// Inbound leads lost beyond those the same structure loses with unlimited staff on
    /// the same leads: the losses for want of capacity.
    CapacityLoss "capacity_loss" Count Flow Reference |m, _g| m.capacity_loss();
    /// Capacity loss per deal the reference department kept: near the share of the sales
    /// unlimited staff would make from the same leads that this department loses (the
    /// deals still open at the horizon make the difference).
    CapacityLossShare "capacity_loss_share" Share Ratio Reference
        |m, _g| ratio(m.capacity_loss(), m.reference_won as f64);
}

per_role! {
    /// People on staff (the most in the period).
    Headcount "headcount_{role}" People Peak Always |r| f64::from(r.headcount);
    /// Share of working time (paid time less breaks) spent working, switching included,
    /// cold calling not (it only fills free time).
    Utilisation "utilisation_{role}_share" Share Ratio Always
        |r| ratio((r.busy_ms - r.prospecting_ms) as f64, r.available_ms() as f64);
    /// Share of working time spent cold calling.
    Prospecting "prospecting_{role}_share" Share Ratio Always
        |r| ratio(r.prospecting_ms as f64, r.available_ms() as f64);
    /// Share of working time lost to switching between kinds of work.
    Switching "switching_{role}_share" Share Ratio Always
        |r| ratio(r.switch_ms as f64, r.available_ms() as f64);
    /// Share of paid time on breaks taken within the working hours.
    Breaks "breaks_{role}_share" Share Ratio Always
        |r| ratio(r.break_ms as f64, r.paid_ms as f64);
    /// Time by activity, each a share of paid hours (together they make 1): answering
    /// calls and calling leads.
    TimeLeads "time_{role}_leads_share" Share Ratio Always
        |r| ratio(r.work_on(activity::LEADS) as f64, r.paid_ms as f64);
    /// Touches on open deals.
    TimeSelling "time_{role}_selling_share" Share Ratio Always
        |r| ratio(r.work_on(activity::SELLING) as f64, r.paid_ms as f64);
    /// Preparing others' deal touches.
    TimePreparation "time_{role}_preparation_share" Share Ratio Always
        |r| ratio(r.work_on(activity::PREPARATION) as f64, r.paid_ms as f64);
    /// Contracts and order entry.
    TimePaperwork "time_{role}_paperwork_share" Share Ratio Always
        |r| ratio(r.work_on(activity::PAPERWORK) as f64, r.paid_ms as f64);
    /// Existing clients: collection calls, their own calls, care, reactivation.
    TimeClients "time_{role}_clients_share" Share Ratio Always
        |r| ratio(r.work_on(activity::CLIENTS) as f64, r.paid_ms as f64);
    /// Cold calling.
    TimeProspecting "time_{role}_prospecting_share" Share Ratio Always
        |r| ratio(r.prospecting_ms as f64, r.paid_ms as f64);
    /// Switching between kinds of work.
    TimeSwitching "time_{role}_switching_share" Share Ratio Always
        |r| ratio(r.switch_ms as f64, r.paid_ms as f64);
    /// Breaks.
    TimeBreaks "time_{role}_breaks_share" Share Ratio Always
        |r| ratio(r.break_ms as f64, r.paid_ms as f64);
    /// Nothing to do.
    TimeIdle "time_{role}_idle_share" Share Ratio Always
        |r| ratio(r.idle_ms() as f64, r.paid_ms as f64);
    /// People who left.
    Leavers "leavers_{role}" People Flow Turnover |r| r.leavers as f64;
    /// People hired into vacancies (promotions included).
    Hires "hires_{role}" People Flow Turnover |r| r.hires as f64;
    /// Share of planned person-time left vacant.
    Vacancy "vacancy_{role}_share" Share Ratio Turnover
        |r| ratio(r.vacant_ms as f64, r.plan_ms as f64);
    /// Share of planned person-time spent ramping up.
    Ramping "ramping_{role}_share" Share Ratio Turnover
        |r| ratio(r.ramp_ms as f64, r.plan_ms as f64);
    /// Average people at full effectiveness over the planned time.
    EffectiveHeadcount "effective_headcount_{role}" People Ratio Turnover
        |r| ratio(r.effective_ms, r.plan_ms as f64 / f64::from(r.headcount.max(1)));
}

impl Metric {
    /// Its entry in [`DEPARTMENT`].
    pub fn def(self) -> &'static Def {
        &DEPARTMENT[self as usize]
    }

    /// Its column name for `currency` (`gross_profit_usd`, `lost_leads`).
    pub fn column(self, currency: &str) -> String {
        self.def().column(currency)
    }

    /// Its value in period `m`, given the gross margin on revenue.
    pub fn read(self, m: &MonthStats, margin: f64) -> f64 {
        (self.def().read)(m, margin)
    }

    /// Its name without a currency code: what a claim or `--metric` may call it.
    pub fn name(self) -> &'static str {
        self.def().name
    }
}

impl Def {
    /// Its column name for `currency`.
    pub fn column(&self, currency: &str) -> String {
        match self.unit {
            Unit::Money => format!("{}_{currency}", self.name),
            _ => self.name.to_string(),
        }
    }
}

impl RoleMetric {
    /// Its entry in [`PER_ROLE`].
    pub fn def(self) -> &'static RoleDef {
        &PER_ROLE[self as usize]
    }

    /// Its column name for `role` (`utilisation_closer_share`).
    pub fn column(self, role: &str) -> String {
        self.def().column(role)
    }
}

impl RoleDef {
    /// Its column name for `role`.
    pub fn column(&self, role: &str) -> String {
        self.template.replace("{role}", role)
    }
}

/// The groups written, in output order: the always-written metrics, then the turnover
/// ones and the reference ones when asked.
fn groups(c: Columns) -> impl Iterator<Item = Group> {
    [
        Some(Group::Always),
        c.turnover.then_some(Group::Turnover),
        c.reference.then_some(Group::Reference),
    ]
    .into_iter()
    .flatten()
}

/// The metric columns, in output order: for each group, the department's metrics, then
/// each role's.
pub fn metric_names(roles: &[String], currency: &str, columns: Columns) -> Vec<String> {
    let mut v = vec![];
    for g in groups(columns) {
        v.extend(
            DEPARTMENT
                .iter()
                .filter(|d| d.group == g)
                .map(|d| d.column(currency)),
        );
        for role in roles {
            v.extend(
                PER_ROLE
                    .iter()
                    .filter(|d| d.group == g)
                    .map(|d| d.column(role)),
            );
        }
    }
    v
}

/// The values of [`metric_names`]' columns for one period, appended to `out`.
///
/// The turnover columns follow `turnover` (not the month's own flag), so that every run
/// of a sweep writes the same columns when only some points have turnover.
pub fn metric_values(m: &MonthStats, margin: f64, columns: Columns, out: &mut Vec<f64>) {
    for g in groups(columns) {
        for d in DEPARTMENT.iter().filter(|d| d.group == g) {
            out.push((d.read)(m, margin));
        }
        for r in &m.roles {
            for d in PER_ROLE.iter().filter(|d| d.group == g) {
                out.push((d.read)(r));
            }
        }
    }
}

/// The metrics of one period, in output order, as (column, value) pairs.
pub fn metrics(
    m: &MonthStats,
    roles: &[String],
    currency: &str,
    margin: f64,
) -> Vec<(String, f64)> {
    let columns = Columns {
        turnover: m.turnover,
        reference: false,
    };
    let mut values = Vec::new();
    metric_values(m, margin, columns, &mut values);
    metric_names(roles, currency, columns)
        .into_iter()
        .zip(values)
        .collect()
}

/// The position of the metric a person calls `name` among `columns`: its exact column,
/// or a money metric named without its currency code (`gross_profit` for
/// `gross_profit_usd`).
pub fn resolve(columns: &[String], name: &str, currency: &str) -> Option<usize> {
    columns.iter().position(|n| n == name).or_else(|| {
        let with_unit = format!("{name}_{currency}");
        columns.iter().position(|n| *n == with_unit)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_index_their_own_rows() {
        for (i, d) in DEPARTMENT.iter().enumerate() {
            assert_eq!(d.key as usize, i, "{}", d.name);
        }
        for (i, d) in PER_ROLE.iter().enumerate() {
            assert_eq!(d.key as usize, i, "{}", d.template);
        }
    }

    #[test]
    fn column_names_carry_their_units() {
        for d in DEPARTMENT {
            let c = d.column("usd");
            match d.unit {
                Unit::Money => assert!(c.ends_with("_usd"), "{c}"),
                Unit::Share => assert!(c.ends_with("_share"), "{c}"),
                Unit::Minutes => assert!(c.ends_with("_min"), "{c}"),
                Unit::Days => assert!(c.ends_with("_days"), "{c}"),
                Unit::Ratio => assert!(c.contains("_per_"), "{c}"),
                Unit::Count | Unit::People => {}
            }
        }
        for d in PER_ROLE {
            let c = d.column("closer");
            assert!(c.contains("closer"), "{c}");
            if d.unit == Unit::Share {
                assert!(c.ends_with("_share"), "{c}");
            }
        }
        assert_eq!(Metric::GrossProfit.column("eur"), "gross_profit_eur");
        assert_eq!(
            RoleMetric::Utilisation.column("hunter"),
            "utilisation_hunter_share"
        );
    }

    #[test]
    fn names_and_values_line_up() {
        let roles = vec!["a".to_string(), "b".to_string()];
        for (turnover, reference) in [(false, false), (true, false), (true, true)] {
            let c = Columns {
                turnover,
                reference,
            };
            let names = metric_names(&roles, "usd", c);
            let mut values = vec![];
            metric_values(&MonthStats::new(2), 0.3, c, &mut values);
            assert_eq!(names.len(), values.len());
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), names.len(), "a column is named twice");
        }
        let cols = metric_names(&roles, "usd", Columns::default());
        assert_eq!(
            resolve(&cols, "gross_profit", "usd"),
            cols.iter().position(|c| c == "gross_profit_usd")
        );
        assert_eq!(
            resolve(&cols, "lost_leads", "usd"),
            cols.iter().position(|c| c == "lost_leads")
        );
        assert_eq!(resolve(&cols, "nothing", "usd"), None);
    }

    /// A replication's total row forms each metric as its [`Kind`] says: flows are the
    /// sum of the months, stocks the last month, peaks the largest month. Ratios and
    /// percentiles are recomputed over the period, which no month determines alone.
    #[test]
    fn totals_follow_each_kind() {
        let sc = crate::scenario::Scenario::default_scenario();
        let r = crate::sim::run(&sc, 0, 0);
        let t = r.total();
        let total = metrics(&t, &r.role_names, &r.currency, r.gross_margin);
        let months: Vec<Vec<(String, f64)>> = r
            .months
            .iter()
            .map(|m| metrics(m, &r.role_names, &r.currency, r.gross_margin))
            .collect();
        let kind_of = |column: &str| -> Kind {
            DEPARTMENT
                .iter()
                .find(|d| d.column(&r.currency) == column)
                .map(|d| d.kind)
                .or_else(|| {
                    PER_ROLE
                        .iter()
                        .find(|d| r.role_names.iter().any(|n| d.column(n) == column))
                        .map(|d| d.kind)
                })
                .unwrap_or_else(|| panic!("{column} is in no table"))
        };
        for (j, (column, value)) in total.iter().enumerate() {
            let by_month: Vec<f64> = months.iter().map(|m| m[j].1).collect();
            let want = match kind_of(column) {
                Kind::Flow => by_month.iter().sum(),
                Kind::Stock => *by_month.last().unwrap(),
                Kind::Peak => by_month.iter().cloned().fold(f64::MIN, f64::max),
                Kind::Ratio => continue,
            };
            // Money is summed in floating point in another order: 1e-9 relative.
            assert!(
                (value - want).abs() <= 1e-9 * want.abs().max(1.0),
                "{column}: total {value}, months give {want}"
            );
        }
    }
}

//! A scenario: a TOML file -> a validated [`Scenario`] (every problem reported at once).
//!
//! A validated `Scenario` cannot be invalid: every share is a share, every list has its
//! length, every structure has someone for every kind of work its leads need.

mod parse;
pub mod reader;
mod roles;
mod warnings;

use std::path::Path;

use crate::engine::{Calendar, Time, WeekPlan, WorkClock};
use crate::model::{Decay, Dist, KindSet};
use crate::structure::Structure;

pub use reader::Problem;
pub use warnings::{scenario_warnings, structure_warnings, warnings, Trap, Warning};

/// The top-level tables of a scenario file read by the experiment layer rather than the
/// scenario reader: experiments, variants, sweeps, claims, the staffing and team searches.
/// A variant cannot set them.
pub const EXPERIMENT_TABLES: [&str; 6] = [
    "experiment",
    "variants",
    "sweep",
    "claim",
    "staffing",
    "optimise",
];

/// The built-in default scenario (also `scenarios/default.toml`).
pub const DEFAULT_TOML: &str = include_str!("../../scenarios/default.toml");

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file was read but breaks rules; every problem found is listed.
    #[error("{}", reader::ProblemList(.0))]
    Invalid(Vec<Problem>),
}

/// When in the week a channel's leads arrive.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// Relative weight of each weekday, Monday first, summing to 1.
    pub weekday: [f64; 7],
    /// Share of a day's leads arriving in each hour, summing to 1.
    pub hour: [f64; 24],
}

/// Inbound demand.
#[derive(Clone, Debug, PartialEq)]
pub struct Demand {
    /// Expected inbound leads in each month of the horizon.
    pub per_month: Vec<f64>,
    /// When calls arrive.
    pub phone: Profile,
    /// When written leads arrive (web form, e-mail, messenger).
    pub written: Profile,
    /// Share of leads that phone (the rest write).
    pub phone_share: f64,
}

impl Demand {
    /// Whether the two channels arrive on profiles of their own (else one profile, and a
    /// lead's channel is drawn with `phone_share` whatever the hour).
    pub fn split(&self) -> bool {
        self.phone != self.written
    }

    /// Each channel's weight in the days of each month: the sum over the month's days of
    /// their weekday weights (phone, then written).
    pub fn month_weights(&self, cal: &Calendar) -> Vec<[f64; 2]> {
        (0..cal.months())
            .map(|m| {
                let first = cal.month_start(m).day();
                let days = first..first + cal.days_in(m);
                let sum = |p: &Profile| {
                    days.clone()
                        .map(|d| p.weekday[cal.weekday(d).index()])
                        .sum()
                };
                [sum(&self.phone), sum(&self.written)]
            })
            .collect()
    }

    /// Expected calls and written leads per hour in the hour that holds `t`, given the
    /// month weights of [`Self::month_weights`].
    pub fn rates_at(&self, cal: &Calendar, weights: &[[f64; 2]], t: Time) -> [f64; 2] {
        let m = cal.month_of(t);
        let (wd, h) = (
            cal.weekday(t.day()).index(),
            (t.time_of_day() / Time::HOUR.0) as usize,
        );
        let per_hour = self.per_month[m] / Time::HOUR.0 as f64;
        let of = |p: &Profile, w: f64| p.weekday[wd] / w * p.hour[h];
        [
            per_hour * self.phone_share * of(&self.phone, weights[m][0]),
            per_hour * (1.0 - self.phone_share) * of(&self.written, weights[m][1]),
        ]
    }
}

/// First response: phone patience, callbacks, web-lead call attempts and decay.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    /// How long a phone caller waits before hanging up, in seconds.
    pub patience_seconds: Dist,
    /// Share of callers who hang up but leave a callback request.
    pub callback_share: f64,
    /// Of calls that ring when nobody who answers the phone is on shift, the share that
    /// lands in the missed-call log (called back as a callback request, the decay running
    /// from the call); the rest are lost "after hours". `None`: such calls ring until
    /// the caller gives up, as any other.
    pub missed_call_log: Option<f64>,
    /// Share of callers who hang up with no callback request and call again later.
    pub redial_share: f64,
    /// How long after hanging up they call again, in minutes.
    pub redial_minutes: Dist,
    /// Service-level threshold for phone calls.
    pub service_level: Time,
    /// How a written lead's interest decays with the response delay.
    pub decay: Decay,
    /// Call attempts before a written lead is given up.
    pub max_attempts: u32,
    /// Chance that one call attempt reaches the lead.
    pub reach_probability: f64,
    /// Duration of an attempt that does not reach the lead, in minutes.
    pub attempt_minutes: Dist,
    /// Wait before attempt 2, 3, ...; the last value repeats.
    pub spacing: Vec<Time>,
}

/// Qualification: the first real conversation.
#[derive(Clone, Debug, PartialEq)]
pub struct Qualification {
    /// Duration of the qualification conversation, in minutes.
    pub handle_minutes: Dist,
    /// Share of leads that are targets (could buy).
    pub target_share: f64,
    /// Share of non-target leads kept in a nurture pool.
    pub nurture_share: f64,
    /// Share of nurtured leads that come back as target leads.
    pub nurture_return_share: f64,
    /// When they come back, in days after qualification.
    pub nurture_return_days: Dist,
}

/// Outbound prospecting: roles that list `prospecting` cold-call whenever they are free
/// on shift (and a time block allows it).
#[derive(Clone, Debug, PartialEq)]
pub struct Outbound {
    /// Numbers dialled per hour of a cold caller's free time (0: no cold calling).
    pub dials_per_hour: f64,
    /// Share of dials that reach someone.
    pub connect_rate: f64,
    /// Share of connects that become a deal (meeting booked and held).
    pub lead_per_connect: f64,
    /// Win-probability multiplier for deals from cold calls.
    pub win_factor: f64,
    /// The prospects there are to call (dormant clients come on top); `None`: as many
    /// as anyone can dial.
    pub prospect_base: Option<u64>,
    /// Dials spent on one prospect before they rest (attempts to reach them).
    pub dials_per_prospect: f64,
    /// A prospect called is not called again for this long, in whole days.
    pub recall_days: u32,
}

impl Outbound {
    /// Whether cold calls can find a lead at all.
    pub fn finds_leads(&self) -> bool {
        self.dials_per_hour * self.connect_rate * self.lead_per_connect > 0.0
    }
}

/// A deal segment.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    /// Its name in the results.
    pub name: String,
    /// Share of target leads in this segment.
    pub share: f64,
    /// Touches (meetings, proposals) before the decision.
    pub touches: u32,
    /// Effort per touch, in minutes.
    pub touch_minutes: Dist,
    /// Share of a touch's effort that is preparation (quotes, calculations), which a
    /// role other than the deal's owner may do first (`preparation` in its works).
    pub prep_share: f64,
    /// Sales-cycle length, in days; touches are spread evenly over it.
    pub cycle_days: Dist,
    /// A deal whose next touch is this late after the previous one goes cold.
    pub max_gap: Time,
    /// Chance that a deal that reaches its decision is won.
    pub win_probability: f64,
    /// Value of the first order.
    pub deal_value: Dist,
    /// Share of won deals that become repeat clients.
    pub repeat_share: f64,
    /// Interval between a client's orders, in days.
    pub reorder_days: Dist,
    /// Value of a repeat order (before expansion).
    pub repeat_value: Dist,
    /// Share of repeat orders that wait for a call from the client's owner (the rest the
    /// client places by themselves).
    pub collected_share: f64,
    /// A collection call not made this long after the reorder date loses the order.
    pub collection_window: Time,
    /// How the rate of reorders follows the months.
    pub reorder_season: Season,
}

/// How the rate of a segment's repeat orders follows the season: the reorder interval is
/// drawn in "season time", which runs faster in a busy month, so the mean interval over
/// the horizon stays the drawn one.
#[derive(Clone, Debug, PartialEq)]
pub enum Season {
    /// No season: intervals are plain days.
    Flat,
    /// The demand's monthly volumes, per day.
    Demand,
    /// The segment's own multipliers, January to December.
    Months([f64; 12]),
}

/// Paperwork durations.
#[derive(Clone, Debug, PartialEq)]
pub struct Paperwork {
    /// Contract and invoice of a won deal, in minutes.
    pub contract_minutes: Dist,
    /// Entry of a repeat order, in minutes.
    pub order_entry_minutes: Dist,
    /// A won deal's contract is due this much office working time after the decision.
    pub contract_due: Time,
    /// A repeat order is due for entry this much office working time after it is placed.
    pub order_entry_due: Time,
    /// Chance per calendar day past due that a waiting order is cancelled, as a hazard:
    /// cancelled by `d` days late with probability `1 - exp(-rate * d)`; 0: never.
    pub order_cancel_per_late_day: f64,
    /// The same for a won deal whose contract waits: the client walks away.
    pub contract_loss_per_late_day: f64,
}

/// A client tier: how often it gets a care contact.
#[derive(Clone, Debug, PartialEq)]
pub struct Tier {
    /// Its name in the results.
    pub name: String,
    /// Share of clients in this tier; the tiers' shares sum to 1.
    pub share: f64,
    /// Care cadence; `None`: no proactive contact, and neglect never raises churn.
    pub care_every: Option<Time>,
    /// Neglect (and a higher churn hazard) starts this long after a missed cadence.
    pub grace: Time,
}

/// Clients after the first deal.
#[derive(Clone, Debug, PartialEq)]
pub struct Clients {
    /// Active clients at the start of the run.
    pub initial_active: u32,
    /// Service tiers of the base (every client is in one), each with its care cadence.
    pub tiers: Vec<Tier>,
    /// Duration of a care contact, in minutes.
    pub care_minutes: Dist,
    /// Share of clients who lapse in a year when cared for.
    pub annual_churn: f64,
    /// Churn-hazard multiplier while a client is neglected.
    pub neglect_factor: f64,
    /// With no order for this long, a client is dormant.
    pub dormant_after: Time,
    /// Chance that a care contact grows the client's orders.
    pub expansion_probability: f64,
    /// By how much an expansion grows the orders (0.1 = +10%).
    pub expansion_growth: f64,
    /// Cap on the growth of a client's orders (2 = at most double).
    pub max_wallet_factor: f64,
    /// Duration of a reactivation call, in minutes.
    pub reactivation_minutes: Dist,
    /// Chance that one reactivation call wins a dormant client back.
    pub reactivation_success: f64,
    /// Reactivation calls before a dormant client is given up as churned.
    pub reactivation_attempts: u32,
    /// Time between two reactivation calls to one client.
    pub reactivation_spacing: Time,
    /// A client dormant this long and not won back is lost for good (`None`: never).
    pub written_off_after: Option<Time>,
    /// A reactivation attempt is due this much office working time after it falls due.
    pub reactivation_due: Time,
    /// Calls a client makes to their owner per year (questions, complaints, orders by
    /// phone), while active.
    pub calls_per_year: f64,
    /// Duration of a client's call, in minutes.
    pub call_minutes: Dist,
    /// A client's call is due for an answer this much office working time after it came.
    pub call_due: Time,
    /// Duration of a collection call (taking a client's order), in minutes.
    pub collection_minutes: Dist,
    /// Chance that a client lapses when the department fails them: an order cancelled
    /// late, an order lost uncollected, a call answered late.
    pub lapse_after_failure: f64,
}

/// How a free person picks the next task besides their role's `works` list.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dispatch {
    /// Kinds whose work past its due time comes before the `works` list, earliest due
    /// first (empty: the list alone decides).
    pub overdue_first: KindSet,
    /// A ringing call still comes before overdue work, for a role that answers the phone.
    pub calls_first: bool,
}

/// The language a scenario's results are written in (`lang = "ru"`).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Russian.
    Ru,
    /// Bulgarian.
    Bg,
}

impl Lang {
    /// Every language, in the order of [`Lang::CODES`].
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Ru, Lang::Bg];
    /// The codes of the languages: `en`, `ru`, `bg`.
    pub const CODES: [&'static str; 3] = ["en", "ru", "bg"];

    /// The language's two-letter code.
    pub fn code(self) -> &'static str {
        Lang::CODES[self as usize]
    }

    /// The language with the code `s`.
    pub fn parse(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == s)
    }
}

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The scenario's name, shown in every output.
    pub name: String,
    /// Seed of every random stream: the same seed gives the same results, byte for byte.
    pub seed: u64,
    /// Three-letter currency code, lower case; money columns end with it.
    pub currency: String,
    /// The language of the report, the charts, the terminal tables and the workbook.
    pub lang: Lang,
    /// Working days, hours and holidays over the horizon.
    pub calendar: Calendar,
    /// The office's working hours: due times of desk work count them.
    pub office: WeekPlan,
    /// The office's working time as a running total over the horizon.
    pub office_clock: WorkClock,
    /// Inbound leads by month, weekday, hour and channel.
    pub demand: Demand,
    /// How leads are answered and called back.
    pub response: Response,
    /// How leads are qualified.
    pub qualification: Qualification,
    /// Cold calling.
    pub outbound: Outbound,
    /// Kinds of deal, with their shares of target leads.
    pub segments: Vec<Segment>,
    /// Contracts and order entry.
    pub paperwork: Paperwork,
    /// The client base.
    pub clients: Clients,
    /// How urgency overrides the `works` lists.
    pub dispatch: Dispatch,
    /// Share of revenue left after the cost of goods.
    pub gross_margin: f64,
    /// The five presets (as overridden) and the scenario's own structures.
    pub structures: Vec<Structure>,
    /// The structure `salesim run` uses unless told otherwise.
    pub default_structure: usize,
}

impl Scenario {
    /// Parses and validates a scenario from TOML text.
    pub fn from_toml_str(text: &str) -> Result<Scenario, ScenarioError> {
        Scenario::from_table(&Scenario::table_from_str(text)?)
    }

    /// Parses TOML text into a table, without validating it as a scenario (the
    /// experiment layer edits the table before validation).
    pub fn table_from_str(text: &str) -> Result<toml::Table, ScenarioError> {
        parse::table(text).map_err(ScenarioError::Invalid)
    }

    /// Validates a scenario given as a TOML table.
    pub fn from_table(table: &toml::Table) -> Result<Scenario, ScenarioError> {
        parse::scenario(table).map_err(ScenarioError::Invalid)
    }

    /// Reads a scenario file into a TOML table.
    pub fn read_table(path: &Path) -> Result<toml::Table, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Scenario::table_from_str(&text)
    }

    /// Reads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.display().to_string(),
            source,
        })?;
        Scenario::from_toml_str(&text)
    }

    /// The built-in default scenario.
    pub fn default_scenario() -> Scenario {
        Scenario::from_toml_str(DEFAULT_TOML).expect("the built-in default scenario is valid")
    }

    /// The structure named `name`.
    pub fn structure(&self, name: &str) -> Option<&Structure> {
        self.structures.iter().find(|s| s.name == name)
    }

    /// Names of every structure, presets first.
    pub fn structure_names(&self) -> Vec<&str> {
        self.structures.iter().map(|s| s.name.as_str()).collect()
    }

    /// The reference department for structure `s`: the same scenario with `s`'s staff
    /// unlimited ([`Structure::unlimited`]) and no cold calling. It works the same
    /// inbound leads on the same draws; the leads cold calling finds depend on a
    /// department's free time, so they are left out of the comparison.
    pub fn reference(&self, s: usize) -> Scenario {
        let mut sc = self.clone();
        sc.structures[s] = sc.structures[s].unlimited();
        sc.outbound.dials_per_hour = 0.0;
        sc
    }
}

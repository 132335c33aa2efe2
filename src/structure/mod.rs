//! The five structures as data: roles, who does which work with what priority, and who
//! owns a deal and a client (the hand-offs). Presets live in `presets.toml`; a scenario
//! can override any of their fields or define a structure of its own.
//!
//! A structure never says it is better than another: it only says who does what.

use crate::engine::{Time, WeekPlan};
use crate::model::{Dist, KindSet, WorkKind};

/// The presets, as TOML.
pub const PRESETS_TOML: &str = include_str!("presets.toml");

/// Names of the five presets, in the order DOMAIN.md lists them.
pub const PRESET_NAMES: [&str; 5] = [
    "one_level",
    "assistant",
    "lead_chopper",
    "two_level",
    "conveyor",
];

/// What a role costs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pay {
    /// Salary per person per month, including employer burden.
    pub salary_per_month: f64,
    /// Share of new-client revenue paid to the deal's owner.
    pub commission_new: f64,
    /// Share of repeat revenue paid to the client's owner.
    pub commission_repeat: f64,
    /// Outsourced price per scheduled person-hour.
    pub per_hour: f64,
    /// Outsourced price per lead handled (call answered or web lead reached).
    pub per_lead: f64,
}

/// How the people of a role come and go: tenure, vacancies, ramp-up, what leaves with
/// them. A role with no tenure keeps its people for the whole horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct Turnover {
    /// A person's time on staff from hiring, in months; `None`: nobody leaves.
    pub tenure_months: Option<Dist>,
    /// From a vacancy opening to the new person's first day, in days.
    pub time_to_fill_days: Dist,
    /// Paid once per person hired.
    pub hiring_cost: f64,
    /// Time for a new hire to reach full speed and win rate (zero: at once).
    pub ramp: Time,
    /// A new hire's speed and win-rate multiplier on the first day (rising linearly).
    pub ramp_start: f64,
    /// Chance that each client the person owns leaves with them.
    pub takes_clients_share: f64,
    /// Chance that each open deal of the person goes cold in the handover.
    pub handover_cold_share: f64,
    /// A role whose vacancies this role's people fill from inside, after a tenure.
    pub promote_to: Option<usize>,
    /// Time in the lower role before promotion.
    pub promote_after: Time,
    /// Ramp of a promoted person in the new role.
    pub promoted_ramp: Time,
}

impl Default for Turnover {
    fn default() -> Turnover {
        Turnover {
            tenure_months: None,
            time_to_fill_days: Dist::Fixed(21.0),
            hiring_cost: 0.0,
            ramp: Time::ZERO,
            ramp_start: 1.0,
            takes_clients_share: 0.0,
            handover_cold_share: 0.0,
            promote_to: None,
            promote_after: Time::ZERO,
            promoted_ramp: Time::ZERO,
        }
    }
}

/// A role's daily break, staggered: its people are spread over `slots` start times in
/// the window, so that some are at work at every minute of it when there are enough.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Breaks {
    /// The window, in milliseconds since midnight: breaks start from `from` and a break
    /// put off by work in hand is taken if it can start before `to`.
    pub from: u64,
    /// The window's end.
    pub to: u64,
    /// How long a break lasts.
    pub len: Time,
}

impl Breaks {
    /// How many start times the window holds: as many breaks as fit in it end to end.
    pub fn slots(&self) -> usize {
        (((self.to - self.from) / self.len.0.max(1)) as usize).max(1)
    }

    /// When break slot `i` starts, in milliseconds since midnight: the slots spread
    /// evenly from the window's start to its last possible start.
    pub fn start(&self, i: usize) -> u64 {
        let n = self.slots() as u64;
        if n == 1 {
            return self.from;
        }
        let room = self.to - self.from - self.len.0;
        self.from + room * i as u64 / (n - 1)
    }
}

/// One role of a structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    /// The role's name (`manager`, `call_centre`...).
    pub name: String,
    /// Headcount in each month of the horizon.
    pub count: Vec<u32>,
    /// Kinds of work, highest priority first.
    pub works: Vec<WorkKind>,
    /// Work-speed multiplier: durations are divided by it.
    pub speed: f64,
    /// Win-probability multiplier for deals this role owns.
    pub win: f64,
    /// Multiplier on the chance that a care contact by this role's people grows the
    /// client's orders (`clients.expansion_probability`).
    pub expansion: f64,
    /// Time lost each time a person changes kind of work.
    pub switch: Time,
    /// When the role works; segment tag 0 is mixed work, tag `i` is block `i - 1`.
    pub plan: WeekPlan,
    /// The kinds allowed under each tag of `plan`.
    pub masks: Vec<KindSet>,
    /// Under each tag of `plan`: a batch's focus (its work's speed multiplier; a batch's
    /// work starts with no switch cost), `None` for mixed work or a plain block.
    pub focus: Vec<Option<f64>>,
    /// Daily breaks within the working hours, staggered over the role's people.
    pub breaks: Option<Breaks>,
    /// What the role costs.
    pub pay: Pay,
    /// Who leaves and how posts are filled.
    pub turnover: Turnover,
}

impl Role {
    /// Whether the role does `kind` at all.
    pub fn does(&self, kind: WorkKind) -> bool {
        self.works.contains(&kind)
    }

    /// The largest headcount over the horizon.
    pub fn max_count(&self) -> u32 {
        self.count.iter().copied().max().unwrap_or(0)
    }

    /// Whether people of this role leave and are replaced (an outsourced role's staffing
    /// is its vendor's business: it has no turnover here).
    pub fn has_turnover(&self) -> bool {
        self.turnover.tenure_months.is_some() && !self.is_outsourced()
    }

    /// Whether the role is priced as an outsourced service.
    pub fn is_outsourced(&self) -> bool {
        self.pay.per_hour > 0.0 || self.pay.per_lead > 0.0
    }
}

/// A department structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    /// The structure's name.
    pub name: String,
    /// What it is, in a line.
    pub description: String,
    /// Its roles.
    pub roles: Vec<Role>,
    /// The role whose people own (and close) deals.
    pub deal_owner: usize,
    /// The role whose people own clients after the first deal.
    pub client_owner: usize,
    /// Extra time a person spends passing a lead or a client to someone else.
    pub handoff: Time,
    /// Win-probability multiplier of a deal whose lead another role qualified and passed
    /// on: what the receiver does not learn from the hand-off (1: nothing is lost).
    pub handoff_win: f64,
    /// A reference department: every role staffed [`UNLIMITED`] times over.
    pub unlimited: bool,
}

/// How many times its own headcount a reference department has in every role: enough
/// that no work waits for a person (`tests/reference.rs` checks that twice as many
/// lose no fewer leads).
pub const UNLIMITED: u32 = 10;

impl Structure {
    /// The same structure with capacity to spare: every role [`UNLIMITED`] times its
    /// headcount, every month (a role absent in a month stays absent, so work goes where
    /// it goes then). Already unlimited, it is returned as it is.
    pub fn unlimited(&self) -> Structure {
        let mut st = self.clone();
        if !st.unlimited {
            for c in st.roles.iter_mut().flat_map(|r| r.count.iter_mut()) {
                *c = c.saturating_mul(UNLIMITED);
            }
            st.unlimited = true;
        }
        st
    }

    /// Whether any role's people leave and are replaced.
    pub fn has_turnover(&self) -> bool {
        self.roles.iter().any(Role::has_turnover)
    }

    /// The index of the role named `name`.
    pub fn role_index(&self, name: &str) -> Option<usize> {
        self.roles.iter().position(|r| r.name == name)
    }

    /// Roles doing `kind`, most committed first (by the position of `kind` in their
    /// priority list, then by role order).
    pub fn roles_doing(&self, kind: WorkKind) -> Vec<usize> {
        let mut v: Vec<(usize, usize)> = self
            .roles
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.works.iter().position(|&k| k == kind).map(|p| (p, i)))
            .collect();
        v.sort();
        v.into_iter().map(|(_, i)| i).collect()
    }

    /// A plain-text description: roles, headcounts and who does which work.
    pub fn describe(&self) -> String {
        use std::fmt::Write;
        let mut s = format!("{}: {}\n", self.name, self.description);
        for (i, r) in self.roles.iter().enumerate() {
            let mut owns = vec![];
            if i == self.deal_owner {
                owns.push("owns deals");
            }
            if i == self.client_owner {
                owns.push("owns clients");
            }
            let count = if r.count.iter().all(|&c| c == r.count[0]) {
                r.count[0].to_string()
            } else {
                format!(
                    "{}..{} by month",
                    r.count.iter().min().unwrap_or(&0),
                    r.max_count()
                )
            };
            let _ = writeln!(
                s,
                "  {} x{}{}",
                r.name,
                count,
                if owns.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", owns.join(", "))
                }
            );
            for (p, k) in r.works.iter().enumerate() {
                let _ = writeln!(s, "    {}. {:<13} {}", p + 1, k.name(), k.describe());
            }
        }
        s
    }
}

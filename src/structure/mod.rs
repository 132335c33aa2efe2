//! The five structures as data: roles, who does which work with what priority, and who
//! owns a deal and a client (the hand-offs). Presets live in `presets.toml`; a scenario
//! can override any of their fields or define a structure of its own.
//!
//! A structure never says it is better than another: it only says who does what.

use crate::engine::{Time, WeekPlan};
use crate::model::{KindSet, WorkKind};

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

/// One role of a structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub name: String,
    /// Headcount in each month of the horizon.
    pub count: Vec<u32>,
    /// Kinds of work, highest priority first.
    pub works: Vec<WorkKind>,
    /// Work-speed multiplier: durations are divided by it.
    pub speed: f64,
    /// Win-probability multiplier for deals this role owns.
    pub win: f64,
    /// Time lost each time a person changes kind of work.
    pub switch: Time,
    /// When the role works; segment tag 0 is mixed work, tag `i` is block `i - 1`.
    pub plan: WeekPlan,
    /// The kinds allowed under each tag of `plan`.
    pub masks: Vec<KindSet>,
    pub pay: Pay,
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

    /// Whether the role is priced as an outsourced service.
    pub fn is_outsourced(&self) -> bool {
        self.pay.per_hour > 0.0 || self.pay.per_lead > 0.0
    }
}

/// A department structure.
#[derive(Clone, Debug, PartialEq)]
pub struct Structure {
    pub name: String,
    pub description: String,
    pub roles: Vec<Role>,
    /// The role whose people own (and close) deals.
    pub deal_owner: usize,
    /// The role whose people own clients after the first deal.
    pub client_owner: usize,
    /// Extra time a person spends passing a lead or a client to someone else.
    pub handoff: Time,
}

impl Structure {
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

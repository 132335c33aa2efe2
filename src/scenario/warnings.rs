//! Traps a valid scenario can still hold: settings that decide a result whatever the
//! department does. They are warnings, not problems: the scenario runs, and `validate`,
//! `run`, `compare` and the report say what each one does.

use std::fmt;

use super::Scenario;
use crate::engine::{substream, Weekday};
use crate::model::WorkKind;
use crate::structure::Structure;

/// One trap: where it is, and what it does to the results.
#[derive(Clone, Debug, PartialEq)]
pub struct Warning {
    /// The field or table it is about.
    pub path: String,
    /// What it does, in English (the terminal's diagnostics).
    pub message: String,
    /// What it is, as data (the report says it in its own language).
    pub trap: Trap,
}

/// The kinds of trap, with the figures their words need.
#[derive(Clone, Debug, PartialEq)]
pub enum Trap {
    /// A segment's touches fall due at or beyond the allowed gap for `share` of its deals.
    ColdByConstruction {
        /// The segment.
        segment: String,
        /// The share of its deals that go cold by construction.
        share: f64,
        /// The allowed gap, in days.
        gap_days: f64,
    },
    /// A role with people and no pay.
    Unpaid,
    /// Work the scenario makes that no role does.
    Undone {
        /// The kind of work.
        kind: WorkKind,
    },
    /// `share` of the calls in working hours find nobody who may answer.
    UncoveredPhone {
        /// The share of calls.
        share: f64,
        /// The busiest such hour's day.
        day: Weekday,
        /// Its hour, from 0.
        hour: u64,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Draws behind each Monte Carlo share (fixed seed: the same scenario, the same words).
const DRAWS: u32 = 20_000;

/// Below this share of calls uncovered, a structure's hours are not a trap.
const UNCOVERED: f64 = 0.05;

/// Every trap in the scenario, scenario-wide ones first, then each structure's.
pub fn warnings(sc: &Scenario) -> Vec<Warning> {
    let mut out = scenario_warnings(sc);
    for s in &sc.structures {
        out.extend(structure_warnings(sc, s));
    }
    out
}

/// The traps of the scenario's demand and segments, whatever the structure.
pub fn scenario_warnings(sc: &Scenario) -> Vec<Warning> {
    cold_by_construction(sc)
}

/// The traps of one structure of the scenario.
pub fn structure_warnings(sc: &Scenario, s: &Structure) -> Vec<Warning> {
    let mut out = unpaid(s);
    out.extend(undone(sc, s));
    out.extend(uncovered_phone(sc, s));
    out
}

/// Segments whose touches are spaced at or beyond the allowed gap: those deals go cold
/// whatever the staffing (a touch is due `cycle_days / touches` after the last one, and
/// the deal goes cold `max_gap_days` after it).
fn cold_by_construction(sc: &Scenario) -> Vec<Warning> {
    let mut out = vec![];
    for (i, g) in sc.segments.iter().enumerate() {
        if g.touches < 2 {
            continue; // one touch, due at once: no spacing
        }
        let mut rng = substream(0x5eed, i as u64);
        let gap = g.max_gap.hours() / 24.0;
        let cold = (0..DRAWS)
            .filter(|_| g.cycle_days.sample(&mut rng) / f64::from(g.touches) >= gap)
            .count();
        let share = cold as f64 / f64::from(DRAWS);
        if share >= 0.01 {
            out.push(Warning {
                path: format!("segments[{i}]"),
                message: format!(
                    "{} deals: touches fall due cycle_days / touches apart, and for {:.0}% of them that is at or beyond max_gap_days ({}): those deals go cold whatever the staffing; raise max_gap_days or touches",
                    g.name,
                    share * 100.0,
                    gap
                ),
                trap: Trap::ColdByConstruction {
                    segment: g.name.clone(),
                    share,
                    gap_days: gap,
                },
            });
        }
    }
    out
}

/// Roles with people and no pay: free in every money column.
fn unpaid(s: &Structure) -> Vec<Warning> {
    s.roles
        .iter()
        .filter(|r| {
            let p = &r.pay;
            r.max_count() > 0 && p.salary_per_month == 0.0 && p.per_hour == 0.0 && p.per_lead == 0.0
        })
        .map(|r| Warning {
            path: format!("structures.{}.roles.{}", s.name, r.name),
            message: "costs nothing (no salary, hourly or per-lead price): its people are free in payroll and profit".into(),
            trap: Trap::Unpaid,
        })
        .collect()
}

/// Work the scenario makes that no role of the structure does (the kinds whose absence
/// is an error are checked by validation; these only fade a result away).
fn undone(sc: &Scenario, s: &Structure) -> Vec<Warning> {
    let cl = &sc.clients;
    let clients = cl.initial_active > 0 || sc.segments.iter().any(|g| g.repeat_share > 0.0);
    let cases = [
        (
            WorkKind::Reactivation,
            clients && cl.reactivation_attempts > 0,
            "clients go dormant and are never called back (clients.reactivation_attempts is above 0)",
        ),
        (
            WorkKind::Prospecting,
            sc.outbound.finds_leads(),
            "the [outbound] settings find no leads in this structure",
        ),
    ];
    cases
        .into_iter()
        .filter(|&(kind, needed, _)| needed && !s.roles.iter().any(|r| r.does(kind)))
        .map(|(kind, _, what)| Warning {
            path: format!("structures.{}", s.name),
            message: format!("nobody does {kind}: {what}"),
            trap: Trap::Undone { kind },
        })
        .collect()
}

/// Hours in which some role of the structure works but none may answer the phone (its
/// time blocks, or its hours): the calls that arrive then find nobody.
fn uncovered_phone(sc: &Scenario, s: &Structure) -> Option<Warning> {
    let call = WorkKind::InboundCall;
    if sc.demand.phone_share == 0.0 || !s.roles.iter().any(|r| r.does(call)) {
        return None;
    }
    let p = &sc.demand.phone;
    let (mut working, mut uncovered) = (0.0, 0.0);
    let mut worst = (0.0, Weekday::Mon, 0u64);
    for d in Weekday::ALL {
        for h in 0..24u64 {
            let mid = h * 3_600_000 + 1_800_000;
            let w = p.weekday[d.index()] * p.hour[h as usize];
            let at = |r: &crate::structure::Role| {
                r.plan
                    .day(d)
                    .iter()
                    .find(|g| g.from <= mid && mid < g.to)
                    .map(|g| r.masks[g.tag as usize].contains(call))
            };
            let states: Vec<Option<bool>> = s
                .roles
                .iter()
                .filter(|r| r.max_count() > 0)
                .map(at)
                .collect();
            if states.iter().all(Option::is_none) {
                continue; // nobody works: the office is closed
            }
            working += w;
            if !states.contains(&Some(true)) {
                uncovered += w;
                if w > worst.0 {
                    worst = (w, d, h);
                }
            }
        }
    }
    let share = if working > 0.0 {
        uncovered / working
    } else {
        0.0
    };
    (share > UNCOVERED).then(|| Warning {
        path: format!("structures.{}", s.name),
        message: format!(
            "{:.0}% of the calls that arrive while it works find nobody who may answer (time blocks or hours without inbound_call; the busiest such hour: {} {:02}:00-{:02}:00): they go to the missed-call log or ring out",
            share * 100.0,
            worst.1.short(),
            worst.2,
            worst.2 + 1
        ),
        trap: Trap::UncoveredPhone {
            share,
            day: worst.1,
            hour: worst.2,
        },
    })
}

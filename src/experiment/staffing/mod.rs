//! Seasonal staffing: how many people a role needs in each month of the horizon.
//!
//! The search starts from an Erlang A estimate per month (the busiest working hour of the
//! month, the handle time, the callers' patience) and corrects it by simulating the whole
//! department on common random numbers: a monotone search per month (all months at once,
//! since one simulation answers for every month), then passes that re-check the plan as a
//! whole, because months interact through carried-over leads and clients. A month meets
//! a target only when the 95% confidence interval of its mean does; where the interval
//! straddles the target, replications are doubled (up to the maximum) before deciding.

mod eval;
mod search;

use toml::{Table, Value};

use crate::engine::Time;
use crate::experiment::erlang;
use crate::experiment::SpecError;
use crate::scenario::reader::{join, Range, Reader};
use crate::scenario::Scenario;

pub(crate) use eval::json_f64;
pub use eval::{Estimate, Evaluator, Measure, Outcome, Plan};
pub use search::{run, Alternative, MonthRow, Progress, StaffingResult};

/// What a month must reach.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// At most this share of phone leads lost unanswered (`lost<=0.05`).
    Lost(f64),
    /// At least this share of calls answered within `seconds` (`service>=0.8@20s`).
    Service {
        /// The share of calls.
        share: f64,
        /// The time they must be answered in.
        seconds: f64,
    },
    /// Mean speed to lead at most this many minutes (`speed<=5min`).
    Speed(f64),
}

impl Target {
    /// Parses `lost<=0.05`, `service>=0.8@20s`, `speed<=5min`.
    pub fn parse(s: &str) -> Result<Target, SpecError> {
        let s = s.trim().replace(' ', "");
        let bad = || {
            SpecError::Staffing(format!(
                "--target `{s}`: expected lost<=SHARE (e.g. lost<=0.05), service>=SHARE@SECONDSs (e.g. service>=0.8@20s) or speed<=MINUTESmin (e.g. speed<=5min)"
            ))
        };
        let share = |x: &str| -> Result<f64, SpecError> {
            match x.parse::<f64>() {
                Ok(v) if v > 0.0 && v < 1.0 => Ok(v),
                _ => Err(SpecError::Staffing(format!(
                    "--target `{s}`: the share must be between 0 and 1 (0.05 = 5%), found `{x}`"
                ))),
            }
        };
        if let Some(x) = s.strip_prefix("lost<=") {
            return Ok(Target::Lost(share(x)?));
        }
        if let Some(x) = s.strip_prefix("service>=") {
            let (p, t) = x.split_once('@').ok_or_else(bad)?;
            let secs = t.strip_suffix('s').unwrap_or(t);
            return match secs.parse::<f64>() {
                Ok(v) if v > 0.0 && v <= 3600.0 => Ok(Target::Service {
                    share: share(p)?,
                    seconds: v,
                }),
                _ => Err(SpecError::Staffing(format!(
                    "--target `{s}`: the service-level time is seconds from 1 to 3600, found `{t}`"
                ))),
            };
        }
        if let Some(x) = s.strip_prefix("speed<=") {
            let m = x.strip_suffix("min").unwrap_or(x);
            return match m.parse::<f64>() {
                Ok(v) if v > 0.0 => Ok(Target::Speed(v)),
                _ => Err(SpecError::Staffing(format!(
                    "--target `{s}`: minutes must be a positive number, found `{x}`"
                ))),
            };
        }
        Err(bad())
    }

    /// The statistic a month is judged on.
    pub fn value(&self, o: &Outcome, m: usize) -> f64 {
        match self {
            Target::Lost(_) => o.lost[m],
            Target::Service { .. } => o.service[m],
            Target::Speed(_) => o.speed[m],
        }
    }

    /// Whether an interval of that statistic is surely within the target, surely not,
    /// or not yet known (`None`).
    pub fn judge(&self, e: Estimate) -> Option<bool> {
        if !e.mean.is_finite() {
            // A month with no calls (or no contacts) has nothing to lose.
            return Some(true);
        }
        let (ok_all, bad_all) = match *self {
            Target::Lost(x) | Target::Speed(x) => (e.high() <= x, e.low() > x),
            Target::Service { share, .. } => (e.low() >= share, e.high() < share),
        };
        if ok_all {
            Some(true)
        } else if bad_all {
            Some(false)
        } else {
            None
        }
    }

    /// The target in words, as the output shows it.
    pub fn describe(&self) -> String {
        match *self {
            Target::Lost(x) => format!("at most {:.1}% of phone leads lost unanswered", x * 100.0),
            Target::Service { share, seconds } => {
                format!(
                    "at least {:.0}% of calls answered within {seconds:.0} s",
                    share * 100.0
                )
            }
            Target::Speed(x) => format!("mean speed to lead at most {x} min"),
        }
    }
}

/// What the search optimises.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Objective {
    /// The smallest headcount per month that meets the target with 95% confidence.
    Target(Target),
    /// The headcount per month that maximises expected gross profit.
    Profit,
}

/// Limits on the plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraints {
    /// Fewest people in a month.
    pub min: u32,
    /// Most people in a month.
    pub max: u32,
    /// Headcount cannot change in months that start before this time has passed (an
    /// outsourced call centre contracted weeks ahead); they keep the scenario's staffing.
    pub lead_time: Time,
    /// A headcount, once set, holds for at least this many months.
    pub min_contract_months: u32,
    /// Cost of each person added or removed between two months.
    pub change_cost: f64,
    /// Cap on the searched roles' pay and outsourcing over the horizon.
    pub budget: Option<f64>,
}

/// What the command line asks, on top of the scenario's `[staffing]` table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StaffRequest {
    /// The roles to staff (default: the scenario's `[staffing]`).
    pub roles: Vec<String>,
    /// The structure whose roles they are (default: the scenario's).
    pub structure: Option<String>,
    /// What each month must reach, e.g. `service>=0.8@20s`.
    pub target: Option<String>,
    /// Maximise expected gross profit instead of meeting a target.
    pub profit: bool,
    /// Fewest people in a month.
    pub min: Option<u32>,
    /// Most people in a month.
    pub max: Option<u32>,
    /// Weeks between deciding and having the people.
    pub lead_time_weeks: Option<f64>,
    /// A headcount, once set, holds at least this many months.
    pub min_contract_months: Option<u32>,
    /// Cost of each person added or removed between months.
    pub change_cost: Option<f64>,
    /// Cap on the searched roles' pay and outsourcing over the horizon.
    pub budget: Option<f64>,
    /// Replications per plan to start with (doubled where a decision needs it).
    pub replications: Option<u64>,
    /// Most replications per plan.
    pub max_replications: Option<u64>,
}

/// A staffing problem, checked and ready to search.
pub struct StaffingProblem {
    /// The scenario, as the search simulates it.
    pub scenario: Scenario,
    /// The structure whose roles are staffed.
    pub structure: String,
    /// The roles staffed, in the order of a plan's rows.
    pub roles: Vec<String>,
    /// What the search optimises.
    pub objective: Objective,
    /// Limits on the plan.
    pub constraints: Constraints,
    /// Replications per plan to start with.
    pub replications: u64,
    /// Most replications per plan.
    pub max_replications: u64,
    /// Months whose headcount the plan cannot change: the warm-up's and those within
    /// the hiring lead time.
    pub fixed: Vec<bool>,
    /// The warm-up: months left out of the totals (the scenario's
    /// `experiment.warmup_months`).
    pub warmup: usize,
    /// Per searched role, the fewest people it can have in a month: 1 for a role that
    /// owns deals or clients (someone must hold them), else the `min` constraint.
    pub floor: Vec<u32>,
    /// The table the evaluator simulates (the scenario, with the service-level time of
    /// a service target).
    pub table: Table,
}

/// The scenario's `[staffing]` table as written: every field optional, the command line's
/// options taking precedence.
#[derive(Debug, Default)]
struct StaffingFile {
    roles: Vec<String>,
    structure: Option<String>,
    target: Option<String>,
    objective: Option<String>,
    min: Option<u32>,
    max: Option<u32>,
    lead_time_weeks: Option<f64>,
    min_contract_months: Option<u32>,
    change_cost: Option<f64>,
    budget: Option<f64>,
}

/// The most people a plan may give a role in a month.
const MAX_PEOPLE: f64 = 10_000.0;

/// Reads `[staffing]` with the scenario reader: every problem, with its path.
fn read_file(table: &Table) -> Result<StaffingFile, SpecError> {
    let mut r = Reader::default();
    let f = read_staffing(&mut r, table);
    r.finish();
    if r.problems.is_empty() {
        Ok(f)
    } else {
        Err(SpecError::Invalid(r.problems))
    }
}

/// Reads `[staffing]` into `r`'s problems: for checking a whole file in one pass.
pub(crate) fn check_table(r: &mut Reader, table: &Table) {
    read_staffing(r, table);
}

fn read_staffing(r: &mut Reader, table: &Table) -> StaffingFile {
    let p = "staffing";
    let Some(t) = r.table(table, "", p) else {
        return StaffingFile::default();
    };
    r.open(t, p);
    let mut roles: Vec<String> = r.opt_string(t, p, "role").flatten().into_iter().collect();
    if let Some(v) = r.get(t, "roles") {
        roles.extend(r.strings(v, join(p, "roles")).unwrap_or_default());
    }
    let people = |r: &mut Reader, key: &str| {
        let x = r
            .opt_number(t, p, key, Range::Within(0.0, MAX_PEOPLE))
            .flatten()?;
        if x.fract() != 0.0 {
            r.problem(join(p, key), format!("a whole number of people, found {x}"));
            return None;
        }
        Some(x as u32)
    };
    StaffingFile {
        roles,
        structure: r.opt_string(t, p, "structure").flatten(),
        target: r.opt_string(t, p, "target").flatten(),
        objective: r.opt_string(t, p, "objective").flatten(),
        min: people(r, "min"),
        max: people(r, "max"),
        lead_time_weeks: r
            .opt_number(t, p, "lead_time_weeks", Range::Within(0.0, 520.0))
            .flatten(),
        min_contract_months: people(r, "min_contract_months"),
        change_cost: r.opt_number(t, p, "change_cost", Range::NonNeg).flatten(),
        budget: r.opt_number(t, p, "budget", Range::Pos).flatten(),
    }
}

/// What to optimise: the request's objective or target, else the file's, else
/// `lost<=0.05`.
fn objective(req: &StaffRequest, file: &StaffingFile) -> Result<Objective, SpecError> {
    if req.profit || (req.target.is_none() && file.objective.as_deref() == Some("profit")) {
        return Ok(Objective::Profit);
    }
    let t = req
        .target
        .clone()
        .or_else(|| file.target.clone())
        .unwrap_or_else(|| "lost<=0.05".into());
    Ok(Objective::Target(Target::parse(&t)?))
}

/// The constraints, the request's over the file's, each checked alone and against the
/// horizon of `months`.
fn constraints(
    req: &StaffRequest,
    file: &StaffingFile,
    months: usize,
) -> Result<(Constraints, f64), SpecError> {
    // The file's values were checked by the reader (with their paths): what fails here
    // came from the command line, and is named as the option.
    let bad = |m: String| Err(SpecError::Staffing(m));
    for (option, v) in [("--min", req.min), ("--max", req.max)] {
        if let Some(v) = v.filter(|&v| f64::from(v) > MAX_PEOPLE) {
            return bad(format!(
                "{option}: at most {MAX_PEOPLE} people in a month, found {v}"
            ));
        }
    }
    let min = req.min.or(file.min).unwrap_or(0);
    let max = req.max.or(file.max).unwrap_or(30);
    if min > max {
        return bad(format!(
            "contradictory constraints: the minimum headcount {min} is above the maximum {max}"
        ));
    }
    let lead_weeks = req.lead_time_weeks.or(file.lead_time_weeks).unwrap_or(0.0);
    if !(0.0..=520.0).contains(&lead_weeks) {
        return bad(format!(
            "--lead-time-weeks: from 0 to 520 weeks, found {lead_weeks}"
        ));
    }
    let contract = req
        .min_contract_months
        .or(file.min_contract_months)
        .unwrap_or(1)
        .max(1);
    if contract as usize > months {
        return bad(format!(
            "contradictory constraints: a minimum contract of {contract} months is longer than the {months}-month horizon"
        ));
    }
    let change_cost = req.change_cost.or(file.change_cost).unwrap_or(0.0);
    if !(change_cost >= 0.0 && change_cost.is_finite()) {
        return bad(format!(
            "--change-cost: a cost of 0 or more, found {change_cost}"
        ));
    }
    let budget = req.budget.or(file.budget);
    if let Some(b) = budget {
        if !(b > 0.0 && b.is_finite()) {
            return bad(format!("--budget: a positive amount, found {b}"));
        }
    }
    let constraints = Constraints {
        min,
        max,
        lead_time: Time::from_days(lead_weeks * 7.0),
        min_contract_months: contract,
        change_cost,
        budget,
    };
    Ok((constraints, lead_weeks))
}

/// Per searched role, the fewest people it may have: 1 for a role that owns deals or
/// clients (someone must hold them), else `min`.
fn floors(
    scenario: &Scenario,
    structure: &str,
    roles: &[String],
    c: &Constraints,
) -> Result<Vec<u32>, SpecError> {
    let st = scenario.structure(structure).ok_or_else(|| {
        SpecError::Staffing(format!(
            "--structure: no structure named {structure:?}; known: {}",
            scenario.structure_names().join(", ")
        ))
    })?;
    let mut floor = vec![];
    for name in roles {
        let Some(i) = st.roles.iter().position(|r| &r.name == name) else {
            let names: Vec<&str> = st.roles.iter().map(|x| x.name.as_str()).collect();
            return Err(SpecError::Staffing(format!(
                "--role: {structure} has no role {name:?}; its roles are {}",
                names.join(", ")
            )));
        };
        let owner = i == st.deal_owner || i == st.client_owner;
        let f = if owner { c.min.max(1) } else { c.min };
        if f > c.max {
            return Err(SpecError::Staffing(format!(
                "contradictory constraints: {name} owns deals or clients and needs at least 1 person, above the maximum {}",
                c.max
            )));
        }
        floor.push(f);
    }
    Ok(floor)
}

/// Replications per plan to start with and at most.
fn replications(req: &StaffRequest) -> Result<(u64, u64), SpecError> {
    let replications = req.replications.unwrap_or(crate::experiment::BATCH);
    if !(2..=100_000).contains(&replications) {
        return Err(SpecError::Staffing(format!(
            "--replications: from 2 to 100000 per plan, found {replications}"
        )));
    }
    // Unless given, the most is 320, or the start if that is more.
    let max = match req.max_replications {
        None => replications.max(320),
        Some(m) if (replications..=100_000).contains(&m) => m,
        Some(m) => {
            return Err(SpecError::Staffing(format!(
                "--max-replications: from --replications ({replications}) to 100000 per plan, found {m}"
            )))
        }
    };
    Ok((replications, max))
}

impl StaffingProblem {
    /// Reads the scenario's `[staffing]` table and the request, and checks them.
    pub fn new(scenario_text: &str, req: &StaffRequest) -> Result<StaffingProblem, SpecError> {
        let mut table = Scenario::table_from_str(scenario_text)
            .map_err(|e| SpecError::Staffing(e.to_string()))?;
        let file = read_file(&table)?;
        let roles = if req.roles.is_empty() {
            file.roles.clone()
        } else {
            req.roles.clone()
        };
        if roles.is_empty() {
            return Err(SpecError::Staffing(
                "--role: name the role to staff (e.g. --role call_centre), or set staffing.role in the scenario".into(),
            ));
        }
        let objective = objective(req, &file)?;
        if let Objective::Target(Target::Service { seconds, .. }) = objective {
            // Measure the service level at the target's time; the dynamics do not change.
            if let Some(Value::Table(resp)) = table.get_mut("response") {
                resp.insert("service_level_seconds".into(), Value::Float(seconds));
            }
        }
        let scenario =
            Scenario::from_table(&table).map_err(|e| SpecError::Staffing(e.to_string()))?;
        let structure = req
            .structure
            .clone()
            .or_else(|| file.structure.clone())
            .unwrap_or_else(|| scenario.structures[scenario.default_structure].name.clone());
        let months = scenario.calendar.months();
        let (constraints, lead_weeks) = constraints(req, &file, months)?;
        // The warm-up's months keep the scenario's staffing, as the experiments leave them
        // out of their totals: a plan is for the months a comparison counts.
        let warmup = super::run::read_scenario(scenario_text)?
            .2
            .settings
            .warmup_months;
        let fixed: Vec<bool> = (0..months)
            .map(|m| m < warmup || scenario.calendar.month_start(m) < constraints.lead_time)
            .collect();
        if fixed.iter().all(|&f| f) {
            return Err(SpecError::Staffing(format!(
                "contradictory constraints: a lead time of {lead_weeks} weeks and a warm-up of {warmup} months (experiment.warmup_months) leave no month of the horizon to plan"
            )));
        }
        let floor = floors(&scenario, &structure, &roles, &constraints)?;
        let (replications, max_replications) = replications(req)?;
        Ok(StaffingProblem {
            scenario,
            structure,
            roles,
            objective,
            constraints,
            replications,
            max_replications,
            fixed,
            warmup,
            floor,
            table,
        })
    }

    /// The Erlang A headcount per month for each searched role: the smallest that meets
    /// the target (lost unanswered at most 5% for the profit objective) in the busiest
    /// working hour of the month, counting only phone calls and this role.
    pub fn erlang_estimate(&self) -> Plan {
        let sc = &self.scenario;
        let st = sc
            .structure(&self.structure)
            .expect("checked by the evaluator");
        let target = match self.objective {
            Objective::Target(t) => t,
            Objective::Profit => Target::Lost(0.05),
        };
        self.roles
            .iter()
            .map(|name| {
                let Some(ri) = st.roles.iter().position(|r| &r.name == name) else {
                    return vec![0; sc.calendar.months()];
                };
                let role = &st.roles[ri];
                let handoff = if ri != st.deal_owner {
                    sc.qualification.target_share * st.handoff.minutes()
                } else {
                    0.0
                };
                let handle_h =
                    (sc.qualification.handle_minutes.mean() + handoff) / role.speed / 60.0;
                let theta = 3600.0 / sc.response.patience_seconds.mean().max(1e-9);
                let sl_h = sc.response.service_level.hours();
                (0..sc.calendar.months())
                    .map(|m| {
                        let lambda = busiest_hour(sc, &role.plan, m);
                        let ok = |n: u32| {
                            let q = erlang::erlang_a(lambda, 1.0 / handle_h, n, theta, sl_h);
                            match target {
                                Target::Lost(x) => {
                                    q.abandon * (1.0 - sc.response.callback_share) <= x
                                }
                                Target::Service { share, .. } => q.service_level >= share,
                                Target::Speed(x) => q.mean_wait * 60.0 <= x,
                            }
                        };
                        let floor = u32::from(lambda > 0.0);
                        erlang::smallest(floor, self.constraints.max.max(floor), ok)
                            .unwrap_or(self.constraints.max)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Calls per hour in the busiest hour of month `m` in which `plan` works.
fn busiest_hour(sc: &Scenario, plan: &crate::engine::WeekPlan, m: usize) -> f64 {
    let cal = &sc.calendar;
    let d = &sc.demand;
    let weights = d.month_weights(cal);
    if weights[m][0] <= 0.0 {
        return 0.0;
    }
    let first = cal.month_start(m).day();
    let mut best = 0.0f64;
    for day in first..first + cal.days_in(m) {
        for h in 0..24u64 {
            let t = Time(u64::from(day) * Time::DAY.0 + h * Time::HOUR.0 + Time::HOUR.0 / 2);
            if cal.segment_at(plan, t).is_some() {
                best = best.max(d.rates_at(cal, &weights, t)[0] * Time::HOUR.0 as f64);
            }
        }
    }
    best
}

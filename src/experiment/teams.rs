//! Each structure at its best team: the headcount of every role searched together, for
//! the highest expected gross profit or the fewest avoidable lost leads, within one
//! monthly budget for staff costs (pay, commissions, outsourcing), before the structures are ranked (`compare --optimise`).
//!
//! The search is a local search on common random numbers. From the preset team (trimmed
//! to the budget if it is over), it looks at every single move of one person: add one to
//! a role, remove one, or move one from a role to another. A move is taken only when the
//! paired 95% interval of its gain is above zero; when the best move's mean gain is
//! positive but its interval still reaches zero, replications are doubled (up to the
//! maximum) before deciding. The search stops at a team no single move improves, and
//! says so. Roles the scenario calls seasonal are then refined month by month (one person
//! more or fewer in one month, the same test), for an outsourced call centre that follows
//! the season.
//!
//! The search's replications are numbered from [`SEARCH_FIRST`], apart from the
//! comparison's (from 0): the teams are chosen on one sample and ranked on another, so
//! the ranking does not inherit the search's luck (the winner's curse).

use serde::{Deserialize, Serialize};
use toml::Table;

use super::spec::{self, Variant};
use super::staffing::{Estimate, Evaluator, Plan};
use super::{Experiment, SpecError};
use crate::scenario::reader::{join, Range, Reader};
use crate::sim::{self, Metric};

/// The number of the search's first replication: far from the comparison's.
pub const SEARCH_FIRST: u64 = 1 << 40;

/// Headcount limit of a role unless the scenario says otherwise.
const DEFAULT_MAX: u32 = 60;

/// The most moves a search takes (a guard: each move raises the mean objective).
const MAX_MOVES: usize = 400;

/// What a team is best at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TeamObjective {
    /// The highest expected gross profit over the counted months.
    Profit,
    /// The fewest expected avoidable lost leads over the counted months.
    AvoidableLosses,
}

impl TeamObjective {
    /// The words a user writes.
    pub const NAMES: [&'static str; 2] = ["profit", "avoidable-losses"];

    /// The objective called `name`.
    pub fn parse(name: &str) -> Option<TeamObjective> {
        match name {
            "profit" => Some(TeamObjective::Profit),
            "avoidable-losses" | "avoidable_losses" => Some(TeamObjective::AvoidableLosses),
            _ => None,
        }
    }

    /// Its name as written.
    pub fn name(self) -> &'static str {
        match self {
            TeamObjective::Profit => "profit",
            TeamObjective::AvoidableLosses => "avoidable-losses",
        }
    }

    /// What it maximises, in words.
    pub fn describe(self) -> &'static str {
        match self {
            TeamObjective::Profit => "the highest expected gross profit",
            TeamObjective::AvoidableLosses => "the fewest expected avoidable lost leads",
        }
    }

    /// The value a replication scores: higher is better.
    fn score(self, o: &TeamOutcome) -> f64 {
        match self {
            TeamObjective::Profit => o.profit,
            TeamObjective::AvoidableLosses => -o.avoidable,
        }
    }
}

/// What the command line asks, over the scenario's `[optimise]` table.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OptimiseRequest {
    /// What to optimise (default: the file's, else profit).
    pub objective: Option<TeamObjective>,
    /// Staff-cost budget per month (default: the file's, else the baseline's preset's).
    pub budget: Option<f64>,
    /// The roles searched (default: the file's, else every role).
    pub roles: Vec<String>,
    /// Roles whose headcount may change month by month.
    pub seasonal: Vec<String>,
    /// Replications per team to start with.
    pub replications: Option<u64>,
    /// Most replications per team.
    pub max_replications: Option<u64>,
}

/// The scenario's `[optimise]` table as written.
#[derive(Clone, Debug, Default, PartialEq)]
struct OptimiseFile {
    objective: Option<TeamObjective>,
    budget: Option<f64>,
    roles: Vec<String>,
    seasonal: Vec<String>,
    replications: Option<u64>,
    max_replications: Option<u64>,
    /// Per role name: fewest and most people.
    limits: Vec<(String, Option<u32>, Option<u32>)>,
}

/// Reads `[optimise]` into `r`'s problems: for checking a whole file in one pass.
pub(crate) fn check_table(r: &mut Reader, table: &Table) {
    read_optimise(r, table);
}

fn read_optimise(r: &mut Reader, table: &Table) -> OptimiseFile {
    let p = "optimise";
    let Some(t) = r.table(table, "", p) else {
        return OptimiseFile::default();
    };
    r.open(t, p);
    let objective = match r.opt_string(t, p, "objective").flatten() {
        None => None,
        Some(name) => {
            let o = TeamObjective::parse(&name);
            if o.is_none() {
                r.problem(
                    join(p, "objective"),
                    format!(
                        "one of {}, found \"{name}\"",
                        TeamObjective::NAMES.join(", ")
                    ),
                );
            }
            o
        }
    };
    let names = |r: &mut Reader, key: &str| match r.get(t, key) {
        Some(v) => r.strings(v, join(p, key)).unwrap_or_default(),
        None => vec![],
    };
    let roles = names(r, "roles");
    let seasonal = names(r, "seasonal");
    let budget = r.opt_number(t, p, "budget_per_month", Range::Pos).flatten();
    let reps = |r: &mut Reader, key: &str| {
        r.get(t, key)
            .is_some()
            .then(|| r.int_or(t, p, key, 2, 100_000, 40) as u64)
    };
    let replications = reps(r, "replications");
    let max_replications = reps(r, "max_replications");
    let mut limits = vec![];
    if let Some(lt) = r.table(t, p, "limits") {
        let lp = join(p, "limits");
        for role in lt.keys() {
            let rp = join(&lp, role);
            let Some(rt) = r.table(lt, &lp, role) else {
                continue;
            };
            r.open(rt, &rp);
            let people = |r: &mut Reader, key: &str| {
                r.get(rt, key)
                    .is_some()
                    .then(|| r.int_or(rt, &rp, key, 0, 10_000, 0) as u32)
            };
            let (lo, hi) = (people(r, "min"), people(r, "max"));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo > hi {
                    r.problem(
                        join(&rp, "min"),
                        format!("the fewest people ({lo}) is above the most ({hi})"),
                    );
                }
            }
            limits.push((role.clone(), lo, hi));
        }
    }
    OptimiseFile {
        objective,
        budget,
        roles,
        seasonal,
        replications,
        max_replications,
        limits,
    }
}

/// A team search, checked and ready to run.
#[derive(Clone, Debug, PartialEq)]
pub struct TeamProblem {
    /// What the teams are best at.
    pub objective: TeamObjective,
    /// Staff-cost budget per month; `None`: the baseline's preset's, measured first.
    pub budget: Option<f64>,
    /// The roles searched; empty: every role of every structure.
    pub roles: Vec<String>,
    /// Roles refined month by month after the search.
    pub seasonal: Vec<String>,
    /// Replications per team to start with.
    pub replications: u64,
    /// Most replications per team.
    pub max_replications: u64,
    limits: Vec<(String, Option<u32>, Option<u32>)>,
}

impl TeamProblem {
    /// The search `exp` and `req` ask for, over the scenario's `[optimise]` table.
    pub fn new(exp: &Experiment, req: &OptimiseRequest) -> Result<TeamProblem, SpecError> {
        let mut r = Reader::default();
        let file = read_optimise(&mut r, exp.base_table());
        r.finish();
        if !r.problems.is_empty() {
            return Err(SpecError::Invalid(r.problems));
        }
        if exp.points.len() > 1 {
            return Err(SpecError::Request(format!(
                "--optimise: searches teams at one point, but the run sweeps {} points (--set or [sweep]); sweep the best teams' scenario separately",
                exp.points.len()
            )));
        }
        let bad = |m: String| Err(SpecError::Request(m));
        if let Some(b) = req.budget {
            if !(b > 0.0 && b.is_finite()) {
                return bad(format!("--budget: a positive amount per month, found {b}"));
            }
        }
        let replications = req.replications.or(file.replications).unwrap_or(40);
        if !(2..=100_000).contains(&replications) {
            return bad(format!(
                "--search-replications: from 2 to 100000 per team, found {replications}"
            ));
        }
        let max_replications = match req.max_replications.or(file.max_replications) {
            None => replications.max(160),
            Some(m) if (replications..=100_000).contains(&m) => m,
            Some(m) => {
                return bad(format!(
                    "--max-search-replications: from the starting replications ({replications}) to 100000 per team, found {m}"
                ))
            }
        };
        let roles = if req.roles.is_empty() {
            file.roles
        } else {
            req.roles.clone()
        };
        let seasonal = if req.seasonal.is_empty() {
            file.seasonal
        } else {
            req.seasonal.clone()
        };
        let prepared = exp.prepare(0);
        let every: Vec<String> = {
            let mut v: Vec<String> = vec![];
            for (sc, s) in &prepared {
                for r in &sc.structures[*s].roles {
                    if !v.contains(&r.name) {
                        v.push(r.name.clone());
                    }
                }
            }
            v
        };
        let known = |name: &str| every.iter().any(|r| r == name);
        let named = [
            ("--roles (or optimise.roles)", &roles),
            ("--seasonal (or optimise.seasonal)", &seasonal),
        ];
        for (what, list) in named {
            if let Some(r) = list.iter().find(|r| !known(r)) {
                return bad(format!(
                    "{what}: no structure compared has a role {r:?}; their roles are {}",
                    every.join(", ")
                ));
            }
        }
        for (role, _, _) in &file.limits {
            if !known(role) {
                return bad(format!(
                    "optimise.limits.{role}: no structure compared has a role {role:?}; their roles are {}",
                    every.join(", ")
                ));
            }
        }
        if let Some(r) = seasonal
            .iter()
            .find(|s| !roles.is_empty() && !roles.contains(s))
        {
            return bad(format!(
                "--seasonal: {r:?} is not among the roles searched ({})",
                roles.join(", ")
            ));
        }
        let p = TeamProblem {
            objective: req
                .objective
                .or(file.objective)
                .unwrap_or(TeamObjective::Profit),
            budget: req.budget.or(file.budget),
            roles,
            seasonal,
            replications,
            max_replications,
            limits: file.limits,
        };
        // Something must be searchable somewhere.
        let searchable = prepared.iter().any(|(sc, s)| {
            let st = &sc.structures[*s];
            st.roles.iter().enumerate().any(|(i, r)| {
                let (lo, hi) = p.limits_of(&r.name, i == st.deal_owner || i == st.client_owner);
                p.searches(&r.name) && lo < hi
            })
        });
        if !searchable {
            return bad(
                "--optimise: nothing to search: every role asked for has its fewest and most people equal (optimise.limits)".into(),
            );
        }
        Ok(p)
    }

    fn searches(&self, role: &str) -> bool {
        self.roles.is_empty() || self.roles.iter().any(|r| r == role)
    }

    /// The fewest and most people of `role`. A role keeps one person unless the scenario
    /// allows none (`optimise.limits.ROLE.min = 0`): a conveyor without its call centre is
    /// another structure. An owner of deals or clients always keeps one.
    fn limits_of(&self, role: &str, owner: bool) -> (u32, u32) {
        let (lo, hi) = self
            .limits
            .iter()
            .find(|(r, _, _)| r == role)
            .map_or((None, None), |(_, lo, hi)| (*lo, *hi));
        let lo = lo.unwrap_or(1).max(u32::from(owner));
        (lo, hi.unwrap_or(DEFAULT_MAX).max(lo))
    }
}

/// What a team search keeps of one replication: totals over the counted months.
#[derive(Clone, Debug)]
pub struct TeamOutcome {
    /// Gross profit.
    pub profit: f64,
    /// Avoidable lost leads.
    pub avoidable: f64,
    /// Pay, commissions and outsourcing of the whole team (its staff cost), per month.
    pub staff_cost: f64,
    /// The same per role (in the structure's order), per month.
    pub role_pay: Vec<f64>,
}

fn team_outcome(r: &sim::RunResult, roles: &[usize], warmup: usize) -> TeamOutcome {
    let t = r.total_from(warmup);
    let months = r.months.len().saturating_sub(warmup).max(1) as f64;
    let pay = |i: usize| {
        let x = &t.roles[i];
        (x.payroll + x.commissions + x.outsourcing) / months
    };
    TeamOutcome {
        profit: Metric::GrossProfit.read(&t, r.gross_margin),
        avoidable: t.lost_leads() as f64,
        staff_cost: (t.payroll() + t.commissions() + t.outsourcing()) / months,
        role_pay: roles.iter().map(|&i| pay(i)).collect(),
    }
}

/// One move the search took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Move {
    /// The move in words: `+1 hunter`, `farmer -> hunter`, `-1 call_centre in 2027-07`,
    /// `-1 closer (over budget)`.
    pub what: String,
    /// The objective's gain, paired on the same replications (profit in the currency;
    /// avoidable lost leads fewer). A move forced by the budget may lose.
    pub gain: Estimate,
    /// The team's staff cost per month after the move.
    #[serde(with = "super::staffing::json_f64")]
    pub staff_cost: f64,
    /// Replications the decision rests on.
    pub replications: u64,
    /// The move as data, for the words of another language (none in files written
    /// before it was kept).
    #[serde(default)]
    pub change: Option<Change>,
}

/// A move of one person, as data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// One person more in `role` (in every month, or in `month`).
    Add {
        /// The role.
        role: String,
        /// The month, `YYYY-MM`, for a seasonal role's move.
        month: Option<String>,
    },
    /// One person fewer in `role`; `over_budget` when the budget forced it.
    Remove {
        /// The role.
        role: String,
        /// The month, `YYYY-MM`, for a seasonal role's move.
        month: Option<String>,
        /// Taken to bring the team within the budget.
        over_budget: bool,
    },
    /// One person from `from` to `to`.
    Shift {
        /// The role the person leaves.
        from: String,
        /// The role the person joins.
        to: String,
    },
}

/// Why a structure's search stopped (one per stage: the team, then month by month).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum TeamStop {
    /// None of its roles is searched, or each is held to one headcount.
    NothingToSearch,
    /// Every move of one person leaves the budget or the limits.
    NoMove {
        /// The budget rules out a move that would pay.
        binds: bool,
    },
    /// A local optimum.
    LocalOptimum {
        /// The stage refined a seasonal role month by month.
        monthly: bool,
        /// Replications behind the last decision.
        replications: u64,
        /// The best move left.
        best: Change,
        /// Its gain.
        gain: Estimate,
        /// The budget rules out a move that would pay.
        binds: bool,
    },
}

/// Where the budget came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum BudgetSource {
    /// `--budget` or `optimise.budget_per_month`.
    Given,
    /// What the baseline's preset team costs, measured on `replications`.
    Baseline {
        /// The baseline variant.
        variant: String,
        /// Replications it was measured on.
        replications: u64,
    },
}

/// One structure's best team and how the search found it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamResult {
    /// The variant's name.
    pub variant: String,
    /// The structure it runs.
    pub structure: String,
    /// Every role of the structure, in its order.
    pub roles: Vec<String>,
    /// Whether each role was searched.
    pub searched: Vec<bool>,
    /// The preset headcount per role and month.
    pub preset: Plan,
    /// The best team: headcount per role and month.
    pub best: Plan,
    /// Per role: expected pay, commissions and outsourcing per month of the best team.
    pub pay: Vec<f64>,
    /// The best team's staff cost (pay, commissions, outsourcing) per month.
    pub staff_cost: Estimate,
    /// The preset team's staff cost per month.
    pub preset_staff_cost: Estimate,
    /// The objective of the best team (gross profit, or avoidable lost leads).
    pub objective: Estimate,
    /// The objective of the preset team.
    pub preset_objective: Estimate,
    /// The best team against the preset, paired (profit gained, or lost leads avoided).
    pub gain: Estimate,
    /// Every move taken, in order.
    pub path: Vec<Move>,
    /// Replications behind the last decisions.
    pub replications: u64,
    /// Teams simulated.
    pub teams_tried: u64,
    /// Replications simulated.
    pub runs: u64,
    /// Why the search stopped, in words.
    pub stop: String,
    /// Why the search stopped, as data (empty while it runs, and in older files).
    #[serde(default)]
    pub stopped: Vec<TeamStop>,
    /// The move one person more would be, ruled out by the budget though its paired
    /// interval shows a gain: the budget binds (none when it does not).
    #[serde(default)]
    pub binding: Option<Move>,
    /// False while this structure's search is under way.
    pub complete: bool,
}

/// The answer of a team search: every structure's best team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSearch {
    /// `profit` or `avoidable-losses`.
    pub objective: TeamObjective,
    /// The staff-cost budget per month (pay, commissions, outsourcing).
    #[serde(with = "super::staffing::json_f64")]
    pub budget: f64,
    /// Where the budget came from, in words.
    pub budget_source: String,
    /// Where the budget came from, as data (none in older files).
    #[serde(default)]
    pub budget_from: Option<BudgetSource>,
    /// The currency code.
    pub currency: String,
    /// First day of each month, `YYYY-MM`.
    pub months: Vec<String>,
    /// Months left out of the totals.
    pub warmup_months: usize,
    /// The structures searched so far, in the comparison's order.
    pub teams: Vec<TeamResult>,
    /// False while the search is under way (an interim answer).
    pub complete: bool,
}

impl TeamSearch {
    /// The teams as the comparison runs them: per variant, its headcounts.
    pub fn team_of(&self, variant: &str) -> Option<Vec<(String, Vec<u32>)>> {
        let t = self.teams.iter().find(|t| t.variant == variant)?;
        Some(
            t.roles
                .iter()
                .cloned()
                .zip(t.best.iter().cloned())
                .collect(),
        )
    }
}

/// What the search reports as it goes.
pub struct TeamProgress<'a> {
    /// The variant being searched.
    pub variant: &'a str,
    /// What the search is doing.
    pub stage: &'a str,
    /// Replications simulated so far (every structure).
    pub runs: u64,
    /// The answer so far, when a structure's best team changed.
    pub interim: Option<&'a TeamSearch>,
}

/// A single move of the search.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Step {
    /// One person more in role `k` (in every plannable month, or in month `m`).
    Add(usize, Option<usize>),
    /// One person fewer.
    Remove(usize, Option<usize>),
    /// One person from role `from` to role `to` (every plannable month).
    Shift { from: usize, to: usize },
}

/// Searches every variant of `exp` for its best team.
pub fn optimise(
    exp: &Experiment,
    p: &TeamProblem,
    on: &mut dyn FnMut(TeamProgress<'_>),
) -> Result<TeamSearch, SpecError> {
    let base = exp.base_table();
    let mut searches: Vec<Search> = exp
        .variants
        .iter()
        .map(|v| Search::new(exp, p, base, v))
        .collect::<Result<_, _>>()?;
    let (budget, budget_source, budget_from) = match p.budget {
        Some(b) => (b, "given".to_string(), BudgetSource::Given),
        None => {
            let b = exp.baseline;
            let s = &mut searches[b];
            let preset = s.preset.clone();
            let reps = p.replications;
            let est = s.staff_cost(&preset, reps)?;
            (
                est.mean,
                format!(
                    "the baseline {}'s preset team's ({} replications)",
                    exp.variants[b].name, reps
                ),
                BudgetSource::Baseline {
                    variant: exp.variants[b].name.clone(),
                    replications: reps,
                },
            )
        }
    };
    let mut answer = TeamSearch {
        objective: p.objective,
        budget,
        budget_source,
        budget_from: Some(budget_from),
        currency: exp.currency.clone(),
        months: exp.months.clone(),
        warmup_months: exp.warmup_months,
        teams: vec![],
        complete: false,
    };
    for i in 0..searches.len() {
        // Replications the other structures' searches have simulated (the baseline's
        // staff cost, or finished searches): fixed while this one runs.
        let others: u64 = searches
            .iter()
            .enumerate()
            .filter(|&(j, _)| j != i)
            .map(|(_, s)| s.runs())
            .sum();
        let s = &mut searches[i];
        let mut report = |stage: &str, r: Option<TeamResult>, mine: u64| {
            if let Some(r) = r {
                match answer.teams.iter_mut().find(|t| t.variant == r.variant) {
                    Some(t) => *t = r,
                    None => answer.teams.push(r),
                }
            }
            on(TeamProgress {
                variant: &exp.variants[i].name,
                stage,
                runs: others + mine,
                interim: Some(&answer),
            });
        };
        let result = s.run(budget, &mut report)?;
        let runs = s.runs();
        report("found", Some(result), runs);
    }
    answer.complete = true;
    Ok(answer)
}

/// One variant's search.
struct Search<'p> {
    p: &'p TeamProblem,
    variant: String,
    structure: String,
    roles: Vec<String>,
    /// Per role: searched, and its limits.
    searched: Vec<bool>,
    limits: Vec<(u32, u32)>,
    seasonal: Vec<bool>,
    /// Months the plan may change per month (after the warm-up).
    counted: std::ops::Range<usize>,
    months: Vec<String>,
    preset: Plan,
    ev: Evaluator<TeamOutcome>,
    reps: u64,
    /// At the last stop, the best move the budget ruled out when it would have paid.
    binding: Option<Move>,
}

impl<'p> Search<'p> {
    fn new(
        exp: &Experiment,
        p: &'p TeamProblem,
        base: &Table,
        v: &Variant,
    ) -> Result<Search<'p>, SpecError> {
        let mut plain = v.clone();
        plain.team.clear();
        let table = spec::variant_table(base, &plain);
        let sc = crate::scenario::Scenario::from_table(&table)
            .map_err(|e| SpecError::Request(format!("variant {}: {e}", v.name)))?;
        let st = sc
            .structure(&v.structure)
            .ok_or_else(|| SpecError::Request(format!("no structure {:?}", v.structure)))?;
        let roles: Vec<String> = st.roles.iter().map(|r| r.name.clone()).collect();
        let owner = |i: usize| i == st.deal_owner || i == st.client_owner;
        let limits: Vec<(u32, u32)> = roles
            .iter()
            .enumerate()
            .map(|(i, r)| p.limits_of(r, owner(i)))
            .collect();
        let searched: Vec<bool> = roles
            .iter()
            .zip(&limits)
            .map(|(r, (lo, hi))| p.searches(r) && lo < hi)
            .collect();
        let seasonal = roles
            .iter()
            .zip(&searched)
            .map(|(r, &s)| s && p.seasonal.contains(r))
            .collect();
        let ev = Evaluator::measuring(
            table,
            &v.structure,
            &roles,
            exp.warmup_months,
            team_outcome,
            SEARCH_FIRST,
        )?;
        let preset = ev.own_plan();
        Ok(Search {
            p,
            variant: v.name.clone(),
            structure: v.structure.clone(),
            roles,
            searched,
            limits,
            seasonal,
            counted: exp.counted(),
            months: exp.months.clone(),
            preset,
            ev,
            reps: p.replications,
            binding: None,
        })
    }

    fn runs(&self) -> u64 {
        self.ev.runs.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn outcomes(&mut self, plan: &Plan, reps: u64) -> Result<Vec<TeamOutcome>, SpecError> {
        Ok(self.ev.eval(plan, reps)?.to_vec())
    }

    fn scores(&mut self, plan: &Plan, reps: u64) -> Result<Vec<f64>, SpecError> {
        let o = self.p.objective;
        Ok(self
            .ev
            .eval(plan, reps)?
            .iter()
            .map(|x| o.score(x))
            .collect())
    }

    fn staff_cost(&mut self, plan: &Plan, reps: u64) -> Result<Estimate, SpecError> {
        Ok(Estimate::of(
            self.ev.eval(plan, reps)?.iter().map(|x| x.staff_cost),
        ))
    }

    /// The preset team made constant in the searched roles (each at its rounded mean
    /// over the counted months, within its limits); other roles as preset.
    fn start(&self) -> Plan {
        self.preset
            .iter()
            .enumerate()
            .map(|(k, counts)| {
                if !self.searched[k] {
                    return counts.clone();
                }
                let c = &counts[self.counted.clone()];
                let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / c.len().max(1) as f64;
                let (lo, hi) = self.limits[k];
                vec![(mean.round() as u32).clamp(lo, hi); counts.len()]
            })
            .collect()
    }

    /// `plan` after `step`, or `None` when it breaks a limit.
    fn apply(&self, plan: &Plan, step: Step) -> Option<Plan> {
        let mut out = plan.clone();
        let all: Vec<usize> = (0..plan.first().map_or(0, Vec::len)).collect();
        let months = |m: Option<usize>| m.map_or(all.clone(), |m| vec![m]);
        let mut change = |k: usize, ms: &[usize], up: bool| -> Option<()> {
            let (lo, hi) = self.limits[k];
            for &m in ms {
                let n = out[k][m];
                out[k][m] = if up {
                    (n < hi).then_some(n + 1)?
                } else {
                    (n > lo).then_some(n - 1)?
                };
            }
            Some(())
        };
        match step {
            Step::Add(k, m) => change(k, &months(m), true)?,
            Step::Remove(k, m) => change(k, &months(m), false)?,
            Step::Shift { from, to } => {
                change(from, &all, false)?;
                change(to, &all, true)?;
            }
        }
        Some(out)
    }

    /// `step` as data.
    fn change(&self, step: Step, over_budget: bool) -> Change {
        let month = |m: Option<usize>| m.map(|m| self.months[m].clone());
        match step {
            Step::Add(k, m) => Change::Add {
                role: self.roles[k].clone(),
                month: month(m),
            },
            Step::Remove(k, m) => Change::Remove {
                role: self.roles[k].clone(),
                month: month(m),
                over_budget,
            },
            Step::Shift { from, to } => Change::Shift {
                from: self.roles[from].clone(),
                to: self.roles[to].clone(),
            },
        }
    }

    fn describe(&self, step: Step) -> String {
        let month = |m: Option<usize>| {
            m.map(|m| format!(" in {}", self.months[m]))
                .unwrap_or_default()
        };
        match step {
            Step::Add(k, m) => format!("+1 {}{}", self.roles[k], month(m)),
            Step::Remove(k, m) => format!("-1 {}{}", self.roles[k], month(m)),
            Step::Shift { from, to } => format!("{} -> {}", self.roles[from], self.roles[to]),
        }
    }

    /// Every move of one person across all months.
    fn team_steps(&self) -> Vec<Step> {
        let ks: Vec<usize> = (0..self.roles.len())
            .filter(|&k| self.searched[k])
            .collect();
        let mut steps = vec![];
        for &k in &ks {
            steps.push(Step::Add(k, None));
            steps.push(Step::Remove(k, None));
        }
        for &from in &ks {
            for &to in &ks {
                if from != to {
                    steps.push(Step::Shift { from, to });
                }
            }
        }
        steps
    }

    /// One person more or fewer in one counted month of a seasonal role.
    fn month_steps(&self) -> Vec<Step> {
        let mut steps = vec![];
        for k in (0..self.roles.len()).filter(|&k| self.seasonal[k]) {
            for m in self.counted.clone() {
                steps.push(Step::Add(k, Some(m)));
                steps.push(Step::Remove(k, Some(m)));
            }
        }
        steps
    }

    fn within(&mut self, plan: &Plan, budget: f64, reps: u64) -> Result<bool, SpecError> {
        // A relative hair of room: a team whose pay is the budget, measured as such, fits.
        Ok(self.staff_cost(plan, reps)?.mean <= budget * (1.0 + 1e-9))
    }

    fn run(
        &mut self,
        budget: f64,
        report: &mut dyn FnMut(&str, Option<TeamResult>, u64),
    ) -> Result<TeamResult, SpecError> {
        let preset = self.preset.clone();
        let mut team = self.start();
        let mut path = vec![];
        let mut stop: Vec<(String, TeamStop)> = vec![];
        // A team is judged within the budget at the replications of the moment; when a
        // decision added replications, the team is checked again at those, so that the
        // team returned is within the budget as the final estimate measures it.
        for _ in 0..8 {
            self.trim(&mut team, &mut path, budget, &preset, report)?;
            stop.clear();
            for (steps, stage) in [
                (self.team_steps(), "searching the team"),
                (self.month_steps(), "refining seasonal roles month by month"),
            ] {
                if !steps.is_empty() {
                    let why =
                        self.climb(&mut team, &mut path, &steps, budget, stage, &preset, report)?;
                    stop.push(why);
                }
            }
            if self.within(&team, budget, self.reps)? {
                break;
            }
        }
        if stop.is_empty() {
            stop.push((
                "nothing to search: none of its roles is searched (--roles, optimise.roles) or each has its fewest and most people equal".to_string(),
                TeamStop::NothingToSearch,
            ));
        }
        let words: Vec<&str> = stop.iter().map(|(w, _)| w.as_str()).collect();
        let mut r = self.result(
            &preset,
            &team,
            &path,
            &words.join(". Month by month: "),
            true,
        )?;
        r.stopped = stop.into_iter().map(|(_, s)| s).collect();
        Ok(r)
    }

    /// Over budget: takes out the person whose leaving costs least, until the team fits.
    fn trim(
        &mut self,
        team: &mut Plan,
        path: &mut Vec<Move>,
        budget: f64,
        preset: &Plan,
        report: &mut dyn FnMut(&str, Option<TeamResult>, u64),
    ) -> Result<(), SpecError> {
        while !self.within(team, budget, self.reps)? {
            let reps = self.reps;
            let base = self.scores(team, reps)?;
            let mut best: Option<(f64, Plan, Step)> = None;
            let ks: Vec<usize> = (0..self.roles.len())
                .filter(|&k| self.searched[k])
                .collect();
            for k in ks {
                let step = Step::Remove(k, None);
                let Some(cand) = self.apply(team, step) else {
                    continue;
                };
                let mean = Estimate::of(self.scores(&cand, reps)?.into_iter()).mean;
                if best.as_ref().is_none_or(|(b, _, _)| mean > *b) {
                    best = Some((mean, cand, step));
                }
            }
            let Some((_, cand, step)) = best else {
                let pay = self.staff_cost(team, reps)?;
                return Err(SpecError::Request(format!(
                    "--budget (or optimise.budget_per_month): no team of {} fits {budget:.0} per month: its smallest team ({}) costs {:.0} ± {:.0} in pay, commissions and outsourcing per month; raise the budget or lower optimise.limits",
                    self.variant,
                    self.team_words(team),
                    pay.mean,
                    pay.half
                )));
            };
            let gain = self.gain(&cand, &base, reps)?;
            let staff_cost = self.staff_cost(&cand, reps)?.mean;
            path.push(Move {
                what: format!("{} (over budget)", self.describe(step)),
                gain,
                staff_cost,
                replications: reps,
                change: Some(self.change(step, true)),
            });
            *team = cand;
            let r = self.result(preset, team, path, "trimming to the budget", false)?;
            report("trimming to the budget", Some(r), self.runs());
        }
        Ok(())
    }

    /// Takes the best single move while its paired interval says it helps.
    #[allow(clippy::too_many_arguments)]
    fn climb(
        &mut self,
        team: &mut Plan,
        path: &mut Vec<Move>,
        steps: &[Step],
        budget: f64,
        stage: &str,
        preset: &Plan,
        report: &mut dyn FnMut(&str, Option<TeamResult>, u64),
    ) -> Result<(String, TeamStop), SpecError> {
        let mut moves = 0;
        loop {
            let reps = self.reps;
            let base = self.scores(team, reps)?;
            let mut best: Option<(Estimate, Plan, Step)> = None;
            // The best move the budget rules out (simulated anyway, to know its cost).
            let mut barred: Option<(Estimate, Step, f64)> = None;
            for &step in steps {
                let Some(cand) = self.apply(team, step) else {
                    continue;
                };
                if !self.within(&cand, budget, reps)? {
                    let gain = self.gain(&cand, &base, reps)?;
                    if barred.as_ref().is_none_or(|(b, _, _)| gain.mean > b.mean) {
                        barred = Some((gain, step, self.staff_cost(&cand, reps)?.mean));
                    }
                    continue;
                }
                let gain = self.gain(&cand, &base, reps)?;
                if best.as_ref().is_none_or(|(b, _, _)| gain.mean > b.mean) {
                    best = Some((gain, cand, step));
                }
                report(stage, None, self.runs());
            }
            // The best move the budget rules out, when it would surely pay: the budget binds.
            self.binding =
                barred
                    .filter(|(g, _, _)| g.low() > 0.0)
                    .map(|(gain, step, staff_cost)| Move {
                        what: self.describe(step),
                        gain,
                        staff_cost,
                        replications: reps,
                        change: Some(self.change(step, false)),
                    });
            let binds = if self.binding.is_some() {
                "; the budget binds"
            } else {
                ""
            };
            let Some((gain, cand, step)) = best else {
                return Ok((
                    format!("no move of one person stays within the budget and the limits{binds}"),
                    TeamStop::NoMove {
                        binds: self.binding.is_some(),
                    },
                ));
            };
            if gain.low() > 0.0 && moves < MAX_MOVES {
                moves += 1;
                let staff_cost = self.staff_cost(&cand, reps)?.mean;
                path.push(Move {
                    what: self.describe(step),
                    gain,
                    staff_cost,
                    replications: reps,
                    change: Some(self.change(step, false)),
                });
                *team = cand;
                let r = self.result(preset, team, path, stage, false)?;
                report(stage, Some(r), self.runs());
                continue;
            }
            if gain.mean > 0.0 && reps < self.p.max_replications {
                // The best move may help: more replications before deciding.
                self.reps = (reps * 2).min(self.p.max_replications);
                continue;
            }
            let monthly = stage.contains("month");
            return Ok((
                format!(
                    "a local optimum: no single move of one person (add, remove, or move between roles{}) helps at 95% confidence with {reps} replications; the best, {}, gains {:.0} ± {:.0}{binds}",
                    if monthly { ", or one month of a seasonal role" } else { "" },
                    self.describe(step),
                    gain.mean,
                    gain.half
                ),
                TeamStop::LocalOptimum {
                    monthly,
                    replications: reps,
                    best: self.change(step, false),
                    gain,
                    binds: self.binding.is_some(),
                },
            ));
        }
    }

    /// `cand`'s score minus the base's, pair by pair.
    fn gain(&mut self, cand: &Plan, base: &[f64], reps: u64) -> Result<Estimate, SpecError> {
        let s = self.scores(cand, reps)?;
        Ok(Estimate::of(s.iter().zip(base).map(|(a, b)| a - b)))
    }

    /// `manager 9` or `qualifier 3 · closer 7`: a team's counted-month headcounts (a
    /// range for a role that changes by month).
    fn team_words(&self, team: &Plan) -> String {
        team_words(&self.roles, team, self.counted.clone())
    }

    fn result(
        &mut self,
        preset: &Plan,
        team: &Plan,
        path: &[Move],
        stop: &str,
        complete: bool,
    ) -> Result<TeamResult, SpecError> {
        let reps = self.reps;
        let best = self.outcomes(team, reps)?;
        let pre = self.outcomes(preset, reps)?;
        let o = self.p.objective;
        let value = |x: &TeamOutcome| match o {
            TeamObjective::Profit => x.profit,
            TeamObjective::AvoidableLosses => x.avoidable,
        };
        let nroles = self.roles.len();
        Ok(TeamResult {
            variant: self.variant.clone(),
            structure: self.structure.clone(),
            roles: self.roles.clone(),
            searched: self.searched.clone(),
            preset: preset.clone(),
            best: team.clone(),
            pay: (0..nroles)
                .map(|k| Estimate::of(best.iter().map(|x| x.role_pay[k])).mean)
                .collect(),
            staff_cost: Estimate::of(best.iter().map(|x| x.staff_cost)),
            preset_staff_cost: Estimate::of(pre.iter().map(|x| x.staff_cost)),
            objective: Estimate::of(best.iter().map(value)),
            preset_objective: Estimate::of(pre.iter().map(value)),
            gain: Estimate::of(best.iter().zip(&pre).map(|(a, b)| o.score(a) - o.score(b))),
            path: path.to_vec(),
            replications: reps,
            teams_tried: self.ev.plans(),
            runs: self.runs(),
            stop: stop.to_string(),
            stopped: vec![],
            binding: if complete { self.binding.clone() } else { None },
            complete,
        })
    }
}

/// `manager 9` or `qualifier 3 · closer 7`: headcounts over the months `counted` (a range
/// `2-5` for a role that changes by month).
pub fn team_words(roles: &[String], team: &Plan, counted: std::ops::Range<usize>) -> String {
    roles
        .iter()
        .zip(team)
        .map(|(r, counts)| {
            let c = &counts[counted.clone()];
            let (lo, hi) = (
                c.iter().copied().min().unwrap_or(0),
                c.iter().copied().max().unwrap_or(0),
            );
            if lo == hi {
                format!("{r} {lo}")
            } else {
                format!("{r} {lo}-{hi}")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

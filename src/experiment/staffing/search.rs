//! The searches: the smallest plan meeting a target, the most profitable plan, the best
//! constant headcount, and the repairs that make a plan obey contract lengths and the
//! cost of changing headcount.

use serde::{Deserialize, Serialize};

use super::eval::{json_f64, Estimate, Evaluator, Outcome, Plan};
use super::{Objective, StaffingProblem, Target};
use crate::experiment::SpecError;

/// One month of a plan, as simulated.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MonthRow {
    /// Inbound leads of the month (phone and written), mean over replications.
    #[serde(with = "json_f64")]
    pub inbound: f64,
    /// Phone leads lost unanswered per phone lead.
    pub lost: Estimate,
    /// Share of calls answered within the service-level time.
    pub service: Estimate,
    /// Mean speed to lead, minutes.
    pub speed: Estimate,
    /// Pay and outsourcing of the searched roles.
    pub cost: Estimate,
    /// Gross profit of the month.
    pub profit: Estimate,
}

/// A plan set against the found one on the same replications.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Alternative {
    /// What the plan is (`plan`, `best constant`, `scenario`).
    pub name: String,
    /// Its headcount per role and month.
    pub plan: Plan,
    /// Pay and outsourcing of the searched roles over the horizon.
    pub cost: Estimate,
    /// Cost of the headcount changes between months.
    #[serde(with = "json_f64")]
    pub change_cost: f64,
    /// Lost unanswered per phone lead over the horizon.
    pub lost: Estimate,
    /// Gross profit over the horizon minus the change cost.
    pub profit: Estimate,
    /// This alternative minus the found plan, pair by pair.
    pub profit_vs_plan: Estimate,
    /// This alternative's cost minus the found plan's, pair by pair.
    pub cost_vs_plan: Estimate,
    /// Whether every plannable month meets the target (always true for profit).
    pub meets_target: bool,
}

/// The answer.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StaffingResult {
    /// The scenario's name.
    pub scenario_name: String,
    /// The currency code of money figures.
    pub currency: String,
    /// The structure whose roles were staffed.
    pub structure: String,
    /// The roles staffed, in the order of the plan's rows.
    pub roles: Vec<String>,
    /// First day of each month, `YYYY-MM`.
    pub months: Vec<String>,
    /// The objective in words (English).
    pub objective: String,
    /// The objective as data, for the words of another language (none in files written
    /// before it was kept).
    #[serde(default)]
    pub goal: Option<Objective>,
    /// The language the scenario asks its outputs in.
    #[serde(default)]
    pub lang: crate::scenario::Lang,
    /// The plan found: headcount per role and month.
    pub plan: Plan,
    /// The Erlang A estimate per role and month, for comparison.
    pub erlang: Plan,
    /// Months the plan could not change (hiring lead time).
    pub fixed: Vec<bool>,
    /// Per month, how the plan does.
    pub rows: Vec<MonthRow>,
    /// The plan, the best constant headcount and the scenario's own staffing.
    pub alternatives: Vec<Alternative>,
    /// Replications behind each figure of the final plan.
    pub replications: u64,
    /// Replications simulated by the whole search.
    pub runs: u64,
    /// Different plans simulated.
    pub evaluations: u64,
    /// False while the search is still going (an interim best plan).
    pub complete: bool,
}

/// What the search reports as it goes.
pub struct Progress<'a> {
    /// What the search is doing, in words.
    pub stage: &'a str,
    /// Replications simulated so far.
    pub runs: u64,
    /// The best plan known so far, when it changed.
    pub best: Option<&'a StaffingResult>,
}

struct Search<'a, 'p> {
    p: &'p StaffingProblem,
    ev: Evaluator,
    /// Replications the decisions needed at most.
    reps_used: u64,
    erlang: Plan,
    on: &'a mut dyn FnMut(Progress<'_>),
    /// What the search is doing, for the progress line.
    stage: &'static str,
}

/// Runs the search the problem asks for.
pub fn run(
    p: &StaffingProblem,
    on: &mut dyn FnMut(Progress<'_>),
) -> Result<StaffingResult, SpecError> {
    let ev = Evaluator::new(p.table.clone(), &p.structure, &p.roles, p.warmup)?;
    let erlang = p.erlang_estimate();
    let mut s = Search {
        p,
        ev,
        reps_used: p.replications,
        erlang,
        on,
        stage: "checking the maximum headcount",
    };
    let own = s.own();
    let (plan, constant) = match p.objective {
        Objective::Target(t) => {
            let plan = s.smallest(t, &own)?;
            let plan = s.repair(plan, Some(t))?;
            let constant = s.best_constant_meeting(t, &own)?;
            (plan, constant)
        }
        Objective::Profit => {
            let plan = s.most_profitable(&own)?;
            let constant = s.best_constant_profit(&own)?;
            (plan, constant)
        }
    };
    s.check_budget(&plan)?;
    let mut r = s.result(&plan, true)?;
    let reps = s.reps_used;
    s.stage = "comparing with constant and own staffing";
    let mut alts = vec![];
    for (name, alt) in [
        ("seasonal plan", plan.clone()),
        ("best constant headcount", constant),
        ("scenario's own staffing", own),
    ] {
        alts.push(s.alternative(name, &alt, &plan, reps)?);
    }
    r.alternatives = alts;
    r.runs = s.ev.runs.load(std::sync::atomic::Ordering::Relaxed);
    r.evaluations = s.ev.plans();
    Ok(r)
}

impl Search<'_, '_> {
    fn months(&self) -> usize {
        self.p.fixed.len()
    }

    /// The scenario's own staffing, clamped to the limits outside the fixed months.
    fn own(&self) -> Plan {
        let c = &self.p.constraints;
        self.ev
            .own_plan()
            .into_iter()
            .enumerate()
            .map(|(k, role)| {
                role.iter()
                    .enumerate()
                    .map(|(m, &n)| {
                        if self.p.fixed[m] {
                            n
                        } else {
                            n.clamp(self.p.floor[k], c.max)
                        }
                    })
                    .collect()
            })
            .collect()
    }

    fn eval(&mut self, plan: &Plan, reps: u64) -> Result<Vec<Outcome>, SpecError> {
        let out = self.ev.eval(plan, reps)?.to_vec();
        let runs = self.ev.runs.load(std::sync::atomic::Ordering::Relaxed);
        (self.on)(Progress {
            stage: self.stage,
            runs,
            best: None,
        });
        Ok(out)
    }

    /// Per plannable month: whether `plan` meets `t`, adding replications while a month's
    /// interval straddles the target (undecided at the maximum counts as not met).
    fn judge(&mut self, plan: &Plan, t: Target) -> Result<(Vec<bool>, Vec<Estimate>), SpecError> {
        let mut reps = self.p.replications;
        loop {
            let outs = self.eval(plan, reps)?;
            let est: Vec<Estimate> = (0..self.months())
                .map(|m| Estimate::of(outs.iter().map(|o| t.value(o, m)).filter(|x| x.is_finite())))
                .collect();
            let verdicts: Vec<Option<bool>> = est
                .iter()
                .enumerate()
                .map(|(m, e)| {
                    if self.p.fixed[m] {
                        Some(true)
                    } else {
                        t.judge(*e)
                    }
                })
                .collect();
            if verdicts.iter().all(Option::is_some) || reps >= self.p.max_replications {
                self.reps_used = self.reps_used.max(reps);
                return Ok((verdicts.iter().map(|v| v.unwrap_or(false)).collect(), est));
            }
            reps = (reps * 2).min(self.p.max_replications);
        }
    }

    fn with(plan: &Plan, k: usize, counts: &[u32]) -> Plan {
        let mut p = plan.clone();
        p[k] = counts.to_vec();
        p
    }

    /// The smallest headcount per month of every searched role (one role at a time, the
    /// others as they stand) meeting the target.
    fn smallest(&mut self, t: Target, own: &Plan) -> Result<Plan, SpecError> {
        let mut plan = own.clone();
        let passes = if self.p.roles.len() > 1 { 2 } else { 1 };
        for pass in 0..passes {
            for k in 0..self.p.roles.len() {
                let start = if pass == 0 {
                    self.erlang[k].clone()
                } else {
                    plan[k].clone()
                };
                plan[k] = self.bisect(t, &plan, k, &start)?;
            }
        }
        self.verify(t, plan)
    }

    /// Monotone search per month for role `k`, every month at once.
    fn bisect(
        &mut self,
        t: Target,
        plan: &Plan,
        k: usize,
        guess: &[u32],
    ) -> Result<Vec<u32>, SpecError> {
        let c = self.p.constraints.clone();
        let months = self.months();
        let fixed = self.p.fixed.clone();
        let at = |n: u32| -> Vec<u32> {
            (0..months)
                .map(|m| if fixed[m] { plan[k][m] } else { n })
                .collect()
        };
        self.stage = "checking the maximum headcount";
        let top = Self::with(plan, k, &at(c.max));
        let (ok, est) = self.judge(&top, t)?;
        if ok.iter().any(|x| !x) {
            return Err(self.unreachable(t, &ok, &est, k));
        }
        let mut lo: Vec<i64> = vec![i64::from(self.p.floor[k]) - 1; months];
        let mut hi: Vec<i64> = vec![i64::from(c.max); months];
        let mut cand: Vec<u32> = (0..months)
            .map(|m| {
                if fixed[m] {
                    plan[k][m]
                } else {
                    guess[m].clamp(self.p.floor[k], c.max)
                }
            })
            .collect();
        self.stage = "searching month by month";
        loop {
            let trial = Self::with(plan, k, &cand);
            let (ok, _) = self.judge(&trial, t)?;
            for m in (0..months).filter(|&m| !fixed[m]) {
                if ok[m] {
                    hi[m] = i64::from(cand[m]);
                } else {
                    lo[m] = i64::from(cand[m]);
                }
            }
            let best: Vec<u32> = (0..months)
                .map(|m| if fixed[m] { plan[k][m] } else { hi[m] as u32 })
                .collect();
            self.interim(&Self::with(plan, k, &best))?;
            if (0..months).all(|m| fixed[m] || hi[m] - lo[m] <= 1) {
                return Ok(best);
            }
            for m in (0..months).filter(|&m| !fixed[m]) {
                cand[m] = if hi[m] - lo[m] <= 1 {
                    hi[m] as u32
                } else {
                    ((lo[m] + hi[m]) / 2) as u32
                };
            }
        }
    }

    /// Re-checks the plan as a whole and adds a person to any month that misses.
    fn verify(&mut self, t: Target, mut plan: Plan) -> Result<Plan, SpecError> {
        self.stage = "re-checking the whole plan";
        let max = self.p.constraints.max;
        for _ in 0..=max {
            let (ok, est) = self.judge(&plan, t)?;
            let missing: Vec<usize> = (0..self.months()).filter(|&m| !ok[m]).collect();
            if missing.is_empty() {
                return Ok(plan);
            }
            let mut grew = false;
            for &m in &missing {
                // Grow the first searched role that can still grow in that month.
                if let Some(k) = (0..plan.len()).find(|&k| plan[k][m] < max) {
                    plan[k][m] += 1;
                    grew = true;
                }
            }
            if !grew {
                return Err(self.unreachable(t, &ok, &est, 0));
            }
        }
        Ok(plan)
    }

    fn unreachable(&self, t: Target, ok: &[bool], est: &[Estimate], k: usize) -> SpecError {
        let months: Vec<String> = (0..self.months())
            .filter(|&m| !ok[m])
            .map(|m| {
                let e = est[m];
                let v = match t {
                    Target::Speed(_) => format!("{:.1} ± {:.1} min", e.mean, e.half),
                    _ => format!("{:.1}% ± {:.1}%", e.mean * 100.0, e.half * 100.0),
                };
                format!(
                    "{} reaches {v}",
                    self.p
                        .scenario
                        .calendar
                        .month_date(m)
                        .to_string()
                        .get(..7)
                        .unwrap_or("")
                )
            })
            .collect();
        SpecError::Staffing(format!(
            "unreachable target ({}): with {} at the maximum of {} people, {}; raise --max or relax the target",
            t.describe(),
            self.p.roles[k],
            self.p.constraints.max,
            months.join("; ")
        ))
    }

    /// Makes the plan obey the minimum contract and fills dips that cost more to make
    /// than they save; both only raise headcounts, so a target stays met (re-checked).
    fn repair(&mut self, mut plan: Plan, t: Option<Target>) -> Result<Plan, SpecError> {
        let c = self.p.constraints.clone();
        let unit = self.unit_cost(&plan)?;
        for (k, role) in plan.iter_mut().enumerate() {
            contracts(role, &self.p.fixed, c.min_contract_months as usize);
            fill_dips(role, &self.p.fixed, unit[k], c.change_cost);
        }
        match t {
            Some(t) => self.verify(t, plan),
            None => Ok(plan),
        }
    }

    /// Mean cost of one person for one month, per searched role.
    fn unit_cost(&mut self, plan: &Plan) -> Result<Vec<f64>, SpecError> {
        let st = self
            .p
            .scenario
            .structure(&self.p.structure)
            .expect("checked by the evaluator");
        Ok(self
            .p
            .roles
            .iter()
            .map(|name| {
                let role = st.roles.iter().find(|r| &r.name == name).expect("checked");
                let hours =
                    self.p.scenario.calendar.working_ms_in_month(&role.plan, 0) as f64 / 3.6e6;
                role.pay.salary_per_month + role.pay.per_hour * hours
            })
            .chain(std::iter::once(0.0))
            .take(plan.len())
            .collect())
    }

    fn change_cost(&self, plan: &Plan) -> f64 {
        let changes: u32 = plan
            .iter()
            .map(|r| r.windows(2).map(|w| w[0].abs_diff(w[1])).sum::<u32>())
            .sum();
        f64::from(changes) * self.p.constraints.change_cost
    }

    /// Per replication: gross profit minus the change cost.
    fn profits(&mut self, plan: &Plan, reps: u64) -> Result<Vec<f64>, SpecError> {
        let cc = self.change_cost(plan);
        Ok(self
            .eval(plan, reps)?
            .iter()
            .map(|o| o.total_profit - cc)
            .collect())
    }

    fn within_budget(&mut self, plan: &Plan, reps: u64) -> Result<bool, SpecError> {
        let Some(b) = self.p.constraints.budget else {
            return Ok(true);
        };
        let cost = Estimate::of(self.eval(plan, reps)?.iter().map(|o| o.total_cost));
        Ok(cost.mean + self.change_cost(plan) <= b)
    }

    /// Coordinate ascent on expected profit from the scenario's staffing: a move of one
    /// person in one month is taken only when the paired 95% CI of the gain is above zero.
    fn most_profitable(&mut self, own: &Plan) -> Result<Plan, SpecError> {
        let reps = self.p.replications.max(40).min(self.p.max_replications);
        self.reps_used = self.reps_used.max(reps);
        let c = self.p.constraints.clone();
        self.stage = "climbing on profit";
        let mut plan = own.clone();
        let mut base = self.profits(&plan, reps)?;
        for _pass in 0..4 {
            let mut moved = false;
            for k in 0..plan.len() {
                for m in (0..self.months()).filter(|&m| !self.p.fixed[m]) {
                    for up in [true, false] {
                        let n = plan[k][m];
                        if (up && n >= c.max) || (!up && n <= self.p.floor[k]) {
                            continue;
                        }
                        let mut cand = plan.clone();
                        cand[k][m] = if up { n + 1 } else { n - 1 };
                        if !self.within_budget(&cand, reps)? {
                            continue;
                        }
                        let p = self.profits(&cand, reps)?;
                        let gain = Estimate::of(p.iter().zip(&base).map(|(a, b)| a - b));
                        if gain.low() > 0.0 {
                            plan = cand;
                            base = p;
                            moved = true;
                            self.interim(&plan)?;
                            break;
                        }
                    }
                }
            }
            if !moved {
                break;
            }
        }
        let repaired = self.repair(plan.clone(), None)?;
        // A repair may cost profit; keep it only if it is not surely worse.
        if repaired != plan {
            let p = self.profits(&repaired, reps)?;
            let d = Estimate::of(p.iter().zip(&base).map(|(a, b)| a - b));
            if d.high() >= 0.0 || c.min_contract_months > 1 {
                return Ok(repaired);
            }
        }
        Ok(plan)
    }

    fn constant(&self, own: &Plan, n: u32) -> Plan {
        own.iter()
            .enumerate()
            .map(|(k, r)| {
                let n = n.max(self.p.floor[k]);
                r.iter()
                    .enumerate()
                    .map(|(m, &x)| if self.p.fixed[m] { x } else { n })
                    .collect()
            })
            .collect()
    }

    /// The smallest constant headcount (every searched role, every plannable month)
    /// meeting the target.
    fn best_constant_meeting(&mut self, t: Target, own: &Plan) -> Result<Plan, SpecError> {
        let c = self.p.constraints.clone();
        self.stage = "finding the best constant headcount";
        let (mut lo, mut hi) = (i64::from(c.min) - 1, i64::from(c.max));
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            let (ok, _) = self.judge(&self.constant(own, mid as u32), t)?;
            if ok.iter().all(|&x| x) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        Ok(self.constant(own, hi as u32))
    }

    /// The constant headcount with the highest mean profit (ties: the smaller).
    fn best_constant_profit(&mut self, own: &Plan) -> Result<Plan, SpecError> {
        let c = self.p.constraints.clone();
        self.stage = "finding the best constant headcount";
        let reps = self.reps_used;
        let mut best: Option<(f64, u32)> = None;
        for n in c.min..=c.max {
            let plan = self.constant(own, n);
            if !self.within_budget(&plan, reps)? {
                continue;
            }
            let mean = Estimate::of(self.profits(&plan, reps)?.into_iter()).mean;
            if best.is_none_or(|(b, _)| mean > b) {
                best = Some((mean, n));
            }
        }
        let n = best.map_or(c.min, |(_, n)| n);
        Ok(self.constant(own, n))
    }

    fn check_budget(&mut self, plan: &Plan) -> Result<(), SpecError> {
        let reps = self.reps_used;
        if self.within_budget(plan, reps)? {
            return Ok(());
        }
        let cost = Estimate::of(self.eval(plan, reps)?.iter().map(|o| o.total_cost));
        Err(SpecError::Staffing(format!(
            "contradictory constraints: the plan needs {:.0} ± {:.0} {} in pay and outsourcing (plus {:.0} for changes), above the budget of {:.0}",
            cost.mean,
            cost.half,
            self.p.scenario.currency.to_uppercase(),
            self.change_cost(plan),
            self.p.constraints.budget.unwrap_or(0.0)
        )))
    }

    /// Reports `plan` as the best so far (for an interrupted search to keep).
    fn interim(&mut self, plan: &Plan) -> Result<(), SpecError> {
        let r = self.result(plan, false)?;
        let runs = self.ev.runs.load(std::sync::atomic::Ordering::Relaxed);
        (self.on)(Progress {
            stage: self.stage,
            runs,
            best: Some(&r),
        });
        Ok(())
    }

    fn result(&mut self, plan: &Plan, complete: bool) -> Result<StaffingResult, SpecError> {
        let reps = self.reps_used;
        let outs = self.ev.eval(plan, reps)?.to_vec();
        let rows = (0..self.months())
            .map(|m| {
                let of = |f: &dyn Fn(&Outcome) -> f64| {
                    Estimate::of(outs.iter().map(f).filter(|x| x.is_finite()))
                };
                MonthRow {
                    inbound: of(&|o| o.inbound[m]).mean,
                    lost: of(&|o| o.lost[m]),
                    service: of(&|o| o.service[m]),
                    speed: of(&|o| o.speed[m]),
                    cost: of(&|o| o.cost[m]),
                    profit: of(&|o| o.profit[m]),
                }
            })
            .collect();
        let sc = &self.p.scenario;
        Ok(StaffingResult {
            scenario_name: sc.name.clone(),
            currency: sc.currency.clone(),
            structure: self.p.structure.clone(),
            roles: self.p.roles.clone(),
            months: (0..self.months())
                .map(|m| {
                    sc.calendar
                        .month_date(m)
                        .to_string()
                        .get(..7)
                        .unwrap_or("")
                        .to_string()
                })
                .collect(),
            objective: match self.p.objective {
                Objective::Target(t) => t.describe(),
                Objective::Profit => "the highest expected gross profit".into(),
            },
            goal: Some(self.p.objective),
            lang: self.p.scenario.lang,
            plan: plan.clone(),
            erlang: self.erlang.clone(),
            fixed: self.p.fixed.clone(),
            rows,
            alternatives: vec![],
            replications: reps,
            runs: self.ev.runs.load(std::sync::atomic::Ordering::Relaxed),
            evaluations: self.ev.plans(),
            complete,
        })
    }

    fn alternative(
        &mut self,
        name: &str,
        alt: &Plan,
        plan: &Plan,
        reps: u64,
    ) -> Result<Alternative, SpecError> {
        let base = self.eval(plan, reps)?;
        let outs = self.eval(alt, reps)?;
        let (cc, cc_plan) = (self.change_cost(alt), self.change_cost(plan));
        let meets = match self.p.objective {
            Objective::Target(t) => self.judge(alt, t)?.0.iter().all(|&x| x),
            Objective::Profit => true,
        };
        Ok(Alternative {
            name: name.into(),
            plan: alt.clone(),
            cost: Estimate::of(outs.iter().map(|o| o.total_cost)),
            change_cost: cc,
            lost: Estimate::of(outs.iter().map(|o| o.total_lost).filter(|x| x.is_finite())),
            profit: Estimate::of(outs.iter().map(|o| o.total_profit - cc)),
            profit_vs_plan: Estimate::of(
                outs.iter()
                    .zip(&base)
                    .map(|(a, b)| (a.total_profit - cc) - (b.total_profit - cc_plan)),
            ),
            cost_vs_plan: Estimate::of(
                outs.iter()
                    .zip(&base)
                    .map(|(a, b)| (a.total_cost + cc) - (b.total_cost + cc_plan)),
            ),
            meets_target: meets,
        })
    }
}

/// Raises segments shorter than `min_len` months (a headcount set must hold that long)
/// until none is left; segments that touch the end of the horizon, or months that are
/// fixed, are exempt.
fn contracts(role: &mut [u32], fixed: &[bool], min_len: usize) {
    if min_len <= 1 {
        return;
    }
    for _ in 0..role.len() * role.len() {
        let segs = segments(role, fixed);
        let Some(&(a, b)) = segs
            .iter()
            .find(|&&(a, b)| b - a < min_len && b < role.len())
        else {
            return;
        };
        let level = role[a];
        let left = (a > 0 && !fixed[a - 1]).then(|| role[a - 1]);
        let right = (b < role.len() && !fixed[b]).then(|| role[b]);
        let higher = [left, right]
            .into_iter()
            .flatten()
            .filter(|&x| x > level)
            .min();
        match higher {
            // Raise the short segment to its nearest higher neighbour: they merge.
            Some(h) => role[a..b].iter_mut().for_each(|x| *x = h),
            // A short peak: extend it over the next month.
            None => {
                if b < role.len() && !fixed[b] {
                    role[b] = level;
                } else if a > 0 && !fixed[a - 1] {
                    role[a - 1] = level;
                } else {
                    return;
                }
            }
        }
    }
}

/// Maximal runs `[a, b)` of equal headcount among plannable months.
fn segments(role: &[u32], fixed: &[bool]) -> Vec<(usize, usize)> {
    let mut out = vec![];
    let mut m = 0;
    while m < role.len() {
        if fixed[m] {
            m += 1;
            continue;
        }
        let a = m;
        while m < role.len() && !fixed[m] && role[m] == role[a] {
            m += 1;
        }
        out.push((a, m));
    }
    out
}

/// Fills a dip between two higher months when its saving (`unit` per person-month)
/// is less than the cost of going down and back up.
fn fill_dips(role: &mut [u32], fixed: &[bool], unit: f64, change_cost: f64) {
    if change_cost <= 0.0 {
        return;
    }
    loop {
        let segs = segments(role, fixed);
        let dip = segs.iter().find(|&&(a, b)| {
            if a == 0 || b >= role.len() || fixed[a - 1] || fixed[b] {
                return false;
            }
            let floor = role[a - 1].min(role[b]);
            floor > role[a] && {
                let depth = f64::from(floor - role[a]);
                (b - a) as f64 * depth * unit < 2.0 * depth * change_cost
            }
        });
        let Some(&(a, b)) = dip else {
            return;
        };
        let floor = role[a - 1].min(role[b]);
        role[a..b].iter_mut().for_each(|x| *x = floor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_contracts_are_merged_upwards() {
        let fixed = vec![false; 8];
        let mut r = vec![0, 0, 3, 0, 0, 5, 5, 5];
        contracts(&mut r, &fixed, 2);
        // The one-month 3 is extended over April; that leaves a one-month 0 between 3
        // and 5, which rises to its lower neighbour.
        assert_eq!(r, vec![0, 0, 3, 3, 3, 5, 5, 5]);
        let mut r = vec![2, 4, 2, 2, 2, 2];
        contracts(&mut r, &fixed[..6], 3);
        assert!(
            segments(&r, &fixed[..6])
                .iter()
                .all(|&(a, b)| b - a >= 3 || b == 6),
            "{r:?}"
        );
        assert!(
            r.iter().zip([2, 4, 2, 2, 2, 2]).all(|(a, b)| *a >= b),
            "only raised"
        );
    }

    #[test]
    fn dips_are_filled_only_when_changing_costs_more() {
        let fixed = vec![false; 5];
        let mut r = vec![5, 5, 2, 5, 5];
        fill_dips(&mut r, &fixed, 1000.0, 100.0);
        assert_eq!(
            r,
            vec![5, 5, 2, 5, 5],
            "a month of 3 people saves 3000, changes cost 600"
        );
        fill_dips(&mut r, &fixed, 1000.0, 2000.0);
        assert_eq!(r, vec![5, 5, 5, 5, 5], "changes cost 12000 > 3000 saved");
    }
}

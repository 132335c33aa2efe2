//! Simulating a staffing plan: replications on common random numbers (replication `i`
//! of every plan draws the same leads), in parallel, kept per replication so that plans
//! compare pair by pair and more replications can be added to a plan later.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use toml::Table;

use crate::experiment::stats::Moments;
use crate::experiment::SpecError;
use crate::scenario::Scenario;
use crate::sim::{self, Metric};

/// Headcount per searched role (outer) and month (inner).
pub type Plan = Vec<Vec<u32>>;

/// What one replication of a plan gave, month by month.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Phone leads lost unanswered per phone lead (NaN in a month without calls).
    pub lost: Vec<f64>,
    /// Share of resolved calls answered within the service-level time.
    pub service: Vec<f64>,
    /// Mean speed to lead, minutes (NaN in a month without contacts).
    pub speed: Vec<f64>,
    /// Pay and outsourcing of the searched roles.
    pub cost: Vec<f64>,
    /// Gross profit of the month.
    pub profit: Vec<f64>,
    /// Inbound (phone and written) leads.
    pub inbound: Vec<f64>,
    /// Over the horizon: lost unanswered per phone lead, gross profit, cost.
    pub total_lost: f64,
    /// Gross profit over the horizon.
    pub total_profit: f64,
    /// Pay and outsourcing of the searched roles over the horizon.
    pub total_cost: f64,
}

/// Mean and 95% CI half-width of a quantity over replications.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Estimate {
    /// NaN when no replication had a value (a month without calls).
    #[serde(with = "json_f64")]
    pub mean: f64,
    /// NaN below two values.
    #[serde(with = "json_f64")]
    pub half: f64,
}

/// An `f64` in JSON, where a number must be finite: a finite value is a number, the others
/// are the strings `"NaN"`, `"inf"` and `"-inf"`, so that a result read back is the result
/// written (serde_json would write `null` for all three and could not read it back).
pub(crate) mod json_f64 {
    use serde::{de, Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        match *x {
            x if x.is_finite() => s.serialize_f64(x),
            x if x.is_nan() => s.serialize_str("NaN"),
            x if x > 0.0 => s.serialize_str("inf"),
            _ => s.serialize_str("-inf"),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Json {
            Num(f64),
            Text(String),
        }
        match Json::deserialize(d)? {
            Json::Num(x) => Ok(x),
            Json::Text(t) => match t.as_str() {
                "NaN" => Ok(f64::NAN),
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                other => Err(de::Error::custom(format!(
                    "`{other}`: a number, \"NaN\", \"inf\" or \"-inf\""
                ))),
            },
        }
    }
}

impl Estimate {
    /// The mean of `values` and the half-width of its 95% interval.
    pub fn of(values: impl Iterator<Item = f64>) -> Estimate {
        let mut m = Moments::default();
        values.for_each(|x| m.add(x));
        Estimate {
            mean: if m.n > 0 { m.mean } else { f64::NAN },
            half: m.half_width(),
        }
    }

    /// The interval's lower end.
    pub fn low(&self) -> f64 {
        self.mean - self.half
    }

    /// The interval's upper end.
    pub fn high(&self) -> f64 {
        self.mean + self.half
    }
}

/// What a replication is reduced to: from the run, the indices of the plan's roles in the
/// structure, and the warm-up's length.
pub type Measure<O> = fn(&sim::RunResult, &[usize], usize) -> O;

/// Runs plans of one structure's roles on the scenario, remembering what every
/// replication measured (`O`: the staffing search's month-by-month [`Outcome`], or the
/// few totals a team search needs).
pub struct Evaluator<O = Outcome> {
    base: Table,
    structure: String,
    structure_index: usize,
    roles: Vec<String>,
    role_index: Vec<usize>,
    /// Months left out of the totals.
    warmup: usize,
    /// The scenario's own headcounts of the plan's roles (read once, with the roles).
    own: Plan,
    measure: Measure<O>,
    /// The number of the first replication: plan `p`'s `i`-th replication is replication
    /// `first + i` of the scenario's seed, whatever the plan.
    first: u64,
    cache: HashMap<Plan, Vec<O>>,
    /// Replications simulated so far (every plan).
    pub runs: AtomicU64,
}

impl Evaluator<Outcome> {
    /// `base` is the scenario table (with any measurement overrides applied); the totals
    /// leave out the first `warmup` months.
    pub fn new(
        base: Table,
        structure: &str,
        roles: &[String],
        warmup: usize,
    ) -> Result<Evaluator, SpecError> {
        Evaluator::measuring(base, structure, roles, warmup, outcome, 0)
    }
}

impl<O: Clone + Send> Evaluator<O> {
    /// An evaluator that keeps `measure` of each replication, numbering replications
    /// from `first`.
    pub fn measuring(
        base: Table,
        structure: &str,
        roles: &[String],
        warmup: usize,
        measure: Measure<O>,
        first: u64,
    ) -> Result<Evaluator<O>, SpecError> {
        let sc = Scenario::from_table(&base).map_err(|e| SpecError::Staffing(e.to_string()))?;
        let structure_index = sc
            .structure_names()
            .iter()
            .position(|&n| n == structure)
            .ok_or_else(|| {
                SpecError::Staffing(format!(
                    "--structure: no structure named {structure:?}; known: {}",
                    sc.structure_names().join(", ")
                ))
            })?;
        let st = &sc.structures[structure_index];
        let mut role_index = vec![];
        for r in roles {
            let i = st.roles.iter().position(|x| &x.name == r).ok_or_else(|| {
                let names: Vec<&str> = st.roles.iter().map(|x| x.name.as_str()).collect();
                SpecError::Staffing(format!(
                    "--role: {structure} has no role {r:?}; its roles are {}",
                    names.join(", ")
                ))
            })?;
            role_index.push(i);
        }
        let own = role_index
            .iter()
            .map(|&r| st.roles[r].count.clone())
            .collect();
        Ok(Evaluator {
            base,
            structure: structure.to_string(),
            structure_index,
            roles: roles.to_vec(),
            role_index,
            warmup,
            own,
            measure,
            first,
            cache: HashMap::new(),
            runs: AtomicU64::new(0),
        })
    }

    /// The scenario with `plan` as the searched roles' headcounts, validated.
    pub fn scenario(&self, plan: &Plan) -> Result<Scenario, SpecError> {
        let mut t = self.base.clone();
        for (role, counts) in self.roles.iter().zip(plan) {
            crate::experiment::spec::set_counts(&mut t, &self.structure, role, counts);
        }
        Scenario::from_table(&t).map_err(|e| match e {
            crate::scenario::ScenarioError::Invalid(ps) => {
                SpecError::Staffing(crate::scenario::reader::ProblemLine(&ps).to_string())
            }
            other => SpecError::Staffing(other.to_string()),
        })
    }

    /// How many different plans have been simulated.
    pub fn plans(&self) -> u64 {
        self.cache.len() as u64
    }

    /// The scenario's own headcounts of the searched roles.
    pub fn own_plan(&self) -> Plan {
        self.own.clone()
    }

    /// At least `reps` replications of `plan` (the first ones: common random numbers).
    pub fn eval(&mut self, plan: &Plan, reps: u64) -> Result<&[O], SpecError> {
        let have = self.cache.get(plan).map_or(0, |v| v.len() as u64);
        if have < reps {
            let sc = self.scenario(plan)?;
            let s = self.structure_index;
            let (roles, warmup, measure, first) =
                (&self.role_index, self.warmup, self.measure, self.first);
            let more: Vec<O> = (have..reps)
                .into_par_iter()
                .map(|i| measure(&sim::run(&sc, s, first + i), roles, warmup))
                .collect();
            self.runs.fetch_add(reps - have, Ordering::Relaxed);
            self.cache.entry(plan.clone()).or_default().extend(more);
        }
        Ok(&self.cache[plan][..reps as usize])
    }
}

fn outcome(r: &sim::RunResult, roles: &[usize], warmup: usize) -> Outcome {
    let margin = r.gross_margin;
    let cost = |m: &sim::MonthStats| -> f64 {
        roles
            .iter()
            .map(|&i| m.roles[i].payroll + m.roles[i].outsourcing)
            .sum()
    };
    let months = &r.months;
    let total = r.total_from(warmup);
    let each = |k: Metric| months.iter().map(|m| k.read(m, margin)).collect();
    Outcome {
        lost: each(Metric::LostUnansweredShare),
        service: each(Metric::ServiceLevel),
        speed: each(Metric::SpeedToLeadMean),
        cost: months.iter().map(cost).collect(),
        profit: each(Metric::GrossProfit),
        inbound: months
            .iter()
            .map(|m| (m.leads_phone + m.leads_web) as f64)
            .collect(),
        total_lost: Metric::LostUnansweredShare.read(&total, margin),
        total_profit: Metric::GrossProfit.read(&total, margin),
        total_cost: cost(&total),
    }
}

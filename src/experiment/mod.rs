//! Monte Carlo experiments: named variants (structures plus overrides) run on common
//! random numbers, replications in parallel, streaming statistics with confidence
//! intervals and percentiles, paired differences against a baseline, sweeps over any
//! numeric field, practitioners' claims tested as hypotheses, and shards that merge.
//!
//! Replication `i` of every variant draws from the streams of `(seed, i)`: the same
//! leads arrive, with the same patience, targets, segments, values and win draws, so
//! the differences between variants come from the structures alone.

pub mod claims;
pub mod erlang;
mod error;
pub mod partial;
mod run;
pub mod spec;
pub mod staffing;
pub mod stats;
pub mod teams;

use serde::{Deserialize, Serialize};

pub use claims::{Claim, ClaimResult, Verdict};
pub use error::SpecError;
pub use run::{
    Difference, Discard, Experiment, Param, PointAcc, PointResult, Sink, Stop, VariantResult, BATCH,
};
pub use spec::{Reference, Replications};

pub use stats::{Interval, Summary};

/// Checks a scenario file as every command reads it: the scenario and its experiment and
/// staffing tables in one pass (every problem with its path), then what `compare` checks
/// on top for every structure and variant (each valid at every sweep point, on the
/// scenario's calendar and currency; claims naming structures and metrics that exist).
/// A file that passes runs.
pub fn validate(scenario_text: &str) -> Result<crate::scenario::Scenario, SpecError> {
    let (_, scenario, file) = run::read_scenario(scenario_text)?;
    // Every structure and variant, so that each is checked at every point, whichever a
    // run would leave out.
    let mut every: Vec<String> = scenario
        .structure_names()
        .iter()
        .map(|s| s.to_string())
        .collect();
    for v in &file.variants {
        if !every.contains(&v.name) {
            every.push(v.name.clone());
        }
    }
    let request = Request {
        structures: Some(every),
        ..Request::default()
    };
    Experiment::new(scenario_text, &request)?;
    Ok(scenario)
}

/// A scenario for one replication (`salesim run`), with the months its `[experiment]`
/// table leaves out of the totals (the warm-up), or `warmup` when given; the file is
/// checked as `validate` checks it.
pub fn read_run(
    scenario_text: &str,
    warmup: Option<usize>,
) -> Result<(crate::scenario::Scenario, usize), SpecError> {
    let (_, scenario, file) = run::read_scenario(scenario_text)?;
    let w = warmup.unwrap_or(file.settings.warmup_months);
    run::check_warmup(w, scenario.calendar.months())?;
    Ok((scenario, w))
}

/// What the command line (or another caller) asks of an experiment, on top of the
/// scenario's own `[experiment]` settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// Structures and variants to run (default: the scenario's list, else all).
    pub structures: Option<Vec<String>>,
    /// How many replications (default: the scenario's, else 100).
    pub replications: Option<Replications>,
    /// The structure differences are taken against (default: the scenario's, else one_level).
    pub baseline: Option<String>,
    /// `path=values` sweep axes (replacing the scenario's axis of the same path).
    pub sets: Vec<String>,
    /// Extra claims to test.
    pub claims: Vec<String>,
    /// Months left out of the totals while the department fills up.
    pub warmup_months: Option<usize>,
    /// Metric whose precision `auto` watches (default `gross_profit`).
    pub precision_metric: Option<String>,
    /// The department losses are measured against (default: the scenario's, else none).
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Teams to run instead of the presets (what `compare --optimise` found).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<TeamSpec>,
}

/// A variant's team: headcount per role and month, set over its preset.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamSpec {
    /// The variant (or structure) it is for.
    pub variant: String,
    /// Per role: its name and its headcount in each month.
    pub roles: Vec<(String, Vec<u32>)>,
}

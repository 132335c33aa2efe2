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

use serde::{Deserialize, Serialize};

pub use claims::{Claim, ClaimResult, Verdict};
pub use error::SpecError;
pub use run::{
    Difference, Discard, Experiment, Param, PointAcc, PointResult, Sink, Stop, VariantResult, BATCH,
};
pub use spec::Replications;
pub use stats::{Interval, Summary};

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
}

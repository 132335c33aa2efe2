//! Why an experiment cannot be run as asked: the one error type of the experiment layer
//! (exit code 2 at the command line).

use crate::scenario::reader::{ProblemLine, ProblemList};
use crate::scenario::Problem;

/// A problem with what an experiment, a merge or a staffing search was asked to do.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// The scenario file breaks rules, in its own tables or in its experiment tables
    /// (`[experiment]`, `[variants.*]`, `[sweep]`, `[[claim]]`): every problem found,
    /// each with its path.
    #[error("{}", ProblemList(.0))]
    Invalid(Vec<Problem>),
    /// A variant or a sweep point (`what`) makes the scenario invalid.
    #[error("{what}: {}", ProblemLine(.problems))]
    Override {
        /// `variant conveyor_6cc`, `roles.call_centre.count = 4`, or both.
        what: String,
        /// What its scenario breaks.
        problems: Vec<Problem>,
    },
    /// An option, or the options together, ask for what the experiment cannot do: a
    /// structure, baseline, claim or metric that does not exist, a malformed `--set`, a
    /// shard of an `auto` run.
    #[error("{0}")]
    Request(String),
    /// The partial results given to `merge` do not make one experiment.
    #[error("{0}")]
    Shards(String),
    /// A staffing search cannot be done as asked: a role the structure lacks, a target
    /// out of reach, contradictory constraints.
    #[error("{0}")]
    Staffing(String),
}

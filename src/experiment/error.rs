//! Why an experiment cannot be run as asked: the one error type of the experiment layer
//! (exit code 2 at the command line).

use std::fmt;

use crate::scenario::Problem;

/// A problem with what an experiment, a merge or a staffing search was asked to do.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
    /// The scenario file breaks rules, in its own tables or in its experiment tables
    /// (`[experiment]`, `[variants.*]`, `[sweep]`, `[[claim]]`): every problem found,
    /// each with its path.
    #[error("{}", Problems(.0))]
    Invalid(Vec<Problem>),
    /// A variant or a sweep point (`what`) makes the scenario invalid.
    #[error("{what}: {}", Joined(.problems))]
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

/// `2 problems in the scenario:` and one indented line per problem.
struct Problems<'a>(&'a [Problem]);

impl fmt::Display for Problems<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        write!(
            f,
            "{n} problem{} in the scenario:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in self.0 {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

/// The problems on one line, separated by `; `.
struct Joined<'a>(&'a [Problem]);

impl fmt::Display for Joined<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

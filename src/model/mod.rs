//! Domain words and single-entity rules: kinds of work, distributions of durations and
//! values, the speed-to-lead decay curve, and the client's churn hazard.

pub mod decay;
pub mod dist;
pub mod hazard;
pub mod work;

pub use decay::Decay;
pub use dist::Dist;
pub use hazard::Hazard;
pub use work::{KindSet, WorkKind};

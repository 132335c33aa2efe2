//! The simulation kernel: clock, event queue, random streams and the working calendar.
//!
//! Nothing here knows about leads, deals or clients; the domain sits on top (STYLE.md,
//! principle 1). Everything is deterministic: ties in the event queue follow a written
//! rule and every random stream is derived from a seed.

pub mod calendar;
pub mod queue;
pub mod rng;
pub mod time;
pub mod timers;

pub use calendar::{Calendar, Date, Segment, WeekPlan, Weekday, WorkClock};
pub use queue::EventQueue;
pub use rng::{child_seed, derive_seed, stream, substream, Stream};
pub use time::Time;
pub use timers::Timers;

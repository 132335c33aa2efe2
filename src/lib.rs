//! # salesim
//!
//! A discrete-event simulator of sales departments. The same demand — leads arriving by
//! month, weekday and hour, by phone and in writing — is run through a department of a
//! given **structure** (one-level, assistant, lead-chopper, two-level, conveyor, or the
//! scenario's own), and the simulator reports what the structure makes of it: leads
//! answered and lost (by cause), deals won, revenue, clients kept, payroll and profit,
//! month by month.
//!
//! ```text
//!  inbound leads ──► answer / call back ──► qualify ──► deal: touches over the cycle ──► won ──► contract
//!  (NHPP, phone      (patience, attempts,   (target?    (owner's time, goes cold if           │
//!   and web)          decay with delay)      nurture)    neglected, win draw)                  ▼
//!  cold calls ───────────────────────────────────────────►                       client: repeat orders,
//!                                                                               care, churn, dormancy,
//!                                                                               reactivation
//! ```
//!
//! Layers, each using only those below it: `engine` (clock, event queue, random streams,
//! calendar; no sales words) → `model` (kinds of work, distributions, decay, hazard) →
//! `structure` (roles and routing as data) → `scenario` (TOML → validated scenario) →
//! `sim` (one replication) → `report` (results → bytes).
//!
//! ```
//! use salesim::{scenario::Scenario, sim};
//!
//! let sc = Scenario::default_scenario();
//! let conveyor = sc.structure_names().iter().position(|&n| n == "conveyor").unwrap();
//! let result = sim::run(&sc, conveyor, 0);
//! let year = result.total();
//! assert!(year.leads_arrived() > 10_000);
//! // Every lead has exactly one outcome, or is still open (a won deal whose contract
//! // was lost late counts among the losses).
//! assert_eq!(
//!     year.leads_arrived(),
//!     year.deals_kept() + year.leads_lost() + result.open_leads
//! );
//! ```

#![warn(missing_docs)]

pub mod calibrate;
pub mod engine;
pub mod experiment;
pub mod model;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod structure;

//! Figures fitted through the model. Some figures the data show are not the scenario's
//! own: a deal's days from its start to its decision are not `cycle_days` (the model
//! spreads the touches over the cycle, and a touch that falls due at night, at a weekend
//! or while its owner is busy waits); the days between a client's orders are not
//! `reorder_days` (orders follow the season, wait for a collection call, stop when the
//! client leaves); repeat orders' amounts are not `repeat_value` (care grows the
//! client's wallet); and no column says `annual_churn`. So these are fitted by
//! simulation: the template's department is run with the fitted figures, its own event
//! log read exactly as the data were, and each figure moved until the simulated
//! statistic matches the data's.

use super::fit::{round, Accumulator, Fit, Fitted, Value};
use super::records::{Assembler, EventRow};
use super::stats::{Estimate, Lognormal, Z95};
use super::Problems;
use crate::scenario::Scenario;
use crate::sim::log::Channel;
use crate::sim::Simulation;

/// Months simulated at most: enough deals and orders, whatever the template's horizon.
const MONTHS: i64 = 36;
/// Replications of the department per round.
const REPLICATIONS: u64 = 3;
/// Rounds at most.
const ROUNDS: usize = 8;

/// What a figure is matched on.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Statistic {
    /// Days from deal start to decision (the segment's).
    Cycle,
    /// Days between a client's orders.
    Gap,
    /// Repeat orders' amounts.
    OrderValue,
    /// The share of clients still ordering a year on.
    Retention,
}

/// A simulation's (or the data's) statistics.
struct Seen {
    cycles: Vec<(String, Lognormal)>,
    gaps: Vec<(String, Lognormal)>,
    orders: Vec<(String, Lognormal)>,
    retention: Option<Estimate>,
    /// The retention of each replication apart (simulations only).
    retention_reps: Vec<Option<Estimate>>,
}

impl Seen {
    fn of(f: &Fitted) -> Seen {
        let pick = |v: &Vec<(String, super::stats::LogHistogram, Lognormal)>| {
            v.iter().map(|(n, _, fit)| (n.clone(), *fit)).collect()
        };
        Seen {
            cycles: pick(&f.charts.cycles),
            gaps: pick(&f.charts.gaps),
            orders: pick(&f.charts.orders),
            retention: f.retention,
            retention_reps: vec![],
        }
    }

    fn fit(&self, s: Statistic, segment: &str) -> Option<Lognormal> {
        let list = match s {
            Statistic::Cycle => &self.cycles,
            Statistic::Gap => &self.gaps,
            Statistic::OrderValue => &self.orders,
            Statistic::Retention => return None,
        };
        list.iter().find(|(n, _)| n == segment).map(|(_, f)| *f)
    }
}

/// The department of `sc` simulated, its event logs read as the data were.
fn simulated(sc: &Scenario, text: &str) -> Result<Seen, String> {
    let names: Vec<String> = sc.segments.iter().map(|s| s.name.clone()).collect();
    let mut acc = Accumulator::new();
    let mut problems = Problems::default();
    // Each replication is read as another stretch of the same company's books over the
    // same months: its leads and clients are told apart by the replication's number in
    // their ids (above the 48 bits a number takes). The rows go to the reader as the
    // file's would, without the file.
    for rep in 0..REPLICATIONS {
        let (result, rows) = Simulation::new(sc, sc.default_structure, rep).run_logged();
        let start = result
            .month_dates
            .first()
            .map_or(0, |d| d.days_since_epoch())
            * 86_400;
        let mut assembler = Assembler::default();
        for r in &rows {
            let row = EventRow {
                at: start + (r.at.0 / 1000) as i64,
                id: r.lead | rep << 48,
                label: "",
                channel: Channel::of(r.lead).0.name(),
                event: r.kind.name(),
                outcome: r.outcome,
                amount: (r.amount != 0.0).then_some(r.amount),
                wait: r.wait.map(|w| w.secs()),
                segment: r
                    .segment
                    .and_then(|k| names.get(usize::from(k)))
                    .map_or("", String::as_str),
            };
            assembler.row(&row, &mut acc, &mut problems, "simulation", 0);
        }
        assembler.finish(&mut acc);
    }
    let mut seen = Seen::of(&acc.finish(sc, super::template_demand(text), true));
    seen.retention_reps =
        acc.retention_by(REPLICATIONS as usize, |id| ((id >> 48) & 0xff) as usize);
    Ok(seen)
}

/// The scenario's text with its horizon cut to [`MONTHS`].
fn capped(text: &str) -> Result<String, String> {
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let months = doc
        .get("horizon_months")
        .and_then(toml_edit::Item::as_integer);
    if months.is_none_or(|m| m > MONTHS) {
        doc["horizon_months"] = toml_edit::value(MONTHS);
    }
    Ok(doc.to_string())
}

fn segment_of(path: &str) -> &str {
    path.split('.').nth(1).unwrap_or("")
}

/// The fits moved by simulation: which statistic each is matched on.
fn targets(fitted: &Fitted) -> Vec<(usize, Statistic)> {
    fitted
        .fits
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            f.write.as_ref()?;
            let s = if f.path.ends_with(".cycle_days") {
                Statistic::Cycle
            } else if f.path.ends_with(".reorder_days") {
                Statistic::Gap
            } else if f.path.ends_with(".repeat_value") {
                Statistic::OrderValue
            } else if f.path == "clients.annual_churn" {
                Statistic::Retention
            } else {
                return None;
            };
            Some((i, s))
        })
        .collect()
}

/// The statistic a figure is matched on, on a log scale, with its standard error:
/// the log median of a lognormal fit (its log mean for amounts), or the log of the
/// share of clients lost for the retention.
fn statistic(s: Statistic, seen: &Seen, segment: &str) -> Option<(f64, f64, f64, f64)> {
    match s {
        Statistic::Retention => {
            let r = seen.retention?;
            let lost = (1.0 - r.value).max(1e-6);
            Some((
                lost.ln(),
                (r.value / (lost * r.n as f64)).sqrt(),
                f64::NAN,
                r.n as f64,
            ))
        }
        Statistic::OrderValue => {
            let f = seen.fit(s, segment)?;
            Some((f.mean().value.ln(), f.se_mu, f.cv(), f.n as f64))
        }
        _ => {
            let f = seen.fit(s, segment)?;
            Some((f.mu, f.se_mu, f.cv(), f.n as f64))
        }
    }
}

/// Where a figure's search stands: its last value and statistic (logs), for the secant.
#[derive(Clone, Copy, Default)]
struct Track {
    last: Option<(f64, f64)>,
}

/// One step of figure `f` towards the data's statistic: a secant step on the logs (the
/// elasticity of the statistic to the figure read from the last two rounds, 1 at
/// first: medians and means scale with the figure), the spread moved by the ratio of
/// spreads. Returns whether the statistic is still further from the data's than a
/// half its standard error.
fn step(f: &mut Fit, s: Statistic, data: &Seen, sim: &Seen, track: &mut Track) -> bool {
    let segment = segment_of(&f.path).to_string();
    let (Some((want, se_a, cv_a, n_a)), Some((got, se_b, cv_b, n_b))) =
        (statistic(s, data, &segment), statistic(s, sim, &segment))
    else {
        return false;
    };
    let Some(v) = f.write.clone() else {
        return false;
    };
    let Some(x) = v.main().map(|x| x.max(1e-9).ln()) else {
        return false;
    };
    let elasticity = match track.last {
        Some((x0, g0)) if (x - x0).abs() > 1e-4 => ((got - g0) / (x - x0)).clamp(0.2, 3.0),
        _ => 1.0,
    };
    track.last = Some((x, got));
    let gap = want - got;
    let spread = if cv_a.is_finite() {
        (cv_a / cv_b.max(1e-6)).clamp(0.5, 2.0)
    } else {
        1.0
    };
    // Closer than half the noise is close enough (the spread's noise is about
    // 1/sqrt(2n) on its log): further rounds would chase the noise.
    let spread_noise = (0.5 / n_a.max(1.0) + 0.5 / n_b.max(1.0)).sqrt();
    let far = gap.abs() > 0.5 * (se_a * se_a + se_b * se_b).sqrt()
        || spread.ln().abs() > 0.5 * spread_noise;
    if !far {
        return false;
    }
    let next = (x + gap / elasticity).exp();
    f.write = Some(match v.with_main(next, true) {
        Value::LognormalMedian(m, cv) => Value::LognormalMedian(m, round(cv * spread, 2).max(0.01)),
        Value::LognormalMean(m, cv) => Value::LognormalMean(m, round(cv * spread, 2).max(0.01)),
        other => other,
    });
    true
}

/// Refits the figures that need the model (see the module's note). `write` turns the
/// fits into the scenario's text.
pub fn refit(
    fitted: &mut Fitted,
    write: &dyn Fn(&[Fit]) -> Result<String, String>,
) -> Result<(), String> {
    let targets = targets(fitted);
    if targets.is_empty() {
        return Ok(());
    }
    let data = Seen::of(fitted);
    let mut tracks = vec![Track::default(); targets.len()];
    // Sum of squares and degrees of freedom of the replications' retentions within
    // rounds; sum of their binomial variances, and rounds.
    let mut spread = (0.0, 0.0, 0.0, 0.0);
    let mut sim = None;
    for _ in 0..ROUNDS {
        let text = capped(&write(&fitted.fits)?)?;
        let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
        let seen = simulated(&sc, &text)?;
        // The replications' retentions about their round's mean, against the binomial
        // spread each would have alone: a department's year is a shock common to all
        // its clients, which the binomial leaves out.
        let reps: Vec<Estimate> = seen.retention_reps.iter().flatten().copied().collect();
        if reps.len() > 1 {
            let mean = reps.iter().map(|r| r.value).sum::<f64>() / reps.len() as f64;
            spread.0 += reps.iter().map(|r| (r.value - mean).powi(2)).sum::<f64>();
            spread.1 += (reps.len() - 1) as f64;
            spread.2 += reps
                .iter()
                .map(|r| r.value * (1.0 - r.value) / r.n as f64)
                .sum::<f64>()
                / reps.len() as f64;
            spread.3 += 1.0;
        }
        let mut moved = false;
        for (&(i, s), track) in targets.iter().zip(&mut tracks) {
            moved |= step(&mut fitted.fits[i], s, &data, &seen, track);
        }
        sim = Some(seen);
        if !moved {
            break;
        }
    }
    let Some(sim) = sim else {
        return Ok(());
    };
    // How much each statistic moves with its figure: the department run again with
    // the figures half again as large (a large step, so that the simulation's own noise
    // does not swamp it): the churn alone, then the others together (each of them
    // hardly moves another's statistic, while the days between orders move the
    // retention as much as the churn does).
    let nudge = |alone: bool| -> Result<Seen, String> {
        let mut nudged = fitted.fits.clone();
        for &(i, s) in &targets {
            if (s == Statistic::Retention) != alone {
                continue;
            }
            nudged[i].write = nudged[i]
                .write
                .as_ref()
                .map(|v| v.main().map_or(v.clone(), |x| v.with_main(x * 1.5, false)));
        }
        let text = capped(&write(&nudged)?)?;
        let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
        simulated(&sc, &text)
    };
    let churned = if targets.iter().any(|t| t.1 == Statistic::Retention) {
        Some(nudge(true)?)
    } else {
        None
    };
    let others = nudge(false)?;
    // The intervals: the data's statistic and the simulation's own noise, on the log
    // scale, carried to the figure through that elasticity.
    for &(i, s) in &targets {
        let f = &mut fitted.fits[i];
        let segment = segment_of(&f.path).to_string();
        let (Some((want, se_a, cv_a, n_a)), Some((got, se_b, _, _)), Some((up, _, _, _))) = (
            statistic(s, &data, &segment),
            statistic(s, &sim, &segment),
            statistic(
                s,
                if s == Statistic::Retention {
                    churned.as_ref().unwrap_or(&others)
                } else {
                    &others
                },
                &segment,
            ),
        ) else {
            continue;
        };
        let elasticity = ((up - got) / 1.5f64.ln()).clamp(0.1, 3.0);
        // The retention's variance is overdispersed by the ratio of the replications'
        // spread to the binomial's (at least 1; 2 degrees of freedom a round).
        let dispersion = if s == Statistic::Retention && spread.1 > 0.0 && spread.2 > 0.0 {
            ((spread.0 / spread.1) / (spread.2 / spread.3)).max(1.0)
        } else {
            1.0
        };
        let se = ((se_a * se_a + se_b * se_b) * dispersion).sqrt() / elasticity;
        // A last Newton step closes what the rounds left of the gap.
        let last = (want - got) / elasticity;
        f.write = f.write.as_ref().map(|v| {
            v.main()
                .map_or(v.clone(), |x| v.with_main(x * last.exp(), true))
        });
        let Some(value) = f.write.as_ref().and_then(Value::main) else {
            continue;
        };
        f.estimate = Some(Estimate {
            value,
            lo: value * (-Z95 * se).exp(),
            hi: value * (Z95 * se).exp(),
            n: n_a as u64,
        });
        f.how = match s {
            Statistic::Retention => format!(
                "through the model: the churn at which the template's department ({REPLICATIONS} simulations) keeps a year's ordering clients ordering the next year as the data do ({:.1}%); neglect, failures and reactivation run as the template sets them; elasticity {elasticity:.2}; the replications' retentions spread {dispersion:.1} times the binomial variance",
                (1.0 - want.exp()) * 100.0
            ),
            _ => {
                let (what, statistic) = match s {
                    Statistic::Cycle => ("median", "days from deal start to decision (cold and open deals censored)"),
                    Statistic::Gap => ("median", "days between a client's orders (the last gap censored)"),
                    _ => ("mean", "repeat orders' amounts"),
                };
                format!(
                    "through the model: the {what} at which the template's department ({REPLICATIONS} simulations) shows the data's {statistic} ({} {:.1}, cv {cv_a:.2}); elasticity {elasticity:.2}",
                    if s == Statistic::OrderValue { "mean" } else { "median" },
                    want.exp()
                )
            }
        };
    }
    Ok(())
}

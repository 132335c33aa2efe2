//! Figures fitted through the model. Some figures the data show are not the scenario's
//! own: a deal's days from its start to its decision are not `cycle_days` (the model
//! spreads the touches over the cycle, and a touch that falls due at night, at a weekend
//! or while its owner is busy waits); the days between a client's orders are not
//! `reorder_days` (orders follow the season, wait for a collection call, stop when the
//! client leaves); repeat orders' amounts are not `repeat_value` (care grows the
//! client's wallet); no column says `annual_churn`; and the clients a segment gains per
//! deal won are `repeat_share` less those who leave before their first reorder or order
//! after the data end; dormant clients come back as often as reactivation calls are
//! made and succeed. So these are fitted by
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
use rand::RngExt;
use rand_distr::StandardNormal;

/// Months simulated at most: enough deals and orders, whatever the template's horizon.
const MONTHS: i64 = 36;
/// Replications of the department per round.
const REPLICATIONS: u64 = 3;
/// Rounds at most.
const ROUNDS: usize = 8;
/// Pairs of runs that measure how the uncertainty of the figures fitted directly moves
/// the statistics.
const PERTURBED: u64 = 6;

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
    /// Clients gained per deal won (the segment's).
    Newcomers,
    /// The share of dormant clients who order again.
    Comebacks,
}

/// A simulation's (or the data's) statistics.
struct Seen {
    cycles: Vec<(String, Lognormal)>,
    gaps: Vec<(String, Lognormal)>,
    orders: Vec<(String, Lognormal)>,
    retention: Option<Estimate>,
    /// The retention of each replication apart (simulations only).
    retention_reps: Vec<Option<Estimate>>,
    /// Per segment: deals won and clients gained in the newcomers' window.
    newcomers: Vec<(String, Option<(u64, u64)>)>,
    /// Dormancies followed for a write-off period, and comebacks.
    comebacks: Option<(u64, u64)>,
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
            newcomers: f.newcomers.clone(),
            comebacks: f.comebacks,
        }
    }

    fn fit(&self, s: Statistic, segment: &str) -> Option<Lognormal> {
        let list = match s {
            Statistic::Cycle => &self.cycles,
            Statistic::Gap => &self.gaps,
            Statistic::OrderValue => &self.orders,
            Statistic::Retention | Statistic::Newcomers | Statistic::Comebacks => return None,
        };
        list.iter().find(|(n, _)| n == segment).map(|(_, f)| *f)
    }
}

/// The department of `sc` simulated in replications `reps`, its event logs read as the
/// data were (the newcomers over the data's window of `months`).
fn simulated(
    sc: &Scenario,
    text: &str,
    months: usize,
    reps: std::ops::Range<u64>,
) -> Result<Seen, String> {
    let names: Vec<String> = sc.segments.iter().map(|s| s.name.clone()).collect();
    let mut acc = Accumulator::new();
    acc.newcomer_months = (months > 0).then_some(months);
    let mut problems = Problems::default();
    // Each replication is read as another stretch of the same company's books over the
    // same months: its leads and clients are told apart by the replication's number in
    // their ids (above the 48 bits a number takes). The rows go to the reader as the
    // file's would, without the file.
    let runs = reps.end - reps.start;
    for (tag, rep) in reps.enumerate() {
        let tag = tag as u64;
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
                id: r.lead | tag << 48,
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
    seen.retention_reps = acc.retention_by(runs as usize, |id| ((id >> 48) & 0xff) as usize);
    Ok(seen)
}

/// Whether the figure at `path`, fitted directly from the data, sets how much work the
/// department gets and how much of it pays: the figures whose uncertainty the
/// statistics matched through the model inherit (a department near its capacity fails
/// more clients, and loses more of them, with a little more demand). A share (`Some(true)`)
/// stays within 0.001-0.99; the others are positive.
fn load_figure(path: &str) -> Option<bool> {
    if path == "demand.base_per_month" || path.starts_with("demand.seasonality[") {
        Some(false)
    } else if path.ends_with("_share") && !path.starts_with("segments.")
        || path.ends_with(".win_probability")
    {
        Some(true)
    } else {
        None
    }
}

/// The fits with each load figure ([`load_figure`]) drawn from its interval: its value
/// times `exp(z * se)`, `se` the interval's half-width on the log scale over 1.96 and
/// `z` a standard normal of draw `k`.
fn perturbed(fits: &[Fit], targets: &[(usize, Statistic)], seed: u64, k: u64) -> Vec<Fit> {
    let mut rng = crate::engine::stream(seed, &[0xca1b, k]);
    let mut out = fits.to_vec();
    for (i, f) in out.iter_mut().enumerate() {
        let (Some(share), Some(e), Some(v)) = (load_figure(&f.path), f.estimate, &f.write) else {
            continue;
        };
        let z: f64 = rng.sample(StandardNormal);
        let se = (e.hi / e.lo).ln() / (2.0 * Z95);
        let Some(x) = v.main() else {
            continue;
        };
        if targets.iter().any(|t| t.0 == i) || !se.is_finite() || se <= 0.0 {
            continue;
        }
        let y = x * (z * se).exp();
        f.write = Some(match v {
            Value::Number(_, d) if !share => Value::Number(y, *d),
            _ => v.with_main(y, false),
        });
    }
    out
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
            } else if f.path.ends_with(".repeat_share") {
                Statistic::Newcomers
            } else if f.path == "clients.reactivation_success" {
                Statistic::Comebacks
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
        Statistic::Newcomers | Statistic::Comebacks => {
            // Each win gains a client, each dormant client comes back, with about the
            // ratio's chance: a binomial count.
            let (of, k) = if s == Statistic::Newcomers {
                seen.newcomers.iter().find(|(n, _)| n == segment)?.1?
            } else {
                seen.comebacks?
            };
            let r = (k as f64 / of.max(1) as f64).min(0.99);
            (k > 0).then(|| (r.ln(), ((1.0 - r) / k as f64).sqrt(), f64::NAN, of as f64))
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

/// The variance each target's statistic inherits from the load figures' uncertainty
/// ([`load_figure`]): [`PERTURBED`] pairs of single runs on the same random numbers
/// (replications 3, 4, ..., apart from the rounds'), one with the figures as fitted and
/// one with the load figures drawn from their intervals; the mean square of the pairs'
/// differences. The common random numbers cancel most of the simulation's own noise
/// from the difference; what they leave counts in too, on the safe side.
fn inherited(
    fitted: &Fitted,
    targets: &[(usize, Statistic)],
    write: &dyn Fn(&[Fit]) -> Result<String, String>,
) -> Result<Vec<f64>, String> {
    let text = capped(&write(&fitted.fits)?)?;
    let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
    let months = fitted.newcomer_months;
    let mut sums = vec![(0.0, 0u32); targets.len()];
    for k in 0..PERTURBED {
        let rep = REPLICATIONS + k;
        let fits = perturbed(&fitted.fits, targets, sc.seed, k);
        let moved_text = capped(&write(&fits)?)?;
        // A draw the scenario's rules refuse (shares that no longer add up) is left out.
        let Ok(moved_sc) = Scenario::from_toml_str(&moved_text) else {
            continue;
        };
        let plain = simulated(&sc, &text, months, rep..rep + 1)?;
        let moved = simulated(&moved_sc, &moved_text, months, rep..rep + 1)?;
        for (sum, &(i, s)) in sums.iter_mut().zip(targets) {
            let segment = segment_of(&fitted.fits[i].path);
            if let (Some(a), Some(b)) =
                (statistic(s, &plain, segment), statistic(s, &moved, segment))
            {
                sum.0 += (b.0 - a.0).powi(2);
                sum.1 += 1;
            }
        }
    }
    Ok(sums
        .into_iter()
        .map(|(sq, n)| if n > 0 { sq / f64::from(n) } else { 0.0 })
        .collect())
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
    for round in 0..ROUNDS {
        let text = capped(&write(&fitted.fits)?)?;
        let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
        let seen = simulated(&sc, &text, fitted.newcomer_months, 0..REPLICATIONS)?;
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
        // The last round only simulates: the elasticities and the last Newton step
        // below start from the figures its statistics were simulated with.
        let mut moved = false;
        if round + 1 < ROUNDS {
            for (&(i, s), track) in targets.iter().zip(&mut tracks) {
                moved |= step(&mut fitted.fits[i], s, &data, &seen, track);
            }
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
    // does not swamp it; a share that would pass 0.99 is cut by as much instead), in
    // three groups: the churn alone, the repeat shares, the others (the figures of a
    // group hardly move one another's statistics, while the days between orders move
    // the retention as much as the churn does, and the clients gained per win too).
    let factor = |i: usize| {
        let x = fitted.fits[i].write.as_ref().and_then(Value::main);
        match fitted.fits[i].write {
            Some(Value::Number(..)) if x.is_some_and(|x| x * 1.5 > 0.99) => 1.0 / 1.5,
            _ => 1.5,
        }
    };
    let group = |s: Statistic| match s {
        Statistic::Retention => 0,
        Statistic::Newcomers | Statistic::Comebacks => 1,
        _ => 2,
    };
    let mut nudged_runs: [Option<Seen>; 3] = [None, None, None];
    for (g, run) in nudged_runs.iter_mut().enumerate() {
        if !targets.iter().any(|&(_, s)| group(s) == g) {
            continue;
        }
        let mut nudged = fitted.fits.clone();
        for &(i, s) in &targets {
            if group(s) != g {
                continue;
            }
            let k = factor(i);
            nudged[i].write = nudged[i]
                .write
                .as_ref()
                .map(|v| v.main().map_or(v.clone(), |x| v.with_main(x * k, false)));
        }
        let text = capped(&write(&nudged)?)?;
        let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
        *run = Some(simulated(
            &sc,
            &text,
            fitted.newcomer_months,
            0..REPLICATIONS,
        )?);
    }
    let inherited = inherited(fitted, &targets, write)?;
    let factors: Vec<f64> = targets.iter().map(|&(i, _)| factor(i)).collect();
    // The intervals: the data's statistic and the simulation's own noise, on the log
    // scale, carried to the figure through that elasticity.
    for (t, (&(i, s), k)) in targets.iter().zip(factors).enumerate() {
        let f = &mut fitted.fits[i];
        let segment = segment_of(&f.path).to_string();
        let nudged = nudged_runs[group(s)].as_ref();
        let (Some((want, se_a, cv_a, n_a)), Some((got, se_b, _, _)), Some((up, _, _, _))) = (
            statistic(s, &data, &segment),
            statistic(s, &sim, &segment),
            nudged.and_then(|n| statistic(s, n, &segment)),
        ) else {
            continue;
        };
        let elasticity = ((up - got) / k.ln()).clamp(0.1, 3.0);
        // The retention's variance is overdispersed by the ratio of the replications'
        // spread to the binomial's (at least 1; 2 degrees of freedom a round).
        let dispersion = if s == Statistic::Retention && spread.1 > 0.0 && spread.2 > 0.0 {
            ((spread.0 / spread.1) / (spread.2 / spread.3)).max(1.0)
        } else {
            1.0
        };
        let se = ((se_a * se_a + se_b * se_b) * dispersion + inherited[t]).sqrt() / elasticity;
        // A last Newton step closes what the rounds left of the gap.
        let last = (want - got) / elasticity;
        f.write = f.write.as_ref().map(|v| {
            v.main()
                .map_or(v.clone(), |x| v.with_main(x * last.exp(), true))
        });
        let Some(value) = f.write.as_ref().and_then(Value::main) else {
            continue;
        };
        let hi = value * (Z95 * se).exp();
        f.estimate = Some(Estimate {
            value,
            lo: value * (-Z95 * se).exp(),
            hi: if matches!(s, Statistic::Newcomers | Statistic::Comebacks) {
                hi.min(1.0)
            } else {
                hi
            },
            n: n_a as u64,
        });
        f.how = match s {
            Statistic::Newcomers => format!(
                "through the model: the share of first orders that make a repeat client at which the template's department ({REPLICATIONS} simulations) gains as many clients per deal won as the data do ({:.2}, over {} months); churn, lapses and the days to a client's first reorder run as fitted; elasticity {elasticity:.2}",
                want.exp(),
                fitted.newcomer_months
            ),
            Statistic::Comebacks => format!(
                "through the model: the chance a reactivation call wins a dormant client back at which the template's department ({REPLICATIONS} simulations) has as many dormant clients order again within a write-off period as the data do ({:.1}%); the attempts, their spacing and who makes them run as the template sets them; elasticity {elasticity:.2}",
                want.exp() * 100.0
            ),
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

//! Figures fitted through the model. A deal's time from its start to its decision is
//! not the scenario's `cycle_days`: the model spreads the touches over the cycle, and a
//! touch that falls due at night, at a weekend or while its owner is busy waits. So the
//! cycle is fitted by simulation: the template's department is run with the fitted
//! figures, and each segment's cycle (median and cv) is moved until the simulated days
//! from deal start to decision match the data's.

use std::collections::HashMap;

use super::fit::{Fit, Fitted, Value, MIN_RECORDS};
use super::stats::{censored_lognormal, Estimate, LogHistogram, Lognormal};
use crate::scenario::Scenario;
use crate::sim::log::LogKind;
use crate::sim::Simulation;

/// Months simulated at most: enough deals for the fits, whatever the template's horizon.
const MONTHS: i64 = 36;
/// Replications of the department per round.
const REPLICATIONS: u64 = 3;
/// Rounds at most.
const ROUNDS: usize = 6;

/// Each segment's fit of days from deal start to decision, in the simulation of `sc`
/// (decided deals ended; cold and open ones censored).
fn simulated(sc: &Scenario) -> Vec<Option<Lognormal>> {
    let k = sc.segments.len();
    let mut ended: Vec<LogHistogram> = (0..k).map(|_| LogHistogram::new(1e-3, 1e4, 10)).collect();
    let mut cens = ended.clone();
    for rep in 0..REPLICATIONS {
        let (result, rows) = Simulation::new(sc, sc.default_structure, rep).run_logged();
        // The horizon's end, in days from its start.
        let first = result
            .month_dates
            .first()
            .map_or(0, |d| d.days_since_epoch());
        let last = result
            .month_dates
            .last()
            .map_or(0, |d| d.add_months(1).days_since_epoch());
        let end_days = (last - first) as f64;
        let mut start: HashMap<u64, (f64, u8)> = HashMap::new();
        for r in &rows {
            let days = r.at.secs() / 86_400.0;
            match r.kind {
                LogKind::Qualified | LogKind::ProspectFound => {
                    if let Some(s) = r.segment {
                        start.insert(r.lead, (days, s));
                    }
                }
                LogKind::DealWon => {
                    if let Some((d0, s)) = start.remove(&r.lead) {
                        ended[usize::from(s)].add((days - d0).max(1e-3));
                    }
                }
                LogKind::LeadLost if r.outcome == "decision_lost" => {
                    if let Some((d0, s)) = start.remove(&r.lead) {
                        ended[usize::from(s)].add((days - d0).max(1e-3));
                    }
                }
                LogKind::LeadLost if r.outcome == "deal_cold" => {
                    if let Some((d0, s)) = start.remove(&r.lead) {
                        cens[usize::from(s)].add((days - d0).max(1e-3));
                    }
                }
                _ => {}
            }
        }
        for (d0, s) in start.into_values() {
            cens[usize::from(s)].add((end_days - d0).max(1e-3));
        }
    }
    ended
        .iter()
        .zip(&cens)
        .map(|(e, c)| censored_lognormal(e, c).filter(|_| e.n >= MIN_RECORDS))
        .collect()
}

/// Refits the written cycles through the model of `template` (its text with `fits`
/// written in reads as `sc`); `write` turns fits into scenario text.
pub fn cycles(
    fitted: &mut Fitted,
    write: &dyn Fn(&[Fit]) -> Result<String, String>,
) -> Result<(), String> {
    // The data's fits of days to decision, by segment name.
    let data: HashMap<String, Lognormal> = fitted
        .charts
        .cycles
        .iter()
        .map(|(name, _, fit)| (name.clone(), *fit))
        .collect();
    let targets: Vec<usize> = fitted
        .fits
        .iter()
        .enumerate()
        .filter(|(_, f)| {
            matches!(f.write, Some(Value::LognormalMedian(..)))
                && f.path.ends_with(".cycle_days")
                && data.contains_key(segment_of(&f.path))
        })
        .map(|(i, _)| i)
        .collect();
    if targets.is_empty() {
        return Ok(());
    }
    let mut last: HashMap<usize, Lognormal> = HashMap::new();
    let mut touches: HashMap<usize, u32> = HashMap::new();
    for _ in 0..ROUNDS {
        let text = capped(&write(&fitted.fits)?)?;
        let sc = Scenario::from_toml_str(&text).map_err(|e| e.to_string())?;
        let sim = simulated(&sc);
        let mut moved = false;
        for &i in &targets {
            let name = segment_of(&fitted.fits[i].path).to_string();
            let Some(k) = sc.segments.iter().position(|s| s.name == name) else {
                continue;
            };
            let (Some(s), Some(d)) = (sim[k], data.get(&name)) else {
                continue;
            };
            last.insert(i, s);
            touches.insert(i, sc.segments[k].touches);
            let Some(Value::LognormalMedian(median, cv)) = fitted.fits[i].write.clone() else {
                continue;
            };
            // Days to decision grow with the cycle (by (touches-1)/touches of it) and
            // the waits on top hardly move: scale the cycle by the gap in medians, and
            // its spread by the gap in spreads.
            let ratio = (d.mu - s.mu).exp();
            let spread = (d.cv() / s.cv().max(1e-6)).clamp(0.5, 2.0);
            if (ratio - 1.0).abs() > 0.002 || (spread - 1.0).abs() > 0.01 {
                moved = true;
            }
            let median = round1(median * ratio);
            let cv = ((cv * spread) * 100.0).round() / 100.0;
            fitted.fits[i].write = Some(Value::LognormalMedian(median, cv.max(0.01)));
        }
        if !moved {
            break;
        }
    }
    for &i in &targets {
        let name = segment_of(&fitted.fits[i].path);
        let (Some(d), Some(s)) = (data.get(name), last.get(&i)) else {
            continue;
        };
        let Some(Value::LognormalMedian(median, _)) = fitted.fits[i].write else {
            continue;
        };
        // The interval: the data's median of days to decision, and the simulation's own
        // noise, carried to the cycle at the rate the cycle moves them.
        let se = (d.se_mu * d.se_mu + s.se_mu * s.se_mu).sqrt();
        let days = d.mu.exp();
        let slope = touches
            .get(&i)
            .filter(|&&k| k >= 2)
            .map_or(1.0, |&k| f64::from(k) / f64::from(k - 1));
        let half = |z: f64| (days * (z * se).exp() - days) * slope;
        let f = &mut fitted.fits[i];
        f.estimate = Some(Estimate {
            value: median,
            lo: (median + half(-super::stats::Z95)).max(0.0),
            hi: median + half(super::stats::Z95),
            n: d.n,
        });
        f.how = format!(
            "through the model: the cycle whose simulated days from deal start to decision (the template's department, {REPLICATIONS} replications) match the data's median {:.1} days and spread; the data's fit censors cold and open deals",
            days
        );
    }
    Ok(())
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

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

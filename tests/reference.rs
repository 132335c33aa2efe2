//! The reference department: the same structure with unlimited staff on the same leads,
//! and each structure's capacity loss measured against it.

mod common;

use common::{mean_se, scenario_text, t999};
use salesim::experiment::{Discard, Experiment, Reference, Replications, Request};
use salesim::scenario::Scenario;
use salesim::sim::{self, Metric};
use salesim::structure::UNLIMITED;

fn structure(sc: &Scenario, name: &str) -> usize {
    sc.structure_names()
        .iter()
        .position(|&n| n == name)
        .unwrap()
}

/// Inbound leads lost over the horizon, replication by replication.
fn inbound_losses(sc: &Scenario, s: usize, reps: u64) -> Vec<f64> {
    (0..reps)
        .map(|rep| sim::run(sc, s, rep).total().cohort_lost as f64)
        .collect()
}

#[test]
fn the_reference_is_unlimited_twice_as_many_lose_no_fewer_leads() {
    // If the reference's staff were still a limit, doubling it would save more leads.
    // On the same replications (common random numbers), the paired difference of inbound
    // losses between UNLIMITED and 2 x UNLIMITED times the headcount must be no larger
    // than its 99.9% interval allows, plus 0.2% of the losses (a practically nil gain).
    let sc = Scenario::default_scenario();
    let reps = 30;
    for name in ["one_level", "conveyor"] {
        let s = structure(&sc, name);
        let twin = sc.reference(s);
        let mut double = twin.clone();
        for c in double.structures[s]
            .roles
            .iter_mut()
            .flat_map(|r| r.count.iter_mut())
        {
            *c *= 2;
        }
        let (a, b) = (
            inbound_losses(&twin, s, reps),
            inbound_losses(&double, s, reps),
        );
        let d: Vec<f64> = a.iter().zip(&b).map(|(x, y)| x - y).collect();
        let (mean, se) = mean_se(&d);
        let (level, _) = mean_se(&a);
        assert!(
            mean <= t999(d.len() - 1) * se + 0.002 * level,
            "{name}: {}x staff still saves {mean:.1} ± {se:.1} leads of {level:.0} over {UNLIMITED}x",
            2 * UNLIMITED
        );
    }
}

#[test]
fn the_reference_of_a_reference_is_itself_so_its_capacity_loss_is_zero() {
    let sc = Scenario::default_scenario();
    let s = structure(&sc, "lead_chopper");
    let twin = sc.reference(s);
    let again = twin.reference(s);
    assert_eq!(again.structures, twin.structures);
    // The same draws, so every month's inbound losses are equal: a zero capacity loss.
    for rep in 0..3 {
        let (a, b) = (sim::run(&twin, s, rep), sim::run(&again, s, rep));
        for (m, n) in a.months.iter().zip(&b.months) {
            assert_eq!(m.cohort_lost, n.cohort_lost);
        }
    }
    // Headcounts: every role times UNLIMITED; cold calling off; the other structures
    // untouched.
    for (r, t) in sc.structures[s].roles.iter().zip(&twin.structures[s].roles) {
        for (c, u) in r.count.iter().zip(&t.count) {
            assert_eq!(*u, c * UNLIMITED, "{}", r.name);
        }
    }
    assert_eq!(twin.outbound.dials_per_hour, 0.0);
    let other = structure(&sc, "one_level");
    assert_eq!(twin.structures[other], sc.structures[other]);
}

#[test]
fn an_understaffed_department_loses_leads_for_want_of_staff_a_generous_one_does_not() {
    // Two months of the default scenario's busy season (May-June) on one-level: five
    // managers against the same structure with sixty. The capacity loss's interval is
    // paired (each replication against its own reference), so it is narrow.
    let base = common::with_horizon(&scenario_text("default.toml"), 2)
        .replace("start = \"2026-01-01\"", "start = \"2026-05-01\"");
    assert!(base.contains("start = \"2026-05-01\""), "the edit applies");
    let generous = format!("{base}\n[structures.one_level.roles.manager]\ncount = 60\n");
    let request = Request {
        structures: Some(vec!["one_level".into()]),
        replications: Some(Replications::Fixed(40)),
        reference: Some(Reference::Unlimited),
        ..Request::default()
    };
    let loss = |text: &str| {
        let exp = Experiment::new(text, &request).unwrap();
        let (acc, stop) = exp.run_point(0, None, &|_| {}, &mut Discard).unwrap();
        let r = exp.result(0, &acc, stop);
        let v = &r.variants[0];
        (
            *v.total(Metric::CapacityLoss).unwrap(),
            *v.total(Metric::CapacityLossShare).unwrap(),
        )
    };
    let (few, few_share) = loss(&base);
    assert!(
        few.mean - few.ci95_half > 0.0,
        "five managers lose leads for want of staff: {} ± {}",
        few.mean,
        few.ci95_half
    );
    assert!(
        few_share.mean > 0.05 && few_share.mean < 1.0,
        "a share of the reference's deals: {}",
        few_share.mean
    );
    let (many, _) = loss(&generous);
    // Sixty managers are within a few leads of their own reference (six hundred): the
    // interval covers zero or lies within 3% of five managers' loss (measured at this
    // commit: 1.7 ± 0.6 against 96, with 6 calls abandoned and 1.5 deals gone cold).
    assert!(
        many.mean - many.ci95_half <= 0.0 || many.mean.abs() <= 0.03 * few.mean,
        "sixty managers still lose {} ± {} (five: {})",
        many.mean,
        many.ci95_half,
        few.mean
    );
    assert!(many.mean < few.mean - few.ci95_half - many.ci95_half);
    // Bad input names the field and the rule.
    let bad = base.replace("[experiment]", "[experiment]\nreference = \"infinite\"");
    let err = Experiment::new(&bad, &Request::default())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("experiment.reference") && err.contains("unlimited"),
        "{err}"
    );
}

#[test]
fn capacity_loss_is_booked_by_the_month_leads_arrive_so_no_month_gains_by_losing_later() {
    // An understaffed department loses its leads later than its reference (they wait in
    // queues, deals go cold weeks on). Booked in the month of the loss, its capacity
    // loss came out negative in the first busy months and too high after (one-level in
    // roofing: -125 leads in June, +310 in July). Booked in the month each lead arrived,
    // no month's 95% interval lies below zero.
    let request = Request {
        structures: Some(vec!["one_level".into(), "conveyor".into()]),
        replications: Some(Replications::Fixed(30)),
        reference: Some(Reference::Unlimited),
        ..Request::default()
    };
    let exp = Experiment::new(&scenario_text("roofing_seasonal.toml"), &request).unwrap();
    let (acc, stop) = exp.run_point(0, None, &|_| {}, &mut Discard).unwrap();
    let r = exp.result(0, &acc, stop);
    for v in &r.variants {
        let i = v
            .metrics
            .iter()
            .position(|m| m == Metric::CapacityLoss.name())
            .unwrap();
        for (m, month) in v.monthly.iter().enumerate() {
            let s = &month[i];
            assert!(
                s.mean + s.ci95_half >= 0.0,
                "{} month {}: capacity loss {} ± {}",
                v.name,
                m + 1,
                s.mean,
                s.ci95_half
            );
        }
        // In season, one-level loses far more for want of staff than off season.
        if v.name == "one_level" {
            let (jan, jun) = (&v.monthly[0][i], &v.monthly[5][i]);
            assert!(jun.mean - jun.ci95_half > 10.0 * (jan.mean + jan.ci95_half));
        }
    }
}

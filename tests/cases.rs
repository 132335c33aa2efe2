//! The shipped cases against their stories (DOMAIN.md): what each case's story says,
//! checked on common random numbers with the intervals the experiment itself gives.
//! Where the model does not reproduce a story, the README says so; these are the ones
//! it does.

mod common;

use common::scenario_text;
use salesim::experiment::{Difference, Summary, VariantResult};
use salesim::experiment::{Discard, Experiment, PointResult, Reference, Replications, Request};
use salesim::sim::Metric;

/// `reps` replications of `structures` on the scenario `text`, the first the baseline.
fn run(text: &str, structures: &[&str], reps: u64, reference: bool) -> PointResult {
    let request = Request {
        structures: Some(structures.iter().map(|s| s.to_string()).collect()),
        replications: Some(Replications::Fixed(reps)),
        baseline: Some(structures[0].to_string()),
        reference: reference.then_some(Reference::Unlimited),
        ..Request::default()
    };
    let exp = Experiment::new(text, &request).unwrap();
    let (acc, stop) = exp.run_point(0, None, &|_| {}, &mut Discard).unwrap();
    exp.result(0, &acc, stop)
}

fn variant<'a>(r: &'a PointResult, name: &str) -> &'a VariantResult {
    r.variants.iter().find(|v| v.name == name).unwrap()
}

/// The paired difference of `metric` (its column) between `name` and the baseline.
fn paired<'a>(r: &'a PointResult, name: &str, column: &str) -> &'a Difference {
    r.differences
        .iter()
        .find(|d| d.structure == name && d.metric == column)
        .unwrap_or_else(|| panic!("no difference {name} {column}"))
}

/// Month `m`'s statistics of `column`.
fn month<'a>(v: &'a VariantResult, column: &str, m: usize) -> &'a Summary {
    let i = v.metrics.iter().position(|c| c == column).unwrap();
    &v.monthly[m][i]
}

#[test]
fn cosmetics_one_assistant_per_three_managers_raises_selling_time_and_deals_won() {
    // S2, R8: the assistant takes the paperwork, and the managers sell more. Paired 95%
    // intervals on the same leads: both differences lie above zero.
    let r = run(
        &scenario_text("cosmetics_wholesale.toml"),
        &["one_level", "assistant"],
        40,
        false,
    );
    for column in ["time_manager_selling_share", Metric::DealsWon.name()] {
        let d = paired(&r, "assistant", column);
        assert!(
            d.paired.estimate - d.paired.half_width > 0.0,
            "{column}: {} ± {}",
            d.paired.estimate,
            d.paired.half_width
        );
    }
    // The managers' paperwork goes to the assistant, all of it.
    let with = variant(&r, "assistant");
    let i = with
        .metrics
        .iter()
        .position(|c| c == "time_manager_paperwork_share")
        .unwrap();
    assert_eq!(with.totals[i].mean, 0.0);
}

#[test]
fn roofing_one_level_meets_the_off_season_and_loses_the_season_a_seasonal_call_centre_cuts_it() {
    // DOMAIN.md's roofing case: five managers meet the plan off season and lose leads in
    // season; a call centre hired for the season (the conveyor's) cuts the peak's losses.
    // Capacity losses are against each structure's unlimited reference, by the month
    // the leads arrived; unpaired 95% intervals (conservative for a comparison of
    // months). The first year after the warm-up (months 12 to 23): a run cut after it
    // gives the same months as the whole horizon (nothing looks ahead).
    let r = run(
        &common::with_horizon(&scenario_text("roofing_seasonal.toml"), 24),
        &["one_level", "conveyor"],
        30,
        true,
    );
    let one = variant(&r, "one_level");
    let conveyor = variant(&r, "conveyor");
    let share = Metric::CapacityLossShare.name();
    let open = Metric::ServiceLevelOpen.name();
    for m in 12..14 {
        // January and February: a tenth or so of what unlimited staff would sell is
        // lost (measured 11-19%), and about half or more of the working-hours calls are
        // answered in time (measured 54-65%: less than the first year's 70%, whose
        // winter had no deals of the season before to carry).
        let s = month(one, share, m);
        assert!(s.mean + s.ci95_half < 0.25, "month {m}: {}", s.mean);
        let sl = month(one, open, m);
        assert!(sl.mean - sl.ci95_half > 0.45, "month {m}: {}", sl.mean);
    }
    for m in 16..20 {
        // May to August: one-level loses half or more of what unlimited staff would
        // sell; the conveyor, with its seasonal call centre, under a quarter.
        let (a, b) = (month(one, share, m), month(conveyor, share, m));
        assert!(a.mean - a.ci95_half > 0.45, "month {m}: {}", a.mean);
        assert!(b.mean + b.ci95_half < 0.25, "month {m}: {}", b.mean);
        let (la, lb) = (
            month(one, Metric::CapacityLoss.name(), m),
            month(conveyor, Metric::CapacityLoss.name(), m),
        );
        assert!(la.mean - la.ci95_half > lb.mean + lb.ci95_half);
    }
}

#[test]
fn default_assistants_free_managers_time_for_selling() {
    // DOMAIN.md's claim, checked on the time it is about: the managers' share of paid
    // hours spent selling, paired on the same leads.
    let r = run(
        &scenario_text("default.toml"),
        &["one_level", "assistant"],
        20,
        false,
    );
    let d = paired(&r, "assistant", "time_manager_selling_share");
    assert!(
        d.paired.estimate - d.paired.half_width > 0.05,
        "{} ± {}",
        d.paired.estimate,
        d.paired.half_width
    );
}
